"""Reads of the standings: published runs, their tables, a county's history and explanations, run diffs.

Every queryset starts in `regional.scoping` (published standings are programme-wide facts: every signed-in
user reads them; officials see their own unit marked). Each page costs a fixed number of queries.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Case, Count, F, Max, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404

from regional import scoping
from regional.models import County, ProgrammeSlot, Province
from standings.computation.arithmetic import round_half_up
from standings.models import CountyStanding, Indicator, RecomputeRequest, StandingsRun

INDICATOR_LABELS = dict(Indicator.choices)
# Sort keys a table accepts, mapped to the ORDER BY they mean (best first for "desc").
SORT_FIELDS = {
    "rank": "rank",
    "change": "rank_change",
    "change_year": "rank_change_since_last_year",
    "county": "county__name_en",
    "province": "county__province__name_en",
    "composite": "composite",
    **{indicator: f"score_{indicator}" for indicator in Indicator.values},
}


def standings_years(*, user) -> list[int]:
    """Years that have at least one published run, newest first."""
    return list(scoping.visible_standings_runs(user).order_by("-year").values_list("year", flat=True).distinct())


def standings_run(*, user, year: int, run_id: int | None = None) -> StandingsRun | None:
    """The requested run of `year`, or its latest; None when the year has no run."""
    runs = scoping.visible_standings_runs(user).filter(year=year).select_related("methodology", "triggered_by")
    if run_id is not None:
        return runs.filter(pk=run_id).first()
    return runs.order_by("-pk").first()


def standings_runs(*, user, year: int) -> QuerySet[StandingsRun]:
    return (
        scoping.visible_standings_runs(user)
        .filter(year=year)
        .select_related("methodology", "triggered_by")
        .order_by("-pk")
    )


def _standings(user, run: StandingsRun) -> QuerySet[CountyStanding]:
    return (
        scoping.visible_county_standings(user)
        .filter(run=run)
        .select_related("county", "county__province", "run")
        .annotate(
            programme_year=Subquery(
                ProgrammeSlot.objects.filter(county=OuterRef("county")).values("programme_round__year")[:1]
            )
        )
    )


@dataclass
class StandingsTable:
    ranked: list[CountyStanding]
    not_ranked: list[CountyStanding]
    sort: str
    direction: str
    not_ranked_count: int = 0


def _checked_sort(sort: str, direction: str) -> tuple[str, str]:
    """An unknown sort or direction (a hand-edited link) falls back to rank, ascending."""
    return (sort if sort in SORT_FIELDS else "rank"), ("desc" if direction == "desc" else "asc")


def _filtered_standings(user, run: StandingsRun, province_code: str, programme_year: int | None, search: str = ""):
    return _filtered(_standings(user, run), province_code, programme_year, search)


def _filtered(standings, province_code: str, programme_year: int | None, search: str):
    if search:
        # English or Korean name, any part of it ("chon", "숙천").
        standings = standings.filter(Q(county__name_en__icontains=search) | Q(county__name_ko__icontains=search))
    if province_code:
        standings = standings.filter(county__province__code=province_code)
    if programme_year:
        standings = standings.filter(county__programme_slots__programme_round__year=programme_year)
    return standings


def standings_table(
    *,
    user,
    run: StandingsRun,
    province_code: str = "",
    programme_year: int | None = None,
    sort: str = "rank",
    direction: str = "asc",
    search: str = "",
) -> StandingsTable:
    """The run's counties as shown: ranked ones sorted as asked, unranked ones with their reasons."""
    sort, direction = _checked_sort(sort, direction)
    standings = _filtered_standings(user, run, province_code, programme_year, search)
    expression = F(SORT_FIELDS[sort])
    ordering = expression.desc(nulls_last=True) if direction == "desc" else expression.asc(nulls_last=True)
    rows = list(standings.order_by("-is_ranked", ordering, "county__name_en"))
    not_ranked = sorted((row for row in rows if not row.is_ranked), key=lambda row: row.county.name_en)
    return StandingsTable(
        ranked=[row for row in rows if row.is_ranked],
        not_ranked=not_ranked,
        sort=sort,
        direction=direction,
        not_ranked_count=len(not_ranked),
    )


def standings_table_page(
    *,
    user,
    run: StandingsRun,
    province_code: str = "",
    programme_year: int | None = None,
    sort: str = "rank",
    direction: str = "asc",
    page_number: int = 1,
    page_size: int = 200,
    search: str = "",
) -> tuple[StandingsTable, Page]:
    """One page of the table, in one query: the ranked counties in the asked order, then the unranked ones by
    name. The row counts come with the rows (two subqueries over the same filtered standings, computed once), so
    paging costs no COUNT query; at 3,000 counties a page no longer builds every county's row (bench: 2.2 s → a
    page of 200). Not window functions: a window over the page's wide joined rows kept all 3,000 of them
    (6.7 MB, past work_mem, written to disk) to count them (bench, pages: ~45 of the query's 72 ms)."""
    sort, direction = _checked_sort(sort, direction)
    standings = _filtered_standings(user, run, province_code, programme_year, search)
    # Unranked rows sort as NULL, after every ranked one, so among themselves they fall to the name.
    key = Case(When(is_ranked=True, then=F(SORT_FIELDS[sort])))
    ordering = key.desc(nulls_last=True) if direction == "desc" else key.asc(nulls_last=True)
    narrow = _filtered(scoping.visible_county_standings(user).filter(run=run), province_code, programme_year, search)
    counts = narrow.order_by().values("run").annotate(rows=Count("pk"), ranked=Count("pk", filter=Q(is_ranked=True)))
    counted = standings.annotate(
        rows_total=Coalesce(Subquery(counts.values("rows")), 0),
        ranked_total=Coalesce(Subquery(counts.values("ranked")), 0),
    ).order_by("-is_ranked", ordering, "county__name_en", "pk")
    page_number = max(1, page_number)
    rows = list(counted[(page_number - 1) * page_size : page_number * page_size])
    if not rows and page_number > 1:  # a page past the end (an old link): the first page instead
        page_number = 1
        rows = list(counted[:page_size])
    total = rows[0].rows_total if rows else 0
    ranked_total = rows[0].ranked_total if rows else 0
    page = Paginator(range(total), page_size).get_page(page_number)
    table = StandingsTable(
        ranked=[row for row in rows if row.is_ranked],
        not_ranked=[row for row in rows if not row.is_ranked],
        sort=sort,
        direction=direction,
        not_ranked_count=total - ranked_total,
    )
    return table, page


def programme_years(*, user) -> list[int]:
    return list(scoping.visible_programme_rounds(user).order_by("year").values_list("year", flat=True))


def provinces(*, user) -> QuerySet[Province]:
    return scoping.visible_provinces(user).order_by("name_en")


# --- province ----------------------------------------------------------------------------------------------


@dataclass
class MapPoint:
    standing: CountyStanding
    x: float
    y: float
    is_in_province: bool
    tier: str


@dataclass
class ProvinceView:
    province: Province
    standings: list[CountyStanding]
    average_composite: Decimal | None
    national_average_composite: Decimal | None
    ranked_count: int
    map_points: list[MapPoint] = field(default_factory=list)

    @property
    def difference_from_national(self) -> Decimal | None:
        if self.average_composite is None or self.national_average_composite is None:
            return None
        return self.average_composite - self.national_average_composite


MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 420, 460, 14


def _tier(standing: CountyStanding, ranked_count: int) -> str:
    if not standing.is_ranked or not ranked_count:
        return "tier-none"
    share = (standing.rank - 1) / ranked_count
    return (
        "tier-top" if share < 0.25 else "tier-upper" if share < 0.5 else "tier-lower" if share < 0.75 else "tier-bottom"
    )


def province_view(*, user, run: StandingsRun, province: Province) -> ProvinceView:
    """The province's counties in the run, its average against the nation's, and every county's centroid."""
    everyone = list(_standings(user, run).order_by("-is_ranked", "rank", "county__name_en"))
    averages = (
        scoping.visible_county_standings(user)
        .filter(run=run, is_ranked=True)
        .aggregate(
            national=Avg("composite"),
            province=Avg("composite", filter=Q(county__province=province)),
            ranked_in_province=Count("pk", filter=Q(county__province=province)),
        )
    )
    located = [row for row in everyone if row.county.latitude is not None and row.county.longitude is not None]
    points = []
    if located:
        lats = [float(row.county.latitude) for row in located]
        lons = [float(row.county.longitude) for row in located]
        lat_span, lon_span = (max(lats) - min(lats)) or 1.0, (max(lons) - min(lons)) or 1.0
        # One degree of longitude is ~0.77 of a degree of latitude at 40°N: keep the country's proportions.
        scale = min((MAP_WIDTH - 2 * MAP_MARGIN) / (lon_span * 0.77), (MAP_HEIGHT - 2 * MAP_MARGIN) / lat_span)
        for row in located:
            points.append(
                MapPoint(
                    standing=row,
                    x=round(MAP_MARGIN + (float(row.county.longitude) - min(lons)) * 0.77 * scale, 1),
                    y=round(MAP_MARGIN + (max(lats) - float(row.county.latitude)) * scale, 1),
                    is_in_province=row.county.province_id == province.pk,
                    tier=_tier(row, run.ranked_count),
                )
            )
        # Draw the province's counties last, so they sit on top of the others.
        points.sort(key=lambda point: point.is_in_province)
    return ProvinceView(
        province=province,
        standings=[row for row in everyone if row.county.province_id == province.pk],
        average_composite=averages["province"],
        national_average_composite=averages["national"],
        ranked_count=averages["ranked_in_province"],
        map_points=points,
    )


# --- county ------------------------------------------------------------------------------------------------


def county_standing(*, user, run: StandingsRun, county: County) -> CountyStanding | None:
    return _standings(user, run).filter(county=county).first()


def county_history(*, user, county: County) -> list[CountyStanding]:
    """The county's standing in the latest run of every year, oldest year first."""
    latest_runs = (
        scoping.visible_standings_runs(user).values("year").annotate(latest=Max("pk")).values_list("latest", flat=True)
    )
    return list(
        scoping.visible_county_standings(user)
        .filter(county=county, run_id__in=latest_runs)
        .select_related("run", "run__methodology", "county")
        .order_by("run__year")
    )


@dataclass
class IndicatorLine:
    indicator: str
    label: str
    weight: Decimal
    value: Decimal | None
    score: Decimal | None
    national_median: Decimal | None
    previous_score: Decimal | None = None
    contribution: Decimal | None = None
    previous_contribution: Decimal | None = None

    @property
    def contribution_change(self) -> Decimal | None:
        if self.contribution is None and self.previous_contribution is None:
            return None
        return (self.contribution or Decimal(0)) - (self.previous_contribution or Decimal(0))

    @property
    def is_above_median(self) -> bool:
        return self.value is not None and self.national_median is not None and self.value > self.national_median


def national_medians(*, user, run: StandingsRun) -> dict[str, Decimal | None]:
    """Median raw value of each indicator over the run's ranked counties (one query)."""
    rows = list(scoping.visible_county_standings(user).filter(run=run, is_ranked=True).values_list(*Indicator.values))
    medians = {}
    for position, indicator in enumerate(Indicator.values):
        values = [row[position] for row in rows if row[position] is not None]
        medians[indicator] = statistics.median(values) if values else None
    return medians


def county_explanation(
    *, standing: CountyStanding, previous: CountyStanding | None, medians: dict[str, Decimal | None]
) -> list[IndicatorLine]:
    """Each indicator's value, score and contribution now and in the previous run; biggest mover first."""
    contributions = standing.contributions()
    previous_contributions = previous.contributions() if previous else {}
    lines = [
        IndicatorLine(
            indicator=indicator,
            label=INDICATOR_LABELS[indicator],
            weight=Decimal(str(standing.run.weights[indicator])),
            value=standing.raw_value(indicator),
            score=standing.score(indicator),
            national_median=medians.get(indicator),
            previous_score=previous.score(indicator) if previous else None,
            contribution=contributions.get(indicator),
            previous_contribution=previous_contributions.get(indicator),
        )
        for indicator in Indicator.values
    ]
    return lines


def previous_standing(*, user, standing: CountyStanding) -> CountyStanding | None:
    if standing.run.previous_run_id is None:
        return None
    return (
        scoping.visible_county_standings(user)
        .filter(run_id=standing.run.previous_run_id, county_id=standing.county_id)
        .select_related("run", "run__methodology")
        .first()
    )


def last_year_standing(*, user, standing: CountyStanding) -> CountyStanding | None:
    """The county's standing in the latest run of the previous year published before this run."""
    if standing.run.last_year_run_id is None:
        return None
    return (
        scoping.visible_county_standings(user)
        .filter(run_id=standing.run.last_year_run_id, county_id=standing.county_id)
        .select_related("run", "run__methodology")
        .first()
    )


def exact_contributions(standing: CountyStanding | None) -> dict[str, Fraction]:
    """Each present indicator's exact share of the (unrounded) composite: w_i × s_i ÷ Σ w of those present."""
    if standing is None or not standing.is_ranked:
        return {}
    weights = {indicator: Fraction(Decimal(str(standing.run.weights[indicator]))) for indicator in Indicator.values}
    present = {
        indicator: Fraction(standing.score(indicator))
        for indicator in Indicator.values
        if standing.score(indicator) is not None
    }
    weight_sum = sum((weights[indicator] for indicator in present), Fraction(0))
    if not weight_sum:
        return {}
    return {indicator: weights[indicator] * score / weight_sum for indicator, score in present.items()}


@dataclass
class ContributionChange:
    indicator: str
    label: str
    score: Decimal | None
    earlier_score: Decimal | None
    contribution: Decimal | None
    earlier_contribution: Decimal | None
    change: Decimal


@dataclass
class RankChangeExplanation:
    """Why a county's rank differs from an earlier run's, indicator by indicator (DESIGN.md "two changes").

    Each change is w_i·s_i ÷ Σw(present) now minus the same then (0 where missing), shown to 2 decimals; with the
    rounding remainder they add up to the change of the (rounded) composite exactly."""

    earlier: CountyStanding | None
    standing: CountyStanding
    lines: list[ContributionChange] = field(default_factory=list)
    rounding_remainder: Decimal | None = None

    @property
    def is_comparable(self) -> bool:
        return self.earlier is not None and self.earlier.is_ranked and self.standing.is_ranked

    @property
    def rank_change(self) -> int | None:
        return self.earlier.rank - self.standing.rank if self.is_comparable else None

    @property
    def composite_change(self) -> Decimal | None:
        return self.standing.composite - self.earlier.composite if self.is_comparable else None

    @property
    def was_overtaken(self) -> bool:
        """The composite did not move but the rank fell: other counties went past it."""
        return self.is_comparable and self.composite_change == 0 and self.rank_change < 0

    @property
    def passed_others(self) -> bool:
        """The composite did not move but the rank rose: counties above it fell behind."""
        return self.is_comparable and self.composite_change == 0 and self.rank_change > 0


def rank_change_explanation(*, standing: CountyStanding, earlier: CountyStanding | None) -> RankChangeExplanation:
    explanation = RankChangeExplanation(earlier=earlier, standing=standing)
    if not explanation.is_comparable:
        return explanation
    now, then = exact_contributions(standing), exact_contributions(earlier)
    for indicator in Indicator.values:
        change = round_half_up(now.get(indicator, Fraction(0)) - then.get(indicator, Fraction(0)), 2)
        explanation.lines.append(
            ContributionChange(
                indicator=indicator,
                label=INDICATOR_LABELS[indicator],
                score=standing.score(indicator),
                earlier_score=earlier.score(indicator),
                contribution=round_half_up(now[indicator], 2) if indicator in now else None,
                earlier_contribution=round_half_up(then[indicator], 2) if indicator in then else None,
                change=change,
            )
        )
    explanation.rounding_remainder = explanation.composite_change - sum(
        (line.change for line in explanation.lines), Decimal(0)
    )
    explanation.lines.sort(key=lambda line: -abs(line.change))
    return explanation


# --- run history ---------------------------------------------------------------------------------------------


@dataclass
class RunChange:
    county: County
    before: CountyStanding | None
    after: CountyStanding | None
    reasons: list[tuple[str, Decimal]]

    @property
    def rank_change(self) -> int | None:
        if self.before and self.after and self.before.rank and self.after.rank:
            return self.before.rank - self.after.rank
        return None

    @property
    def composite_change(self) -> Decimal | None:
        if self.before and self.after and self.before.composite is not None and self.after.composite is not None:
            return self.after.composite - self.before.composite
        return None

    @property
    def was_overtaken(self) -> bool:
        """Its composite did not move, yet its rank fell: other counties went past it."""
        return self.composite_change == 0 and (self.rank_change or 0) < 0

    @property
    def passed_others(self) -> bool:
        """Its composite did not move, yet its rank rose: counties above it fell behind."""
        return self.composite_change == 0 and (self.rank_change or 0) > 0


def run_comparison(*, user, earlier: StandingsRun, later: StandingsRun) -> list[RunChange]:
    """Counties whose rank, composite or ranked status differ between two runs of a year, biggest move first,
    each with the indicators that moved its composite (largest change in contribution first). Two queries."""
    standings = (
        scoping.visible_county_standings(user)
        .filter(run__in=[earlier, later])
        .select_related("county", "county__province", "run")
    )
    by_county: dict[int, dict[int, CountyStanding]] = {}
    for standing in standings:
        by_county.setdefault(standing.county_id, {})[standing.run_id] = standing
    changes = []
    for pair in by_county.values():
        before, after = pair.get(earlier.pk), pair.get(later.pk)
        sample = after or before
        same = (
            before
            and after
            and (before.rank, before.composite, before.is_ranked) == (after.rank, after.composite, after.is_ranked)
        )
        if same:
            continue
        now, then = (after.contributions() if after else {}), (before.contributions() if before else {})
        moved = {
            indicator: now.get(indicator, Decimal(0)) - then.get(indicator, Decimal(0))
            for indicator in Indicator.values
        }
        reasons = sorted(
            (
                (INDICATOR_LABELS[indicator], delta)
                for indicator, delta in moved.items()
                if abs(delta) >= Decimal("0.005")
            ),
            key=lambda item: -abs(item[1]),
        )
        changes.append(RunChange(county=sample.county, before=before, after=after, reasons=reasons))
    changes.sort(
        key=lambda change: (
            -abs(change.rank_change or 0),
            -abs(change.composite_change or 0),
            change.county.name_en,
        )
    )
    return changes


def get_run_or_404(*, user, run_id: int) -> StandingsRun:
    run = scoping.visible_standings_runs(user).select_related("methodology", "triggered_by").filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def recompute_request(*, user, year: int) -> RecomputeRequest | None:
    """The year's recompute request with its progress: an administrator's tool, nobody else sees it."""
    if not scoping.is_administrator(user):
        return None
    return RecomputeRequest.objects.filter(year=year).select_related("last_run").first()
