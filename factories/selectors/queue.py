"""The review queue as the province works it: rows with their warnings, filters, the next report to review
and a flagged figure against the factory's last approved months."""

import datetime
import functools
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet

from factories.models import MonthlyReport
from factories.selectors.entry import (
    MEDIAN_WINDOW_MONTHS,
    PLAUSIBLE_FACTOR,
    approved_output_medians,
    is_implausible,
    worded_warnings,
)
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


class WaitingFigures(NamedTuple):
    """What deciding a waiting report's flag needs, read as plain values (no model instances)."""

    pk: int
    output_value_thousand_won: Decimal | None
    physical_output: Decimal | None
    design_capacity: Decimal | None


@dataclass(frozen=True)
class QueueEntry:
    """A waiting report's place in the queue and whether it is flagged as unusual."""

    pk: int
    is_flagged: bool


class ReviewQueue:
    """The (filtered) queue of a province: every waiting report's flag, and the full rows of a page of them.

    Flagged-ness depends on the factory's median of its last approved months, so it is decided for the whole
    queue (the flagged count, the "Warnings" filter): from plain values and each report's median taken in the
    database, two queries, by the same `is_implausible` as the report's own warnings. Only the rows shown
    (`rows`) load their reports, with factories, counties and submitters, and get worded warnings and
    ready-made reasons: one more query. At
    the bench's stress scale a province has ~1,600 reports waiting; building each as a model instance with
    its warnings' words cost more than the rest of the page (bench, pages)."""

    def __init__(self, *, reports: QuerySet[MonthlyReport], is_flagged: bool | None = None):
        self._reports = reports
        figures = [
            WaitingFigures(*values)
            for values in reports.values_list(
                "pk",
                "output_value_thousand_won",
                "physical_output",
                "factory__design_capacity",
            )
        ]
        # Per waiting report (not per factory): the median of its own window's months.
        self._medians = approved_output_medians([waiting.pk for waiting in figures]) if figures else {}
        entries = [QueueEntry(waiting.pk, self._is_flagged(waiting)) for waiting in figures]
        if is_flagged is not None:
            entries = [entry for entry in entries if entry.is_flagged == is_flagged]
        self.entries = entries

    def _is_flagged(self, waiting: WaitingFigures) -> bool:
        return is_implausible(
            output=waiting.output_value_thousand_won,
            physical_output=waiting.physical_output,
            median=self._medians.get(waiting.pk, (None, 0))[0],
            capacity=waiting.design_capacity,
        )

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def flagged_count(self) -> int:
        return sum(entry.is_flagged for entry in self.entries)

    def rows(self, entries: list[QueueEntry]) -> list[QueueRow]:
        """The full rows of `entries` (a page of the queue), in their order: one query."""
        if not entries:
            return []
        by_pk = {report.pk: report for report in self._reports.filter(pk__in=[entry.pk for entry in entries])}
        rows = []
        for entry in entries:
            report = by_pk.get(entry.pk)
            if report is None:  # approved or returned between the two reads
                continue
            median, months = self._medians.get(report.pk, (None, 0))
            capacity = report.factory.design_capacity
            rows.append(
                QueueRow(
                    report,
                    worded_warnings(report, median=median, months=months, capacity=capacity),
                    median_output=median,
                    monthly_capacity=capacity / 12 if capacity is not None else None,
                )
            )
        return rows


def review_queue_rows(*, reports: QuerySet[MonthlyReport], is_flagged: bool | None = None) -> list[QueueRow]:
    """Every row of the queue in full (three queries): for small queues and tests; pages use `ReviewQueue`."""
    queue = ReviewQueue(reports=reports, is_flagged=is_flagged)
    return queue.rows(queue.entries)


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
