"""The CSV import facing hostile or odd files (issue 13): every one gets a clear answer naming the line, never a 500;
an approved row is recorded as submitted and approved so that integrity_check stays clean."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories import services
from factories.models import MonthlyReport, ReportEvent, ReportImport
from regional.integrity import integrity_checks_run
from tests.conftest import client_for
from tests.reports.test_import_export import HEADER, csv_of, row

pytestmark = pytest.mark.django_db


def upload(client, user, content: str | bytes, name="reports.csv"):
    client_for(client, user)
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(reverse("reports:report_import"), {"file": SimpleUploadedFile(name, data)})


def errors_of(response):
    return [(error.line, error.message) for error in response.context["parsed"].errors]


def test_a_file_with_cr_only_line_endings_is_read_line_by_line(client, carol, alpha_factory):
    content = csv_of(row(month="2025-01"), row(month="2025-02")).replace("\n", "\r")

    response = upload(client, carol, content)

    assert response.status_code == 200
    assert errors_of(response) == []
    assert response.context["parsed"].row_count == 2


def test_a_cell_longer_than_the_csv_limit_is_named_by_its_line(client, carol, alpha_factory):
    content = csv_of(row(month="2025-01"), row(month="2025-02", comment="x" * 140_000))

    response = upload(client, carol, content)

    assert response.status_code == 200
    assert errors_of(response) == [
        (
            3,
            "a cell is longer than 131,072 characters; no figure or comment is that long (a quote left open makes "
            "the rest of the file one cell)",
        )
    ]
    assert "Import all rows" not in response.content.decode()


def test_a_nul_character_is_refused_with_its_line_and_nothing_is_kept(client, carol, alpha_factory):
    content = csv_of(row(month="2025-01"), row(month="2025-02", comment="bad\x00byte"))

    response = upload(client, carol, content)

    assert response.status_code == 400
    assert "The file contains a NUL character (line 3): it is not a text CSV file." in response.content.decode()
    assert ReportImport.objects.count() == 0


def test_the_service_refuses_a_nul_character_too(carol, alpha_factory):
    with pytest.raises(ValidationError) as refusal:
        services.report_import_preview(user=carol, file_name="x.csv", content=csv_of(row(comment="\x00")))

    assert refusal.value.messages == ["The file contains a NUL character (line 2): it is not a text CSV file."]
    assert ReportImport.objects.count() == 0


def test_a_column_given_twice_in_the_header_is_refused(client, carol, alpha_factory):
    content = HEADER + ",month\n" + row(month="2025-01") + ",2025-02\n"

    response = upload(client, carol, content)

    assert errors_of(response) == [(1, "Header: columns given twice: month.")]


@pytest.mark.parametrize("column", ["varieties_produced", "days_worked", "output_value_thousand_won"])
def test_a_huge_exponent_is_refused_as_an_exponent_without_being_computed(client, carol, alpha_factory, column):
    # 1e1500000 held a web worker for 61 s while Decimal/int arithmetic built the number.
    values = {
        "output_value_thousand_won": "10000",
        "varieties_produced": "15",
        "days_worked": "24",
    }
    values[column] = "1e1500000"
    line = (
        f"alpha-foodstuff,2025-01,{values['output_value_thousand_won']},100,{values['varieties_produced']},80,60,"
        f"{values['days_worked']},120,,"
    )

    response = upload(client, carol, csv_of(line))

    assert errors_of(response) == [(2, f"{column}: Write the number in full, without an exponent (e).")]


def test_an_imported_comment_is_bounded_like_the_forms(client, carol, alpha_factory):
    content = csv_of(row(month="2025-01", comment="x" * 4000), row(month="2025-02", comment="x" * 4001))

    response = upload(client, carol, content)

    assert errors_of(response) == [(3, "comment: Keep the comment within 4000 characters; this one has 4001.")]


def test_importing_approved_rows_records_submission_and_approval_and_integrity_stays_clean(
    client, carol, alpha_factory
):
    # Given a draft of January (updated by the import) and nothing for February (created by it)
    MonthlyReport.objects.create(
        factory=alpha_factory,
        month="2025-01-01",
        output_value_thousand_won=1,
        physical_output=1,
        varieties_produced=1,
        raw_material_used_tonnes=1,
        raw_material_from_own_bases_tonnes=1,
        days_worked=1,
        workers_on_roll=1,
        created_by=carol,
    )
    preview = upload(
        client, carol, csv_of(row(month="2025-01", status="approved"), row(month="2025-02", status="approved"))
    )
    assert errors_of(preview) == []

    client.post(reverse("reports:report_import_commit", args=[preview.context["report_import"].pk]))

    for report in MonthlyReport.objects.all():
        kinds = sorted(report.events.values_list("kind", flat=True))
        assert (report.status, kinds) == ("approved", ["approved", "submitted"])
    results = integrity_checks_run(
        names=["approved_reports_without_approval_event", "submitted_reports_without_submission_event"]
    )
    assert [(result.check.name, result.count) for result in results] == [
        ("approved_reports_without_approval_event", 0),
        ("submitted_reports_without_submission_event", 0),
    ]
    assert ReportEvent.objects.count() == 4
