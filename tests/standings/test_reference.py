"""A published run agrees, county by county and figure by figure, with the independent plain-SQL calculation
in bench/standings_reference.sql, on randomly generated demo-like data full of awkward cases."""

import datetime
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from factories.models import AnnualPlan, Factory, FactoryKind, MonthlyPlan, MonthlyReport
from factories.selectors import add_months
from regional.models import County, Province
from standings.services import standings_recompute
from tests.standings.data import LOCAL, late, on_time

REFERENCE_SQL = (Path(settings.BASE_DIR) / "bench" / "standings_reference.sql").read_text()
COMPARED_COLUMNS = (
    "county_id",
    "operating_months",
    "counted_months",
    "is_ranked",
    "plan_fulfilment",
    "growth",
    "product_range",
    "local_raw_materials",
    "reporting_discipline",
    "score_plan_fulfilment",
    "score_growth",
    "score_product_range",
    "score_local_raw_materials",
    "score_reporting_discipline",
    "composite",
    "rank",
    "province_rank",
)
# Mid-year: January to July 2025 have closed (July's deadline is 10 August), August has not (10 September).
CUTOFF = datetime.datetime(2025, 9, 5, 9, 0, tzinfo=LOCAL)


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def seed_demo_like_data(rng: random.Random) -> None:
    """4 provinces × 9 units (one a ward), 0–4 factories each in every status, plans with gaps and monthly
    splits, and 2024–2025 reports in every workflow state, some approved after the cut-off."""
    factories, plans, monthly_plans, reports = [], [], [], []
    for province_number in range(4):
        province = Province.objects.create(
            code=f"KP-{70 + province_number}", name_en=f"Province {province_number}", kind=Province.Kind.PROVINCE
        )
        for county_number in range(9):
            county = County.objects.create(
                slug=f"kp-p{province_number}-c{county_number}",
                province=province,
                name_en=f"County {province_number}-{county_number}",
                kind=County.Kind.WARD if county_number == 8 else rng.choice([County.Kind.CITY, County.Kind.COUNTY]),
            )
            for factory_number in range(rng.choice([0, 1, 2, 3, 3, 4])):
                status = rng.choice(["in_operation"] * 6 + ["commissioned", "planned", "under_construction"])
                commissioned_on = None
                if status in ("in_operation", "commissioned"):
                    commissioned_on = rng.choice(
                        [
                            datetime.date(2022, 6, 21),
                            datetime.date(2024, 3, 9),
                            datetime.date(2025, 2, 1),
                            datetime.date(2025, rng.randint(1, 9), rng.randint(1, 28)),
                        ]
                    )
                factories.append(
                    Factory(
                        code=f"f-{province_number}-{county_number}-{factory_number}",
                        county=county,
                        name=f"Factory {province_number}-{county_number}-{factory_number}",
                        kind=rng.choice(FactoryKind.values),
                        status=status,
                        commissioned_on=commissioned_on,
                    )
                )
    Factory.objects.bulk_create(factories)
    for factory in factories:
        for year in (2024, 2025):
            if rng.random() < 0.85:
                plans.append(
                    AnnualPlan(
                        factory=factory,
                        year=year,
                        # Some plans of zero: their factory-months leave both sums of plan fulfilment.
                        planned_output_value_thousand_won=(
                            Decimal(0) if rng.random() < 0.08 else money(rng, 50_000, 200_000)
                        ),
                        planned_physical_output=Decimal(1000),
                        planned_varieties=rng.choice([0, 10, 15, 20, 25]),
                    )
                )
        if factory.commissioned_on is None and rng.random() < 0.7:
            continue  # most factories not in operation have no reports; a few do, by data-entry mistake
        level = rng.randint(4_000, 16_000)
        for year in (2024, 2025):
            for number in range(1, 13):
                if rng.random() < 0.03:
                    continue
                month = datetime.date(year, number, 1)
                status = rng.choice(["approved"] * 30 + ["submitted", "returned", "draft"])
                submitted = (late if rng.random() < 0.2 else on_time)(month)
                if rng.random() < 0.15:
                    # Submitted two days after the month ended and approved the next day: for August 2025 that is
                    # before the cut-off although August's entry period is still open (never counted).
                    submitted = datetime.datetime.combine(
                        add_months(month, 1) + datetime.timedelta(days=1), datetime.time(10), tzinfo=LOCAL
                    )
                approved_at = None
                if status == "approved":
                    approved_at = submitted + datetime.timedelta(days=rng.choice([1, 1, 3, 3, 3, 30, 400]))
                used = money(rng, 0, 120) if rng.random() > 0.05 else Decimal(0)
                reports.append(
                    MonthlyReport(
                        factory=factory,
                        month=month,
                        status=status,
                        output_value_thousand_won=money(rng, level // 2, level * 2),
                        physical_output=Decimal(10),
                        varieties_produced=rng.randint(0, 30),
                        raw_material_used_tonnes=used,
                        raw_material_from_own_bases_tonnes=(used * Decimal(rng.randint(0, 100)) / 100).quantize(
                            Decimal("0.01")
                        ),
                        days_worked=22,
                        workers_on_roll=90,
                        first_submitted_at=None if status == "draft" else submitted,
                        submitted_at=None if status == "draft" else submitted,
                        approved_at=approved_at,
                        return_reason="Check the figures." if status == "returned" else "",
                    )
                )
    AnnualPlan.objects.bulk_create(plans)
    for annual in plans:
        if rng.random() < 0.15:
            # A valid split: all twelve months, summing to the annual plan, one month planned at zero.
            twelfth = (annual.planned_output_value_thousand_won / 12).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            values = [twelfth] * 11
            values[rng.randrange(11)] = Decimal(0)
            values.append(annual.planned_output_value_thousand_won - sum(values))
            monthly_plans += [
                MonthlyPlan(
                    annual_plan=annual,
                    month_number=number,
                    planned_output_value_thousand_won=value,
                    planned_physical_output=Decimal(1),
                )
                for number, value in enumerate(values, start=1)
            ]
        elif rng.random() < 0.3:
            for number in rng.sample(range(1, 13), 4):
                monthly_plans.append(
                    MonthlyPlan(
                        annual_plan=annual,
                        month_number=number,
                        planned_output_value_thousand_won=money(rng, 1_000, 30_000),
                        planned_physical_output=Decimal(1),
                    )
                )
    MonthlyPlan.objects.bulk_create(monthly_plans)
    MonthlyReport.objects.bulk_create(reports)


def reference_rows(*, year: int, cutoff_at: datetime.datetime) -> list[tuple]:
    params = {
        "year": year,
        "cutoff_at": cutoff_at,
        "entry_days": settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END,
        "time_zone": settings.TIME_ZONE,
        "minimum_counted_share": Decimal("0.75"),
        "w_plan": Decimal(35),
        "w_growth": Decimal(20),
        "w_range": Decimal(15),
        "w_local": Decimal(15),
        "w_discipline": Decimal(15),
    }
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, params)
        names = [column.name for column in cursor.description]
        return [tuple(dict(zip(names, row, strict=True))[name] for name in COMPARED_COLUMNS) for row in cursor]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2024, 2025])
def test_a_run_agrees_with_the_independent_reference_sql_for_every_county(year):
    # Given demo-like data with every awkward case, and 2025 only half closed at the cut-off
    seed_demo_like_data(random.Random(20))

    # When the service computes the year
    run = standings_recompute(year=year, cutoff_at=CUTOFF).run

    # Then every county's every figure equals the reference statement's
    published = list(run.county_standings.order_by("county_id").values_list(*COMPARED_COLUMNS))
    expected = reference_rows(year=year, cutoff_at=CUTOFF)
    assert len(published) == 32
    assert [row[0] for row in published] == [row[0] for row in expected]
    for mine, theirs in zip(published, expected, strict=True):
        assert mine == theirs, f"county {mine[0]} differs"
    # and the data exercised what it was meant to: ranked and unranked counties, a missing indicator
    assert 5 <= run.ranked_count < 32
    assert any(None in row[9:14] for row in published if row[3])
    # and the v1.1 cases: an open month approved by the cut-off, plans of zero, twelve-month splits
    assert MonthlyReport.objects.filter(
        month=datetime.date(2025, 8, 1),
        status="approved",
        approved_at__lte=CUTOFF,
        factory__commissioned_on__isnull=False,
    ).exists()
    assert AnnualPlan.objects.filter(year=year, planned_output_value_thousand_won=0).exists()
    assert MonthlyPlan.objects.filter(annual_plan__year=year, month_number=12).count() > 3
