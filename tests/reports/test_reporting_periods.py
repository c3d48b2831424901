"""Reporting periods (DESIGN.md): a month's report can be saved as a draft from the month's first day, but it is
submitted, approved or imported as submitted/approved only once the month has ended, in the programme's time
zone (Asia/Pyongyang, UTC+9). Each surface refuses with a sentence that says from when, and the boundary is
exact: 23:59:59 on the month's last day is still refused, 00:00:00 the next day is allowed."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories import selectors, services
from factories.models import MonthlyReport, ReportEvent
from tests.api.conftest import token_client
from tests.builders import MonthlyReportBuilder
from tests.conftest import client_for
from tests.reports.conftest import figures
from tests.reports.test_import_export import csv_of, row

pytestmark = pytest.mark.django_db

PYONGYANG = zoneinfo.ZoneInfo("Asia/Pyongyang")
DECEMBER = datetime.date(2026, 12, 1)
LAST_SECOND_OF_DECEMBER = datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=PYONGYANG)
FIRST_SECOND_OF_JANUARY = datetime.datetime(2027, 1, 1, 0, 0, 0, tzinfo=PYONGYANG)
REFUSAL = "December 2026 has not ended yet: save the report as a draft; it can be submitted from 1 January 2027."
REVIEW_REFUSAL = "December 2026 has not ended yet: its reports can be approved from 1 January 2027."


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


# --- the rule ---------------------------------------------------------------------------------------------


def test_a_month_ends_at_midnight_in_the_programmes_time_zone_not_in_utc():
    assert selectors.submission_opens_at(DECEMBER) == FIRST_SECOND_OF_JANUARY
    assert selectors.has_month_ended(DECEMBER, now=LAST_SECOND_OF_DECEMBER) is False
    assert selectors.has_month_ended(DECEMBER, now=FIRST_SECOND_OF_JANUARY) is True
    # 15:00 UTC on 31 December is already midnight in Pyongyang.
    assert selectors.has_month_ended(DECEMBER, now=datetime.datetime(2026, 12, 31, 15, tzinfo=datetime.UTC)) is True
    assert selectors.has_month_ended(
        DECEMBER, now=datetime.datetime(2026, 12, 31, 14, 59, 59, tzinfo=datetime.UTC)
    ) is (False)


def test_the_refusal_says_from_which_day_the_report_can_be_submitted():
    assert selectors.month_not_ended_reason(DECEMBER, now=LAST_SECOND_OF_DECEMBER) == REFUSAL
    assert selectors.month_not_ended_reason(DECEMBER, now=FIRST_SECOND_OF_JANUARY) is None


# --- the form -----------------------------------------------------------------------------------------------


def _post_entry(client, factory, action):
    url = reverse("reports:report_entry", args=[factory.code, "2026-12"])
    return client.post(url, {**figures(), "action": action})


def test_a_draft_can_be_saved_on_the_months_first_day(client, alice, alpha_factory):
    with at(datetime.datetime(2026, 12, 1, 0, 0, tzinfo=PYONGYANG)):
        client_for(client, alice)
        response = _post_entry(client, alpha_factory, "save")

    assert response.status_code == 302
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.DRAFT


def test_the_form_keeps_a_draft_but_refuses_to_submit_at_2359_59_on_the_last_day(client, alice, alpha_factory):
    with at(LAST_SECOND_OF_DECEMBER):
        client_for(client, alice)  # signed in then: a session opened today would have expired by then
        response = _post_entry(client, alpha_factory, "submit")

    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert "Saved as a draft, not submitted." in response.content.decode()
    report = MonthlyReport.objects.get()
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.first_submitted_at is None


def test_the_form_submits_at_midnight_when_the_month_has_ended(client, alice, alpha_factory):
    with at(FIRST_SECOND_OF_JANUARY):
        client_for(client, alice)
        response = _post_entry(client, alpha_factory, "submit")

    report = MonthlyReport.objects.get()
    assert response.status_code == 302
    assert report.status == MonthlyReport.Status.SUBMITTED


def test_the_entry_page_of_a_month_in_progress_offers_a_draft_only_and_says_when_to_submit(
    client, alice, alpha_factory
):
    with at(datetime.datetime(2026, 12, 3, 10, tzinfo=PYONGYANG)):
        client_for(client, alice)
        page = client.get(reverse("reports:report_entry", args=[alpha_factory.code, "2026-12"])).content.decode()

    assert REFUSAL in page
    assert 'value="save"' in page
    assert 'value="submit"' not in page


def test_this_month_shows_a_month_in_progress_as_open_for_drafts_not_as_missing(client, alice, alpha_factory):
    with at(datetime.datetime(2026, 12, 3, 10, tzinfo=PYONGYANG)):
        client_for(client, alice)
        response = client.get(reverse("reports:this_month"))

    page = response.content.decode()
    december = page[page.index('data-testid="entry-month-2026-12"') :]
    november = page[page.index('data-testid="entry-month-2026-11"') : page.index('data-testid="entry-month-2026-12"')]
    assert (
        "Open for drafts until 31 December 2026; can be submitted from 1 January 2027 to 10 January 2027." in december
    )
    assert "month in progress" in december
    assert "missing" not in december
    assert "Start a draft" in december
    # November has ended: its report is due and, not entered, missing.
    assert "missing" in november
    assert "due in 7 days, by 10 December 2026" in november


# --- the API ------------------------------------------------------------------------------------------------


def _api_submit(alice, alpha_factory):
    api = token_client(alice)
    body = {"factory": alpha_factory.code, "month": "2026-12", **figures()}
    created = api.post("/api/v1/reports/", body, format="json")
    assert created.status_code == 201
    return api.post(f"/api/v1/reports/{created.json()['id']}/submit/", {"version": 1}, format="json")


def test_the_api_refuses_to_submit_at_2359_59_with_the_same_sentence(alice, alpha_factory):
    with at(LAST_SECOND_OF_DECEMBER):
        response = _api_submit(alice, alpha_factory)

    assert response.status_code == 400
    assert REFUSAL in str(response.json())
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.DRAFT


def test_the_api_submits_at_midnight(alice, alpha_factory):
    with at(FIRST_SECOND_OF_JANUARY):
        response = _api_submit(alice, alpha_factory)

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


# --- the review ---------------------------------------------------------------------------------------------


def test_a_report_of_a_month_in_progress_cannot_be_approved_before_the_month_ends(carol, alpha_factory):
    # Given a report submitted before this rule existed
    report = MonthlyReportBuilder(factory=alpha_factory, month=DECEMBER, submitted=True)

    with at(LAST_SECOND_OF_DECEMBER), pytest.raises(Exception) as refusal:
        services.report_approve(report=report, user=carol)
    assert REVIEW_REFUSAL in str(refusal.value)

    with at(FIRST_SECOND_OF_JANUARY):
        services.report_approve(report=report, user=carol)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED


def test_the_api_refuses_to_approve_a_month_in_progress(carol, alpha_factory):
    report = MonthlyReportBuilder(factory=alpha_factory, month=DECEMBER, submitted=True)

    with at(LAST_SECOND_OF_DECEMBER):
        response = token_client(carol).post(f"/api/v1/reports/{report.pk}/approve/", {}, format="json")

    assert response.status_code == 400
    assert REVIEW_REFUSAL in str(response.json())


def test_bulk_approval_leaves_a_month_in_progress_in_the_queue_and_says_when(client, carol, alpha_factory):
    november = MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2026, 11, 1), submitted=True)
    december = MonthlyReportBuilder(factory=alpha_factory, month=DECEMBER, submitted=True)
    with at(LAST_SECOND_OF_DECEMBER):
        client_for(client, carol)
        response = client.post(
            reverse("reports:review_bulk_approve"), {"report": [november.pk, december.pk]}, follow=True
        )

    november.refresh_from_db()
    december.refresh_from_db()
    assert (november.status, december.status) == (MonthlyReport.Status.APPROVED, MonthlyReport.Status.SUBMITTED)
    assert REVIEW_REFUSAL in response.content.decode()
    assert not ReportEvent.objects.filter(report=december, kind=ReportEvent.Kind.APPROVED).exists()


# --- the import ---------------------------------------------------------------------------------------------


def _import_errors(client, carol, content):
    client_for(client, carol)
    response = client.post(reverse("reports:report_import"), {"file": SimpleUploadedFile("dec.csv", content.encode())})
    return [(error.line, error.message) for error in response.context["parsed"].errors]


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_the_import_refuses_a_month_in_progress_at_2359_59(client, carol, alpha_factory, status):
    with at(LAST_SECOND_OF_DECEMBER):
        errors = _import_errors(client, carol, csv_of(row(month="2026-12", status=status)))

    assert errors == [(2, "December 2026 has not ended yet; its reports can be imported from 1 January 2027")]


def test_the_import_takes_the_month_at_midnight(client, carol, alpha_factory):
    with at(FIRST_SECOND_OF_JANUARY):
        errors = _import_errors(client, carol, csv_of(row(month="2026-12", status="approved")))

    assert errors == []
