"""The map (/explore/map/): its figures equal the standings run's and the explorer's, unknown stays unknown, the
reader's scope holds, the query count is pinned, and the approximate boundaries are sane."""

import datetime
from decimal import Decimal

import pytest
import shapely
from django.urls import reverse

from factories.analysis.choropleth import AreaState, class_indexes
from regional.map_geometry import LocatedCounty, cell_geometries, map_geometry
from regional.models import County
from standings.models import StandingsRun
from standings.services import standings_recompute
from tests.builders import AnnualPlanBuilder, CountyBuilder, FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for
from tests.standings.data import CUTOFF, operating_factory, plan, reports

# Points inside the country, west to east (latitude, longitude).
PLACES = [("39.03", "125.75"), ("40.10", "124.60"), ("38.50", "125.90"), ("41.80", "129.70"), ("40.60", "127.40")]


def _locate(county, index: int) -> County:
    latitude, longitude = PLACES[index % len(PLACES)]
    county.latitude = Decimal(latitude) + Decimal(index // len(PLACES)) / 100
    county.longitude = Decimal(longitude)
    county.save()
    return county


def _areas(response) -> dict:
    return {area.key: area for area in response.context["view"].areas}


# --- figures -------------------------------------------------------------------------------------------------


@pytest.fixture
def ranked_counties(north_province, south_province, alpha_county):
    """Five located counties ranked in a 2025 run, and a located straggler with too few approved months."""
    counties = [alpha_county] + [
        CountyBuilder(
            slug=f"kp-map-{index}", name_en=f"Mapcounty {index}", province=(north_province, south_province)[index % 2]
        )
        for index in range(1, 5)
    ]
    for index, county in enumerate(counties):
        _locate(county, index)
        factory = operating_factory(county)
        plan(factory)
        reports(factory, output=str(8000 + 700 * index), varieties=10 + index, own=str(20 + index), used="80")
        reports(factory, year=2024, output="9000")
    straggler = _locate(CountyBuilder(slug="kp-map-straggler", name_en="Straggler", province=north_province), 5)
    reports(operating_factory(straggler), months=range(1, 6))
    standings_recompute(year=2025, cutoff_at=CUTOFF)
    return [*counties, straggler]


@pytest.mark.django_db
def test_the_standings_map_shows_the_latest_runs_ranks_composites_and_scores(client, erin, ranked_counties):
    client_for(client, erin)
    run = StandingsRun.objects.filter(year=2025).latest()
    standings = {standing.county.slug: standing for standing in run.county_standings.select_related("county")}
    rank_areas = _areas(client.get(reverse("map"), {"measure": "rank", "year": 2025}))
    composite_response = client.get(reverse("map"), {"measure": "composite", "year": 2025})
    composite_areas = _areas(composite_response)
    growth_areas = _areas(client.get(reverse("map"), {"measure": "growth", "year": 2025}))
    for slug, standing in standings.items():
        assert rank_areas[slug].value == standing.rank
        assert composite_areas[slug].value == standing.composite
        assert growth_areas[slug].value == standing.score_growth
    # The straggler is listed, unknown (never 0), with the reason.
    straggler = composite_areas["kp-map-straggler"]
    assert straggler.value is None and straggler.state == AreaState.NO_DATA
    assert "fully approved" in straggler.note
    html = composite_response.content.decode()
    best = min((s for s in standings.values() if s.is_ranked), key=lambda s: s.rank)
    trace = reverse("standings:trace", args=[run.pk, best.county.slug, "composite"])
    assert f'<a href="{trace}">{best.composite}</a>' in html  # every figure links to how it was computed
    assert "Approximate boundaries: Voronoi cells around county centroids" in html
    assert "DEMO" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_the_darkest_class_holds_the_best_ranks_and_the_legend_says_quantiles(client, erin, ranked_counties):
    client_for(client, erin)
    response = client.get(reverse("map"), {"measure": "rank", "year": 2025})
    areas = _areas(response)
    first = next(area for area in areas.values() if area.value == 1)
    assert first.class_index == 5
    assert 'class="area class-5"' in response.content.decode()
    assert "Classes are quantiles" in response.content.decode()
    assert class_indexes([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5]
    assert class_indexes([7, 7, 7, 7, 7, 9]) == [1, 1, 1, 1, 1, 5]  # equal values share a class
    assert class_indexes([30, 10, 20]) == [5, 1, 3]  # fewer values than classes: spread over the scale
    assert class_indexes([42]) == [3]


@pytest.fixture
def approved_reports(alpha_county, beta_county, gamma_county):
    """Approved reports in January and February 2025 with plans of 120,000 a year; a submitted one in March."""
    for index, (county, values) in enumerate(
        [(alpha_county, ["9000", "11000"]), (beta_county, ["5000", "7000"]), (gamma_county, ["3000", "4000"])]
    ):
        _locate(county, index)
        factory = FactoryBuilder(county=county)
        AnnualPlanBuilder(factory=factory, year=2025, planned_output_value_thousand_won=Decimal("120000"))
        for number, value in enumerate(values, start=1):
            MonthlyReportBuilder(
                factory=factory, month=datetime.date(2025, number, 1), approved=True, output_value_thousand_won=value
            )
        MonthlyReportBuilder(
            factory=factory, month=datetime.date(2025, 3, 1), submitted=True, output_value_thousand_won="999999"
        )


@pytest.mark.django_db
def test_report_measures_equal_the_explorers_figures_and_provinces_are_ratios_of_sums(client, erin, approved_reports):
    client_for(client, erin)
    counties = _areas(client.get(reverse("map"), {"measure": "output_value", "year": 2025}))
    explorer = client.get(
        reverse("pivot"), {"measure": "output_value", "rows": "county", "columns": "year", "year": 2025}
    )
    table = explorer.context["table"]
    for slug in ("kp-northland-alpha", "kp-northland-beta", "kp-southland-gamma"):
        assert counties[slug].value == table.value(slug, (2025,))
    assert counties["kp-northland-alpha"].value == Decimal("20000")
    # Northland: (9,000 + 11,000 + 5,000 + 7,000) ÷ (4 × 10,000) = 80.0 %, not the mean of its counties' ratios.
    response = client.get(reverse("map"), {"measure": "against_plan", "year": 2025, "level": "province"})
    provinces = _areas(response)
    assert provinces["KP-61"].value == Decimal("32000") / Decimal("40000")
    assert provinces["KP-61"].display == "80.0 %"
    assert "sums for sums, ratios of the sums for ratios" in response.content.decode()
    # March has only a submitted report: unknown, not 0.
    march = _areas(client.get(reverse("map"), {"measure": "output_value", "year": 2025, "period": "m03"}))
    assert all(area.state == AreaState.NO_DATA and area.value is None for area in march.values())
    first_quarter = _areas(client.get(reverse("map"), {"measure": "output_value", "year": 2025, "period": "q1"}))
    assert first_quarter["kp-southland-gamma"].value == Decimal("7000")


@pytest.mark.django_db
def test_a_county_with_no_report_is_unknown_and_a_county_without_coordinates_is_listed_not_drawn(
    client, erin, approved_reports, north_province
):
    CountyBuilder(slug="kp-northland-silent", name_en="Silent", province=north_province)  # no reports, no coordinates
    client_for(client, erin)
    response = client.get(reverse("map"), {"measure": "output_value", "year": 2025})
    silent = _areas(response)["kp-northland-silent"]
    assert silent.state == AreaState.NO_DATA and silent.value is None and silent.shape is None
    html = response.content.decode()
    row = html.split('<tr data-area="kp-northland-silent">', 1)[1].split("</tr>", 1)[0]
    assert "–" in row and "no approved report" in row and "not drawn: no coordinates" in row
    assert ">0<" not in row


@pytest.mark.django_db
def test_standings_are_refused_at_province_level_and_the_counties_are_shown(client, erin, ranked_counties):
    client_for(client, erin)
    response = client.get(reverse("map"), {"measure": "composite", "year": 2025, "level": "province"})
    assert response.context["view"].is_province_level_refused
    assert "kp-northland-alpha" in _areas(response)
    assert 'data-testid="map-province-refused"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_measure_is_a_form_error_not_a_default(client, erin):
    client_for(client, erin)
    response = client.get(reverse("map"), {"measure": "happiness", "year": 2025})
    assert response.status_code == 200 and response.context["view"] is None
    assert "happiness" in response.content.decode() and 'class="errorlist"' in response.content.decode()


# --- scope ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_county_official_sees_only_the_own_countys_report_figures(client, alice, approved_reports):
    client_for(client, alice)
    response = client.get(reverse("map"), {"measure": "output_value", "year": 2025})
    areas = _areas(response)
    assert areas["kp-northland-alpha"].value == Decimal("20000")
    for slug in ("kp-northland-beta", "kp-southland-gamma"):
        assert areas[slug].state == AreaState.OUT_OF_SCOPE and areas[slug].value is None
    html = response.content.decode()
    assert "12,000.00" not in html and "7,000.00" not in html  # Beta's and Gamma's sums appear nowhere
    assert "outside your reporting scope" in html


@pytest.mark.django_db
def test_an_officials_own_unit_is_outlined(client, alice, carol, approved_reports):
    client_for(client, alice)
    response = client.get(reverse("map"), {"measure": "rank", "year": 2025})
    alpha = _areas(response)["kp-northland-alpha"]
    assert response.context["view"].own_unit_path == alpha.shape.path
    assert f'<path class="own-unit" d="{alpha.shape.path}">' in response.content.decode()
    client_for(client, carol)
    response = client.get(reverse("map"), {"measure": "output_value", "year": 2025, "level": "province"})
    assert response.context["view"].own_unit_path == _areas(response)["KP-61"].shape.path


@pytest.mark.django_db
def test_a_provincial_official_sees_the_own_province_and_not_the_others(client, carol, approved_reports):
    client_for(client, carol)
    areas = _areas(client.get(reverse("map"), {"measure": "output_value", "year": 2025, "level": "province"}))
    assert areas["KP-61"].value == Decimal("32000")
    assert areas["KP-62"].state == AreaState.OUT_OF_SCOPE and areas["KP-62"].value is None


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("map"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- query count ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize(
    ("measure", "expected_queries"),
    [
        # session, user, standings years (default year), counties, the run, its standings
        ("rank", 6),
        # session, user, standings years, counties, the pivot aggregate, the reader's reporting scope
        ("output_value", 6),
    ],
)
def test_the_map_costs_the_same_queries_at_2_and_20_counties(
    client, erin, north_province, django_assert_num_queries, count, measure, expected_queries
):
    for index in range(count):
        county = _locate(CountyBuilder(province=north_province, slug=f"kp-map-unit-{index}"), index)
        reports(operating_factory(county), output=str(8000 + index))
    standings_recompute(year=2025, cutoff_at=CUTOFF)
    client_for(client, erin)
    with django_assert_num_queries(expected_queries):
        response = client.get(reverse("map"), {"measure": measure, "year": 2025})
    assert sum(1 for area in response.context["view"].areas if area.shape is not None) == count
    assert response.context["view"].counts["value"] == count


# --- geometry ------------------------------------------------------------------------------------------------


def _located() -> list[LocatedCounty]:
    return [
        LocatedCounty(county.pk, county.province_id, county.latitude, county.longitude)
        for county in County.objects.exclude(latitude=None).exclude(longitude=None)
    ]


@pytest.mark.django_db
def test_every_located_county_has_its_own_cell_inside_the_outline_and_the_cells_tile_the_country(reference_data):
    located = _located()
    assert len(located) >= 170
    assert len({(county.latitude, county.longitude) for county in located}) == len(located)  # no shared point
    geometries = cell_geometries(located)
    outline = geometries.outline
    for county in located:
        cell = geometries.cells[county.county_id]
        assert cell.area > 0, county
        assert cell.contains(geometries.sites[county.county_id]) or cell.touches(geometries.sites[county.county_id])
        if outline.contains(geometries.sites[county.county_id]):
            assert cell.difference(outline).area < 1e-6
    cells = list(geometries.cells.values())
    union = shapely.union_all(cells)
    total = sum(cell.area for cell in cells)
    assert union.area == pytest.approx(total, rel=1e-9)  # no two cells overlap
    assert union.difference(outline).area < 0.01 * outline.area  # only the island discs lie outside
    assert outline.difference(union).area == pytest.approx(0, abs=1e-6)  # the cells cover the country


@pytest.mark.django_db
def test_the_geometry_is_computed_once_and_recomputed_when_a_county_moves(reference_data):
    located = _located()
    first = map_geometry(located)
    assert map_geometry(list(reversed(located))) is first
    moved = [
        *located[1:],
        LocatedCounty(located[0].county_id, located[0].province_id, Decimal("40.500"), Decimal("127.000")),
    ]
    second = map_geometry(moved)
    assert second is not first
    assert second.counties[located[0].county_id].path != first.counties[located[0].county_id].path
    assert set(first.provinces) == {county.province_id for county in located}
    assert first.province_borders_path.startswith("M")
