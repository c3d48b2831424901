"""E-mail through a real SMTP server: after the commit, once, in the recipient's language."""

import datetime

import pytest
from django.db import transaction

from factories.services import report_return
from regional.notifications.models import Notification
from regional.notifications.services import notification_emails_send
from tests.builders import FactoryBuilder, MonthlyReportBuilder, UserBuilder

MARCH = datetime.date(2025, 3, 1)


@pytest.fixture
def returned_to_two_officials(alpha_county, carol):
    english = UserBuilder(username="en-official", role="county", county=alpha_county, email="en@example.org")
    korean = UserBuilder(
        username="ko-official", role="county", county=alpha_county, email="ko@example.org", language="ko"
    )
    factory = FactoryBuilder(county=alpha_county, name="Alpha Foodstuff")
    report = MonthlyReportBuilder(factory=factory, month=MARCH, submitted=True)
    report_return(report=report, user=carol, reason="Own bases exceed raw material used.")
    return english, korean


def test_each_official_gets_one_mail_in_their_language(smtp_server, returned_to_two_officials):
    assert notification_emails_send() == 2
    assert notification_emails_send() == 0  # sent once, never twice

    by_recipient = dict(zip(smtp_server.to(), smtp_server.subjects(), strict=True))
    assert by_recipient["en@example.org"] == (
        "[Regional] Alpha Foodstuff, March 2025 was returned: Own bases exceed raw material used."
    )
    assert "반려되었습니다" in by_recipient["ko@example.org"] and "2025년 3월" in by_recipient["ko@example.org"]
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Notification.EmailStatus.SENT}


def test_an_unreachable_mail_server_keeps_the_mail_pending_for_the_next_sweep(settings, returned_to_two_officials):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    assert notification_emails_send() == 0
    rows = list(Notification.objects.values_list("email_status", "email_attempts"))
    assert rows == [(Notification.EmailStatus.PENDING, 1)] * 2


@pytest.mark.django_db(transaction=True)
def test_nothing_is_mailed_for_a_transaction_that_rolled_back(smtp_server, alpha_county, carol):
    UserBuilder(username="en-official", role="county", county=alpha_county, email="en@example.org")
    report = MonthlyReportBuilder(factory=FactoryBuilder(county=alpha_county), month=MARCH, submitted=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        report_return(report=report, user=carol, reason="Check the days.")
        raise RuntimeError("the request failed after the return")
    assert notification_emails_send() == 0
    assert smtp_server.messages == []
    assert not Notification.objects.exists()
