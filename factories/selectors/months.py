"""Months and deadlines: a report's month is given by its first day, and a month is open for entry from that
day until `REPORT_ENTRY_DAYS_AFTER_MONTH_END` days after it ends."""

import calendar
import datetime
import zoneinfo

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


def submission_opens_at(month: datetime.date) -> datetime.datetime:
    """The first moment a report of `month` may be submitted (or approved): midnight at the start of the next
    month, in the programme's time zone (settings.TIME_ZONE), whatever zone a reader's page is in."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(add_months(first_of_month(month), 1), datetime.time(0), tzinfo=zone)


def month_in_progress(now: datetime.datetime | None = None) -> datetime.date:
    """The month under way in the programme's time zone: the first month whose report cannot be submitted."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return first_of_month(timezone.localtime(now or timezone.now(), zone).date())


def has_month_ended(month: datetime.date, now: datetime.datetime | None = None) -> bool:
    """Whether `month` is over, so that its report may be submitted and approved (DESIGN.md, reporting periods)."""
    return (now or timezone.now()) >= submission_opens_at(month)


def month_not_ended_reason(
    month: datetime.date, now: datetime.datetime | None = None, *, for_review: bool = False
) -> str | None:
    """Why a report of `month` cannot be submitted (or, `for_review`, approved) yet, saying from which day it
    can; None once the month has ended. Drafts may be saved from the month's first day."""
    if has_month_ended(month, now):
        return None
    values = {"month": month_label(month), "day": day_label(submission_opens_at(month).date())}
    if for_review:
        return _("%(month)s has not ended yet: its reports can be approved from %(day)s.") % values
    return _("%(month)s has not ended yet: save the report as a draft; it can be submitted from %(day)s.") % values


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
