"""With a real Celery worker on the real Redis: an approval's e-mail goes out after commit, and a job that fails
tells the administrators."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from factories.services import report_approve
from regional.notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from tests.builders import FactoryBuilder, MonthlyReportBuilder, UserBuilder
from tests.reliability.processes import wait_until


@celery_app.task(name="tests.notifications.always_fails")
def always_fails():
    raise RuntimeError("the disk is full")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_an_approval_is_mailed_by_the_worker_after_commit(smtp_server, alpha_county, carol):
    official = UserBuilder(username="en-official", role="county", county=alpha_county, email="en@example.org")
    # Approvals are told in the inbox unless the official asks for e-mail too.
    NotificationPreference.objects.create(user=official, kind=NotificationKind.REPORT_APPROVED, channel=Channel.EMAIL)
    report = MonthlyReportBuilder(
        factory=FactoryBuilder(county=alpha_county, name="Alpha Foodstuff"),
        month=datetime.date(2025, 3, 1),
        submitted=True,
    )
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        report_approve(report=report, user=carol)
        wait_until(lambda: smtp_server.messages, timeout_seconds=60, message="no mail arrived")
    assert smtp_server.subjects() == ["[Regional] Alpha Foodstuff, March 2025 was approved."]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_failed_job_tells_the_administrators(frank, erin):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        always_fails.delay()
        wait_until(lambda: Notification.objects.filter(recipient=frank).exists(), timeout_seconds=60)
    notification = Notification.objects.get(recipient=frank)
    assert notification.kind == NotificationKind.JOB_FAILED
    assert notification.params == {"job": "tests.notifications.always_fails", "error": "RuntimeError: the disk is full"}
    assert not Notification.objects.filter(recipient=erin).exists()
