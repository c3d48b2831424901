"""The report exports every role downloads: one county's odd comment never breaks them, demo rows say DEMO,
and the XLSX holds exactly what the CSV holds."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BELL_COMMENT = "Short of coal\x07 again\x1b[0m; <see> & note"


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    # openpyxl's read-only mode leaves off a row's trailing empty cells: pad to the header's width.
    return [row + (None,) * (len(rows[0]) - len(row)) for row in rows]


def csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()


@pytest.mark.parametrize("persona", ["carol", "frank", "erin"])
def test_a_comment_with_control_characters_does_not_break_anyones_xlsx_export(client, request, alpha_factory, persona):
    # Given a county comment with a bell and an escape sequence, on a report the analysts see too (approved)
    MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01", comment=BELL_COMMENT, approved=True)
    client_for(client, request.getfixturevalue(persona))

    # When the province, the administrator or an analyst exports to XLSX
    response = client.get(reverse("reports:report_export_xlsx"))

    # Then the file opens, with the characters XML cannot carry shown as replaced, and the rest intact
    assert response.status_code == 200
    rows = xlsx_rows(response)
    comment_column = rows[0].index("comment")
    assert rows[1][comment_column] == "Short of coal\ufffd again\ufffd[0m; <see> & note"


def test_the_csv_export_keeps_a_comment_exactly_as_the_county_typed_it(client, carol, alpha_factory):
    MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01", comment=BELL_COMMENT)
    client_for(client, carol)

    response = client.get(reverse("reports:report_export_csv"))

    assert response.status_code == 200
    assert BELL_COMMENT in b"".join(response.streaming_content).decode()


def test_demo_rows_are_marked_demo_in_both_exports(client, carol, alpha_county, alpha_factory):
    # Given a real report, a generated one, and one imported into a generated factory
    demo_factory = FactoryBuilder(code="alpha-demo-garment", county=alpha_county, kind="garment", is_demo=True)
    MonthlyReportBuilder(factory=alpha_factory, month="2025-01-01")
    MonthlyReportBuilder(factory=alpha_factory, month="2025-02-01", is_demo=True)
    MonthlyReportBuilder(factory=demo_factory, month="2025-01-01")
    client_for(client, carol)

    # When the province exports them
    csv_response = client.get(reverse("reports:report_export_csv"))
    xlsx_response = client.get(reverse("reports:report_export_xlsx"))

    # Then both files have a demo column saying DEMO on the generated rows only
    lines = csv_lines(csv_response)
    assert lines[0].endswith(",demo")
    assert [(line.split(",")[0], line.split(",")[4], line.rsplit(",", 1)[1]) for line in lines[1:]] == [
        ("alpha-demo-garment", "2025-01", "DEMO"),
        ("alpha-foodstuff", "2025-01", ""),
        ("alpha-foodstuff", "2025-02", "DEMO"),
    ]
    rows = xlsx_rows(xlsx_response)
    assert rows[0][-1] == "demo"
    assert [(row[0], row[4], row[-1]) for row in rows[1:]] == [
        ("alpha-demo-garment", "2025-01", "DEMO"),
        ("alpha-foodstuff", "2025-01", None),
        ("alpha-foodstuff", "2025-02", "DEMO"),
    ]


def test_the_xlsx_export_holds_the_same_cells_as_the_csv_export(client, carol, alpha_factory):
    MonthlyReportBuilder(
        factory=alpha_factory, month="2025-01-01", output_value_thousand_won="12345.67", comment="=1+1"
    )
    MonthlyReportBuilder(factory=alpha_factory, month="2025-02-01", approved=True, comment="두 번째 달")
    client_for(client, carol)

    csv_rows = [line.split(",") for line in csv_lines(client.get(reverse("reports:report_export_csv")))]
    xlsx = xlsx_rows(client.get(reverse("reports:report_export_xlsx")))

    as_text = [["" if cell is None else str(cell) for cell in row] for row in xlsx]
    # Numbers are numbers in the sheet (10000.00 reads back as 10000): compare them as numbers.
    for csv_row, xlsx_row in zip(csv_rows, as_text, strict=True):
        for csv_cell, xlsx_cell in zip(csv_row, xlsx_row, strict=True):
            if xlsx_cell.replace(".", "", 1).isdigit():
                assert float(csv_cell) == float(xlsx_cell)
            else:
                assert csv_cell == xlsx_cell
    assert xlsx[1][6] == 12345.67
    assert xlsx[1][14] == "'=1+1"
    assert xlsx[2][14] == "두 번째 달"
