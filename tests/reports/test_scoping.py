"""Every URL of the report pages, walked by every persona: outside scope is 404, a forbidden action 403."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from factories.models import MonthlyReport
from factories.services import report_import_preview
from tests.builders import MonthlyReportBuilder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "carol", "dave", "erin", "frank"]


@pytest.fixture
def submitted_report(alpha_factory, open_month):
    return MonthlyReportBuilder(factory=alpha_factory, month=open_month, submitted=True)


@pytest.fixture
def approved_closed_report(alpha_factory, closed_month):
    return MonthlyReportBuilder(factory=alpha_factory, month=closed_month, approved=True)


def status_for(client, request, persona, method, url, data=None):
    client_for(client, request.getfixturevalue(persona))
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    client.logout()
    return response.status_code


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 200), ("bob", 200), ("carol", 403), ("dave", 403), ("erin", 403), ("frank", 403)],
)
def test_this_month_is_for_county_officials_only(client, request, persona, expected):
    assert status_for(client, request, persona, "get", reverse("reports:this_month")) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 200), ("bob", 404), ("carol", 403), ("dave", 403), ("erin", 403), ("frank", 403)],
)
def test_only_the_countys_official_opens_the_entry_form_of_its_factory(
    client, request, persona, expected, alpha_factory, open_month
):
    url = reverse("reports:report_entry", args=[alpha_factory.code, open_month])

    assert status_for(client, request, persona, "get", url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("erin", 404), ("frank", 200)],
)
def test_a_submitted_report_is_seen_by_its_county_its_province_and_administrators(
    client, request, persona, expected, submitted_report
):
    url = reverse("reports:report_detail", args=[submitted_report.pk])

    assert status_for(client, request, persona, "get", url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("erin", 200), ("frank", 200)],
)
def test_an_approved_report_is_also_seen_by_analysts(client, request, persona, expected, approved_closed_report):
    url = reverse("reports:report_detail", args=[approved_closed_report.pk])

    assert status_for(client, request, persona, "get", url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 403), ("bob", 404), ("carol", 302), ("dave", 404), ("erin", 404), ("frank", 403)],
)
def test_only_the_provinces_official_approves(client, request, persona, expected, submitted_report):
    url = reverse("reports:report_approve", args=[submitted_report.pk])

    assert status_for(client, request, persona, "post", url) == expected
    expected_status = "approved" if expected == 302 else "submitted"
    assert MonthlyReport.objects.get(pk=submitted_report.pk).status == expected_status


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 403), ("bob", 404), ("carol", 302), ("dave", 404), ("erin", 404), ("frank", 403)],
)
def test_only_the_provinces_official_returns(client, request, persona, expected, submitted_report):
    url = reverse("reports:report_return", args=[submitted_report.pk])

    assert status_for(client, request, persona, "post", url, {"return-reason": "Check days."}) == expected
    expected_status = "returned" if expected == 302 else "submitted"
    assert MonthlyReport.objects.get(pk=submitted_report.pk).status == expected_status


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 403), ("bob", 404), ("carol", 403), ("dave", 404), ("erin", 403), ("frank", 302)],
)
def test_only_administrators_reopen(client, request, persona, expected, approved_closed_report):
    url = reverse("reports:report_reopen", args=[approved_closed_report.pk])

    assert status_for(client, request, persona, "post", url, {"reopen-reason": "Wrong unit."}) == expected
    expected_status = "draft" if expected == 302 else "approved"
    assert MonthlyReport.objects.get(pk=approved_closed_report.pk).status == expected_status


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 403), ("bob", 403), ("carol", 200), ("dave", 200), ("erin", 403), ("frank", 403)],
)
def test_the_review_queue_is_for_provincial_officials(client, request, persona, expected):
    assert status_for(client, request, persona, "get", reverse("reports:review_queue")) == expected


@pytest.mark.parametrize("persona", ["alice", "bob", "erin", "frank"])
def test_bulk_approval_is_refused_to_other_roles(client, request, persona, submitted_report):
    url = reverse("reports:review_bulk_approve")

    assert status_for(client, request, persona, "post", url, {"report": [submitted_report.pk]}) == 403
    assert MonthlyReport.objects.get(pk=submitted_report.pk).status == "submitted"


def test_bulk_approval_by_another_province_approves_nothing(client, dave, submitted_report):
    client_for(client, dave)

    response = client.post(reverse("reports:review_bulk_approve"), {"report": [submitted_report.pk]}, follow=True)

    assert MonthlyReport.objects.get(pk=submitted_report.pk).status == "submitted"
    assert "0 reports approved; 1 were no longer waiting for review." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 403), ("bob", 403), ("carol", 200), ("dave", 200), ("erin", 200), ("frank", 200)],
)
def test_completeness_is_for_reviewers_analysts_and_administrators(client, request, persona, expected):
    assert status_for(client, request, persona, "get", reverse("reports:completeness")) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 403), ("bob", 403), ("carol", 200), ("dave", 200), ("erin", 403), ("frank", 200)],
)
def test_import_is_for_administrators_and_provincial_officials(client, request, persona, expected):
    assert status_for(client, request, persona, "get", reverse("reports:report_import")) == expected
    assert status_for(client, request, persona, "get", reverse("reports:report_import_template")) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_report_list_shows_each_persona_only_their_scope(
    client, request, persona, alpha_factory, beta_factory, gamma_factory, open_month, closed_month
):
    MonthlyReportBuilder(factory=alpha_factory, month=open_month, comment="alpha-draft")
    MonthlyReportBuilder(factory=beta_factory, month=closed_month, approved=True, comment="beta-approved")
    MonthlyReportBuilder(factory=gamma_factory, month=open_month, submitted=True, comment="gamma-submitted")
    visible = {
        "alice": {"alpha-foodstuff"},
        "bob": {"beta-garment"},
        "carol": {"alpha-foodstuff", "beta-garment"},
        "dave": {"gamma-paper"},
        "erin": {"beta-garment"},
        "frank": {"alpha-foodstuff", "beta-garment", "gamma-paper"},
    }[persona]
    client_for(client, request.getfixturevalue(persona))

    listed = client.get(reverse("reports:report_list")).context["page"].object_list
    exported = b"".join(client.get(reverse("reports:report_export_csv")).streaming_content).decode()

    assert {report.factory.code for report in listed} == visible
    exported_codes = {line.split(",")[0].lstrip("\ufeff") for line in exported.splitlines()[1:]}
    assert exported_codes == visible


def test_one_cannot_commit_someone_elses_import(client, carol, dave, frank, alpha_factory):
    report_import, _parsed = report_import_preview(user=frank, file_name="a.csv", content="factory_code\n")

    for persona in (carol, dave):
        client_for(client, persona)
        assert client.post(reverse("reports:report_import_commit", args=[report_import.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_committing_an_import_is_refused_to_roles_that_may_not_import(client, request, persona, frank):
    report_import, _parsed = report_import_preview(user=frank, file_name="a.csv", content="factory_code\n")
    url = reverse("reports:report_import_commit", args=[report_import.pk])

    assert status_for(client, request, persona, "post", url) == 403


@pytest.mark.parametrize(
    ("persona", "expected_codes"),
    [("alice", {"alpha-foodstuff"}), ("dave", set()), ("erin", set()), ("frank", {"alpha-foodstuff"})],
)
def test_the_excel_export_is_scoped_too(client, request, persona, expected_codes, alpha_factory, open_month):
    MonthlyReportBuilder(factory=alpha_factory, month=open_month, submitted=True)
    client_for(client, request.getfixturevalue(persona))

    response = client.get(reverse("reports:report_export_xlsx"))

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == expected_codes
