"""CSV import (dry run, all-or-nothing commit, errors by line) and CSV/XLSX export (streamed, scoped,
formula injection neutralised)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from factories import services
from factories.models import Factory, MonthlyReport, ReportEvent
from factories.selectors import add_months
from tests.builders import MonthlyReportBuilder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = (
    "factory_code,month,output_value_thousand_won,physical_output,varieties_produced,raw_material_used_tonnes,"
    "raw_material_from_own_bases_tonnes,days_worked,workers_on_roll,comment,status"
)


def csv_of(*rows):
    return "\n".join([HEADER, *rows]) + "\n"


def row(code="alpha-foodstuff", month="2025-03", output="10000", own="60", days="24", status="", comment=""):
    return f"{code},{month},{output},100,15,80,{own},{days},120,{comment},{status}"


def test_a_file_with_errors_lists_every_bad_line_and_changes_nothing(client, carol, alpha_factory, gamma_factory):
    existing = MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01", output_value_thousand_won=5)
    content = csv_of(
        row(month="2025-01"),  # line 2: fine (an update)
        row(month="2025-05", own="90"),  # line 3: own > used
        row(code="gamma-paper"),  # line 4: another province's factory
        row(month="2025-13"),  # line 5: bad month
        row(month="2025-02", days="29"),  # line 6: February 2025 has 28 days
        row(month="2025-01"),  # line 7: duplicate of line 2
        row(output="-5", month="2025-04"),  # line 8: negative
    )
    client_for(client, carol)

    response = client.post(
        reverse("reports:report_import"), {"file": SimpleUploadedFile("march.csv", content.encode())}
    )

    errors = [(error.line, error.message) for error in response.context["parsed"].errors]
    assert errors == [
        (
            3,
            "raw_material_from_own_bases_tonnes: Raw material from own bases (90 t) cannot exceed the raw material "
            "used (80 t).",
        ),
        (4, "no factory with code “gamma-paper” in your area"),
        (5, "month “2025-13” is not YYYY-MM"),
        (6, "days_worked: February 2025 has 28 days; days worked cannot be more."),
        (7, "the same factory and month as line 2"),
        (8, "output_value_thousand_won: Enter zero or more."),
    ]
    assert "Import all rows" not in response.content.decode()
    report_import = response.context["report_import"]
    with pytest.raises(ValidationError):
        services.report_import_commit(report_import=report_import, user=carol)
    assert MonthlyReport.objects.count() == 1
    assert MonthlyReport.objects.get().output_value_thousand_won == existing.output_value_thousand_won


def test_a_valid_file_is_previewed_then_committed_with_history_and_events(client, carol, alpha_factory, beta_factory):
    MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01", status="draft", days_worked=3)
    content = csv_of(
        row(month="2025-01", days="20"),
        row(month="2025-02", status="approved"),
        row(code="beta-garment", month="2025-02", comment="paper form"),
    )
    client_for(client, carol)

    preview = client.post(reverse("reports:report_import"), {"file": SimpleUploadedFile("q1.csv", content.encode())})
    assert preview.context["parsed"].errors == []
    assert "Every row is valid: 2 new reports and 1 updates." in preview.content.decode()
    assert MonthlyReport.objects.count() == 1

    report_import = preview.context["report_import"]
    response = client.post(reverse("reports:report_import_commit", args=[report_import.pk]), follow=True)

    assert "Imported q1.csv: 2 new reports, 1 updated." in response.content.decode()
    reports = {(r.factory.code, r.month.month): r for r in MonthlyReport.objects.select_related("factory")}
    assert (reports[("alpha-foodstuff", 1)].days_worked, reports[("alpha-foodstuff", 1)].status) == (20, "submitted")
    assert reports[("alpha-foodstuff", 2)].status == "approved"
    assert reports[("beta-garment", 2)].comment == "paper form"
    assert reports[("alpha-foodstuff", 1)].history.latest().history_user == carol
    assert reports[("alpha-foodstuff", 1)].history.latest().history_change_reason == "CSV import q1.csv"
    assert ReportEvent.objects.filter(kind="approved", actor=carol, reason="CSV import q1.csv").count() == 1
    # Every imported report was submitted, the approved one included.
    assert ReportEvent.objects.filter(kind="submitted", actor=carol, reason="CSV import q1.csv").count() == 3
    # A second commit of the same file is refused.
    with pytest.raises(ValidationError):
        services.report_import_commit(report_import=report_import, user=carol)


def test_an_approved_report_is_never_overwritten_by_an_import(carol, alpha_factory):
    report_import, parsed = services.report_import_preview(
        user=carol, file_name="x.csv", content=csv_of(row(month="2025-01"), row(month="2025-02"))
    )
    assert parsed.errors == []
    # Between the dry run and the commit, the province approves January.
    MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01", approved=True, output_value_thousand_won=7)

    with pytest.raises(ValidationError) as raised:
        services.report_import_commit(report_import=report_import, user=carol)

    assert raised.value.messages == ["Line 2: this month's report is already approved; an administrator must reopen it"]
    assert MonthlyReport.objects.count() == 1
    assert MonthlyReport.objects.get().output_value_thousand_won == 7


def test_ten_thousand_rows_import_whole_with_a_history_row_and_an_event_each(frank, alpha_county):
    # How fast is measured by `make bench` (bench/README.md), never here: a busy machine must not fail the suite.
    factories = Factory.objects.bulk_create(
        Factory(
            code=f"bulk-{n}",
            county=alpha_county,
            name=f"Bulk {n}",
            kind="other",
            status="in_operation",
            commissioned_on=datetime.date(2019, 1, 1),
            design_capacity=100000,
        )
        for n in range(125)
    )
    months = [add_months(datetime.date(2020, 1, 1), n) for n in range(80)]
    lines = [
        f"{factory.code},{month:%Y-%m},{1000 + n},100,10,80,60,20,100,,approved"
        for n, (factory, month) in enumerate((f, m) for f in factories for m in months)
    ]
    content = csv_of(*lines)

    report_import, parsed = services.report_import_preview(user=frank, file_name="big.csv", content=content)
    services.report_import_commit(report_import=report_import, user=frank)

    assert parsed.errors == []
    assert MonthlyReport.objects.count() == 10_000
    assert MonthlyReport.history.count() == 10_000
    assert ReportEvent.objects.filter(kind="submitted").count() == 10_000
    assert ReportEvent.objects.filter(kind="approved").count() == 10_000
    assert MonthlyReport.objects.filter(status="approved", approved_by=frank).count() == 10_000


# --- export -------------------------------------------------------------------------------------------


def test_csv_export_is_streamed_and_neutralises_formulas(client, carol, alpha_factory):
    MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01", comment='=HYPERLINK("http://x")')
    MonthlyReportBuilder(factory=alpha_factory, month="2025-02-01", comment="@SUM(A1)")
    MonthlyReportBuilder(factory=alpha_factory, month="2025-03-01", comment="\tTAB")
    MonthlyReportBuilder(factory=alpha_factory, month="2025-04-01", comment="-2+3")
    MonthlyReportBuilder(factory=alpha_factory, month="2025-05-01", comment="+41")
    MonthlyReportBuilder(factory=alpha_factory, month="2025-06-01", comment="\rCR")
    client_for(client, carol)

    response = client.get(reverse("reports:report_export_csv"), {"factory": "alpha-foodstuff"})

    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    lines = text.splitlines()
    assert lines[0].startswith("\ufefffactory_code,factory_name,county,province,month,status")
    assert lines[1].startswith("alpha-foodstuff,Alpha Foodstuff Factory,Alpha,Northland,2025-01,draft,10000.00,")
    assert ',"\'=HYPERLINK(""http://x"")",' in lines[1]
    assert ",'@SUM(A1)," in lines[2]
    assert ",'\tTAB," in lines[3]
    assert ",'-2+3," in lines[4]
    assert ",'+41," in lines[5]
    assert ',"\'\rCR",' in text


def test_xlsx_export_follows_the_filters_and_scope(client, bob, alpha_factory, beta_factory):
    MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01")
    MonthlyReportBuilder(factory=beta_factory, month="2025-01-01", comment="+1")
    MonthlyReportBuilder(factory=beta_factory, month="2025-02-01")
    client_for(client, bob)

    response = client.get(reverse("reports:report_export_xlsx"), {"month": "2025-01"})

    assert isinstance(response, StreamingHttpResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:6] == ("beta-garment", "Beta Garment Factory", "Beta", "Northland", "2025-01", "draft")
    assert rows[1][6] == 10000
    assert rows[1][14] == "'+1"
