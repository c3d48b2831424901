"""What the county may enter: locked reports and late entries, the factories that report in a month,
plausibility warnings, the plan and last year beside the form, and the county's month."""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import DateField, Exists, F, Func, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import AnnualPlan, Factory, LateEntryGrant, MonthlyPlan, MonthlyReport
from factories.selectors.months import (
    add_months,
    day_label,
    days_in_month,
    entry_deadline,
    first_of_month,
    is_month_closed,
    is_month_open,
    month_closed_reason,
    month_in_progress,
    open_months,
    submission_opens_at,
)
from factories.selectors.plans import split_counts
from regional import scoping

EDITABLE_STATUSES = (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED)


# --- who may change what ------------------------------------------------------------------------------


def report_is_open_for_entry(report: MonthlyReport, today: datetime.date | None = None) -> bool:
    return report.status in EDITABLE_STATUSES and (report.is_reopened or is_month_open(report.month, today))


def report_locked_reason(
    report: MonthlyReport | None, month: datetime.date, today=None, *, late_entry_granted: bool = False
) -> str | None:
    """Why the county cannot change the report of `month` (exact words for the form); None when it can.
    `late_entry_granted`: an administrator allowed the missing report of this closed month to be entered."""
    if report is not None and report.status == MonthlyReport.Status.APPROVED:
        return _("Approved by %(user)s on %(day)s; it can only be changed after an administrator reopens it.") % {
            "user": _user_label(report.approved_by),
            "day": day_label(timezone.localtime(report.approved_at).date()),
        }
    if report is not None and report.status == MonthlyReport.Status.SUBMITTED:
        return _("Submitted by %(user)s on %(day)s and waiting for review by the province.") % {
            "user": _user_label(report.submitted_by),
            "day": day_label(timezone.localtime(report.submitted_at).date()),
        }
    if report is not None and report.is_reopened:
        return None
    if report is None and late_entry_granted:
        return None
    return month_closed_reason(month, today)


def report_is_recallable(report: MonthlyReport) -> bool:
    """A submitted report nobody has reviewed yet, which could be submitted again once corrected."""
    return report.status == MonthlyReport.Status.SUBMITTED and (report.is_reopened or not is_month_closed(report.month))


def late_entry_grant(factory: Factory, month: datetime.date) -> LateEntryGrant | None:
    return LateEntryGrant.objects.filter(factory=factory, month=month).select_related("granted_by").first()


def _user_label(user) -> str:
    if user is None:
        return _("an unknown user")
    return user.get_full_name() or user.username


def factory_first_operating_month(factory: Factory) -> datetime.date | None:
    """The first month a factory reports for (its commissioning month; `date.min` without a commissioning date),
    or None when it reports for no month (not commissioned or in operation)."""
    if factory.status not in (Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION):
        return None
    return datetime.date.min if factory.commissioned_on is None else first_of_month(factory.commissioned_on)


def factory_operates_in(factory: Factory, month: datetime.date) -> bool:
    """A factory reports from its commissioning month on, once it is commissioned or in operation."""
    first_month = factory_first_operating_month(factory)
    return first_month is not None and first_month <= month


def operating_factories(queryset: QuerySet[Factory], month: datetime.date) -> QuerySet[Factory]:
    month_end = month.replace(day=days_in_month(month))
    return queryset.filter(
        Q(commissioned_on__isnull=True) | Q(commissioned_on__lte=month_end),
        status__in=[Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION],
    )


# --- plausibility -------------------------------------------------------------------------------------

# Plausibility: output beyond this factor of the factory's usual month (either way) asks for a comment.
PLAUSIBLE_FACTOR = Decimal(3)
MEDIAN_WINDOW_MONTHS = 12


def _approved_history(factory_ids, first_month: datetime.date, last_month: datetime.date) -> dict:
    """Approved output values per factory, newest month first, in one query."""
    history: dict[int, list[tuple[datetime.date, Decimal]]] = {}
    rows = (
        MonthlyReport.objects.filter(
            factory_id__in=factory_ids,
            status=MonthlyReport.Status.APPROVED,
            month__gte=first_month,
            month__lte=last_month,
        )
        .order_by("factory_id", "-month")
        .values_list("factory_id", "month", "output_value_thousand_won")
    )
    for factory_id, month, value in rows:
        history.setdefault(factory_id, []).append((month, value))
    return history


class MonthsBeforeWindow(Func):
    """The first month of the window a report's warnings are measured against (MEDIAN_WINDOW_MONTHS before its
    month), in SQL on PostgreSQL and on SQLite (`make run`)."""

    output_field = DateField()
    template = f"CAST((%(expressions)s - INTERVAL '{MEDIAN_WINDOW_MONTHS} months') AS date)"

    def as_sqlite(self, compiler, connection, **extra_context):
        template = f"date(%(expressions)s, '-{MEDIAN_WINDOW_MONTHS} months')"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def approved_outputs_before(report_ids) -> dict[int, list[Decimal]]:
    """For each report, its factory's approved output values of the MEDIAN_WINDOW_MONTHS months before its
    month (in no order: a median and a count need none), in one query joining the reports to those months (one
    index-only range per report, `report_approved_history`): for the ~1,600 reports of a large province's
    queue, where one condition per factory's window made a statement of 35 KB that took longer to plan and run
    than the rest of the page, and reading each month's date or sorting cost a third more (bench, pages)."""
    outputs: dict[int, list[Decimal]] = {}
    rows = MonthlyReport.objects.filter(
        status=MonthlyReport.Status.APPROVED,
        factory__reports__pk__in=report_ids,
        month__lt=F("factory__reports__month"),
        month__gte=MonthsBeforeWindow(F("factory__reports__month")),
    ).values_list("factory__reports__pk", "output_value_thousand_won")
    for report_id, value in rows.order_by():
        outputs.setdefault(report_id, []).append(value)
    return outputs


# Each report's median of its factory's approved output values of the MEDIAN_WINDOW_MONTHS months before its
# month, and how many there are. The median is taken over whole hundredths: PostgreSQL's percentile_cont works in
# double precision, which holds whole numbers below 2^53 and their halves exactly (output values stay below
# 10^14 hundredths), so the median is exact, as `output_median`'s.
_MEDIANS_SQL = f"""
SELECT w.id,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(ROUND(h.output_value_thousand_won * 100) AS BIGINT)),
       COUNT(*)
FROM factories_monthlyreport w
JOIN factories_monthlyreport h
  ON h.factory_id = w.factory_id AND h.status = 'approved'
 AND h.month < w.month AND h.month >= CAST(w.month - INTERVAL '{MEDIAN_WINDOW_MONTHS} months' AS date)
WHERE w.id = ANY(%s)
GROUP BY w.id
"""


def approved_output_medians(report_ids: list[int]) -> dict[int, tuple[Decimal, int]]:
    """For each report with approved months in its window: (`output_median` of them, exactly; how many). The
    queue needs only each waiting report's median and count: on PostgreSQL they are taken in the database, since
    reading the ~18,000 values of a large province's ~1,600 waiting reports as Decimals and taking the medians in
    Python cost more than the statement (bench, pages). SQLite (`make run`, small) takes them from the values."""
    if connection.vendor != "postgresql":
        return {
            report_id: (output_median(values), len(values))
            for report_id, values in approved_outputs_before(report_ids).items()
        }
    with connection.cursor() as cursor:
        cursor.execute(_MEDIANS_SQL, [list(report_ids)])
        return {
            report_id: (Decimal(round(2 * median_hundredths)) / 200, months)
            for report_id, median_hundredths, months in cursor.fetchall()
        }


def earlier_approved_outputs(report: MonthlyReport, history: list[tuple[datetime.date, Decimal]]) -> list[Decimal]:
    """The factory's approved output values of the 12 months before the report's, newest first (`history`:
    newest first, possibly holding other months too)."""
    first = add_months(report.month, -MEDIAN_WINDOW_MONTHS)
    return [value for month, value in history if first <= month < report.month][:MEDIAN_WINDOW_MONTHS]


def output_median(earlier: list[Decimal]) -> Decimal | None:
    """The factory's usual month: the median of its approved output values before the report's month."""
    return Decimal(statistics.median(earlier)) if earlier else None


def is_implausible(*, output, physical_output, median: Decimal | None, capacity) -> bool:
    """Whether a report is flagged as unusual: the one definition behind its warnings (review page, entry form,
    submission, API approval), the queue's flags and bulk approval's safety rule. Output value beyond
    PLAUSIBLE_FACTOR times the factory's median either way, or physical output above a twelfth of the annual
    design capacity. `_warnings` words exactly these conditions; the queue computes only this boolean for
    every waiting report (from plain values, no model instances) and the words for the rows shown."""
    if (
        median is not None
        and output is not None
        and (output > PLAUSIBLE_FACTOR * median or output * PLAUSIBLE_FACTOR < median)
    ):
        return True
    return capacity is not None and physical_output is not None and physical_output > capacity / 12


def _warnings(report: MonthlyReport, earlier: list[Decimal], capacity) -> list[str]:
    """The warnings' words; `earlier`: the factory's approved output values of the 12 months before the
    report's. They are worded exactly when `is_implausible` holds."""
    return worded_warnings(report, median=output_median(earlier), months=len(earlier), capacity=capacity)


def worded_warnings(report: MonthlyReport, *, median: Decimal | None, months: int, capacity) -> list[str]:
    """The warnings' words from the median of the factory's `months` approved months before the report's (what
    `_warnings` takes from their values; the queue has them from the database, `approved_output_medians`)."""
    warnings = []
    output = report.output_value_thousand_won
    if median is not None and output is not None:
        values = {"output": f"{output:,.2f}", "median": f"{median:,.2f}", "months": months}
        if output > PLAUSIBLE_FACTOR * median:
            warnings.append(
                _(
                    "Output value %(output)s is more than 3 times the factory's median of %(median)s "
                    "over its last %(months)s approved months."
                )
                % values
            )
        elif output * PLAUSIBLE_FACTOR < median:
            warnings.append(
                _(
                    "Output value %(output)s is less than a third of the factory's median of %(median)s "
                    "over its last %(months)s approved months."
                )
                % values
            )
    # Design capacity is annual; a month may not exceed a twelfth of it.
    monthly_capacity = capacity / 12 if capacity is not None else None
    if (
        monthly_capacity is not None
        and report.physical_output is not None
        and report.physical_output > monthly_capacity
    ):
        warnings.append(
            _(
                "Physical output %(output)s is above the factory's design capacity of %(monthly)s a month "
                "(%(capacity)s a year)."
            )
            % {
                "output": f"{report.physical_output:,.2f}",
                "monthly": f"{monthly_capacity:,.2f}",
                "capacity": f"{capacity:,.2f}",
            }
        )
    return warnings


def report_warnings(*, report: MonthlyReport) -> list[str]:
    """Plausibility warnings for a (possibly unsaved) report; the county must explain them in a comment."""
    history = _approved_history(
        [report.factory_id], add_months(report.month, -MEDIAN_WINDOW_MONTHS), add_months(report.month, -1)
    )
    earlier = earlier_approved_outputs(report, history.get(report.factory_id, []))
    return _warnings(report, earlier, report.factory.design_capacity)


def warnings_for_reports(reports: list[MonthlyReport]) -> dict[int, list[str]]:
    """Warnings of many reports with one query, for lists (reports need `factory` selected)."""
    if not reports:
        return {}
    history = approved_outputs_before([report.pk for report in reports])
    return {
        report.pk: _warnings(report, history.get(report.pk, []), report.factory.design_capacity) for report in reports
    }


# --- plan and last year beside the form ---------------------------------------------------------------


def month_plan(*, factory: Factory, month: datetime.date) -> dict | None:
    """The month's plan: the entered split, else a twelfth of the annual plan; None without a plan."""
    annual = AnnualPlan.objects.filter(factory=factory, year=month.year).first()
    if annual is None:
        return None
    split = {
        number: (value, physical)
        for number, value, physical in MonthlyPlan.objects.filter(annual_plan=annual).values_list(
            "month_number", "planned_output_value_thousand_won", "planned_physical_output"
        )
    }
    # The one rule of `plans`: a split that does not cover the year or sum to it is treated as absent.
    is_split = split_counts(annual.planned_output_value_thousand_won, {n: v for n, (v, _p) in split.items()})
    if is_split:
        output_value, physical = split[month.month]
    else:
        output_value = annual.planned_output_value_thousand_won / 12
        physical = annual.planned_physical_output / 12
    return {
        "output_value_thousand_won": output_value.quantize(Decimal("0.01")),
        "physical_output": physical.quantize(Decimal("0.01")),
        "varieties_produced": annual.planned_varieties,
        "is_even_split": not is_split,
    }


def last_year_report(*, factory: Factory, month: datetime.date) -> MonthlyReport | None:
    """The same month a year earlier, if it was approved (unapproved figures are not a reference)."""
    return MonthlyReport.objects.filter(
        factory=factory, month=add_months(month, -12), status=MonthlyReport.Status.APPROVED
    ).first()


# --- the county's month -------------------------------------------------------------------------------


@dataclass
class FactoryMonth:
    factory: Factory
    month: datetime.date
    report: MonthlyReport | None
    deadline: datetime.date
    is_open: bool

    is_in_progress: bool = False

    @property
    def state(self) -> str:
        """The report's status; without a report, "in_progress" while the month is under way (it cannot be
        submitted yet, so nothing is missing), else "missing"."""
        if self.report:
            return self.report.status
        return "in_progress" if self.is_in_progress else "missing"

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days


@dataclass
class EntryMonth:
    month: datetime.date
    deadline: datetime.date
    rows: list[FactoryMonth] = field(default_factory=list)
    # While the month is under way its reports are drafts only; they can be submitted from this day.
    submission_opens_on: datetime.date | None = None

    @property
    def is_in_progress(self) -> bool:
        return self.submission_opens_on is not None

    @property
    def last_day(self) -> datetime.date:
        return self.month.replace(day=days_in_month(self.month))


def county_entry_months(*, user, today: datetime.date | None = None) -> list[EntryMonth]:
    """For a county official: each open month with every operating factory and its report's state."""
    today = today or timezone.localdate()
    months = open_months(today)
    factories = list(scoping.enterable_factories(user).select_related("county").order_by("kind", "name"))
    reports = (
        scoping.visible_reports(user)
        .filter(factory__in=[f.pk for f in factories], month__in=months)
        .select_related("approved_by", "submitted_by")
    )
    by_key = {(report.factory_id, report.month): report for report in reports}
    result = []
    in_progress = month_in_progress()
    for month in months:
        is_in_progress = month >= in_progress
        entry = EntryMonth(
            month=month,
            deadline=entry_deadline(month),
            submission_opens_on=submission_opens_at(month).date() if is_in_progress else None,
        )
        for factory in factories:
            if factory_operates_in(factory, month):
                report = by_key.get((factory.pk, month))
                entry.rows.append(
                    FactoryMonth(factory, month, report, entry.deadline, is_month_open(month, today), is_in_progress)
                )
        result.append(entry)
    return result


def county_late_entry_grants(*, user) -> QuerySet[LateEntryGrant]:
    """Late entries an administrator allowed for the county's factories whose report is not entered yet."""
    entered = MonthlyReport.objects.filter(factory=OuterRef("factory"), month=OuterRef("month"))
    return (
        LateEntryGrant.objects.filter(factory__in=scoping.enterable_factories(user))
        .exclude(Exists(entered))
        .select_related("factory", "granted_by")
        .order_by("month", "factory__name")
    )


def county_open_returned_reports(*, user) -> QuerySet[MonthlyReport]:
    """Returned or reopened reports outside the open months that the county can still correct."""
    return (
        scoping.visible_reports(user)
        .filter(factory__in=scoping.enterable_factories(user))
        .filter(Q(is_reopened=True) & Q(status__in=EDITABLE_STATUSES))
        .select_related("factory")
        .order_by("month", "factory__name")
    )
