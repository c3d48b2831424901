"""Reads of monthly reports: deadlines, plausibility warnings, the county's month, the review queue,
completeness and history. Every user-visible queryset starts in `regional.scoping`."""

import calendar
import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from factories.models import AnnualPlan, Factory, LateEntryGrant, MonthlyPlan, MonthlyReport, ReportEvent
from regional import scoping

FIGURE_FIELDS = (
    "output_value_thousand_won",
    "physical_output",
    "varieties_produced",
    "raw_material_used_tonnes",
    "raw_material_from_own_bases_tonnes",
    "days_worked",
    "workers_on_roll",
)
INTEGER_FIGURE_FIELDS = ("varieties_produced", "days_worked", "workers_on_roll")
FIGURE_LABELS = {
    "output_value_thousand_won": _lazy("Output value (thousand won)"),
    "physical_output": _lazy("Physical output"),
    "varieties_produced": _lazy("Varieties produced"),
    "raw_material_used_tonnes": _lazy("Raw material used (tonnes)"),
    "raw_material_from_own_bases_tonnes": _lazy("of which from own bases (tonnes)"),
    "days_worked": _lazy("Days worked"),
    "workers_on_roll": _lazy("Workers on roll"),
    "comment": _lazy("Comment"),
    "status": _lazy("Status"),
    "return_reason": _lazy("Return reason"),
    "is_reopened": _lazy("Reopened"),
}
EDITABLE_STATUSES = (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED)
# Plausibility: output beyond this factor of the factory's usual month (either way) asks for a comment.
PLAUSIBLE_FACTOR = Decimal(3)
MEDIAN_WINDOW_MONTHS = 12


# --- months and deadlines -----------------------------------------------------------------------------


def first_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def add_months(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def days_in_month(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def month_label(month: datetime.date) -> str:
    return date_format(month, "F Y")


def day_label(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def entry_deadline(month: datetime.date) -> datetime.date:
    """The last day on which a report for `month` may be entered or submitted."""
    last_day = month.replace(day=days_in_month(month))
    return last_day + datetime.timedelta(days=settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END)


def is_month_open(month: datetime.date, today: datetime.date | None = None) -> bool:
    """A month is open for entry from its first day until its deadline, inclusive."""
    today = today or timezone.localdate()
    return first_of_month(month) <= today <= entry_deadline(month)


def is_month_closed(month: datetime.date, today: datetime.date | None = None) -> bool:
    """The month's entry period is over (a month not yet begun is not closed)."""
    return (today or timezone.localdate()) > entry_deadline(month)


def is_reopenable(report: MonthlyReport) -> bool:
    """An approved report, or any report of a month closed for entry (not already reopened), can be reopened."""
    is_closed = not is_month_open(report.month) and not report.is_reopened
    return report.status == MonthlyReport.Status.APPROVED or is_closed


def month_closed_reason(month: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why `month` is not open for entry, in words; None when it is open."""
    today = today or timezone.localdate()
    if today < first_of_month(month):
        return _("%(month)s has not started yet; its report can be entered from %(start)s.") % {
            "month": month_label(month),
            "start": day_label(first_of_month(month)),
        }
    if today > entry_deadline(month):
        return _("The entry period for %(month)s ended on %(deadline)s.") % {
            "month": month_label(month),
            "deadline": day_label(entry_deadline(month)),
        }
    return None


def open_months(today: datetime.date | None = None) -> list[datetime.date]:
    """The months open for entry today, the one due soonest first."""
    today = today or timezone.localdate()
    current = first_of_month(today)
    return [month for month in (add_months(current, -1), current) if is_month_open(month, today)]


def is_submitted_on_time(report: MonthlyReport) -> bool:
    return bool(
        report.first_submitted_at
        and timezone.localtime(report.first_submitted_at).date() <= entry_deadline(report.month)
    )


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


def late_entry_grant(factory: Factory, month: datetime.date) -> LateEntryGrant | None:
    return LateEntryGrant.objects.filter(factory=factory, month=month).select_related("granted_by").first()


def _user_label(user) -> str:
    if user is None:
        return _("an unknown user")
    return user.get_full_name() or user.username


def factory_operates_in(factory: Factory, month: datetime.date) -> bool:
    """A factory reports from its commissioning month on, once it is commissioned or in operation."""
    if factory.status not in (Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION):
        return False
    return factory.commissioned_on is None or first_of_month(factory.commissioned_on) <= month


def operating_factories(queryset: QuerySet[Factory], month: datetime.date) -> QuerySet[Factory]:
    month_end = month.replace(day=days_in_month(month))
    return queryset.filter(
        Q(commissioned_on__isnull=True) | Q(commissioned_on__lte=month_end),
        status__in=[Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION],
    )


# --- plausibility -------------------------------------------------------------------------------------


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


def _warnings(report: MonthlyReport, history: list[tuple[datetime.date, Decimal]], capacity) -> list[str]:
    warnings = []
    earlier = [value for month, value in history if month < report.month][:MEDIAN_WINDOW_MONTHS]
    output = report.output_value_thousand_won
    if earlier and output is not None:
        median = Decimal(statistics.median(earlier))
        values = {"output": f"{output:,.2f}", "median": f"{median:,.2f}", "months": len(earlier)}
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
    return _warnings(report, history.get(report.factory_id, []), report.factory.design_capacity)


def warnings_for_reports(reports: list[MonthlyReport]) -> dict[int, list[str]]:
    """Warnings of many reports with one query, for lists (reports need `factory` selected)."""
    if not reports:
        return {}
    months = [report.month for report in reports]
    history = _approved_history(
        {report.factory_id for report in reports},
        add_months(min(months), -MEDIAN_WINDOW_MONTHS),
        add_months(max(months), -1),
    )
    return {
        report.pk: _warnings(report, history.get(report.factory_id, []), report.factory.design_capacity)
        for report in reports
    }


# --- plan and last year beside the form ---------------------------------------------------------------


def month_plan(*, factory: Factory, month: datetime.date) -> dict | None:
    """The month's plan: the entered split, else a twelfth of the annual plan; None without a plan."""
    annual = AnnualPlan.objects.filter(factory=factory, year=month.year).first()
    if annual is None:
        return None
    split = MonthlyPlan.objects.filter(annual_plan=annual, month_number=month.month).first()
    if split is not None:
        output_value, physical = split.planned_output_value_thousand_won, split.planned_physical_output
    else:
        output_value = annual.planned_output_value_thousand_won / 12
        physical = annual.planned_physical_output / 12
    return {
        "output_value_thousand_won": output_value.quantize(Decimal("0.01")),
        "physical_output": physical.quantize(Decimal("0.01")),
        "varieties_produced": annual.planned_varieties,
        "is_even_split": split is None,
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

    @property
    def state(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days


@dataclass
class EntryMonth:
    month: datetime.date
    deadline: datetime.date
    rows: list[FactoryMonth] = field(default_factory=list)


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
    for month in months:
        entry = EntryMonth(month=month, deadline=entry_deadline(month))
        for factory in factories:
            if factory_operates_in(factory, month):
                report = by_key.get((factory.pk, month))
                entry.rows.append(FactoryMonth(factory, month, report, entry.deadline, is_month_open(month, today)))
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


# --- review -------------------------------------------------------------------------------------------


def review_queue(*, user) -> QuerySet[MonthlyReport]:
    """Submitted reports the user may review, oldest submission first."""
    return (
        scoping.reviewable_reports(user)
        .filter(status=MonthlyReport.Status.SUBMITTED)
        .select_related("factory__county", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def report_list(*, user) -> QuerySet[MonthlyReport]:
    return scoping.visible_reports(user).select_related("factory__county__province").order_by("-month", "factory")


# --- completeness -------------------------------------------------------------------------------------


@dataclass
class MissingReport:
    """A factory whose report of the month is not submitted: nothing entered, or a draft; and whether an
    administrator allowed its late entry."""

    factory_name: str
    factory_code: str
    has_draft: bool
    late_entry_granted: bool

    def __str__(self) -> str:
        return self.factory_name


@dataclass
class CountyCompleteness:
    county_id: int
    county_name: str
    province_name: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    approved: int = 0
    missing_factories: list["MissingReport"] = field(default_factory=list)
    returned_factories: list[str] = field(default_factory=list)

    @property
    def submitted_percent(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


def completeness(*, user, month: datetime.date, province_id: int | None = None) -> list[CountyCompleteness]:
    """Per county in the user's scope: reports expected for `month`, submitted, on time, approved, and
    which factories have not reported. Three queries whatever the number of counties."""
    counties = scoping.completeness_counties(user).select_related("province")
    if province_id:
        counties = counties.filter(province_id=province_id)
    factories = operating_factories(scoping.visible_factories(user), month).filter(county__in=counties)
    deadline_end = timezone.make_aware(datetime.datetime.combine(entry_deadline(month), datetime.time.max))
    report_counts = (
        scoping.completeness_reports(user)
        .filter(month=month, factory__in=factories)
        .values("factory__county_id")
        .annotate(
            submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            on_time=Count("pk", filter=Q(first_submitted_at__lte=deadline_end)),
            approved=Count("pk", filter=Q(status=MonthlyReport.Status.APPROVED)),
        )
    )
    rows: dict[int, CountyCompleteness] = {}
    factory_rows = (
        factories.annotate(
            is_reported=Count("reports", filter=Q(reports__month=month, reports__first_submitted_at__isnull=False)),
            is_returned=Count("reports", filter=Q(reports__month=month, reports__status=MonthlyReport.Status.RETURNED)),
            has_report=Exists(MonthlyReport.objects.filter(factory=OuterRef("pk"), month=month)),
            has_late_entry_grant=Exists(LateEntryGrant.objects.filter(factory=OuterRef("pk"), month=month)),
        )
        .select_related("county__province")
        .order_by("county__province__code", "county__name_en", "name")
    )
    for factory in factory_rows:
        row = rows.setdefault(
            factory.county_id,
            CountyCompleteness(factory.county_id, str(factory.county), str(factory.county.province)),
        )
        row.expected += 1
        if not factory.is_reported:
            row.missing_factories.append(
                MissingReport(factory.name, factory.code, factory.has_report, factory.has_late_entry_grant)
            )
        elif factory.is_returned:
            row.returned_factories.append(factory.name)
    for counts in report_counts:
        row = rows.get(counts["factory__county_id"])
        if row is not None:
            row.submitted, row.on_time, row.approved = counts["submitted"], counts["on_time"], counts["approved"]
    return sorted(rows.values(), key=lambda row: (row.province_name, row.county_name))


# --- history ------------------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    kind: str
    changes: list[tuple[str, object, object]]


def report_history(*, report: MonthlyReport) -> list[HistoryEntry]:
    """Every saved version of the report, newest first, with the fields each one changed (one query)."""
    tracked = (*FIGURE_FIELDS, "comment", "status", "return_reason", "is_reopened")
    labels = FIGURE_LABELS
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        for name in tracked:
            new = getattr(record, name)
            old = getattr(previous, name) if previous is not None else None
            if previous is None or old != new:
                if previous is None and new in ("", None, False):
                    continue
                changes.append((labels[name], old, new))
        entries.append(
            HistoryEntry(record.history_date, record.history_user, record.get_history_type_display(), changes)
        )
        previous = record
    return list(reversed(entries))


def report_events(*, report: MonthlyReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor").order_by("at", "pk")
