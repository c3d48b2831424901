import csv
import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from factories.analysis.choropleth import STANDINGS_MEASURES, choropleth
from factories.analysis.factory_page import factory_page
from factories.analysis.forms import MapForm, PivotForm
from factories.analysis.pivot import MEASURES, RATIO_MEASURES, ROWS, decimal_value, pivot
from regional import scoping
from regional.spreadsheets import neutralise_formula
from standings import selectors as standings_selectors


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
            "map_query": _map_query(table),
        },
    )


def _map_query(table) -> str:
    """The same measure and year on the map, by province when the rows are provinces, else by county."""
    # An explorer measure named like a standings indicator is a ratio of sums here but a score on the map.
    if table is None or not table.query.year or table.query.measure in STANDINGS_MEASURES:
        return ""
    level = "province" if table.query.rows == "province" else "county"
    return urlencode({"measure": table.query.measure, "year": table.query.year, "level": level})


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


@login_required
@require_GET
def county_map(request):
    years = standings_selectors.standings_years(user=request.user)
    form = MapForm(request.GET.dict(), default_year=years[0] if years else datetime.date.today().year - 1)
    view = choropleth(user=request.user, query=form.map_query()) if form.is_valid() else None
    return render(request, "factories/map.html", {"form": form, "view": view, "explorer_query": _explorer_query(view)})


def _explorer_query(view) -> str:
    """The explorer view behind a report measure's map, for the "open in the explorer" link."""
    if view is None or view.query.is_standings:
        return ""
    return urlencode(
        {"measure": view.query.measure, "rows": view.query.level, "columns": "month", "year": view.query.year}
    )
