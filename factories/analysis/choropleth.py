"""The map: counties (or provinces) shaded by one measure, with the figures behind every shade.

Measures:
- from the standings (the latest published run of the chosen year): the rank, the composite score and each
  indicator's score (0–100). Standings are programme-wide facts that every signed-in user may read
  (`regional.scoping`). They exist per county only: a province's mean of its counties' ranks or scores is not a
  standings figure, so the province view refuses them and shows the county view instead.
- from the approved reports (`factories.analysis.pivot`, the explorer's measures) for a year, a quarter or a
  month, within the reader's reporting scope. At province level the pivot aggregates each province's reports
  itself: sums for sums, ratios of sums for ratios, never a mean of county ratios.

Shading: quantile classes (each class holds about a fifth of the areas with a value; equal values share a
class). An area with no value stays unknown (hatched), never 0; an area outside the reader's reporting scope
is drawn as such, not as unknown.
"""

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.template import Context
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from factories.analysis.pivot import MEASURES as PIVOT_MEASURES
from factories.analysis.pivot import PivotQuery, column_label, pivot
from factories.templatetags.report_tags import pivot_value
from regional import scoping
from regional.map_geometry import AreaShape, LocatedCounty, map_geometry
from regional.models import reads_korean
from standings import selectors as standings_selectors
from standings.models import Indicator
from standings.templatetags.standings_tags import figure_url

CLASS_COUNT = 5
RANK = "rank"
COMPOSITE = "composite"
STANDINGS_MEASURES = {
    RANK: _("Standings rank"),
    COMPOSITE: _("Composite score (0–100)"),
    **{indicator: format_lazy("{}: {}", _("Indicator score (0–100)"), label) for indicator, label in Indicator.choices},
}
# The explorer's standings measures share their keys with the standings' indicator scores: on the map such a key
# is the score (a county's standing), not the explorer's ratio of sums.
MEASURES = {
    **STANDINGS_MEASURES,
    **{key: label for key, label in PIVOT_MEASURES.items() if key not in STANDINGS_MEASURES},
}
LEVELS = {"county": _("Counties"), "province": _("Provinces")}
# The whole year, a quarter ("q1") or a month ("m01") of it: pivot measures only.
PERIOD_KEYS = ["", *(f"q{quarter}" for quarter in range(1, 5)), *(f"m{month:02d}" for month in range(1, 13))]


def period_label(key: str) -> str:
    """A period in the reader's language ("Quarter 2", "2분기"); built per request, the numbers sit inside."""
    if key.startswith("q"):
        return gettext("Quarter %(number)s") % {"number": int(key[1:])}
    if key.startswith("m"):
        return gettext("Month %(number)s") % {"number": int(key[1:])}
    return gettext("whole year")


class AreaState:
    VALUE = "value"
    NO_DATA = "no-data"
    OUT_OF_SCOPE = "out-of-scope"


@dataclass(frozen=True)
class MapQuery:
    measure: str = RANK
    year: int = 0
    period: str = ""
    level: str = "county"

    @property
    def is_standings(self) -> bool:
        return self.measure in STANDINGS_MEASURES


@dataclass
class MapArea:
    """A county or province on the map and in the table under it."""

    key: str
    name: str
    province_name: str
    url: str
    shape: AreaShape | None
    value: Decimal | int | None = None
    display: str = "–"
    source_url: str = ""
    state: str = AreaState.NO_DATA
    class_index: int | None = None
    note: str = ""

    @property
    def css_class(self) -> str:
        return f"class-{self.class_index}" if self.class_index else self.state


@dataclass
class LegendClass:
    index: int
    low: str
    high: str
    count: int


@dataclass
class MapView:
    query: MapQuery
    measure_label: str
    period_label: str
    width: int
    height: int
    outline_path: str
    province_borders_path: str
    areas: list[MapArea]
    legend: list[LegendClass]
    run: object = None
    has_demo: bool = False
    is_province_level_refused: bool = False
    own_unit_path: str = ""
    counts: dict = field(default_factory=dict)

    @property
    def drawn_areas(self) -> list[MapArea]:
        return [area for area in self.areas if area.shape is not None]

    @property
    def undrawn_areas(self) -> list[MapArea]:
        return [area for area in self.areas if area.shape is None]


def _local(name_en: str, name_ko: str) -> str:
    return name_ko if reads_korean() and name_ko else name_en


def _county_name(county) -> str:
    return county.name_ko if reads_korean() and county.name_ko else f"{county.name_en} {county.get_kind_display()}"


def choropleth(*, user, query: MapQuery) -> MapView:
    """The map of `query.measure` for what `user` may see. Queries: counties, then one or two for the figures."""
    counties = list(scoping.visible_counties(user).select_related("province").order_by("province__code", "name_en"))
    geometry = map_geometry(
        [
            LocatedCounty(county.pk, county.province_id, county.latitude, county.longitude)
            for county in counties
            if county.latitude is not None and county.longitude is not None
        ]
    )
    is_province_level_refused = query.is_standings and query.level == "province"
    level = "county" if query.is_standings else query.level
    if level == "province":
        provinces = {county.province_id: county.province for county in counties}
        areas = {
            province.code: MapArea(
                key=province.code,
                name=_local(province.name_en, province.name_ko),
                province_name="",
                url=reverse("province_detail", args=[province.code]),
                shape=geometry.provinces.get(province.pk),
            )
            for province in sorted(provinces.values(), key=lambda province: province.code)
        }
    else:
        areas = {
            county.slug: MapArea(
                key=county.slug,
                name=_county_name(county),
                province_name=_local(county.province.name_en, county.province.name_ko),
                url=reverse("county_detail", args=[county.slug]),
                shape=geometry.counties.get(county.pk),
            )
            for county in counties
        }
    view = MapView(
        query=query,
        measure_label=str(MEASURES[query.measure]),
        period_label="" if query.is_standings else period_label(query.period),
        width=geometry.width,
        height=geometry.height,
        outline_path=geometry.outline_path,
        province_borders_path=geometry.province_borders_path,
        areas=[],
        legend=[],
        is_province_level_refused=is_province_level_refused,
        own_unit_path=_own_unit_path(geometry, user),
    )
    if query.is_standings:
        _fill_from_standings(view, areas, user=user, query=query)
    else:
        _fill_from_reports(view, areas, counties, user=user, query=query, level=level)
    view.legend = _classify(list(areas.values()), query.measure)
    view.areas = _in_table_order(list(areas.values()), query.measure)
    view.counts = {
        state.replace("-", "_"): sum(1 for area in view.areas if area.state == state)
        for state in (AreaState.VALUE, AreaState.NO_DATA, AreaState.OUT_OF_SCOPE)
    }
    return view


def _own_unit_path(geometry, user) -> str:
    """An official's own county or province, outlined on the map as the standings tables mark it."""
    if scoping.is_county_official(user) and user.county_id in geometry.counties:
        return geometry.counties[user.county_id].path
    if scoping.is_provincial_official(user) and user.province_id in geometry.provinces:
        return geometry.provinces[user.province_id].path
    return ""


def _fill_from_standings(view: MapView, areas: dict[str, MapArea], *, user, query: MapQuery) -> None:
    run = standings_selectors.standings_run(user=user, year=query.year)
    view.run = run
    if run is None:
        return
    view.has_demo = run.includes_demo_data
    standings = scoping.visible_county_standings(user).filter(run=run).select_related("county")
    # `figure_url` is a template tag that reverses its URL pattern once per render context: one for the whole map.
    render = Context()
    for standing in standings:
        area = areas.get(standing.county.slug)
        if area is None:
            continue
        standing.run = run
        area.url = f"{reverse('standings:county', args=[standing.county.slug])}?year={run.year}&run={run.pk}"
        if query.measure == RANK:
            area.value = standing.rank
            area.source_url = area.url
        elif query.measure == COMPOSITE:
            area.value = standing.composite
            area.source_url = figure_url(render, run, standing, COMPOSITE)
        else:
            area.value = standing.score(query.measure)
            area.source_url = figure_url(render, run, standing, query.measure)
        if area.value is None:
            area.note = standing.not_ranked_explanation if not standing.is_ranked else str(_("no data"))
        else:
            area.state = AreaState.VALUE
            area.display = str(area.value)


def _period_columns(query: MapQuery) -> tuple[str, tuple]:
    if query.period.startswith("q"):
        return "quarter", (query.year, int(query.period[1:]))
    if query.period.startswith("m"):
        return "month", (query.year, int(query.period[1:]))
    return "year", (query.year,)


def _fill_from_reports(view: MapView, areas: dict[str, MapArea], counties, *, user, query: MapQuery, level) -> None:
    columns, column_key = _period_columns(query)
    table = pivot(user=user, query=PivotQuery(measure=query.measure, rows=level, columns=columns, year=query.year))
    view.has_demo = table.has_demo
    in_scope_ids = set(scoping.operational_counties(user).values_list("pk", flat=True))
    in_scope = (
        {county.province.code for county in counties if county.pk in in_scope_ids}
        if level == "province"
        else {county.slug for county in counties if county.pk in in_scope_ids}
    )
    source_url = (
        reverse("pivot")
        + "?"
        + urlencode({"measure": query.measure, "rows": level, "columns": columns, "year": query.year})
    )
    period = column_label(columns, column_key)
    for key, area in areas.items():
        if key not in in_scope:
            area.state = AreaState.OUT_OF_SCOPE
            area.display = ""
            area.note = str(_("outside your reporting scope"))
            continue
        area.source_url = source_url
        value = table.value(key, column_key) if key in table.row_labels else None
        if value is None:
            area.note = format_lazy("{} ({})", _("no approved report"), period)
            continue
        area.value = value
        area.state = AreaState.VALUE
        area.display = pivot_value(value, query.measure)


def class_indexes(values: list, count: int = CLASS_COUNT) -> list[int]:
    """Each value's quantile class, 1 (lowest fifth) to `count` (highest); equal values share a class.

    With fewer values than classes, the values are spread over the scale (lowest 1, highest `count`), and a lone
    value sits in the middle: the lightest class alone would look like no value at all.
    """
    ordered = sorted(values)
    if len(ordered) < count:
        if len(set(ordered)) == 1:
            return [(count + 1) // 2 for _value in values]
        return [
            1 + round(Fraction(bisect.bisect_left(ordered, value) * (count - 1), len(ordered) - 1)) for value in values
        ]
    return [bisect.bisect_left(ordered, value) * count // len(ordered) + 1 for value in values]


def _display(value, measure: str) -> str:
    return str(value) if measure in STANDINGS_MEASURES else pivot_value(value, measure)


def _classify(areas: list[MapArea], measure: str) -> list[LegendClass]:
    """Quantile classes; the darkest class is the best: the highest value, or for ranks the lowest."""
    valued = [area for area in areas if area.state == AreaState.VALUE]
    if not valued:
        return []
    indexes = class_indexes([area.value for area in valued])
    for area, index in zip(valued, indexes, strict=True):
        area.class_index = CLASS_COUNT + 1 - index if measure == RANK else index
    legend = []
    for index in range(CLASS_COUNT, 0, -1):
        members = sorted(area.value for area in valued if area.class_index == index)
        if members:
            legend.append(
                LegendClass(index, _display(members[0], measure), _display(members[-1], measure), len(members))
            )
    return legend


def _in_table_order(areas: list[MapArea], measure: str) -> list[MapArea]:
    """Best first (rank ascending, other measures descending), then unknown, then out of scope, each by name."""
    order = {AreaState.VALUE: 0, AreaState.NO_DATA: 1, AreaState.OUT_OF_SCOPE: 2}
    by_name = sorted(areas, key=lambda area: (area.province_name, area.name))
    valued = sorted(
        (area for area in by_name if area.state == AreaState.VALUE),
        key=lambda area: area.value,
        reverse=measure != RANK,
    )
    others = sorted((area for area in by_name if area.state != AreaState.VALUE), key=lambda area: order[area.state])
    return valued + others
