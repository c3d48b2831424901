"""The inbox, the bell and the settings: a user sees their own notifications only."""

import datetime

import pytest
from django.urls import reverse

from regional.notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from regional.notifications.services import notify
from tests.conftest import client_for

PARAMS = {"factory": "Alpha Foodstuff", "month": "2025-03-01", "reason": "Check the days."}


@pytest.fixture
def alice_returned(alice):
    notify(
        recipients=[alice],
        kind=NotificationKind.REPORT_RETURNED,
        subject_key="report:1",
        params=PARAMS,
        url="/reports/this-month/",
    )
    return Notification.objects.get(recipient=alice)


def test_the_inbox_lists_the_users_notifications_in_their_language(client, alice, alice_returned):
    client_for(client, alice)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Alpha Foodstuff, March 2025 was returned: Check the days." in page
    assert "1 unread" in page
    client.post(reverse("set_language"), {"language": "ko", "next": "/"})
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Alpha Foodstuff, 2025년 3월" in page
    alice.refresh_from_db()
    assert alice.language == "ko"  # and so are her e-mails from now on


def test_the_bell_counts_unread_and_opening_marks_read_and_follows_the_link(client, alice, alice_returned):
    client_for(client, alice)
    assert 'data-testid="bell-count">1' in client.get(reverse("notifications:bell")).content.decode()
    response = client.post(reverse("notifications:open", args=[alice_returned.pk]))
    assert response.status_code == 302 and response["Location"] == "/reports/this-month/"
    alice_returned.refresh_from_db()
    assert alice_returned.read_at is not None
    assert "bell-count" not in client.get(reverse("notifications:bell")).content.decode()


def test_mark_all_as_read(client, alice, alice_returned):
    client_for(client, alice)
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_opens_or_sees_another_users_notification(client, bob, alice_returned):
    client_for(client, bob)
    assert client.post(reverse("notifications:open", args=[alice_returned.pk])).status_code == 404
    assert "Alpha Foodstuff" not in client.get(reverse("notifications:inbox")).content.decode()
    alice_returned.refresh_from_db()
    assert alice_returned.read_at is None


def test_an_anonymous_visitor_is_sent_to_sign_in(client, alice_returned):
    assert client.get(reverse("notifications:inbox"))["Location"].startswith(reverse("login"))
    assert client.post(reverse("notifications:open", args=[alice_returned.pk])).status_code == 302


def test_preferences_offer_the_kinds_of_the_role_and_keep_the_choice(client, alice, carol):
    client_for(client, alice)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "report returned" in page and "daily digest of the review queue" not in page
    response = client.post(
        reverse("notifications:preferences"),
        {
            "language": "ko",
            "kind_deadline_approaching": Channel.IN_APP,
            "kind_month_closed_missing": Channel.EMAIL,
            "kind_report_returned": Channel.EMAIL,
            "kind_report_approved": Channel.OFF,
            "kind_late_entry_allowed": Channel.EMAIL,
        },
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=alice, kind=NotificationKind.REPORT_APPROVED).channel == Channel.OFF
    alice.refresh_from_db()
    assert alice.language == "ko"
    client_for(client, carol)
    assert "daily digest of the review queue" in client.get(reverse("notifications:preferences")).content.decode()


def test_an_unknown_channel_is_refused_with_the_form(client, alice):
    client_for(client, alice)
    response = client.post(reverse("notifications:preferences"), {"language": "en", "kind_report_returned": "sms"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_inbox_costs_the_same_queries_at_2_and_20_notifications(client, alice, django_assert_num_queries, rows):
    for index in range(rows):
        notify(
            recipients=[alice],
            kind=NotificationKind.REPORT_APPROVED,
            subject_key=f"report:{index}",
            params={"factory": f"F{index}", "month": datetime.date(2025, 3, 1).isoformat()},
        )
    client_for(client, alice)
    with django_assert_num_queries(6):
        page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count("was approved") == rows
