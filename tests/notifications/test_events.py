"""Who is told what, once: workflow events and beat's daily reminders, through the scoping module."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories.models import MonthlyReport
from factories.services import late_entry_allow, report_approve, report_return, reports_approve_bulk
from regional.notifications.events import closed_month_missing, deadline_reminders, reports_approved, review_digests
from regional.notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from regional.notifications.services import notify
from tests.builders import FactoryBuilder, MonthlyReportBuilder, UserBuilder


@pytest.fixture
def alpha_factory(alpha_county):
    return FactoryBuilder(county=alpha_county, name="Alpha Foodstuff", commissioned_on=datetime.date(2020, 1, 1))


@pytest.fixture
def beta_factory(beta_county):
    return FactoryBuilder(county=beta_county, name="Beta Garment", commissioned_on=datetime.date(2020, 1, 1))


def _inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_returned_report_tells_its_county_with_the_reason_and_nobody_else(
    alpha_factory, alice, bob, carol, dave, erin
):
    report = MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 3, 1), submitted=True)
    report_return(report=report, user=carol, reason="Days worked exceed the month.")

    notification = Notification.objects.get(recipient=alice)
    assert notification.kind == NotificationKind.REPORT_RETURNED
    assert notification.params["reason"] == "Days worked exceed the month."
    assert notification.url == f"/reports/{report.pk}/"
    # Bob is in the same province but another county; the reviewers and the analyst are not told either.
    assert _inbox(bob) == _inbox(carol) == _inbox(dave) == _inbox(erin) == []


def test_approvals_one_by_one_and_in_bulk_tell_the_county(alpha_factory, alice, bob, carol):
    first = MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 3, 1), submitted=True)
    second = MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 4, 1), submitted=True)
    report_approve(report=first, user=carol)
    # Its physical output is above a twelfth of the capacity: flagged, so acknowledged on its row.
    reports_approve_bulk(reports=MonthlyReport.objects.filter(pk=second.pk), user=carol, acknowledged_ids=[second.pk])
    assert _inbox(alice) == [NotificationKind.REPORT_APPROVED] * 2
    assert _inbox(bob) == []


def _bulk_approve_in_two_counties(factories, count: int, year: int, reviewer) -> tuple[int, list[MonthlyReport]]:
    """Approve `count` submitted reports (months of `year`, alternating between the factories) in one bulk
    approval; returns the queries it cost and the reports. (Each approval in its own year, so each creates its
    year's recompute request rather than one updating the other's.)"""
    reports = [
        MonthlyReportBuilder(factory=factories[index % 2], month=datetime.date(year, 1 + index // 2, 1), submitted=True)
        for index in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        approved = reports_approve_bulk(
            reports=MonthlyReport.objects.filter(pk__in=[report.pk for report in reports]),
            user=reviewer,
            acknowledged_ids=[report.pk for report in reports],
        )
    assert approved == count
    return len(queries), reports


def test_a_bulk_approval_tells_each_county_of_its_reports_in_the_same_queries_for_2_and_10(
    alpha_factory, beta_factory, alpha_county, beta_county, alice, bob, carol
):
    second_alpha_official = UserBuilder(username="alpha-2", role="county", county=alpha_county)
    other_alpha = FactoryBuilder(county=alpha_county, commissioned_on=datetime.date(2020, 1, 1))
    other_beta = FactoryBuilder(county=beta_county, commissioned_on=datetime.date(2020, 1, 1))

    queries_for_two, small = _bulk_approve_in_two_counties([alpha_factory, beta_factory], 2, 2023, carol)
    queries_for_ten, large = _bulk_approve_in_two_counties([other_alpha, other_beta], 10, 2024, carol)

    assert queries_for_ten == queries_for_two
    for official, county in ((alice, alpha_county), (second_alpha_official, alpha_county), (bob, beta_county)):
        told_of = sorted(
            Notification.objects.filter(recipient=official, kind=NotificationKind.REPORT_APPROVED).values_list(
                "url", flat=True
            )
        )
        theirs = sorted(f"/reports/{report.pk}/" for report in small + large if report.factory.county_id == county.pk)
        assert told_of == theirs
        assert len(theirs) == 6
    # Once per recipient and subject: the same event again tells no one twice.
    approved = list(MonthlyReport.objects.filter(pk__in=[report.pk for report in large]).select_related("factory"))
    reports_approved(reports=approved)
    assert Notification.objects.filter(kind=NotificationKind.REPORT_APPROVED).count() == 18


def test_a_report_returned_twice_is_two_notifications_but_the_same_event_repeated_is_one(alpha_factory, alice, carol):
    report = MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 3, 1), submitted=True)
    report_return(report=report, user=carol, reason="First reason.")
    report.refresh_from_db()
    report.status = MonthlyReport.Status.SUBMITTED
    report.save()
    report_return(report=report, user=carol, reason="Second reason.")
    reasons = sorted(Notification.objects.filter(recipient=alice).values_list("params__reason", flat=True))
    assert reasons == ["First reason.", "Second reason."]

    params = {"factory": "x", "month": "2025-03-01", "reason": "r"}
    assert notify(recipients=[alice], kind=NotificationKind.REPORT_RETURNED, subject_key="k", params=params) == 1
    assert notify(recipients=[alice], kind=NotificationKind.REPORT_RETURNED, subject_key="k", params=params) == 0
    assert Notification.objects.filter(recipient=alice, subject_key="k").count() == 1


def test_a_late_entry_allowed_tells_the_county(alpha_factory, alice, bob, frank):
    late_entry_allow(factory=alpha_factory, month=datetime.date(2025, 3, 1), user=frank, reason="Flood.")
    assert _inbox(alice) == [NotificationKind.LATE_ENTRY_ALLOWED]
    assert _inbox(bob) == []


def test_a_kind_turned_off_is_not_delivered(alpha_factory, alice, carol):
    NotificationPreference.objects.create(user=alice, kind=NotificationKind.REPORT_APPROVED, channel=Channel.OFF)
    report = MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 3, 1), submitted=True)
    report_approve(report=report, user=carol)
    assert _inbox(alice) == []


# --- beat: deadline reminders, closed months, digests -------------------------------------------------------

# March 2025 closes on 10 April (10 days after the month): three days before is 7 April.
MARCH = datetime.date(2025, 3, 1)


def test_the_deadline_reminder_goes_to_counties_with_reports_missing_or_in_draft_once(
    alpha_factory, beta_factory, gamma_county, alice, bob
):
    MonthlyReportBuilder(factory=alpha_factory, month=MARCH)  # a draft: still to submit
    MonthlyReportBuilder(factory=beta_factory, month=MARCH, submitted=True)  # Beta is done

    assert deadline_reminders(today=datetime.date(2025, 4, 6)) == 0  # four days before: not yet
    assert deadline_reminders(today=datetime.date(2025, 4, 7)) == 1
    # Beat running again, that day or the next, reminds nobody twice.
    assert deadline_reminders(today=datetime.date(2025, 4, 7)) == 0
    assert deadline_reminders(today=datetime.date(2025, 4, 9)) == 0

    reminder = Notification.objects.get(recipient=alice)
    assert reminder.kind == NotificationKind.DEADLINE_APPROACHING
    assert reminder.params["count"] == 1
    assert reminder.params["deadline"] == "2025-04-10"
    assert _inbox(bob) == []


def test_no_reminder_once_the_entry_period_closed(alpha_factory, alice):
    assert deadline_reminders(today=datetime.date(2025, 4, 11)) == 0
    assert _inbox(alice) == []


def test_a_month_closed_with_reports_missing_tells_the_county_and_the_province(
    alpha_factory, beta_factory, alice, bob, carol, dave
):
    MonthlyReportBuilder(factory=beta_factory, month=MARCH, approved=True)
    assert closed_month_missing(today=datetime.date(2025, 4, 10)) == 0  # the deadline day: still open
    assert closed_month_missing(today=datetime.date(2025, 4, 11)) == 2
    assert closed_month_missing(today=datetime.date(2025, 4, 12)) == 0
    assert _inbox(alice) == [NotificationKind.MONTH_CLOSED_MISSING]
    assert Notification.objects.get(recipient=carol).params["count"] == 1
    assert _inbox(bob) == _inbox(dave) == []


def test_the_review_digest_goes_to_the_province_with_reports_waiting_once_a_day(alpha_factory, carol, dave):
    MonthlyReportBuilder(factory=alpha_factory, month=MARCH, submitted=True)
    MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 4, 1), submitted=True)
    today = timezone.localdate()
    assert review_digests(today=today) == 1
    assert review_digests(today=today) == 0
    assert review_digests(today=today + datetime.timedelta(days=1)) == 1
    assert [row.params["count"] for row in Notification.objects.filter(recipient=carol)] == [2, 2]
    assert _inbox(dave) == []


def test_an_inactive_official_is_not_told(alpha_factory, alpha_county, carol):
    UserBuilder(username="former", role="county", county=alpha_county, is_active=False)
    report = MonthlyReportBuilder(factory=alpha_factory, month=MARCH, submitted=True)
    report_return(report=report, user=carol, reason="Check it.")
    assert not Notification.objects.filter(recipient__username="former").exists()
