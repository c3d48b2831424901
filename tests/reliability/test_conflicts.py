"""Duplicate and concurrent writes: one report for twenty identical submissions, and a clear conflict (409 in
the API, a message in the browser) instead of a silent overwrite when two people act on the same version."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factories.models import MonthlyReport, ReportEvent
from regional.models import User
from tests.builders import LONG_ENTRY_DAYS, FactoryBuilder, MonthlyReportBuilder, UserBuilder, reporting_month
from tests.security.conftest import token_client

FIGURES = {
    "output_value_thousand_won": "10000.00",
    "physical_output": "100.00",
    "varieties_produced": 15,
    "raw_material_used_tonnes": "80.00",
    "raw_material_from_own_bases_tonnes": "60.00",
    "days_worked": 20,
    "workers_on_roll": 120,
    # Round test figures trip the plausibility warnings; a comment explains them so that submitting works.
    "comment": "Test figures.",
}
CONCURRENT_REQUESTS = 20


@pytest.fixture
def month(settings):
    """Last month: ended, so its reports can be submitted, and open for entry (a lengthened entry period)."""
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = LONG_ENTRY_DAYS
    return reporting_month()


@pytest.fixture
def alpha_factory(alpha_county):
    return FactoryBuilder(code="alpha-foodstuff", county=alpha_county, name="Alpha Foodstuff Factory")


@pytest.fixture
def clara(north_province):
    """A second reviewer of Northland, beside Carol."""
    return UserBuilder(username="clara", role=User.Role.PROVINCIAL_OFFICIAL, province=north_province)


def _all_at_once(send, count: int = CONCURRENT_REQUESTS) -> list[int]:
    """Run `send()` in `count` threads released together; their status codes (an exception is a 500)."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(30)
            status = send()
        except Exception:
            status = 500
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return sorted(statuses)


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_api_submissions_at_once_create_one_report_and_answer_201_once_and_409_otherwise(
    alice, alpha_factory, month
):
    _client, token = token_client(alice)
    payload = {"factory": "alpha-foodstuff", "month": month.strftime("%Y-%m"), **FIGURES}

    def send():
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client.post(reverse("api:report-list"), payload, format="json").status_code

    statuses = _all_at_once(send)

    assert statuses == [201] + [409] * (CONCURRENT_REQUESTS - 1)
    report = MonthlyReport.objects.get()
    assert (report.factory, report.month, report.version) == (alpha_factory, month, 1)
    assert report.output_value_thousand_won == Decimal("10000.00")


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_browser_submissions_at_once_give_one_submitted_report_and_no_server_error(
    alice, alpha_factory, month
):
    signed_in = Client()
    signed_in.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    session_cookie = signed_in.cookies["sessionid"].value
    url = reverse("reports:report_entry", args=["alpha-foodstuff", month.strftime("%Y-%m")])

    def send():
        client = Client()
        client.cookies["sessionid"] = session_cookie
        return client.post(url, {**FIGURES, "action": "submit"}).status_code

    statuses = _all_at_once(send)

    # Every request got an answer a person can act on: the submission, or the form with a message
    assert 500 not in statuses
    assert set(statuses) <= {302, 400, 409}
    assert statuses.count(302) >= 1
    report = MonthlyReport.objects.get()
    assert report.status == MonthlyReport.Status.SUBMITTED
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.SUBMITTED).count() == 1


@pytest.fixture
def submitted_report(alpha_factory, month, alice):
    return MonthlyReportBuilder(
        factory=alpha_factory, month=month, submitted=True, submitted_by=alice, first_submitted_at=timezone.now()
    )


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_the_same_version_at_once_give_one_approval_and_one_409(submitted_report, carol, clara):
    url = reverse("api:report-approve", args=[submitted_report.pk])
    tokens = [token_client(user)[1].key for user in (carol, clara)]
    turn = iter(tokens)
    turn_lock = threading.Lock()

    def send():
        from rest_framework.test import APIClient

        with turn_lock:
            key = next(turn)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        # The builder's report is flagged as unusual (output above capacity): the reviewers have read its warnings.
        body = {"version": submitted_report.version, "acknowledge_warnings": True}
        return client.post(url, body, format="json").status_code

    statuses = _all_at_once(send, count=2)

    assert statuses == [200, 409]
    submitted_report.refresh_from_db()
    assert (submitted_report.status, submitted_report.version) == (MonthlyReport.Status.APPROVED, 2)
    assert ReportEvent.objects.filter(report=submitted_report, kind=ReportEvent.Kind.APPROVED).count() == 1


def test_a_return_based_on_the_version_before_an_approval_is_refused_with_409_and_the_approval_stands(
    submitted_report, carol, clara
):
    carols_api, _token = token_client(carol)
    claras_api, _token = token_client(clara)
    read_version = submitted_report.version

    approved = carols_api.post(
        reverse("api:report-approve", args=[submitted_report.pk]),
        {"version": read_version, "acknowledge_warnings": True},  # flagged as unusual, its warnings read
        format="json",
    )
    returned = claras_api.post(
        reverse("api:report-return-to-county", args=[submitted_report.pk]),
        {"version": read_version, "reason": "Output looks too high."},
        format="json",
    )

    assert approved.status_code == 200
    assert returned.status_code == 409
    assert returned.json()["detail"] == ("This report was changed by someone else (version 2, you had 1). Reload it.")
    submitted_report.refresh_from_db()
    assert (submitted_report.status, submitted_report.return_reason) == (MonthlyReport.Status.APPROVED, "")


def test_an_api_edit_carrying_an_old_version_is_refused_with_409_and_changes_nothing(alice, alpha_factory, month):
    report = MonthlyReportBuilder(factory=alpha_factory, month=month, version=3)
    api, _token = token_client(alice)

    response = api.patch(
        reverse("api:report-detail", args=[report.pk]),
        {"version": 2, "output_value_thousand_won": "99999.00"},
        format="json",
    )

    assert response.status_code == 409
    report.refresh_from_db()
    assert (report.output_value_thousand_won, report.version) == (Decimal("10000"), 3)


def test_a_stale_browser_form_is_refused_with_a_message_and_the_newer_figures_stay(client, alice, alpha_factory, month):
    # Given Alice's draft at version 1, open in two tabs
    report = MonthlyReportBuilder(factory=alpha_factory, month=month)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("reports:report_entry", args=["alpha-foodstuff", month.strftime("%Y-%m")])
    # When the second tab saves 12,000 first
    second_tab = client.post(url, {**FIGURES, "output_value_thousand_won": "12000", "version": 1})
    assert second_tab.status_code == 302
    # And the first tab saves 11,000 from the form it loaded at version 1
    first_tab = client.post(url, {**FIGURES, "output_value_thousand_won": "11000", "version": 1})

    # Then the first tab shows the conflict and the second tab's figures are kept
    assert first_tab.status_code == 409
    assert "This report was changed by someone else (version 2, you had 1). Reload it." in first_tab.content.decode()
    report.refresh_from_db()
    assert (report.output_value_thousand_won, report.version) == (Decimal("12000.00"), 2)


def test_a_browser_approval_of_a_report_returned_meanwhile_shows_a_message_and_keeps_the_return(
    client, submitted_report, carol, clara
):
    # Given Carol's page shows version 1 while Clara returns the report
    clara_client = Client()
    clara_client.force_login(clara, backend="django.contrib.auth.backends.ModelBackend")
    clara_client.post(
        reverse("reports:report_return", args=[submitted_report.pk]),
        {"version": 1, "return-reason": "Days worked do not match the register."},
    )
    client.force_login(carol, backend="django.contrib.auth.backends.ModelBackend")

    # When Carol approves from her stale page
    response = client.post(reverse("reports:report_approve", args=[submitted_report.pk]), {"version": 1}, follow=True)

    # Then she is told, and the return stands
    assert response.status_code == 200
    page = response.content.decode()
    assert "This report was changed by someone else (version 2, you had 1). Reload it." in page
    submitted_report.refresh_from_db()
    assert submitted_report.status == MonthlyReport.Status.RETURNED
    assert submitted_report.return_reason == "Days worked do not match the register."
