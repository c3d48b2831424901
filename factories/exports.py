"""CSV and XLSX exports of a (scoped, filtered) report queryset, streamed so that a national export never
holds every row in memory: rows come from `.values_list().iterator()` in chunks."""

import csv
from collections.abc import Iterator

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from factories.models import MonthlyReport
from regional.spreadsheets import neutralise_formula, xlsx_chunks

CHUNK_ROWS = 2000
LINES_PER_CHUNK = 500
DEMO_MARK = "DEMO"
SHEET_NAME = "Monthly reports"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    ("factory_code", "factory__code"),
    ("factory_name", "factory__name"),
    ("county", "factory__county__name_en"),
    ("province", "factory__county__province__name_en"),
    ("month", "month"),
    ("status", "status"),
    ("output_value_thousand_won", "output_value_thousand_won"),
    ("physical_output", "physical_output"),
    ("unit", "factory__capacity_unit"),
    ("varieties_produced", "varieties_produced"),
    ("raw_material_used_tonnes", "raw_material_used_tonnes"),
    ("raw_material_from_own_bases_tonnes", "raw_material_from_own_bases_tonnes"),
    ("days_worked", "days_worked"),
    ("workers_on_roll", "workers_on_roll"),
    ("comment", "comment"),
    ("first_submitted_at", "first_submitted_at"),
    ("approved_at", "approved_at"),
    # Last, so that the columns before keep their places; "DEMO" on every generated row (blank on real ones).
    ("demo", "is_demo_row"),
)


def _cell(value):
    if value is True:
        return DEMO_MARK
    if value is None or value is False:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return neutralise_formula(value)


def export_rows(queryset: QuerySet[MonthlyReport]) -> Iterator[list]:
    """The header, then one list of cells per report, read in chunks from the database cursor."""
    yield [name for name, _lookup in COLUMNS]
    # A report is demo data when it was generated, or when its factory was (an import into a demo factory).
    demo = ExpressionWrapper(Q(is_demo=True) | Q(factory__is_demo=True), output_field=BooleanField())
    values = (
        queryset.annotate(is_demo_row=demo)
        .order_by("month", "factory__code")
        .values_list(*[lookup for _name, lookup in COLUMNS])
    )
    for row in values.iterator(chunk_size=CHUNK_ROWS):
        yield [_cell(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def file_name(file_format: str) -> str:
    return f"monthly-reports-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def export_response(queryset: QuerySet[MonthlyReport], file_format: str) -> StreamingHttpResponse:
    """The file sent as it is written: constant memory, nothing on disk, the first bytes out at once."""
    response = StreamingHttpResponse(export_chunks(queryset, file_format), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{file_name(file_format)}"'
    return response


def export_chunks(queryset: QuerySet[MonthlyReport], file_format: str, *, on_progress=None) -> Iterator[bytes]:
    """The whole file as bytes, in the order written; `on_progress(rows)` is called every CHUNK_ROWS rows and
    once at the end with the number of report rows written so far."""
    rows_written = 0

    def counted_rows():
        nonlocal rows_written
        for index, row in enumerate(export_rows(queryset)):
            if index and on_progress is not None and index % CHUNK_ROWS == 0:
                on_progress(index)
            rows_written = index
            yield row

    if file_format == "xlsx":
        yield from xlsx_chunks(counted_rows(), sheet_name=SHEET_NAME)
    else:
        writer = csv.writer(_Echo())
        # A UTF-8 byte-order mark so that spreadsheet programs read Korean names correctly.
        lines = ["\ufeff"]
        for row in counted_rows():
            lines.append(writer.writerow(row))
            if len(lines) >= LINES_PER_CHUNK:
                yield "".join(lines).encode()
                lines.clear()
        yield "".join(lines).encode()
    if on_progress is not None:
        on_progress(rows_written)
