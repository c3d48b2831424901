"""The review queue as the province works it: rows with their warnings, filters, the next report to review
and a flagged figure against the factory's last approved months."""

import datetime
import functools
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from factories.models import MonthlyReport
from factories.selectors.entry import MEDIAN_WINDOW_MONTHS, PLAUSIBLE_FACTOR, earlier_approved_outputs
from factories.selectors.entry import _approved_history_of as approved_history
from factories.selectors.entry import _warnings as plausibility_warnings
from factories.selectors.months import add_months, month_label
from factories.selectors.return_reasons import return_reason_suggestions
from factories.selectors.review import review_queue


@dataclass
class QueueRow:
    report: MonthlyReport
    warnings: list[str]
    median_output: Decimal | None = None
    monthly_capacity: Decimal | None = None

    @property
    def is_flagged(self) -> bool:
        return bool(self.warnings)

    @functools.cached_property
    def return_reasons(self) -> list[str]:
        """Written when shown: only the rows of the page on screen need them (bench, pages)."""
        return return_reason_suggestions(
            self.report,
            median_output=self.median_output,
            monthly_capacity=self.monthly_capacity,
            is_flagged=self.is_flagged,
        )


def review_queue_rows(*, reports: QuerySet[MonthlyReport], is_flagged: bool | None = None) -> list[QueueRow]:
    """The queue's rows with their plausibility warnings and ready-made return reasons, optionally only the
    flagged (True) or unflagged (False) ones. Two queries whatever the number of rows: the reports (with
    their factories), and the factories' approved history.

    Flagged-ness depends on the factory's median of its last approved months, so it is computed here for the
    whole (filtered) queue rather than in SQL (a province's queue holds tens to a few hundred reports; ~1,600 at
    the bench's stress scale); the ready-made return reasons only for the rows shown."""
    reports = list(reports)
    if not reports:
        return []
    history = approved_history(reports)
    rows = []
    for report in reports:
        factory_history = history.get(report.factory_id, [])
        capacity = report.factory.design_capacity
        earlier = earlier_approved_outputs(report, factory_history)
        rows.append(
            QueueRow(
                report,
                plausibility_warnings(report, factory_history, capacity),
                median_output=Decimal(statistics.median(earlier)) if earlier else None,
                monthly_capacity=capacity / 12 if capacity is not None else None,
            )
        )
    if is_flagged is not None:
        rows = [row for row in rows if row.is_flagged == is_flagged]
    return rows


def next_in_queue(*, user, report: MonthlyReport) -> MonthlyReport | None:
    """The report to review after `report`: the next one in queue order, else the first one still waiting."""
    others = review_queue(user=user).exclude(pk=report.pk)
    if report.submitted_at is not None:
        later = others.filter(
            Q(submitted_at__gt=report.submitted_at) | Q(submitted_at=report.submitted_at, pk__gt=report.pk)
        ).first()
        if later is not None:
            return later
    return others.first()


@dataclass
class HistoryMonth:
    month: datetime.date
    output_value_thousand_won: Decimal
    physical_output: Decimal


@dataclass
class ChartBar:
    """One bar of the small chart, in SVG user units (attributes, not styles: the CSP allows no inline style)."""

    x: int
    y: int
    height: int
    label: str
    is_current: bool = False


@dataclass
class FigureHistory:
    """The factory's last approved months before a report's month, oldest first, with their medians, and a
    small chart of the figure that stands out (output value, or physical output against capacity)."""

    months: list[HistoryMonth]
    median_output: Decimal | None
    median_physical: Decimal | None
    charted_figure: str = "output_value_thousand_won"
    bars: list[ChartBar] = field(default_factory=list)
    median_y: int | None = None
    capacity_y: int | None = None

    CHART_HEIGHT = 72
    BAR_STEP = 22
    BAR_WIDTH = 16

    @property
    def chart_width(self) -> int:
        return len(self.bars) * self.BAR_STEP


def figure_history(*, report: MonthlyReport) -> FigureHistory:
    """The factory's last 12 approved months before `report`'s month, in one query (what its warnings are
    measured against), and a small bar chart of them with the report's month last: of the output value when
    it is out of line with the median, else of the physical output (with the month's design capacity)."""
    rows = list(
        MonthlyReport.objects.filter(
            factory_id=report.factory_id,
            status=MonthlyReport.Status.APPROVED,
            month__gte=add_months(report.month, -MEDIAN_WINDOW_MONTHS),
            month__lt=report.month,
        )
        .order_by("-month")
        .values_list("month", "output_value_thousand_won", "physical_output")[:MEDIAN_WINDOW_MONTHS]
    )
    months = [HistoryMonth(month, output, physical) for month, output, physical in reversed(rows)]
    if not months:
        return FigureHistory(months, None, None)
    median_output = Decimal(statistics.median([m.output_value_thousand_won for m in months]))
    median_physical = Decimal(statistics.median([m.physical_output for m in months]))
    history = FigureHistory(months, median_output, median_physical)
    output = report.output_value_thousand_won or Decimal(0)
    is_output_out_of_line = output > PLAUSIBLE_FACTOR * median_output or output * PLAUSIBLE_FACTOR < median_output
    capacity = report.factory.design_capacity / 12 if report.factory.design_capacity is not None else None
    if is_output_out_of_line:
        values = [m.output_value_thousand_won for m in months] + [output]
        median, reference = median_output, None
    else:
        history.charted_figure = "physical_output"
        values = [m.physical_output for m in months] + [report.physical_output or Decimal(0)]
        median, reference = median_physical, capacity
    largest = max(values + ([reference] if reference else []))
    if not largest:
        return history
    top = Decimal(FigureHistory.CHART_HEIGHT - 2)

    def height(value: Decimal) -> int:
        return max(1, int(value * top / largest))

    labels = [m.month for m in months] + [report.month]
    for index, (month, value) in enumerate(zip(labels, values, strict=True)):
        bar_height = height(value)
        history.bars.append(
            ChartBar(
                x=index * FigureHistory.BAR_STEP,
                y=FigureHistory.CHART_HEIGHT - bar_height,
                height=bar_height,
                label=f"{month_label(month)}: {value:,.2f}",
                is_current=index == len(values) - 1,
            )
        )
    history.median_y = FigureHistory.CHART_HEIGHT - height(median)
    if reference:
        history.capacity_y = FigureHistory.CHART_HEIGHT - height(reference)
    return history


def review_suggestions(*, report: MonthlyReport, history: FigureHistory, is_flagged: bool) -> list[str]:
    capacity = report.factory.design_capacity
    return return_reason_suggestions(
        report,
        median_output=history.median_output,
        monthly_capacity=capacity / 12 if capacity is not None else None,
        is_flagged=is_flagged,
    )
