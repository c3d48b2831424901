"""What happened, turned into notifications for the people whose scope covers it (`regional.scoping`).

Workflow services call the event functions inside their transaction (mail goes after commit); beat calls the
scheduled ones daily. Each subject key names what the notification is about, so repeating a call tells no one
twice: one reminder per county, month and kind.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from factories.models import Factory, MonthlyReport
from factories.selectors import add_months, entry_deadline, first_of_month, is_month_closed, operating_factories
from regional import scoping
from regional.models import County, Province
from regional.notifications.models import NotificationKind
from regional.notifications.services import Message, notify, notify_each

logger = logging.getLogger(__name__)


def _county_params(county) -> dict:
    return {"county_en": county.name_en, "county_ko": county.name_ko}


def _report_url(report: MonthlyReport) -> str:
    return reverse("reports:report_detail", args=[report.pk])


# --- workflow events --------------------------------------------------------------------------------------


def report_returned(*, report: MonthlyReport, reason: str) -> None:
    county = report.factory.county
    notify(
        recipients=scoping.notification_recipients_for_county(county.pk),
        kind=NotificationKind.REPORT_RETURNED,
        # A report can be returned again after a resubmission: each return is its own subject.
        subject_key=f"report:{report.pk}:v{report.version}",
        params={
            "factory": report.factory.name,
            "month": report.month.isoformat(),
            "reason": reason,
            **_county_params(county),
        },
        url=_report_url(report),
    )


def reports_approved(*, reports: list[MonthlyReport]) -> None:
    """Tell each report's county; a bulk approval costs the same few queries for 2 reports as for 200."""
    counties = {report.factory.county_id: report.factory.county for report in reports}
    recipients_by_county: dict[int, list] = {county_id: [] for county_id in counties}
    for user in scoping.notification_recipients_for_counties(list(counties)):
        recipients_by_county[user.county_id].append(user)
    notify_each(
        kind=NotificationKind.REPORT_APPROVED,
        messages=[
            Message(
                recipients=recipients_by_county[report.factory.county_id],
                subject_key=f"report:{report.pk}:v{report.version}",
                params={
                    "factory": report.factory.name,
                    "month": report.month.isoformat(),
                    **_county_params(counties[report.factory.county_id]),
                },
                url=_report_url(report),
            )
            for report in reports
        ],
    )


def late_entry_allowed(*, grant) -> None:
    county = grant.factory.county
    notify(
        recipients=scoping.notification_recipients_for_county(county.pk),
        kind=NotificationKind.LATE_ENTRY_ALLOWED,
        subject_key=f"grant:{grant.pk}",
        params={
            "factory": grant.factory.name,
            "month": grant.month.isoformat(),
            "reason": grant.reason,
            **_county_params(county),
        },
        url=reverse("reports:this_month"),
    )


def standings_published(*, run) -> None:
    notify(
        recipients=scoping.notification_recipients_for_standings(),
        kind=NotificationKind.STANDINGS_PUBLISHED,
        subject_key=f"run:{run.pk}",
        params={"year": run.year, "run": run.pk, "ranked": run.ranked_count},
        url=reverse("standings:national") + f"?year={run.year}",
    )


def job_failed(*, job: str, job_id: str, error: str) -> None:
    notify(
        recipients=scoping.notification_recipients_administrators(),
        kind=NotificationKind.JOB_FAILED,
        subject_key=f"job:{job_id or job}",
        params={"job": job, "error": error[:300]},
        url=reverse("admin:index"),
    )


# --- scheduled (beat, daily) -----------------------------------------------------------------------------


def _unsubmitted_by_county(month: datetime.date) -> dict[int, dict]:
    """Per county: how many of its factories operating in `month` have no submitted report (missing, draft or
    returned). One query."""
    rows = (
        operating_factories(Factory.objects.filter(county__kind__in=County.PROGRAMME_KINDS), month)
        .annotate(
            is_submitted=Count(
                "reports",
                filter=Q(
                    reports__month=month,
                    reports__status__in=[MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.APPROVED],
                ),
            )
        )
        .filter(is_submitted=0)
        .values("county_id", "county__name_en", "county__name_ko", "county__province_id")
        .annotate(count=Count("pk"))
    )
    return {row["county_id"]: row for row in rows}


def deadline_reminders(*, today: datetime.date | None = None) -> int:
    """Within `NOTIFY_DEADLINE_DAYS_BEFORE` days of a month's entry deadline, remind each county that still has
    reports missing, in draft or returned: once per county and month (beat may run any number of times)."""
    today = today or timezone.localdate()
    created = 0
    for month in (add_months(first_of_month(today), -1), first_of_month(today)):
        deadline = entry_deadline(month)
        days_left = (deadline - today).days
        if is_month_closed(month, today) or days_left > settings.NOTIFY_DEADLINE_DAYS_BEFORE:
            continue
        for county_id, row in _unsubmitted_by_county(month).items():
            created += notify(
                recipients=scoping.notification_recipients_for_county(county_id),
                kind=NotificationKind.DEADLINE_APPROACHING,
                subject_key=f"county:{county_id}:{month.isoformat()}",
                params={
                    "month": month.isoformat(),
                    "deadline": deadline.isoformat(),
                    "count": row["count"],
                    "county_en": row["county__name_en"],
                    "county_ko": row["county__name_ko"],
                },
                url=reverse("reports:this_month"),
            )
    return created


def closed_month_missing(*, today: datetime.date | None = None) -> int:
    """In the week after a month's entry period closed, tell each county with reports missing, and each
    province with the number missing in its counties; once per place and month."""
    today = today or timezone.localdate()
    created = 0
    for month in (add_months(first_of_month(today), -2), add_months(first_of_month(today), -1)):
        deadline = entry_deadline(month)
        if not (deadline < today <= deadline + datetime.timedelta(days=7)):
            continue
        missing = _unsubmitted_by_county(month)
        by_province: dict[int, int] = {}
        for county_id, row in missing.items():
            by_province[row["county__province_id"]] = by_province.get(row["county__province_id"], 0) + row["count"]
            created += notify(
                recipients=scoping.notification_recipients_for_county(county_id),
                kind=NotificationKind.MONTH_CLOSED_MISSING,
                subject_key=f"county:{county_id}:{month.isoformat()}",
                params={
                    "month": month.isoformat(),
                    "count": row["count"],
                    "place_en": row["county__name_en"],
                    "place_ko": row["county__name_ko"],
                },
                url=reverse("reports:this_month"),
            )
        provinces = Province.objects.in_bulk(list(by_province))
        for province_id, count in by_province.items():
            province = provinces[province_id]
            created += notify(
                recipients=scoping.notification_recipients_for_province(province_id),
                kind=NotificationKind.MONTH_CLOSED_MISSING,
                subject_key=f"province:{province_id}:{month.isoformat()}",
                params={
                    "month": month.isoformat(),
                    "count": count,
                    "place_en": province.name_en,
                    "place_ko": province.name_ko,
                },
                url=reverse("reports:completeness") + f"?month={month:%Y-%m}",
            )
    return created


def review_digests(*, today: datetime.date | None = None) -> int:
    """Each morning, each province with reports waiting for review gets one digest (once per province and day)."""
    today = today or timezone.localdate()
    queues = (
        MonthlyReport.objects.filter(status=MonthlyReport.Status.SUBMITTED)
        .values(
            "factory__county__province_id", "factory__county__province__name_en", "factory__county__province__name_ko"
        )
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
    )
    created = 0
    for row in queues:
        province_id = row["factory__county__province_id"]
        created += notify(
            recipients=scoping.notification_recipients_for_province(province_id),
            kind=NotificationKind.REVIEW_DIGEST,
            subject_key=f"province:{province_id}:{today.isoformat()}",
            params={
                "count": row["count"],
                "oldest": timezone.localdate(row["oldest"]).isoformat(),
                "province_en": row["factory__county__province__name_en"],
                "province_ko": row["factory__county__province__name_ko"],
            },
            url=reverse("reports:review_queue"),
        )
    return created


def daily_notifications_run(*, today: datetime.date | None = None) -> dict[str, int]:
    return {
        "deadline_reminders": deadline_reminders(today=today),
        "closed_month_missing": closed_month_missing(today=today),
        "review_digests": review_digests(today=today),
    }
