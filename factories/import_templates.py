"""The CSV import's template, pre-filled with the user's factories and a month: one row per factory to report,
its figures left for the user to fill in. As CSV (ready to import once filled) or as XLSX (for a spreadsheet;
save it as CSV UTF-8 to import). Demo factories say DEMO in the `demo` column, which the import ignores."""

import csv
import datetime
import io
import tempfile

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from factories.importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from factories.models import Factory

TEMPLATE_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)


def template_rows(factories: QuerySet[Factory], month: datetime.date) -> list[list[str]]:
    """The header, then one row per factory: its code, the month, blank figures, comment and status, DEMO."""
    month_text = f"{month:%Y-%m}"
    rows = [list(TEMPLATE_COLUMNS)]
    for code, is_demo in factories.values_list("code", "is_demo"):
        values = dict.fromkeys(TEMPLATE_COLUMNS, "")
        values.update(factory_code=code, month=month_text, demo="DEMO" if is_demo else "")
        rows.append([values[name] for name in TEMPLATE_COLUMNS])
    return rows


def _file_name(month: datetime.date, extension: str) -> str:
    return f"monthly-reports-{month:%Y-%m}-template.{extension}"


def template_csv_response(factories: QuerySet[Factory], month: datetime.date) -> HttpResponse:
    buffer = io.StringIO()
    # A byte-order mark so that spreadsheet programs read the file as UTF-8; the import skips it.
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(template_rows(factories, month))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(month, "csv")}"'
    return response


def template_xlsx_response(factories: QuerySet[Factory], month: datetime.date) -> FileResponse:
    """openpyxl's write-only mode, as the exports: constant memory whatever the number of factories."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Monthly reports")
    for index, row in enumerate(template_rows(factories, month)):
        if index == 0:
            sheet.append(row)
            continue
        # Code and month as text, so that a spreadsheet does not turn "2026-11" into a date.
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse after streaming)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=_file_name(month, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
