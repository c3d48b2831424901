"""Half-year and year-end reviews of a province (what its chief secretary reports to the plenary meeting), and the
national one: sites, preconditions, factories in operation, production against plan, raw-material bases,
completeness of reporting and the standings of its counties. Every figure is an exact sum of approved data."""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factories.models import AnnualPlan, Factory, MonthlyReport, RawMaterialYield
from regional import scoping
from regional.models import Province, User
from regional.sites.selectors import DONE_STATUSES
from standings.models import CountyStanding, StandingsRun

PERIODS = {"half": _("half-year review"), "year": _("year-end review")}
NATIONAL = "national"


@dataclass
class ReviewSite:
    slot: object
    is_broken_ground: bool
    is_inaugurated: bool
    preconditions_met: int
    preconditions_late: int


@dataclass
class Review:
    year: int
    period: str
    scope: str
    province: Province | None
    start: datetime.date
    end: datetime.date
    sites: list[ReviewSite] = field(default_factory=list)
    factories_in_operation: int = 0
    output_value_thousand_won: Decimal = Decimal(0)
    planned_value_thousand_won: Decimal = Decimal(0)
    output_value_without_plan_thousand_won: Decimal = Decimal(0)
    bases_area_hectares: Decimal | None = None
    bases_yield_tonnes: Decimal | None = None
    reports_expected: int = 0
    reports_approved: int = 0
    standings: list[CountyStanding] = field(default_factory=list)
    standings_run: StandingsRun | None = None
    has_demo_data: bool = False
    provinces: list["Review"] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(PERIODS[self.period])

    @property
    def sites_inaugurated(self) -> int:
        return sum(1 for site in self.sites if site.is_inaugurated)

    @property
    def sites_broken_ground(self) -> int:
        return sum(1 for site in self.sites if site.is_broken_ground)

    @property
    def preconditions_met(self) -> int:
        return sum(site.preconditions_met for site in self.sites)

    @property
    def preconditions_late(self) -> int:
        return sum(site.preconditions_late for site in self.sites)

    @property
    def plan_fulfilment_percent(self) -> Decimal | None:
        """Approved output ÷ plan of the same factory-months, in percent, rounded half-up to one decimal."""
        if not self.planned_value_thousand_won:
            return None
        ratio = self.output_value_thousand_won / self.planned_value_thousand_won * 100
        return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def completeness_percent(self) -> Decimal | None:
        if not self.reports_expected:
            return None
        ratio = Decimal(self.reports_approved) / Decimal(self.reports_expected) * 100
        return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def review_period(*, year: int, period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day the review covers: January–June or the whole year, never past today."""
    if period not in PERIODS:
        raise Http404("Unknown period.")
    end = datetime.date(year, 6, 30) if period == "half" else datetime.date(year, 12, 31)
    return datetime.date(year, 1, 1), min(end, today)


def _month_starts(start: datetime.date, end: datetime.date):
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def review_build(
    *, user: User, year: int, period: str, scope: str, today: datetime.date | None = None, progress=None
) -> Review:
    """The review of `scope` (a province code, or "national" with one section per province). `progress(done, total)`
    is called after each province of a national review, for a task to report how far it is."""
    today = today or timezone.localdate()
    start, end = review_period(year=year, period=period, today=today)
    if scope == NATIONAL:
        provinces = list(scoping.visible_provinces(user).order_by("code"))
        review = Review(year=year, period=period, scope=scope, province=None, start=start, end=end)
        counties = scoping.visible_counties(user)
        _fill(review, user=user, counties=counties, today=today)
        for index, province in enumerate(provinces, start=1):
            section = Review(year=year, period=period, scope=province.code, province=province, start=start, end=end)
            _fill(section, user=user, counties=counties.filter(province=province), today=today)
            review.provinces.append(section)
            if progress:
                progress(index, len(provinces))
        return review
    province = scoping.get_in_scope_or_404(scoping.visible_provinces(user), code=scope)
    review = Review(year=year, period=period, scope=scope, province=province, start=start, end=end)
    _fill(review, user=user, counties=scoping.visible_counties(user).filter(province=province), today=today)
    return review


def _fill(review: Review, *, user: User, counties, today: datetime.date) -> None:
    start, end = review.start, review.end
    county_ids = counties.values("pk")
    # Sites of the year's round: broken ground and inaugurated by the end of the period, preconditions as they
    # stood on that day.
    slots = list(
        scoping.visible_programme_slots(user)
        .filter(programme_round__year=review.year, county__in=county_ids)
        .select_related("county__province")
        .order_by("county__province__code", "county__name_en")
    )
    milestones = (
        scoping.visible_milestones(user)
        .with_status(today=end)
        .filter(programme_slot__in=[slot.pk for slot in slots], factory__isnull=True)
    )
    met: dict[int, int] = {}
    late: dict[int, int] = {}
    for milestone in milestones:
        review.has_demo_data |= milestone.is_demo
        if milestone.status in DONE_STATUSES:
            met[milestone.programme_slot_id] = met.get(milestone.programme_slot_id, 0) + 1
        if milestone.is_late:
            late[milestone.programme_slot_id] = late.get(milestone.programme_slot_id, 0) + 1
    review.sites = [
        ReviewSite(
            slot=slot,
            is_broken_ground=bool(slot.groundbreaking_date and slot.groundbreaking_date <= end),
            is_inaugurated=bool(slot.inauguration_date and slot.inauguration_date <= end),
            preconditions_met=met.get(slot.pk, 0),
            preconditions_late=late.get(slot.pk, 0),
        )
        for slot in slots
    ]

    operating = list(
        scoping.visible_factories(user)
        .filter(
            county__in=county_ids,
            status__in=[Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION],
            commissioned_on__lte=end,
        )
        .values_list("pk", "commissioned_on", "is_demo")
    )
    review.factories_in_operation = len(operating)
    review.has_demo_data |= any(is_demo for _pk, _on, is_demo in operating)

    # Production against plan over approved reports of months that ended within the period. The plan of a
    # factory-month is its annual plan ÷ 12; a factory-month without a plan is left out of both sums and its
    # output reported beside them.
    last_month_ended = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    months = [month for month in _month_starts(start, end) if month <= last_month_ended and _last_day(month) <= end]
    approved = scoping.visible_reports(user).filter(
        status=MonthlyReport.Status.APPROVED, factory__county__in=county_ids, month__in=months
    )
    annual_plan = AnnualPlan.objects.filter(factory=OuterRef("factory"), year=review.year).values(
        "planned_output_value_thousand_won"
    )[:1]
    totals = approved.annotate(annual_plan=Subquery(annual_plan)).aggregate(
        output=Sum("output_value_thousand_won", filter=Q(annual_plan__gt=0)),
        output_without_plan=Sum("output_value_thousand_won", filter=~Q(annual_plan__gt=0) | Q(annual_plan=None)),
        annual=Sum("annual_plan", filter=Q(annual_plan__gt=0)),
        demo=Count("pk", filter=Q(is_demo=True)),
    )
    review.output_value_thousand_won = totals["output"] or Decimal(0)
    review.output_value_without_plan_thousand_won = totals["output_without_plan"] or Decimal(0)
    review.planned_value_thousand_won = (totals["annual"] or Decimal(0)) / 12
    review.has_demo_data |= bool(totals["demo"])

    # Completeness: every operating factory-month of the period's ended months against the approved reports.
    review.reports_expected = sum(
        1 for _pk, commissioned_on, _demo in operating for month in months if commissioned_on <= _last_day(month)
    )
    commissioned = {pk: on for pk, on, _demo in operating}
    review.reports_approved = sum(
        1
        for factory_id, month in approved.filter(factory_id__in=list(commissioned)).values_list("factory_id", "month")
        if commissioned[factory_id] <= _last_day(month)
    )

    bases = RawMaterialYield.objects.filter(
        base__in=scoping.visible_raw_material_bases(user).filter(county__in=county_ids), year=review.year
    ).aggregate(area=Sum("area_hectares"), yield_tonnes=Sum("yield_tonnes"), demo=Count("pk", filter=Q(is_demo=True)))
    review.bases_area_hectares = bases["area"]
    review.bases_yield_tonnes = bases["yield_tonnes"]
    review.has_demo_data |= bool(bases["demo"])

    run = scoping.visible_standings_runs(user).filter(year=review.year).order_by("-created_at", "-pk").first()
    review.standings_run = run
    if run is not None and review.province is not None:
        review.standings = list(
            scoping.visible_county_standings(user)
            .filter(run=run, county__in=county_ids)
            .select_related("county")
            .order_by("rank", "county__name_en")
        )


def county_band(standing: CountyStanding) -> str:
    """The rank band ("likely 78–92") where the standings carry one; empty where they do not (yet)."""
    low = getattr(standing, "band_low", None) or getattr(standing, "rank_band_low", None)
    high = getattr(standing, "band_high", None) or getattr(standing, "rank_band_high", None)
    return f"{low}–{high}" if low and high else ""
