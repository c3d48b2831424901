"""The report workflow through the API: the same services, messages and refusals as the browser."""

from decimal import Decimal

import pytest

from factories import selectors, services
from factories.models import MonthlyReport, ReportEvent
from tests.api.conftest import reporting_month
from tests.builders import FactoryBuilder, MonthlyReportBuilder

pytestmark = pytest.mark.django_db

FIGURES = {
    "output_value_thousand_won": "10000.00",
    "physical_output": "80.00",
    "varieties_produced": 15,
    "raw_material_used_tonnes": "80.00",
    "raw_material_from_own_bases_tonnes": "60.00",
    "days_worked": 20,
    "workers_on_roll": 120,
}


@pytest.fixture
def alphas_factory(alpha_county):
    return FactoryBuilder(code="alpha-foodstuff", county=alpha_county)


def create_draft(client, factory_code="alpha-foodstuff", **changes):
    body = {"factory": factory_code, "month": reporting_month().strftime("%Y-%m"), **FIGURES, **changes}
    return client.post("/api/v1/reports/", body, format="json")


def test_a_report_goes_from_draft_to_approved_through_a_return(alice, carol, erin, as_user, alphas_factory):
    county, province = as_user(alice), as_user(carol)

    # Given Alice's new draft
    created = create_draft(county)
    assert created.status_code == 201
    report = created.json()
    assert (report["status"], report["factory"], report["month"], report["version"]) == (
        "draft",
        "alpha-foodstuff",
        reporting_month().isoformat(),
        1,
    )
    # When she corrects a figure and submits
    changed = county.patch(f"/api/v1/reports/{report['id']}/", {"days_worked": 21, "version": 1}, format="json").json()
    assert (changed["days_worked"], changed["output_value_thousand_won"], changed["version"]) == (21, "10000.00", 2)
    submitted = county.post(f"/api/v1/reports/{report['id']}/submit/", {"version": 2}, format="json").json()
    assert (submitted["status"], submitted["version"]) == ("submitted", 3)
    # And Carol returns it with a reason
    returned = province.post(
        f"/api/v1/reports/{report['id']}/return/", {"reason": "Check the workers.", "version": 3}, format="json"
    ).json()
    assert (returned["status"], returned["return_reason"]) == ("returned", "Check the workers.")
    # Then Alice fixes and resubmits, and Carol approves
    county.patch(f"/api/v1/reports/{report['id']}/", {"workers_on_roll": 118, "version": 4}, format="json")
    county.post(f"/api/v1/reports/{report['id']}/submit/", {"version": 5}, format="json")
    approved = province.post(f"/api/v1/reports/{report['id']}/approve/", {"version": 6}, format="json")
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["workers_on_roll"]) == ("approved", 118)
    assert list(ReportEvent.objects.filter(report_id=report["id"]).values_list("kind", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    # And the analyst now sees it
    assert as_user(erin).get(f"/api/v1/reports/{report['id']}/").json()["status"] == "approved"


def test_a_stale_version_is_refused_with_409_and_changes_nothing(alice, as_user, alphas_factory):
    client = as_user(alice)
    report_id = create_draft(client).json()["id"]
    client.patch(f"/api/v1/reports/{report_id}/", {"days_worked": 21, "version": 1}, format="json")

    response = client.patch(f"/api/v1/reports/{report_id}/", {"days_worked": 5, "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "This report was changed by someone else (version 2, you had 1). Reload it."}
    assert MonthlyReport.objects.get(pk=report_id).days_worked == 21


def test_creating_a_report_that_exists_is_a_conflict(alice, as_user, alphas_factory):
    client = as_user(alice)
    first = create_draft(client).json()

    response = create_draft(client)

    assert response.status_code == 409
    assert str(first["id"]) in response.json()["detail"]


def test_invalid_figures_get_the_forms_messages_as_a_400(alice, as_user, alphas_factory):
    response = create_draft(
        as_user(alice),
        raw_material_from_own_bases_tonnes="90.00",
        varieties_produced=-1,
        physical_output="1.234",
    )

    assert response.status_code == 400
    assert response.json() == {
        "varieties_produced": ["Enter zero or more."],
        "physical_output": ["Enter at most two decimal places."],
    }
    assert not MonthlyReport.objects.exists()


def test_cross_field_rules_come_from_the_service_with_its_words(alice, as_user, alphas_factory):
    response = create_draft(as_user(alice), raw_material_from_own_bases_tonnes="90.00")

    assert response.status_code == 400
    assert response.json() == {
        "raw_material_from_own_bases_tonnes": [
            "Raw material from own bases (90.00 t) cannot exceed the raw material used (80.00 t)."
        ]
    }


def test_a_month_not_given_by_its_first_day_is_refused(alice, as_user, alphas_factory):
    response = create_draft(as_user(alice), month=reporting_month().replace(day=2).isoformat())

    assert response.status_code == 400
    assert response.json() == {"month": ["A report's month is given by its first day."]}


def test_an_unknown_factory_is_a_field_error(alice, as_user, alphas_factory):
    response = create_draft(as_user(alice), factory_code="no-such-factory")

    assert response.status_code == 400
    assert response.json() == {"factory": ["There is no factory with this code."]}


def test_county_official_cannot_create_a_report_for_another_countys_factory(bob, as_user, alphas_factory):
    response = create_draft(as_user(bob))

    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("persona", ["carol", "erin", "frank"])
def test_only_county_officials_create_reports(request, as_user, alphas_factory, persona):
    response = create_draft(as_user(request.getfixturevalue(persona)))

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the county's officials may enter this factory's reports."}


def test_provincial_official_cannot_edit_a_countys_draft(carol, as_user, alphas_factory):
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month())

    response = as_user(carol).patch(f"/api/v1/reports/{report.pk}/", {"days_worked": 1, "version": 1}, format="json")

    assert response.status_code == 403
    assert MonthlyReport.objects.get(pk=report.pk).days_worked == 24


def test_county_official_cannot_approve_their_own_report(alice, as_user, alphas_factory):
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month(), submitted=True)

    response = as_user(alice).post(f"/api/v1/reports/{report.pk}/approve/", {}, format="json")

    assert response.status_code == 403
    assert MonthlyReport.objects.get(pk=report.pk).status == "submitted"


def test_another_provinces_official_gets_404_not_403(dave, as_user, alphas_factory):
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month(), submitted=True)

    response = as_user(dave).post(f"/api/v1/reports/{report.pk}/approve/", {}, format="json")

    assert response.status_code == 404


def test_returning_needs_a_reason(carol, as_user, alphas_factory):
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month(), submitted=True)

    response = as_user(carol).post(f"/api/v1/reports/{report.pk}/return/", {"reason": "  "}, format="json")

    assert response.status_code == 400
    assert response.json() == {"reason": ["Say what the county must correct."]}
    assert MonthlyReport.objects.get(pk=report.pk).status == "submitted"


def test_approving_a_draft_is_refused_with_the_services_message(carol, as_user, alphas_factory):
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month())

    response = as_user(carol).post(f"/api/v1/reports/{report.pk}/approve/", {"version": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Only submitted reports can be approved; this one is draft."]}


def test_a_flagged_report_is_approved_only_with_its_warnings_acknowledged(carol, as_user, alphas_factory):
    # 100 tonnes in a month is above a twelfth of the 1,000 tonnes a year the factory was designed for.
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month(), submitted=True)
    url = f"/api/v1/reports/{report.pk}/approve/"

    refused = as_user(carol).post(url, {"version": 1}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {
        "acknowledge_warnings": [
            "Not approved: this report is flagged as unusual. Read the warnings below and the county's explanation, "
            'then approve it again with "acknowledge_warnings": true.',
            "Physical output 100.00 is above the factory's design capacity of 83.33 a month (1,000.00 a year).",
        ]
    }
    assert as_user(carol).post(url, {"version": 1, "acknowledge_warnings": False}, format="json").status_code == 400
    report.refresh_from_db()
    assert (report.status, report.version) == ("submitted", 1)
    assert not ReportEvent.objects.filter(report=report, kind="approved").exists()

    approved = as_user(carol).post(url, {"version": 1, "acknowledge_warnings": True}, format="json")

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert ReportEvent.objects.filter(report=report, kind="approved").count() == 1


def test_a_report_without_warnings_needs_no_acknowledgement(carol, as_user, alphas_factory):
    report = MonthlyReportBuilder(
        factory=alphas_factory, month=reporting_month(), submitted=True, physical_output=Decimal("80")
    )
    assert selectors.report_warnings(report=report) == []

    approved = as_user(carol).post(f"/api/v1/reports/{report.pk}/approve/", {"version": 1}, format="json")

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"


def test_an_approved_report_cannot_be_edited_through_the_api(alice, as_user, alphas_factory):
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month(), approved=True)

    response = as_user(alice).patch(f"/api/v1/reports/{report.pk}/", {"days_worked": 1, "version": 1}, format="json")

    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith("Approved by")


def test_the_client_cannot_move_a_report_to_another_factory_or_month(alice, as_user, alphas_factory, alpha_county):
    other_factory = FactoryBuilder(code="alpha-garment", county=alpha_county, kind="garment")
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month())

    response = as_user(alice).patch(
        f"/api/v1/reports/{report.pk}/",
        {"factory": other_factory.code, "month": "2020-01", "status": "approved", "version": 1},
        format="json",
    )

    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.factory_id, report.month, report.status) == (alphas_factory.pk, reporting_month(), "draft")


def test_put_and_delete_are_not_offered(alice, as_user, alphas_factory):
    report = MonthlyReportBuilder(factory=alphas_factory, month=reporting_month())
    client = as_user(alice)

    assert client.put(f"/api/v1/reports/{report.pk}/", FIGURES, format="json").status_code == 405
    assert client.delete(f"/api/v1/reports/{report.pk}/").status_code == 405


def test_a_plausibility_warning_needs_a_comment_before_submitting(alice, as_user, alphas_factory):
    # The factory's design capacity is 1,000 t a year, so 100 t in one month is above its monthly capacity.
    client = as_user(alice)
    report_id = create_draft(client, physical_output="100.00").json()["id"]

    refused = client.post(f"/api/v1/reports/{report_id}/submit/", {"version": 1}, format="json")
    client.patch(f"/api/v1/reports/{report_id}/", {"comment": "New line installed.", "version": 1}, format="json")
    accepted = client.post(f"/api/v1/reports/{report_id}/submit/", {"version": 2}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {"comment": ["Explain the figures flagged above in the comment before submitting."]}
    assert (accepted.status_code, accepted.json()["status"]) == (200, "submitted")


def test_a_late_entry_allowed_by_an_administrator_opens_a_closed_month_to_the_api_too(
    alice, frank, as_user, alphas_factory
):
    closed = selectors.add_months(reporting_month(), -3)
    refused = create_draft(as_user(alice), month=closed.strftime("%Y-%m"))
    services.late_entry_allow(factory=alphas_factory, month=closed, user=frank, reason="Figures found on paper.")

    created = create_draft(as_user(alice), month=closed.strftime("%Y-%m"))

    assert refused.status_code == 400 and "entry period" in str(refused.json())
    assert created.status_code == 201
    assert MonthlyReport.objects.get(month=closed).is_reopened is True
