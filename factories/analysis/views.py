import csv
import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from factories.analysis.factory_page import factory_page
from factories.analysis.forms import PivotForm
from factories.analysis.pivot import MEASURES, RATIO_MEASURES, ROWS, decimal_value, pivot
from regional import scoping
from regional.spreadsheets import neutralise_formula


@login_required
@require_GET
def factory_detail(request, code: str):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    page = factory_page(user=request.user, code=code, year=year)
    return render(request, "factories/factory_detail.html", {"page": page, "chart_data": page.chart_data()})


def _form(request) -> PivotForm:
    data = request.GET.dict()
    data.pop("format", None)
    return PivotForm(data, provinces=scoping.visible_provinces(request.user), default_year=datetime.date.today().year)


def _display(value, measure: str) -> str:
    """Exact values in exports; ratios as fractions (a spreadsheet formats them), counts as integers."""
    if value is None:
        return ""
    return str(decimal_value(value))


def _table_rows(table, language: str):
    measure = table.query.measure
    header = [str(_("Row")), *table.column_labels(), str(_("Total"))]
    yield header
    for row in table.rows():
        label = row["label"]["ko" if language == "ko" else "en"]
        yield [label, *[_display(value, measure) for value in row["values"]], _display(row["total"], measure)]
    if table.has_demo:
        yield [str(_("DEMO: the figures include generated demo data, not real."))]


@login_required
@require_GET
def pivot_explorer(request):
    form = _form(request)
    table = pivot(user=request.user, query=form.pivot_query()) if form.is_valid() else None
    file_format = request.GET.get("format", "")
    if table is not None and file_format in ("csv", "xlsx"):
        return _export(table, file_format)
    chart = None
    if table is not None:
        language = "ko" if get_language() == "ko" else "en"
        # The chart shows the first twelve rows; the table shows all of them.
        chart = {
            "type": table.query.chart,
            "labels": table.column_labels(),
            "percent": table.query.measure in RATIO_MEASURES,
            "series": [
                {
                    "label": row["label"][language],
                    "data": [None if value is None else str(decimal_value(value)) for value in row["values"]],
                }
                for row in table.rows()[:12]
            ],
        }
    return render(
        request,
        "factories/pivot.html",
        {
            "form": form,
            "table": table,
            "chart": chart,
            "measure_label": MEASURES.get(form.data.get("measure"), ""),
            "is_ratio": table is not None and table.query.measure in RATIO_MEASURES,
            "query_string": request.GET.urlencode(),
            "rows_label": ROWS.get(form.data.get("rows"), ""),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _export(table, file_format: str):
    language = "ko" if get_language() == "ko" else "en"
    name = f"regional-pivot-{table.query.measure}-{table.query.rows}-{table.query.columns}"
    if file_format == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow([neutralise_formula(cell) for cell in row]) for row in _table_rows(table, language)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("pivot")
    for index, row in enumerate(_table_rows(table, language)):
        cells = []
        for position, cell in enumerate(row):
            if index and position and cell not in ("", None) and len(row) > 1:
                cells.append(Decimal(cell))
            else:
                cells.append(neutralise_formula(cell))
        sheet.append(cells)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    workbook.save(response)
    return response
