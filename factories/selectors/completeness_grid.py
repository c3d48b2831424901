"""Completeness over a year: months × counties of a province, or months × provinces of the nation, each cell
the state of the reports expected there. Counts only (no factory names), three queries whatever the size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from factories.models import Factory, MonthlyReport
from factories.selectors.months import add_months, first_of_month, is_month_closed
from regional import scoping
from regional.models import County, Province

GRID_MONTHS = 12


@dataclass
class GridCell:
    month: datetime.date
    expected: int = 0
    reported: int = 0  # submitted at least once (waiting, returned or approved)
    approved: int = 0
    returned: int = 0
    is_closed: bool = False

    @property
    def missing(self) -> int:
        return max(self.expected - self.reported, 0)

    @property
    def waiting(self) -> int:
        return max(self.reported - self.approved - self.returned, 0)

    @property
    def state(self) -> str:
        """One word the legend explains: none, approved, missing, returned, due, waiting."""
        if not self.expected:
            return "none"
        if self.approved >= self.expected:
            return "approved"
        if self.missing and self.is_closed:
            return "missing"
        if self.returned:
            return "returned"
        if self.missing:
            return "due"
        return "waiting"


@dataclass
class GridRow:
    """A county (province view) or a province (national view) and its cells, newest month first."""

    place: County | Province
    cells: list[GridCell] = field(default_factory=list)
    link_parameter: str = ""  # "county=<slug>" or "province=<code>", for the reports behind a cell
    is_demo: bool = False  # generated demo factories (labelled DEMO on the page)


@dataclass
class CompletenessGrid:
    months: list[datetime.date]
    rows: list[GridRow]
    is_national: bool

    @property
    def states(self) -> list[str]:
        return ["approved", "waiting", "due", "returned", "missing", "none"]


def completeness_grid(
    *, user, last_month: datetime.date, province: Province | None = None, today: datetime.date | None = None
) -> CompletenessGrid:
    """The `GRID_MONTHS` months up to `last_month` for the counties in the user's completeness scope: per county
    when the scope is one province (a provincial official, or `province` chosen), else per province."""
    today = today or timezone.localdate()
    # Newest month first: on a phone the grid opens on the months still being reported.
    months = [add_months(last_month, -back) for back in range(GRID_MONTHS)]
    counties = scoping.completeness_counties(user).select_related("province")
    if province is not None:
        counties = counties.filter(province=province)
    counties = list(counties.order_by("province__code", "name_en"))
    is_national = province is None and not scoping.is_provincial_official(user)

    # Query 2: the operating factories' first operating month (the same rule as `operating_factories`).
    first_months: dict[int, list[datetime.date | None]] = defaultdict(list)
    demo_counties = set()
    for county_id, commissioned_on, is_demo in (
        scoping.visible_factories(user)
        .filter(county__in=[county.pk for county in counties])
        .filter(status__in=[Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION])
        .values_list("county_id", "commissioned_on", "is_demo")
    ):
        first_months[county_id].append(first_of_month(commissioned_on) if commissioned_on else None)
        if is_demo:
            demo_counties.add(county_id)

    # Query 3: per county and month, the reports of factories operating that month.
    counts = (
        scoping.completeness_reports(user)
        .filter(month__gte=months[-1], month__lte=months[0], factory__county__in=[county.pk for county in counties])
        .filter(factory__status__in=[Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION])
        .alias(factory_first_month=TruncMonth("factory__commissioned_on"))
        .filter(Q(factory__commissioned_on__isnull=True) | Q(factory_first_month__lte=F("month")))
        .values("factory__county_id", "month")
        .annotate(
            reported=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            approved=Count("pk", filter=Q(status=MonthlyReport.Status.APPROVED)),
            returned=Count("pk", filter=Q(status=MonthlyReport.Status.RETURNED)),
        )
    )
    by_county_month = {(row["factory__county_id"], row["month"]): row for row in counts}

    rows: dict[int, GridRow] = {}
    for county in counties:
        key = county.province_id if is_national else county.pk
        if key not in rows:
            place = county.province if is_national else county
            parameter = f"province={county.province.code}" if is_national else f"county={county.slug}"
            rows[key] = GridRow(
                place, [GridCell(month, is_closed=is_month_closed(month, today)) for month in months], parameter
            )
        rows[key].is_demo = rows[key].is_demo or county.pk in demo_counties
        for cell in rows[key].cells:
            cell.expected += sum(1 for first in first_months[county.pk] if first is None or first <= cell.month)
            found = by_county_month.get((county.pk, cell.month))
            if found:
                cell.reported += found["reported"]
                cell.approved += found["approved"]
                cell.returned += found["returned"]
    return CompletenessGrid(months=months, rows=list(rows.values()), is_national=is_national)
