"""Months and deadlines: a report's month is given by its first day, and a month is open for entry from that
day until `REPORT_ENTRY_DAYS_AFTER_MONTH_END` days after it ends."""

import calendar
import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from factories.models import MonthlyReport


def first_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def add_months(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def days_in_month(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def day_label(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


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
    if is_month_closed(month, today):
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
