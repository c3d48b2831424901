"""Reads of the reference data and the programme schedule: aggregates in SQL, never a query per row."""

import csv
import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from factories.models import ConstructionMilestone, Factory, RawMaterialBase, RawMaterialYield
from regional import scoping
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province, User

KIMHWA_FACTS_PATH = Path(__file__).resolve().parent / "data" / "kimhwa_facts.csv"
LOCALITIES_PER_PROVINCE_PER_YEAR = 2


class ProgrammeStatus:
    """Where a county stands in the programme, derived from its slot's reported dates."""

    SCHEDULED = "scheduled"
    BROKEN_GROUND = "broken_ground"
    INAUGURATED = "inaugurated"
    NOT_SCHEDULED = "not_scheduled"

    choices = [
        (SCHEDULED, _("scheduled")),
        (BROKEN_GROUND, _("broken ground")),
        (INAUGURATED, _("inaugurated")),
        (NOT_SCHEDULED, _("not scheduled")),
    ]
    labels = dict(choices)


# --- counties -----------------------------------------------------------------------------------------


def _with_programme_columns(counties: QuerySet[County], *, today: datetime.date) -> QuerySet[County]:
    """Annotate each county with its round, programme status and factory count, in the same query.

    A county has at most one slot (a database constraint), so joining its slot never duplicates rows;
    the factory count is a correlated subquery so it cannot multiply either.
    """
    factory_count = (
        Factory.objects.filter(county=OuterRef("pk"))
        .order_by()
        .values("county")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return counties.annotate(
        programme_year=F("programme_slots__programme_round__year"),
        programme_slot_kind=F("programme_slots__kind"),
        programme_status=Case(
            When(programme_slots__inauguration_date__lte=today, then=Value(ProgrammeStatus.INAUGURATED)),
            When(programme_slots__groundbreaking_date__lte=today, then=Value(ProgrammeStatus.BROKEN_GROUND)),
            When(programme_slots__isnull=False, then=Value(ProgrammeStatus.SCHEDULED)),
            default=Value(ProgrammeStatus.NOT_SCHEDULED),
            output_field=CharField(),
        ),
        factory_count=Coalesce(Subquery(factory_count, output_field=IntegerField()), 0),
    ).select_related("province")


def county_list(*, user: User, today: datetime.date | None = None) -> QuerySet[County]:
    """Every county the user may see with its round, programme status and factory count, by province."""
    today = today or timezone.localdate()
    return _with_programme_columns(scoping.visible_counties(user), today=today).order_by(
        "province__code", "name_en", "pk"
    )


def province_counties(*, user: User, province: Province, today: datetime.date | None = None) -> QuerySet[County]:
    """The province's counties with their round, status and factory count: cities and counties first."""
    today = today or timezone.localdate()
    in_scope_first = Case(When(kind__in=County.PROGRAMME_KINDS, then=Value(0)), default=Value(1))
    return _with_programme_columns(scoping.visible_counties(user).filter(province=province), today=today).order_by(
        in_scope_first, "name_en", "pk"
    )


def programme_years(*, user: User) -> list[int]:
    """Years of the programme's rounds (the model year included), for filters."""
    return list(scoping.visible_programme_rounds(user).order_by("year").values_list("year", flat=True))


@dataclass
class CountyDetail:
    county: County
    slot: ProgrammeSlot | None
    factories: list[Factory]
    milestones: list[ConstructionMilestone]
    raw_material_bases: list[RawMaterialBase]


def county_detail(*, user: User, slug: str, today: datetime.date | None = None) -> CountyDetail:
    """A county with its programme slot, factories, construction milestones and raw-material bases.

    Raises Http404 when the county is outside the user's scope.
    """
    today = today or timezone.localdate()
    county = scoping.get_in_scope_or_404(scoping.visible_counties(user).select_related("province"), slug=slug)
    slot = scoping.visible_programme_slots(user).filter(county=county).select_related("programme_round").first()
    factories = list(scoping.visible_factories(user).filter(county=county).order_by("kind", "name", "pk"))
    milestones = list(
        scoping.visible_milestones(user)
        .filter(programme_slot__county=county)
        .select_related("factory")
        .order_by(F("planned_date").asc(nulls_last=True), "kind", "pk")
    )
    for milestone in milestones:
        milestone.days_late = _days_late(milestone, today=today)
    bases = list(
        scoping.visible_raw_material_bases(user)
        .filter(county=county)
        .prefetch_related(
            Prefetch("yields", queryset=RawMaterialYield.objects.order_by("-year"), to_attr="yields_newest_first")
        )
        .order_by("kind", "name", "pk")
    )
    return CountyDetail(county=county, slot=slot, factories=factories, milestones=milestones, raw_material_bases=bases)


def _days_late(milestone: ConstructionMilestone, *, today: datetime.date) -> int | None:
    """Days past the planned date: met late, or still open after it. None when on time or undated."""
    if milestone.planned_date is None:
        return None
    reference = milestone.actual_date
    if reference is None and milestone.status in (
        ConstructionMilestone.Status.SCHEDULED,
        ConstructionMilestone.Status.LATE,
    ):
        reference = today
    if reference is None or reference <= milestone.planned_date:
        return None
    return (reference - milestone.planned_date).days


def province_detail(*, user: User, code: str) -> Province:
    """A province by its ISO 3166-2 code; Http404 outside the user's scope."""
    return scoping.get_in_scope_or_404(scoping.visible_provinces(user), code=code)


@dataclass
class ProvinceSummary:
    units: int
    in_scope: int
    scheduled: int
    inaugurated: int


def province_summary(counties: list[County]) -> ProvinceSummary:
    """Totals over an already loaded `province_counties` list (no further query)."""
    return ProvinceSummary(
        units=len(counties),
        in_scope=sum(1 for c in counties if c.is_in_programme_scope),
        scheduled=sum(1 for c in counties if c.programme_status != ProgrammeStatus.NOT_SCHEDULED),
        inaugurated=sum(1 for c in counties if c.programme_status == ProgrammeStatus.INAUGURATED),
    )


# --- the programme at a glance ------------------------------------------------------------------------


@dataclass
class RoundProgress:
    year: int
    target_localities: int
    localities: int
    separate_projects: int
    broken_ground: int
    inaugurated: int
    cumulative_localities: int = 0
    cumulative_inaugurated: int = 0
    planned_cumulative: int = 0

    @property
    def is_announced(self) -> bool:
        return self.localities > 0


@dataclass
class ProgrammeOverview:
    rounds: list[RoundProgress]
    model_slots: list[ProgrammeSlot]
    counties_in_scope: int
    localities: int = 0
    broken_ground: int = 0
    inaugurated: int = 0
    current_year: int = 0

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.inaugurated / self.counties_in_scope) if self.counties_in_scope else 0

    @property
    def scheduled_percent(self) -> int:
        return round(100 * self.localities / self.counties_in_scope) if self.counties_in_scope else 0

    @property
    def current_round(self) -> RoundProgress | None:
        return next((r for r in self.rounds if r.year == self.current_year), None)

    def chart_data(self) -> dict:
        return {
            "years": [r.year for r in self.rounds],
            "inaugurated": [r.cumulative_inaugurated if r.is_announced else None for r in self.rounds],
            "scheduled": [r.cumulative_localities if r.is_announced else None for r in self.rounds],
            "plan": [r.planned_cumulative for r in self.rounds],
            "scope": [self.counties_in_scope for _ in self.rounds],
            "labels": {
                "inaugurated": str(_("Inaugurated (cumulative)")),
                "scheduled": str(_("Scheduled (cumulative)")),
                "plan": str(_("Plan: 20 a year")),
                "scope": str(_("All cities and counties in scope")),
                "axis": str(_("localities")),
            },
        }


def programme_overview(*, user: User, today: datetime.date | None = None) -> ProgrammeOverview:
    """Per annual round: localities scheduled, broken ground and inaugurated (by reported date), and the
    cumulative progress towards every city and county in scope. Two queries."""
    today = today or timezone.localdate()
    locality = Q(slots__kind=ProgrammeSlot.Kind.LOCALITY)
    counties_in_scope = (
        scoping.visible_counties(user)
        .filter(kind__in=County.PROGRAMME_KINDS)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rows = (
        scoping.visible_programme_rounds(user)
        .filter(kind=ProgrammeRound.Kind.ANNUAL)
        .annotate(
            localities=Count("slots", filter=locality),
            separate_projects=Count("slots", filter=Q(slots__kind=ProgrammeSlot.Kind.SEPARATE_PROJECT)),
            broken_ground=Count("slots", filter=locality & Q(slots__groundbreaking_date__lte=today)),
            inaugurated=Count("slots", filter=locality & Q(slots__inauguration_date__lte=today)),
            counties_in_scope=Subquery(counties_in_scope, output_field=IntegerField()),
        )
        .order_by("year")
    )
    rounds: list[RoundProgress] = []
    scope_total = 0
    cumulative_localities = cumulative_inaugurated = planned = 0
    for row in rows:
        scope_total = row.counties_in_scope or 0
        cumulative_localities += row.localities
        cumulative_inaugurated += row.inaugurated
        planned += row.target_localities
        rounds.append(
            RoundProgress(
                year=row.year,
                target_localities=row.target_localities,
                localities=row.localities,
                separate_projects=row.separate_projects,
                broken_ground=row.broken_ground,
                inaugurated=row.inaugurated,
                cumulative_localities=cumulative_localities,
                cumulative_inaugurated=cumulative_inaugurated,
                planned_cumulative=planned,
            )
        )
    model_slots = list(
        scoping.visible_programme_slots(user)
        .filter(kind=ProgrammeSlot.Kind.MODEL)
        .select_related("county__province", "programme_round")
        .order_by("programme_round__year")
    )
    return ProgrammeOverview(
        rounds=rounds,
        model_slots=model_slots,
        counties_in_scope=scope_total,
        localities=cumulative_localities,
        broken_ground=sum(r.broken_ground for r in rounds),
        inaugurated=cumulative_inaugurated,
        current_year=today.year,
    )


@dataclass(frozen=True)
class KimhwaFact:
    fact: str
    value: str
    unit: str
    detail: str
    sources: tuple[str, ...]


@functools.cache
def kimhwa_facts() -> tuple[KimhwaFact, ...]:
    """The verified facts about the Kimhwa model, with their sources (a bundled file; read once)."""
    with KIMHWA_FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            KimhwaFact(
                fact=row["fact"],
                value=row["value"],
                unit=row["unit"],
                detail=row["detail"],
                sources=tuple(part.strip() for part in row["source"].split(" | ") if part.strip()),
            )
            for row in csv.DictReader(handle)
        )


# --- the schedule -------------------------------------------------------------------------------------


@dataclass
class ScheduleCell:
    year: int
    slots: list[ProgrammeSlot]
    warning: "ScheduleWarning | None" = None

    @property
    def locality_count(self) -> int:
        return sum(1 for slot in self.slots if slot.kind == ProgrammeSlot.Kind.LOCALITY)


@dataclass
class ScheduleGrid:
    years: list[int]
    model_years: set[int]
    provinces: list[Province]
    # cells[(province_id, year)] → slots of that province and year, in name order
    cells: dict[tuple[int, int], list[ProgrammeSlot]] = field(default_factory=dict)
    localities_by_year: dict[int, int] = field(default_factory=dict)
    target_by_year: dict[int, int] = field(default_factory=dict)
    warnings: list["ScheduleWarning"] = field(default_factory=list)

    def rows(self):
        """Province rows, each a list of cells (one per year), flagged where a rule check failed."""
        flagged = {(w.province_code, w.year): w for w in self.warnings if w.rule == ScheduleWarning.PROVINCE_NOT_TWO}
        for province in self.provinces:
            yield (
                province,
                [
                    ScheduleCell(
                        year=year,
                        slots=self.cells.get((province.pk, year), []),
                        warning=flagged.get((province.code, year)),
                    )
                    for year in self.years
                ],
            )

    def totals(self):
        """(year, localities, target, is_model) per column."""
        return [
            (year, self.localities_by_year.get(year, 0), self.target_by_year.get(year, 0), year in self.model_years)
            for year in self.years
        ]


def schedule_grid(*, user: User, warnings: list["ScheduleWarning"] | None = None) -> ScheduleGrid:
    """Year × province grid of every scheduled slot (localities, separate projects, the model). Three queries."""
    provinces = list(scoping.visible_provinces(user).order_by("code"))
    slots = list(
        scoping.visible_programme_slots(user)
        .select_related("county", "programme_round")
        .order_by("programme_round__year", "county__name_en", "pk")
    )
    rounds = list(scoping.visible_programme_rounds(user).order_by("year"))
    years_with_slots = {slot.programme_round.year for slot in slots}
    grid = ScheduleGrid(
        years=[r.year for r in rounds if r.year in years_with_slots],
        model_years={r.year for r in rounds if r.kind == ProgrammeRound.Kind.MODEL},
        provinces=provinces,
        target_by_year={r.year: r.target_localities for r in rounds},
        warnings=warnings or [],
    )
    for slot in slots:
        year = slot.programme_round.year
        grid.cells.setdefault((slot.county.province_id, year), []).append(slot)
        if slot.kind == ProgrammeSlot.Kind.LOCALITY:
            grid.localities_by_year[year] = grid.localities_by_year.get(year, 0) + 1
    return grid


@dataclass(frozen=True)
class ScheduleWarning:
    """A place where the recorded schedule departs from the programme's rules. Reported, never refused."""

    PROVINCE_NOT_TWO = "province_not_two"
    YEAR_NOT_TARGET = "year_not_target"
    COUNTY_SCHEDULED_TWICE = "county_scheduled_twice"
    NOT_CITY_OR_COUNTY = "not_city_or_county"

    rule: str
    message: str
    year: int | None = None
    province_code: str = ""
    county_slug: str = ""
    count: int | None = None


def schedule_warnings(*, user: User, today: datetime.date | None = None) -> list[ScheduleWarning]:
    """Check the schedule against the programme's rules: 2 localities per province a year, the year's target
    (20), a county built once, only cities and counties. Only slots of kind "locality" count towards the
    per-province and per-year numbers. Four aggregate queries, whatever the size of the schedule.

    A round still being announced (the current or a future year below its target) is only warned about
    for provinces already over 2; a province with fewer is not an exception until the round is complete.
    """
    today = today or timezone.localdate()
    warnings: list[ScheduleWarning] = []

    slots = scoping.visible_programme_slots(user)
    rounds = list(
        scoping.visible_programme_rounds(user)
        .filter(kind=ProgrammeRound.Kind.ANNUAL)
        .annotate(localities=Count("slots", filter=Q(slots__kind=ProgrammeSlot.Kind.LOCALITY)))
        .order_by("year")
    )
    per_province = (
        slots.filter(kind=ProgrammeSlot.Kind.LOCALITY, programme_round__kind=ProgrammeRound.Kind.ANNUAL)
        .values("programme_round__year", "county__province_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    count_by_year_and_province = {
        (row["programme_round__year"], row["county__province_id"]): row["total"] for row in per_province
    }
    provinces = list(scoping.visible_provinces(user).filter(kind=Province.Kind.PROVINCE).order_by("code"))

    for programme_round in rounds:
        year = programme_round.year
        is_past = year < today.year
        if programme_round.localities == 0 and not is_past:
            continue  # not yet announced
        is_complete = is_past or programme_round.localities >= programme_round.target_localities
        if programme_round.localities != programme_round.target_localities:
            if is_complete:
                message = ngettext(
                    "%(year)s has %(count)s locality, not %(target)s.",
                    "%(year)s has %(count)s localities, not %(target)s.",
                    programme_round.localities,
                )
            else:
                message = ngettext(
                    "%(year)s has %(count)s of %(target)s localities so far.",
                    "%(year)s has %(count)s of %(target)s localities so far.",
                    programme_round.localities,
                )
            warnings.append(
                ScheduleWarning(
                    rule=ScheduleWarning.YEAR_NOT_TARGET,
                    year=year,
                    count=programme_round.localities,
                    message=message
                    % {"year": year, "count": programme_round.localities, "target": programme_round.target_localities},
                )
            )
        for province in provinces:
            count = count_by_year_and_province.get((year, province.pk), 0)
            if count == LOCALITIES_PER_PROVINCE_PER_YEAR:
                continue
            if count < LOCALITIES_PER_PROVINCE_PER_YEAR and not is_complete:
                continue
            warnings.append(
                ScheduleWarning(
                    rule=ScheduleWarning.PROVINCE_NOT_TWO,
                    year=year,
                    province_code=province.code,
                    count=count,
                    message=ngettext(
                        "%(province)s has %(count)s locality in %(year)s, not 2.",
                        "%(province)s has %(count)s localities in %(year)s, not 2.",
                        count,
                    )
                    % {"province": province.name_en, "count": count, "year": year},
                )
            )

    twice = (
        slots.values("county_id", "county__slug", "county__name_en")
        .annotate(total=Count("pk"))
        .filter(total__gt=1)
        .order_by("county__name_en")
    )
    warnings.extend(
        ScheduleWarning(
            rule=ScheduleWarning.COUNTY_SCHEDULED_TWICE,
            county_slug=row["county__slug"],
            count=row["total"],
            message=str(_("%(county)s is scheduled %(count)s times; a county is built once."))
            % {"county": row["county__name_en"], "count": row["total"]},
        )
        for row in twice
    )

    not_in_scope = (
        slots.exclude(county__kind__in=County.PROGRAMME_KINDS)
        .select_related("county", "county__province", "programme_round")
        .order_by("programme_round__year", "county__name_en")
    )
    warnings.extend(
        ScheduleWarning(
            rule=ScheduleWarning.NOT_CITY_OR_COUNTY,
            year=slot.programme_round.year,
            province_code=slot.county.province.code,
            county_slug=slot.county.slug,
            message=str(_("%(county)s (%(province)s, %(year)s) is a %(kind)s, not a city or county."))
            % {
                "county": slot.county.name_en,
                "province": slot.county.province.name_en,
                "year": slot.programme_round.year,
                "kind": slot.county.get_kind_display(),
            },
        )
        for slot in not_in_scope
    )
    return warnings
