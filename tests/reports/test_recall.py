"""A county recalls a submitted report that the province has not reviewed yet (issue 14): service, page and API,
recorded in the events and the history, refused once reviewed, outside the county, or after the entry period."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factories import services
from factories.models import MonthlyReport, ReportEvent
from regional.exceptions import ConflictError
from tests.api.conftest import token_client
from tests.builders import MonthlyReportBuilder
from tests.conftest import client_for
from tests.reports.conftest import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(alice, alpha_factory, open_month):
    report = services.report_save_draft(factory=alpha_factory, month=open_month, data=figures(), user=alice)
    return services.report_submit(report=report, user=alice)


def test_county_official_recalls_a_submitted_report_back_to_draft_with_an_event_and_history(alice, submitted):
    first_submitted_at = submitted.first_submitted_at

    report = services.report_recall(report=submitted, user=alice, expected_version=submitted.version)

    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.first_submitted_at == first_submitted_at  # punctuality is decided by the first submission
    assert list(report.events.values_list("kind", "actor__username")) == [
        ("submitted", "alice"),
        ("recalled", "alice"),
    ]
    latest = report.history.latest()
    assert (latest.status, latest.history_user) == ("draft", alice)
    # It can be corrected and submitted again
    services.report_save_draft(
        factory=report.factory, month=report.month, data={"days_worked": 20}, user=alice, expected_version=3
    )
    assert services.report_submit(report=report, user=alice).status == MonthlyReport.Status.SUBMITTED


def test_a_reviewed_report_cannot_be_recalled(alice, carol, submitted):
    services.report_return(report=submitted, user=carol, reason="Days worked do not match the roll.")

    with pytest.raises(ValidationError) as refusal:
        services.report_recall(report=submitted, user=alice)

    assert refusal.value.messages == [
        "Only a submitted report that the province has not reviewed yet can be recalled; this one is returned."
    ]


def test_an_approved_report_cannot_be_recalled(alice, carol, submitted):
    services.report_approve(report=submitted, user=carol)

    with pytest.raises(ValidationError):
        services.report_recall(report=submitted, user=alice)
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.APPROVED


def test_a_draft_cannot_be_recalled(alice, alpha_factory, open_month):
    report = services.report_save_draft(factory=alpha_factory, month=open_month, data=figures(), user=alice)

    with pytest.raises(ValidationError):
        services.report_recall(report=report, user=alice)


def test_another_countys_official_and_the_province_cannot_recall(bob, carol, submitted):
    for user in (bob, carol):
        with pytest.raises(PermissionDenied):
            services.report_recall(report=submitted, user=user)
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.SUBMITTED


def test_a_recall_based_on_a_stale_version_is_a_conflict(alice, submitted):
    with pytest.raises(ConflictError):
        services.report_recall(report=submitted, user=alice, expected_version=submitted.version - 1)


def test_a_report_of_a_closed_month_cannot_be_recalled(alice, alpha_factory, closed_month):
    report = MonthlyReportBuilder(factory=alpha_factory, month=closed_month, submitted=True)

    with pytest.raises(ValidationError) as refusal:
        services.report_recall(report=report, user=alice)

    assert "ask the province to return it for correction instead" in refusal.value.messages[0]


# --- page ---------------------------------------------------------------------------------------------------


def test_the_report_page_offers_the_recall_to_the_county_only(client, alice, carol, submitted):
    url = reverse("reports:report_detail", args=[submitted.pk])

    assert 'data-testid="recall"' in client_for(client, alice).get(url).content.decode()
    assert 'data-testid="recall"' not in client_for(client, carol).get(url).content.decode()


def test_recalling_from_the_page_opens_the_draft_for_correction(client, alice, submitted):
    client_for(client, alice)

    response = client.post(
        reverse("reports:report_recall", args=[submitted.pk]), {"version": submitted.version}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "reports:report_entry", args=[submitted.factory.code, f"{submitted.month:%Y-%m}"]
    )
    assert "Report recalled: it is a draft again. Correct it and submit it again." in response.content.decode()
    assert 'value="submit"' in response.content.decode()
    assert ReportEvent.objects.filter(kind="recalled").count() == 1


def test_a_recall_the_page_refuses_says_why(client, alice, carol, submitted):
    services.report_approve(report=submitted, user=carol)
    client_for(client, alice)

    response = client.post(reverse("reports:report_recall", args=[submitted.pk]), follow=True)

    assert "Only a submitted report that the province has not reviewed yet can be recalled" in (
        response.content.decode()
    )
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.APPROVED


def test_another_county_cannot_even_find_the_report_to_recall(client, bob, submitted):
    response = client_for(client, bob).post(reverse("reports:report_recall", args=[submitted.pk]))

    assert response.status_code == 404


# --- API ----------------------------------------------------------------------------------------------------


def test_the_api_recalls_with_the_version(alice, submitted):
    response = token_client(alice).post(
        f"/api/v1/reports/{submitted.pk}/recall/", {"version": submitted.version}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("draft", submitted.version + 1)


def test_the_api_refuses_a_reviewed_report_a_stale_version_and_other_roles(alice, bob, carol, submitted):
    api = token_client(alice)
    assert api.post(f"/api/v1/reports/{submitted.pk}/recall/", {"version": 1}, format="json").status_code == 409
    assert token_client(bob).post(f"/api/v1/reports/{submitted.pk}/recall/", {}, format="json").status_code == 404
    assert token_client(carol).post(f"/api/v1/reports/{submitted.pk}/recall/", {}, format="json").status_code == 403
    services.report_approve(report=submitted, user=carol)

    response = api.post(f"/api/v1/reports/{submitted.pk}/recall/", {}, format="json")

    assert response.status_code == 400
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.APPROVED
