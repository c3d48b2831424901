"""Deterministic demo data: factories for every city and county, plans, bases, milestones, ~28,000 monthly
reports from 2022 to the last closed month, and one demo user per role.

Everything written here carries `is_demo=True` and is shown with a DEMO badge. Real reference data
(provinces, counties, the schedule and its dates) is never touched. Rows are generated in memory and
written with bulk inserts, so the whole national set loads in a few seconds.
"""

import calendar
import datetime
import random
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone, translation

from factories.models import (
    AnnualPlan,
    ConstructionMilestone,
    Factory,
    FactoryKind,
    MonthlyReport,
    RawMaterialBase,
    RawMaterialYield,
    ReportEvent,
    SiteResponsibility,
)
from factories.selectors import MEDIAN_WINDOW_MONTHS, add_months, entry_deadline, figure_problems
from regional.models import County, ProgrammeSlot, User

FIRST_REPORT_MONTH = datetime.date(2022, 1, 1)
DEMO_PASSWORD_SUFFIX = "-demo-2026"

# (username, role, county slug, province code): one demo login per role.
DEMO_USERS = [
    ("county.songchon", User.Role.COUNTY_OFFICIAL, "kp-south-phyongan-songchon", None),
    ("county.sukchon", User.Role.COUNTY_OFFICIAL, "kp-south-phyongan-sukchon", None),
    ("province.south-phyongan", User.Role.PROVINCIAL_OFFICIAL, None, "KP-02"),
    ("analyst", User.Role.ANALYST, None, None),
    ("admin", User.Role.ADMINISTRATOR, None, None),
]

# kind: (unit, capacity range, monthly value range in thousand won, seasonality by month 1..12)
FACTORY_PROFILES = {
    FactoryKind.FOODSTUFF: (
        "tonnes", (800, 3000), (9_000, 30_000), [0.8, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.05, 1.2, 1.3, 1.15, 1.0]
    ),
    FactoryKind.GARMENT: (
        "pieces", (60_000, 300_000), (7_000, 24_000), [0.85, 0.9, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.1, 1.05]
    ),
    FactoryKind.DAILY_NECESSITIES: (
        "pieces", (100_000, 500_000), (5_000, 18_000), [0.9, 0.9, 1.0, 1.0, 1.05, 1.0, 1.0, 1.0, 1.05, 1.05, 1.0, 1.05]
    ),
    FactoryKind.PAPER: (
        "tonnes", (2_000, 10_000), (12_000, 40_000), [0.9, 0.9, 1.0, 1.05, 1.1, 1.1, 1.0, 1.0, 1.0, 1.0, 0.95, 0.95]
    ),
}  # fmt: skip
# Raw material is reported in tonnes; a garment or a bar of soap weighs a fraction of a kilogram.
RAW_MATERIAL_TONNES_PER_UNIT = {"tonnes": 1.0, "pieces": 0.0004}
KIND_NAMES = {
    FactoryKind.FOODSTUFF: "Foodstuff Factory",
    FactoryKind.GARMENT: "Garment Factory",
    FactoryKind.DAILY_NECESSITIES: "Daily Necessities Factory",
    FactoryKind.PAPER: "Paper Mill",
}
BASE_KINDS_FOR_FACTORY = {
    FactoryKind.FOODSTUFF: [RawMaterialBase.Kind.FIELD, RawMaterialBase.Kind.ORCHARD, RawMaterialBase.Kind.LIVESTOCK],
    FactoryKind.GARMENT: [RawMaterialBase.Kind.FIELD],
    FactoryKind.DAILY_NECESSITIES: [RawMaterialBase.Kind.MEDICINAL, RawMaterialBase.Kind.EVODIA],
    FactoryKind.PAPER: [RawMaterialBase.Kind.FOREST],
}
# What a returned demo report got wrong: its figures are made to show the problem, and its reason is written
# from the figures (`figure_problems`), so a reason never contradicts what the report says.
RETURN_DEFECTS = ["own_bases_missing", "output_out_of_line", "above_capacity"]


@dataclass
class DemoSummary:
    factories: int
    reports: int
    plans: int
    bases: int
    milestones: int
    users: int
    report_years: list[int]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def demo_data_exists() -> bool:
    return Factory.objects.filter(is_demo=True).exists()


@transaction.atomic
def demo_data_delete() -> None:
    """Remove every demo row (and the standings computed from them); reference data stays."""
    from standings.models import CountyStanding, RecomputeRequest, StandingsRun

    CountyStanding.objects.all().delete()
    RecomputeRequest.objects.all().delete()
    StandingsRun.objects.update(previous_run=None)
    StandingsRun.objects.all().delete()
    # Raw deletes: the history tracker's delete signal would otherwise write one history row per demo report.
    demo_reports = MonthlyReport.objects.filter(factory__is_demo=True)
    ReportEvent.objects.filter(report__in=demo_reports)._raw_delete(using="default")
    MonthlyReport.history.filter(factory__is_demo=True)._raw_delete(using="default")
    demo_reports._raw_delete(using="default")
    AnnualPlan.objects.filter(factory__is_demo=True).delete()
    ConstructionMilestone.objects.filter(is_demo=True).delete()
    SiteResponsibility.objects.filter(is_demo=True).delete()
    RawMaterialYield.objects.filter(is_demo=True).delete()
    Factory.objects.filter(is_demo=True).delete()
    RawMaterialBase.objects.filter(is_demo=True).delete()
    User.objects.filter(is_demo=True).delete()


def _commissioning(slot: ProgrammeSlot | None, rng: random.Random, today: datetime.date):
    """When a demo factory went into operation. Programme factories start at their (real) inauguration month;
    where the source gives no inauguration, the demo assumes January after the round (labelled demo)."""
    if slot is None:
        return datetime.date(rng.randint(2012, 2021), rng.randint(1, 12), 1), Factory.Status.IN_OPERATION
    if slot.inauguration_date:
        if slot.inauguration_date > today:
            # Not inaugurated yet: no factory is "in operation" before its commissioning date (methodology v1.1).
            return None, Factory.Status.UNDER_CONSTRUCTION
        return slot.inauguration_date.replace(day=1), Factory.Status.IN_OPERATION
    year = slot.programme_round.year
    if year < today.year:
        return datetime.date(year + 1, 1, 1), Factory.Status.IN_OPERATION
    return None, Factory.Status.UNDER_CONSTRUCTION


def _factory_kinds_for(county: County, slot: ProgrammeSlot | None) -> list[str]:
    kinds = [FactoryKind.FOODSTUFF, FactoryKind.GARMENT, FactoryKind.DAILY_NECESSITIES]
    if slot is not None and ("paper" in slot.project.lower() or slot.kind == ProgrammeSlot.Kind.MODEL):
        kinds.append(FactoryKind.PAPER)
    return kinds


def _round_money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


@transaction.atomic
def demo_data_seed(*, seed: int = 2026, today: datetime.date | None = None) -> DemoSummary:
    """Write the whole demo set in bulk; same seed and day give the same rows."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    counties = list(County.objects.filter(kind__in=County.PROGRAMME_KINDS).select_related("province").order_by("slug"))
    slots = {slot.county_id: slot for slot in ProgrammeSlot.objects.select_related("programme_round")}

    factories: list[Factory] = []
    bases: list[RawMaterialBase] = []
    county_profile: dict[int, dict] = {}
    for county in counties:
        slot = slots.get(county.pk)
        county_profile[county.pk] = {
            "fulfilment": rng.uniform(0.82, 1.12),
            "own_share": rng.uniform(0.35, 0.95),
            "punctuality": rng.uniform(0.8, 0.99),
            "growth": rng.uniform(-0.03, 0.12),
        }
        for kind in _factory_kinds_for(county, slot):
            unit, capacity_range, _value_range, _season = FACTORY_PROFILES[kind]
            commissioned_on, status = _commissioning(slot, rng, today)
            factories.append(
                Factory(
                    code=f"{county.slug.removeprefix('kp-')}-{kind.replace('_', '-')}",
                    county=county,
                    programme_slot=slot,
                    name=f"{county.name_en} {KIND_NAMES[kind]}",
                    kind=kind,
                    design_capacity=Decimal(rng.randrange(*capacity_range, 50)),
                    capacity_unit=unit,
                    status=status,
                    commissioned_on=commissioned_on,
                    is_demo=True,
                )
            )
        for base_number in range(rng.randint(2, 4)):
            factory_kind = rng.choice(list(BASE_KINDS_FOR_FACTORY))
            base_kind = rng.choice(BASE_KINDS_FOR_FACTORY[factory_kind])
            bases.append(
                RawMaterialBase(
                    county=county,
                    name=f"{county.name_en} {RawMaterialBase.Kind(base_kind).label} No. {base_number + 1}",
                    kind=base_kind,
                    area_hectares=_round_money(rng.uniform(30, 650)),
                    supplies_factory_kinds=[factory_kind],
                    expected_annual_yield_tonnes=_round_money(rng.uniform(200, 4000)),
                    is_demo=True,
                )
            )
    Factory.objects.bulk_create(factories, batch_size=1000)
    RawMaterialBase.objects.bulk_create(bases, batch_size=1000)
    factories = list(Factory.objects.filter(is_demo=True).order_by("code"))
    bases = list(RawMaterialBase.objects.filter(is_demo=True).order_by("pk"))

    yields = [
        RawMaterialYield(
            base=base,
            year=year,
            yield_tonnes=_round_money(
                float(base.expected_annual_yield_tonnes) * rng.uniform(0.7, 1.1) * min(1.0, 0.5 + 0.2 * (year - 2022))
            ),
            # Bases are extended year by year up to their present area.
            area_hectares=_round_money(float(base.area_hectares) * min(1.0, 0.45 + 0.2 * (year - 2022))),
            is_demo=True,
        )
        for base in bases
        for year in range(2022, today.year)
    ]
    RawMaterialYield.objects.bulk_create(yields, batch_size=2000)

    milestones = _milestones(slots.values(), rng, today)
    ConstructionMilestone.objects.bulk_create(milestones, batch_size=1000)
    # A construction unit for every other site, so the pages show what a recorded one looks like. The name says
    # DEMO itself, besides the badge, so it can never be taken for a real unit's name.
    SiteResponsibility.objects.bulk_create(
        SiteResponsibility(
            programme_slot=slot,
            role=SiteResponsibility.Role.CONSTRUCTION_UNIT,
            name=f"DEMO construction unit No. {index + 1}",
            is_demo=True,
        )
        for index, slot in enumerate(sorted(slots.values(), key=lambda s: s.pk))
        if index % 2 == 0
    )

    officials, reviewers = _users(counties)
    province_of_county = {county.pk: county.province_id for county in counties}

    last_closed_month = add_months(today.replace(day=1), -1)
    plans: list[AnnualPlan] = []
    reports: list[MonthlyReport] = []
    for factory in factories:
        if factory.commissioned_on is None:
            continue
        profile = county_profile[factory.county_id]
        unit, _capacity, value_range, seasonality = FACTORY_PROFILES[factory.kind]
        base_monthly_value = rng.uniform(*value_range)
        planned_varieties = rng.randint(12, 60)
        first_month = max(FIRST_REPORT_MONTH, factory.commissioned_on)
        approved_values: list[Decimal] = []
        for year in range(first_month.year, last_closed_month.year + 1):
            growth = (1 + profile["growth"]) ** (year - 2022)
            plans.append(
                AnnualPlan(
                    factory=factory,
                    year=year,
                    planned_output_value_thousand_won=_round_money(base_monthly_value * 12 * (1.04 ** (year - 2022))),
                    planned_physical_output=_round_money(float(factory.design_capacity) * 0.8),
                    planned_varieties=planned_varieties + (year - 2022) * 2,
                    is_demo=True,
                )
            )
            for month_number in range(1, 13):
                month = datetime.date(year, month_number, 1)
                if month < first_month or month > last_closed_month:
                    continue
                report = _report(
                    factory, month, base_monthly_value, growth, seasonality, planned_varieties, profile, rng
                )
                if report is None:
                    continue
                _set_workflow(report, month, today, profile, rng, earlier_values=approved_values)
                if report.status == MonthlyReport.Status.APPROVED:
                    approved_values.append(report.output_value_thousand_won)
                if report.submitted_at:
                    report.submitted_by = officials[factory.county_id]
                if report.approved_at:
                    report.approved_by = reviewers[province_of_county[factory.county_id]]
                reports.append(report)
    AnnualPlan.objects.bulk_create(plans, batch_size=2000)
    MonthlyReport.objects.bulk_create(reports, batch_size=2000)
    ReportEvent.objects.bulk_create(_events(), batch_size=5000)
    _refresh_planner_statistics()
    return DemoSummary(
        factories=len(factories),
        reports=len(reports),
        plans=len(plans),
        bases=len(bases),
        milestones=len(milestones),
        users=len(officials) + len(reviewers) + 2,
        report_years=sorted({report.month.year for report in reports}),
    )


def _report(factory, month, base_monthly_value, growth, seasonality, planned_varieties, profile, rng):
    # About 2 % of months are simply never reported.
    if rng.random() < 0.02:
        return None
    factor = seasonality[month.month - 1] * growth * profile["fulfilment"] * rng.gauss(1.0, 0.07)
    if rng.random() < 0.003:  # a few outliers, for the plausibility warnings
        factor *= rng.choice([0.2, 4.0])
    factor = max(factor, 0.05)
    value = base_monthly_value * factor
    physical = float(factory.design_capacity) / 12 * 0.8 * factor
    raw_used = physical * RAW_MATERIAL_TONNES_PER_UNIT[factory.capacity_unit] * rng.uniform(0.9, 1.3)
    return MonthlyReport(
        factory=factory,
        month=month,
        output_value_thousand_won=_round_money(value),
        physical_output=_round_money(physical),
        varieties_produced=max(1, round(planned_varieties * rng.uniform(0.6, 1.05))),
        raw_material_used_tonnes=_round_money(raw_used),
        raw_material_from_own_bases_tonnes=_round_money(
            raw_used * min(1.0, profile["own_share"] * rng.uniform(0.9, 1.1))
        ),
        days_worked=rng.randint(20, min(27, calendar.monthrange(month.year, month.month)[1])),
        workers_on_roll=rng.randint(80, 400),
        is_demo=True,
    )


def _set_workflow(report: MonthlyReport, month, today, profile, rng, *, earlier_values: list[Decimal]) -> None:
    """Older months are approved; the most recent closed months are still moving through review."""
    deadline = entry_deadline(month)
    is_late = rng.random() > profile["punctuality"]
    submitted_day = (
        deadline + datetime.timedelta(days=rng.randint(1, 15))
        if is_late
        else deadline - datetime.timedelta(days=rng.randint(0, 9))
    )
    # Nothing happens later than yesterday: a time later today would lie in the future when seeding.
    last_day = today - datetime.timedelta(days=1)
    submitted_day = min(submitted_day, last_day)
    months_ago = (today.year - month.year) * 12 + today.month - month.month
    roll = rng.random()
    if months_ago <= 1 and roll < 0.06:
        report.status = MonthlyReport.Status.DRAFT
        return
    report.first_submitted_at = report.submitted_at = _at(submitted_day, rng.randint(8, 17))
    if months_ago <= 1 and roll < 0.12:
        report.status = MonthlyReport.Status.RETURNED
        report.return_reason = _return_with_defect(report, rng, earlier_values[-MEDIAN_WINDOW_MONTHS:])
    elif (months_ago <= 1 and roll < 0.5) or (months_ago == 2 and roll < 0.1):
        report.status = MonthlyReport.Status.SUBMITTED
    else:
        report.status = MonthlyReport.Status.APPROVED
        approved_day = min(submitted_day + datetime.timedelta(days=rng.randint(1, 6)), last_day)
        # Never before the submission it approves, even when both fall on the same (last) day.
        approved_at = _at(approved_day, rng.randint(9, 18))
        report.approved_at = max(approved_at, report.submitted_at + datetime.timedelta(hours=1))


def _return_with_defect(report: MonthlyReport, rng, earlier_values: list[Decimal]) -> str:
    """Give a report to be returned one of the defects a reviewer returns reports for, and the reason that
    describes exactly that defect in the report's own figures."""
    median = Decimal(statistics.median(earlier_values)) if earlier_values else None
    monthly_capacity = report.factory.design_capacity / 12
    defects = [defect for defect in RETURN_DEFECTS if defect != "output_out_of_line" or median]
    defect = rng.choice(defects)
    if defect == "own_bases_missing":
        report.raw_material_from_own_bases_tonnes = Decimal("0.00")
    elif defect == "output_out_of_line":
        report.output_value_thousand_won = _round_money(float(median) * rng.uniform(3.3, 4.5))
    else:
        report.physical_output = _round_money(float(monthly_capacity) * rng.uniform(1.15, 1.4))
    with translation.override("en"):
        problems = figure_problems(report, median_output=median, monthly_capacity=monthly_capacity)
    return problems[0]


def _refresh_planner_statistics() -> None:
    """Right after a bulk load PostgreSQL still plans with the statistics of empty tables (autovacuum has not
    run yet), which made the first standings recompute of the demo data ~1,000x slower; ANALYZE fixes it."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Factory, AnnualPlan, MonthlyReport, ReportEvent, User)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def _events() -> list[ReportEvent]:
    """Submission, return and approval events for the reports just written, as the workflow would record them."""
    events = []
    rows = MonthlyReport.objects.filter(factory__is_demo=True).exclude(status=MonthlyReport.Status.DRAFT)
    reviewers = {
        user.province_id: user.pk for user in User.objects.filter(is_demo=True, role=User.Role.PROVINCIAL_OFFICIAL)
    }
    for report_id, province_id, status, submitter_id, submitted_at, approved_at, reason in rows.values_list(
        "pk", "factory__county__province_id", "status", "submitted_by_id", "first_submitted_at", "approved_at",
        "return_reason",
    ):  # fmt: skip
        reviewer_id = reviewers[province_id]
        events.append(
            ReportEvent(report_id=report_id, kind=ReportEvent.Kind.SUBMITTED, actor_id=submitter_id, at=submitted_at)
        )
        if status == MonthlyReport.Status.APPROVED:
            events.append(
                ReportEvent(report_id=report_id, kind=ReportEvent.Kind.APPROVED, actor_id=reviewer_id, at=approved_at)
            )
        elif status == MonthlyReport.Status.RETURNED:
            events.append(
                ReportEvent(
                    report_id=report_id,
                    kind=ReportEvent.Kind.RETURNED,
                    actor_id=reviewer_id,
                    at=submitted_at + datetime.timedelta(days=1),
                    reason=reason,
                )
            )
    return events


def _milestones(slots, rng: random.Random, today: datetime.date) -> list[ConstructionMilestone]:
    """Seven milestones per scheduled locality, planned from its groundbreaking. Their status is derived from the
    dates when read; the inauguration milestone carries no date of its own, so it follows the site's real one."""
    milestones = []
    offsets_in_days = [
        (ConstructionMilestone.Kind.DESIGN_APPROVED, -30),
        (ConstructionMilestone.Kind.TRIPARTITE_AGREEMENT, -10),
        (ConstructionMilestone.Kind.SITE_CONDITIONS, 40),
        (ConstructionMilestone.Kind.MATERIALS_SUPPLIED, 120),
        (ConstructionMilestone.Kind.WORKERS_TRAINED, 240),
        (ConstructionMilestone.Kind.RAW_MATERIAL_BASE_READY, 270),
        (ConstructionMilestone.Kind.INAUGURATION, 300),
    ]
    for slot in sorted(slots, key=lambda s: s.pk):
        start = slot.groundbreaking_date or datetime.date(slot.programme_round.year, 3, 1)
        for kind, offset in offsets_in_days:
            planned = start + datetime.timedelta(days=offset)
            actual = None
            if kind != ConstructionMilestone.Kind.INAUGURATION and planned <= today and rng.random() < 0.85:
                actual = min(planned + datetime.timedelta(days=rng.choice([-5, 0, 0, 3, 12, 25])), today)
            headcount_planned = headcount_trained = None
            if kind == ConstructionMilestone.Kind.WORKERS_TRAINED:
                headcount_planned = rng.choice([120, 150, 180, 240])
                headcount_trained = rng.randint(headcount_planned * 3 // 4, headcount_planned) if actual else None
            milestones.append(
                ConstructionMilestone(
                    programme_slot=slot,
                    kind=kind,
                    planned_date=planned,
                    actual_date=actual,
                    trained_headcount_planned=headcount_planned,
                    trained_headcount_actual=headcount_trained,
                    is_demo=True,
                )
            )
    return milestones


def demo_password(username: str) -> str:
    return username.split(".")[0] + DEMO_PASSWORD_SUFFIX


def _users(counties: list[County]) -> tuple[dict[int, User], dict[int, User]]:
    """The listed demo logins, plus an official for every other county and province (no usable password: they
    exist so that every demo report was submitted and approved by someone of the right unit)."""
    from regional.models import Province

    county_ids = {county.slug: county.pk for county in counties}
    province_ids = dict(Province.objects.values_list("code", "pk"))
    users = []
    for username, role, county_slug, province_code in DEMO_USERS:
        users.append(
            User(
                username=username,
                role=role,
                county_id=county_ids.get(county_slug) if county_slug else None,
                province_id=province_ids.get(province_code) if province_code else None,
                first_name=username.split(".")[-1].replace("-", " ").title(),
                is_staff=role == User.Role.ADMINISTRATOR,
                is_superuser=role == User.Role.ADMINISTRATOR,
                is_demo=True,
                password=make_password(demo_password(username)),
            )
        )
    listed_counties = {user.county_id for user in users if user.county_id}
    listed_provinces = {user.province_id for user in users if user.province_id}
    unusable = make_password(None)
    users += [
        User(
            username=f"county.{county.slug.removeprefix('kp-')}",
            role=User.Role.COUNTY_OFFICIAL,
            county=county,
            first_name=county.name_en,
            is_demo=True,
            password=unusable,
        )
        for county in counties
        if county.pk not in listed_counties
    ]
    users += [
        User(
            username=f"province.{code.lower()}",
            role=User.Role.PROVINCIAL_OFFICIAL,
            province_id=province_id,
            first_name=code,
            is_demo=True,
            password=unusable,
        )
        for code, province_id in province_ids.items()
        if province_id not in listed_provinces
    ]
    User.objects.bulk_create(users, batch_size=500)
    saved = User.objects.filter(is_demo=True)
    officials = {user.county_id: user for user in saved if user.role == User.Role.COUNTY_OFFICIAL}
    reviewers = {user.province_id: user for user in saved if user.role == User.Role.PROVINCIAL_OFFICIAL}
    return officials, reviewers
