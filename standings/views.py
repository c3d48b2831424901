"""Standings pages: national table (+ CSV), province, county, run history and run comparison. Thin views:
parse the query, call a selector or service, render."""

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from regional import scoping
from regional.models import County
from regional.spreadsheets import neutralise_formula
from standings import selectors
from standings.forms import RecomputeForm, RunComparisonForm, StandingsQueryForm
from standings.models import Indicator, StandingsRun
from standings.services import standings_recompute_requested
from standings.templatetags.standings_tags import rank_with_band

INDICATORS = [(value, label) for value, label in Indicator.choices]
# 50 rows a page: the year's 175 ranked counties were one 316 KB, 10,000 px page; find and the pinned own county
# make paging rarely needed.
NATIONAL_PAGE_SIZE = 50
# Characters that make a spreadsheet read a cell as a formula (CSV injection).


def _own_unit(user) -> dict:
    """What to mark as the user's own unit: a county official's county, a provincial official's province."""
    return {
        "own_county_id": user.county_id if scoping.is_county_official(user) else None,
        "own_province_id": user.province_id if scoping.is_provincial_official(user) else None,
    }


def _year_and_run(request: HttpRequest, query: StandingsQueryForm) -> tuple[list[int], int, StandingsRun | None]:
    years = selectors.standings_years(user=request.user)
    year = query.value("year", years[0] if years else timezone.localdate().year - 1)
    run = selectors.standings_run(user=request.user, year=year, run_id=query.value("run"))
    return years, year, run


@login_required
@require_safe
def national(request: HttpRequest) -> HttpResponse:
    query = StandingsQueryForm(request.GET or None)
    years, year, run = _year_and_run(request, query)
    province_code = query.value("province", "")
    programme_year = query.value("round")
    search = query.value("q", "")
    table = page = own_standing = None
    if run is not None:
        filters = {
            "user": request.user,
            "run": run,
            "province_code": province_code,
            "programme_year": programme_year,
            "sort": query.value("sort", "rank"),
            "direction": query.value("dir", "asc"),
            "search": search,
        }
        if request.GET.get("format") == "csv":
            return _csv(run, selectors.standings_table(**filters), user=request.user)
        # A real year (175 ranked units at most) is one page; at 3,000 counties a page renders 200 of them.
        table, page = selectors.standings_table_page(
            **filters, page_number=_page_number(request), page_size=NATIONAL_PAGE_SIZE
        )
        if scoping.is_county_official(request.user):
            # Pinned above the table: a county official finds their own county without paging or searching.
            own_standing = selectors.county_standing(user=request.user, run=run, county=request.user.county_id)
    return render(
        request,
        "standings/national.html",
        {
            "years": years,
            "year": year,
            "run": run,
            "table": table,
            "page": page,
            "query_without_page": _query_without_page(request),
            "query_errors": query.errors if query.is_bound else {},
            "province_code": province_code,
            "programme_year": programme_year,
            "search": search,
            "own_standing": own_standing,
            "provinces": selectors.provinces(user=request.user),
            "programme_years": selectors.programme_years(user=request.user),
            "indicators": INDICATORS,
            "columns": _sortable_columns(request, table) if table else [],
            "csv_query": _query_with(request, format="csv"),
            **_own_unit(request.user),
        },
    )


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() else 1


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _query_with(request: HttpRequest, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _sortable_columns(request: HttpRequest, table: selectors.StandingsTable) -> list[dict]:
    """Header cells: clicking a column sorts by it (best first for scores), clicking again reverses."""
    labels = [
        ("rank", _("Rank")),
        ("change", _("Since last run")),
        ("change_year", _("Since last year")),
        ("county", _("County")),
        ("province", _("Province")),
        ("composite", _("Composite")),
        *INDICATORS,
    ]
    columns = []
    for key, label in labels:
        natural = "asc" if key in ("rank", "county", "province") else "desc"
        is_current = table.sort == key
        direction = ("desc" if table.direction == "asc" else "asc") if is_current else natural
        columns.append(
            {
                "key": key,
                "label": label,
                "query": _query_with(request, sort=key, dir=direction),
                "is_current": is_current,
                "direction": table.direction if is_current else "",
                "is_number": key not in ("county", "province"),
                "hide_mobile": key not in ("rank", "county", "composite"),
            }
        )
    return columns


def _safe_cell(value):
    return "" if value is None else neutralise_formula(value)


def _csv(run: StandingsRun, table: selectors.StandingsTable, *, user) -> HttpResponse:
    """Exactly the rows and columns the page shows, in its order, text neutralised against formulas; the last
    column says DEMO for a county whose figures come from generated demo factories."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="standings-{run.year}-run-{run.pk}.csv"'
    writer = csv.writer(response)
    header = [
        _("Rank"),
        _("Rank (likely range under other weights)"),
        _("Rank band best"),
        _("Rank band worst"),
        _("Change since the last run"),
        _("Change since last year"),
        _("County"),
        _("Province"),
        _("Composite"),
    ]
    for _value, label in INDICATORS:
        header += [_("%(indicator)s score") % {"indicator": label}, _("%(indicator)s value") % {"indicator": label}]
    header += [_("Not ranked because"), _("Demo data")]
    standings = [*table.ranked, *table.not_ranked]
    demo_counties = set(
        scoping.visible_factories(user)
        .filter(is_demo=True, county_id__in=[standing.county_id for standing in standings])
        .values_list("county_id", flat=True)
    )
    writer.writerow([_safe_cell(str(cell)) for cell in header])
    for standing in standings:
        row = [
            standing.rank,
            rank_with_band(standing) if standing.is_ranked else None,
            standing.rank_band_low,
            standing.rank_band_high,
            standing.rank_change if run.previous_run_id else None,
            standing.rank_change_since_last_year if run.last_year_run_id else None,
            standing.county.name_en,
            standing.county.province.name_en,
            standing.composite,
        ]
        for indicator, _label in INDICATORS:
            row += [standing.score(indicator), standing.raw_value(indicator)]
        row += [str(standing.not_ranked_explanation), "DEMO" if standing.county_id in demo_counties else ""]
        writer.writerow([_safe_cell(cell) for cell in row])
    return response


@login_required
@require_safe
def province(request: HttpRequest, code: str) -> HttpResponse:
    province = scoping.get_in_scope_or_404(scoping.visible_provinces(request.user), code=code)
    query = StandingsQueryForm(request.GET or None)
    years, year, run = _year_and_run(request, query)
    view = selectors.province_view(user=request.user, run=run, province=province) if run else None
    return render(
        request,
        "standings/province.html",
        {
            "years": years,
            "year": year,
            "run": run,
            "province": province,
            "view": view,
            "map_width": selectors.MAP_WIDTH,
            "map_height": selectors.MAP_HEIGHT,
            **_own_unit(request.user),
        },
    )


@login_required
@require_safe
def county(request: HttpRequest, slug: str) -> HttpResponse:
    county = scoping.get_in_scope_or_404(
        scoping.visible_counties(request.user).filter(kind__in=County.PROGRAMME_KINDS).select_related("province"),
        slug=slug,
    )
    query = StandingsQueryForm(request.GET or None)
    years, year, run = _year_and_run(request, query)
    standing = previous = last_year = None
    lines = []
    changes = []
    if run is not None:
        standing = selectors.county_standing(user=request.user, run=run, county=county)
    if standing is not None:
        previous = selectors.previous_standing(user=request.user, standing=standing)
        last_year = selectors.last_year_standing(user=request.user, standing=standing)
        medians = selectors.national_medians(user=request.user, run=run)
        lines = selectors.county_explanation(standing=standing, previous=previous, medians=medians)
        changes = [
            {
                "key": "since-last-run",
                "title": _("Since the last run"),
                "earlier_run_id": run.previous_run_id,
                "explanation": selectors.rank_change_explanation(standing=standing, earlier=previous),
            },
            {
                "key": "since-last-year",
                "title": _("Since last year"),
                "earlier_run_id": run.last_year_run_id,
                "explanation": selectors.rank_change_explanation(standing=standing, earlier=last_year),
            },
        ]
    history = selectors.county_history(user=request.user, county=county)
    chart = {
        "labels": [row.run.year for row in history],
        "composite": [float(row.composite) if row.composite is not None else None for row in history],
        "rank": [row.rank for row in history],
        "labelComposite": _("Composite (0–100)"),
        "labelRank": _("National rank"),
    }
    return render(
        request,
        "standings/county.html",
        {
            "years": years,
            "year": year,
            "run": run,
            "county": county,
            "standing": standing,
            "previous": previous,
            "last_year": last_year,
            "changes": changes,
            "lines": lines,
            "history": history,
            "chart": chart,
            "composite_change": (
                standing.composite - previous.composite
                if standing and previous and standing.composite is not None and previous.composite is not None
                else None
            ),
            "is_own_unit": county.pk == request.user.county_id
            or (scoping.is_provincial_official(request.user) and county.province_id == request.user.province_id),
        },
    )


@login_required
@require_safe
def runs(request: HttpRequest) -> HttpResponse:
    query = StandingsQueryForm(request.GET or None)
    years, year, _run = _year_and_run(request, query)
    run_list = list(selectors.standings_runs(user=request.user, year=year))
    return render(
        request,
        "standings/runs.html",
        {
            "years": years,
            "year": year,
            "runs": run_list,
            "run": run_list[0] if run_list else None,
            "can_recompute": scoping.is_administrator(request.user),
            "recompute_request": selectors.recompute_request(user=request.user, year=year),
        },
    )


@login_required
@require_safe
def recompute_progress(request: HttpRequest) -> HttpResponse:
    scoping.require(scoping.is_administrator(request.user))
    form = RecomputeForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    return render(
        request,
        "standings/_recompute_progress.html",
        {"year": year, "recompute_request": selectors.recompute_request(user=request.user, year=year)},
    )


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    scoping.require(scoping.is_administrator(request.user), _("Only programme administrators may recompute."))
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year between 2020 and 2040."))
        return redirect("standings:runs")
    year = form.cleaned_data["year"]
    with transaction.atomic():
        standings_recompute_requested(year=year, trigger=StandingsRun.Trigger.MANUAL, user=request.user)
    messages.success(request, _("Recompute of %(year)s requested; its progress is shown below.") % {"year": year})
    return redirect(f"{reverse('standings:runs')}?year={year}")


@login_required
@require_safe
def run_compare(request: HttpRequest) -> HttpResponse:
    form = RunComparisonForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose two runs to compare."))
        return redirect("standings:runs")
    earlier = selectors.get_run_or_404(user=request.user, run_id=form.cleaned_data["earlier"])
    later = selectors.get_run_or_404(user=request.user, run_id=form.cleaned_data["later"])
    if earlier.year != later.year:
        messages.error(request, _("Runs can only be compared within one year."))
        return redirect(f"{reverse('standings:runs')}?year={later.year}")
    if earlier.pk > later.pk:
        earlier, later = later, earlier
    changes = selectors.run_comparison(user=request.user, earlier=earlier, later=later)
    return render(
        request,
        "standings/compare.html",
        {
            "earlier": earlier,
            "later": later,
            "year": later.year,
            "changes": changes,
            "zero": Decimal(0),
            **_own_unit(request.user),
        },
    )


@login_required
@require_GET
def trace(request: HttpRequest, run_id: int, slug: str, target: str) -> HttpResponse:
    """One figure of a run, with everything needed to redo it by hand (404 for anything unknown)."""
    figure = selectors.figure_trace(user=request.user, run_id=run_id, county_slug=slug, target=target)
    return render(
        request,
        "standings/trace.html",
        {
            "trace": figure,
            "run": figure.run,
            "year": figure.run.year,
            "county": figure.standing.county,
            "standing": figure.standing,
            "targets": [(value, label) for value, label in INDICATORS] + [("composite", _("Composite"))],
        },
    )
