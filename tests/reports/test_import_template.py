"""The import page (issue 14): its example is a real factory code of the user's own scope, and the template comes
pre-filled with the user's factories to report for a month, in CSV and XLSX, ready to fill in and import."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from factories import selectors
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = [
    "factory_code",
    "month",
    "output_value_thousand_won",
    "physical_output",
    "varieties_produced",
    "raw_material_used_tonnes",
    "raw_material_from_own_bases_tonnes",
    "days_worked",
    "workers_on_roll",
    "comment",
    "status",
    "demo",
]


def csv_template(client, month: str | None = None) -> list[list[str]]:
    response = client.get(reverse("reports:report_import_template"), {"month": month} if month else {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_import_page_gives_an_example_code_from_the_users_own_province(client, carol, alpha_factory, gamma_factory):
    page = client_for(client, carol).get(reverse("reports:report_import")).content.decode()

    assert "e.g. alpha-foodstuff." in page
    assert "kusong" not in page
    assert "gamma-paper" not in page


def test_the_template_lists_the_provinces_factories_to_report_for_the_last_ended_month(
    client, carol, alpha_factory, beta_factory, gamma_factory
):
    last_month = selectors.add_months(selectors.month_in_progress(), -1)
    # Beta's report of last month is approved: an import cannot overwrite it, so it is not offered.
    MonthlyReportBuilder(factory=beta_factory, month=last_month, approved=True)
    demo = FactoryBuilder(code="alpha-demo-garment", county=alpha_factory.county, kind="garment", is_demo=True)
    client_for(client, carol)

    rows = csv_template(client)

    assert rows[0] == HEADER
    blanks = [""] * 9
    assert rows[1:] == [
        [alpha_factory.code, f"{last_month:%Y-%m}", *blanks, ""],
        [demo.code, f"{last_month:%Y-%m}", *blanks, "DEMO"],
    ]


def test_the_template_of_a_chosen_month_leaves_out_factories_not_yet_in_operation(client, carol, alpha_factory):
    FactoryBuilder(code="alpha-new-paper", county=alpha_factory.county, commissioned_on=datetime.date(2025, 6, 1))
    client_for(client, carol)

    march, july = csv_template(client, "2025-03"), csv_template(client, "2025-07")

    assert [row[:2] for row in march[1:]] == [["alpha-foodstuff", "2025-03"]]
    assert [row[:2] for row in july[1:]] == [["alpha-foodstuff", "2025-07"], ["alpha-new-paper", "2025-07"]]


def test_a_month_in_progress_or_nonsense_gives_the_last_ended_month(client, carol, alpha_factory):
    last_month = f"{selectors.add_months(selectors.month_in_progress(), -1):%Y-%m}"
    client_for(client, carol)

    for asked in (f"{selectors.month_in_progress():%Y-%m}", "2025-13", "next month", "1e9"):
        assert csv_template(client, asked)[1][1] == last_month


def test_a_filled_in_template_imports_without_errors(client, carol, alpha_factory):
    client_for(client, carol)
    rows = csv_template(client, "2025-03")
    rows[1][2:9] = ["10000", "100", "15", "80", "60", "24", "120"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)

    response = client.post(
        reverse("reports:report_import"), {"file": SimpleUploadedFile("filled.csv", buffer.getvalue().encode())}
    )

    assert response.context["parsed"].errors == []
    assert response.context["parsed"].row_count == 1


def test_the_xlsx_template_holds_the_same_rows_as_text(client, carol, alpha_factory):
    client_for(client, carol)

    response = client.get(reverse("reports:report_import_template_xlsx"), {"month": "2025-03"})

    assert response["Content-Disposition"] == 'attachment; filename="monthly-reports-2025-03-template.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER
    assert values[1][:2] == ["alpha-foodstuff", "2025-03"]
    assert sheet["B2"].number_format == "@"  # the month stays text in a spreadsheet


def test_the_template_is_refused_to_a_county_official(client, alice):
    response = client_for(client, alice).get(reverse("reports:report_import_template"))

    assert response.status_code == 403


@pytest.mark.parametrize("url_name", ["reports:report_import_template", "reports:report_import_template_xlsx"])
def test_the_template_takes_the_same_number_of_queries_for_2_and_20_factories(client, carol, alpha_county, url_name):
    client_for(client, carol)
    counts = []
    for total in (2, 20):
        while len(selectors.import_template_factories(user=carol, month=datetime.date(2025, 3, 1))) < total:
            FactoryBuilder(county=alpha_county)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name), {"month": "2025-03"})
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        counts.append(len(queries))

    # Expect 4 queries: what every signed-in request costs, and one for the factories, whatever their number.
    assert counts == [4, 4]
