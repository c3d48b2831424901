"""Filters, ordering, pagination and CSV of the list endpoints."""

import datetime
from urllib.parse import urlsplit

import pytest

from regional.renderers import neutralise_cell
from tests.api.conftest import PlainDecimalsSerializer, standings_run
from tests.builders import CountyBuilder, FactoryBuilder, MonthlyReportBuilder, RoundBuilder, SlotBuilder

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def months(count: int, start=datetime.date(2020, 1, 1)) -> list[datetime.date]:
    return [
        datetime.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(count)
    ]


@pytest.fixture
def alphas_factory(alpha_county):
    return FactoryBuilder(code="alpha-foodstuff", county=alpha_county)


def walk(client, url) -> tuple[list[int], list[str]]:
    """Every id from following `next` to the end, and the page URLs followed."""
    ids, pages = [], []
    while url:
        pages.append(url)
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        ids.extend(row["id"] for row in body["results"])
        url = path_of(body["next"]) if body["next"] else None
        walk.after_page(len(pages))
    return ids, pages


def test_walking_reports_while_reports_are_added_serves_each_once_and_misses_none(frank, as_user, alphas_factory):
    first = [MonthlyReportBuilder(factory=alphas_factory, month=month, approved=True) for month in months(25)]
    added = []

    def add_two_reports_after_the_first_page(page_number):
        if page_number == 1:
            added.extend(
                MonthlyReportBuilder(factory=alphas_factory, month=month, approved=True)
                for month in months(2, start=datetime.date(2023, 1, 1))
            )

    walk.after_page = add_two_reports_after_the_first_page
    ids, pages = walk(as_user(frank), "/api/v1/reports/?page_size=10")

    assert len(pages) == 3
    assert ids == sorted(report.pk for report in first + added)


def test_walking_reports_newest_first_never_repeats_a_row_when_reports_are_added(frank, as_user, alphas_factory):
    first = [MonthlyReportBuilder(factory=alphas_factory, month=month, approved=True) for month in months(12)]

    def add_a_report(page_number):
        MonthlyReportBuilder(factory=alphas_factory, month=months(1, start=datetime.date(2024, page_number, 1))[0])

    walk.after_page = add_a_report
    ids, _pages = walk(as_user(frank), "/api/v1/reports/?page_size=5&ordering=-id")

    assert ids == sorted((report.pk for report in first), reverse=True)


def test_report_pages_carry_a_link_header_to_the_next_page(frank, as_user, alphas_factory):
    for month in months(3):
        MonthlyReportBuilder(factory=alphas_factory, month=month)

    response = as_user(frank).get("/api/v1/reports/?page_size=2")

    assert response["Link"] == f'<{response.json()["next"]}>; rel="next"'


@pytest.mark.parametrize("page_size", ["0", "1001", "ten", "-5", "²"])
def test_a_page_size_outside_the_limit_is_refused(frank, as_user, page_size):
    response = as_user(frank).get(f"/api/v1/reports/?page_size={page_size}")

    assert response.status_code == 400
    assert response.json() == {"page_size": ["Enter a whole number from 1 to 1000."]}


def test_numbered_pages_cover_every_county_once(alice, as_user, north_province):
    for index in range(7):
        CountyBuilder(slug=f"kp-northland-extra-{index}", province=north_province)
    client = as_user(alice)
    slugs, url = [], "/api/v1/counties/?page_size=3"
    while url:
        body = client.get(url).json()
        slugs.extend(row["slug"] for row in body["results"])
        url = path_of(body["next"]) if body["next"] else None

    assert body["count"] == 8
    assert len(slugs) == len(set(slugs)) == 8


def test_a_page_beyond_the_last_answers_404(alice, as_user):
    assert as_user(alice).get("/api/v1/provinces/?page=99").status_code == 404


def test_reports_filter_by_status_month_range_and_place(frank, as_user, world, gamma_county):
    client = as_user(frank)
    reports = world["reports"]

    def ids(query):
        response = client.get(f"/api/v1/reports/?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("status=draft") == {reports[(county, "draft")].pk for county in ("Alpha", "Beta", "Gamma")}
    assert ids("status=draft&status=approved&county=kp-northland-beta") == {
        reports[("Beta", "approved")].pk,
        reports[("Beta", "draft")].pk,
    }
    assert ids("month_from=2025-04&month_to=2025-04&province=KP-62") == {reports[("Gamma", "draft")].pk}
    assert ids("month_to=2025-03-01&factory=alpha-foodstuff") == {reports[("Alpha", "approved")].pk}
    assert ids("year=2024") == set()
    assert ids("factory_kind=garment") == set()


def test_reports_filter_by_programme_round(frank, as_user, alpha_county, beta_county):
    slot = SlotBuilder(county=alpha_county, programme_round=RoundBuilder(year=2024))
    in_round = MonthlyReportBuilder(factory=FactoryBuilder(county=alpha_county, programme_slot=slot))
    MonthlyReportBuilder(factory=FactoryBuilder(county=beta_county))

    rows = as_user(frank).get("/api/v1/reports/?round=2024").json()["results"]

    assert [row["id"] for row in rows] == [in_round.pk]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("month_from=2025-13", {"month_from": ["Enter a valid date."]}),
        ("year=1850", {"year": ["Ensure this value is greater than or equal to 2000."]}),
        ("status=lost", {"status": ["Select a valid choice. lost is not one of the available choices."]}),
        ("ordering=comment", {"ordering": ["Order by one of: -id, id."]}),
        (
            "month_from=2025-03-15",
            {"month_from": ["Give a month as YYYY-MM (or its first day, YYYY-MM-01) between 2000 and 2099."]},
        ),
        ("factory_kind=", {"factory_kind": ["Give a value, or leave the parameter out."]}),
    ],
)
def test_invalid_report_filters_are_refused_with_the_reason(frank, as_user, query, errors):
    response = as_user(frank).get(f"/api/v1/reports/?{query}")

    assert response.status_code == 400
    assert response.json() == errors


def test_counties_filter_by_province_kind_and_round_and_order_by_population(alice, as_user, north_province):
    CountyBuilder(slug="kp-northland-delta", name_en="Delta", province=north_province, population_2008=50_000)
    city = CountyBuilder(slug="kp-northland-epsilon", name_en="Epsilon", province=north_province, kind="city")
    SlotBuilder(county=city, programme_round=RoundBuilder(year=2025))
    CountyBuilder(slug="kp-northland-ward", name_en="Ward", province=north_province, kind="ward")
    client = as_user(alice)

    def slugs(query):
        return [row["slug"] for row in client.get(f"/api/v1/counties/?{query}").json()["results"]]

    assert slugs("province=KP-61&in_programme=true&ordering=population_2008") == [
        "kp-northland-delta",
        "kp-northland-alpha",
        "kp-northland-epsilon",
    ]
    assert slugs("round=2025") == ["kp-northland-epsilon"]
    assert slugs("kind=ward") == ["kp-northland-ward"]


def test_factories_filter_by_kind_status_and_county(alice, as_user, alpha_county, beta_county):
    FactoryBuilder(
        code="alpha-garment", county=alpha_county, kind="garment", status="under_construction", commissioned_on=None
    )
    FactoryBuilder(code="beta-garment", county=beta_county, kind="garment")
    client = as_user(alice)

    def codes(query):
        return [row["code"] for row in client.get(f"/api/v1/factories/?{query}").json()["results"]]

    assert codes("kind=garment&ordering=-code") == ["beta-garment", "alpha-garment"]
    assert codes("status=under_construction") == ["alpha-garment"]
    assert codes("county=kp-northland-beta") == ["beta-garment"]


def test_reports_download_as_csv_with_formulas_neutralised(frank, as_user, alphas_factory):
    MonthlyReportBuilder(factory=alphas_factory, comment='=HYPERLINK("http://x","click")')

    response = as_user(frank).get("/api/v1/reports/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, row = response.content.decode().splitlines()
    assert header.split(",")[:3] == ["id", "factory", "factory_name"]
    assert '\'=HYPERLINK(""http://x"",""click"")' in row
    assert ",10000.00," in row


def test_an_empty_csv_page_still_names_its_columns(erin, as_user):
    response = as_user(erin).get("/api/v1/reports/?format=csv")

    assert response.content.decode().startswith("id,factory,factory_name,factory_kind,county,province,month,status")


def test_standings_download_as_csv_keeping_negative_numbers(erin, as_user, alpha_county, gamma_county):
    run = standings_run(year=2025, counties=[alpha_county, gamma_county])
    run.county_standings.filter(county=gamma_county).update(rank_change=-2)

    response = as_user(erin).get(f"/api/v1/standings/runs/{run.pk}/standings/?format=csv")

    lines = response.content.decode().splitlines()
    assert lines[0].startswith("county,county_name_en,province,operating_months")
    assert lines[1].startswith("kp-northland-alpha,Alpha,KP-61,12,12,true,")
    # rank, province rank, previous rank, rank change, then the band columns (none in this hand-made run)
    assert lines[2].endswith(",2,2,,-2,,,2,,")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+41", "'+41"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("-3", "-3"),
        ("-12.50", "-12.50"),
        ("plain", "plain"),
        (None, ""),
        (True, "true"),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_get_a_leading_quote(value, cell):
    assert neutralise_cell(value) == cell


def test_a_countys_standings_history_lists_each_run_newest_first(erin, as_user, alpha_county, gamma_county):
    earlier = standings_run(year=2024, counties=[alpha_county])
    later = standings_run(year=2025, counties=[gamma_county, alpha_county])

    rows = as_user(erin).get("/api/v1/counties/kp-northland-alpha/standings/").json()["results"]
    filtered = as_user(erin).get("/api/v1/counties/kp-northland-alpha/standings/?year=2024").json()["results"]

    assert [(row["run"], row["year"], row["rank"]) for row in rows] == [(later.pk, 2025, 2), (earlier.pk, 2024, 1)]
    assert [row["run"] for row in filtered] == [earlier.pk]


@pytest.mark.parametrize("query", ["in_programme=null", "in_programme=yes", "page=", "page=0", "page=x"])
def test_values_outside_the_schema_are_refused_not_ignored(alice, as_user, query):
    response = as_user(alice).get(f"/api/v1/counties/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_a_runs_standings_carry_every_decimal_as_drf_writes_it(erin, as_user, alpha_county, gamma_county):
    # Given standings with negative, zero, whole, large and unknown values
    from decimal import Decimal

    from standings.models import CountyStanding

    run = standings_run(year=2025, counties=[alpha_county, gamma_county])
    run.county_standings.filter(county=alpha_county).update(
        growth=Decimal("-0.123456"),
        product_range=Decimal("0"),
        local_raw_materials=Decimal("123456789012.5"),
        score_growth=Decimal("0.01"),
        reporting_discipline=None,
        composite=Decimal("100"),
    )

    # When the API lists them
    rows = as_user(erin).get(f"/api/v1/standings/runs/{run.pk}/standings/").json()["results"]

    # Then each decimal is the text DRF's own DecimalField writes for the stored value (places kept, no exponent)
    expected = {
        standing.county.slug: PlainDecimalsSerializer(standing).data
        for standing in CountyStanding.objects.filter(run=run).select_related("county")
    }
    for row in rows:
        assert {name: row[name] for name in expected[row["county"]]} == expected[row["county"]]
    alpha = next(row for row in rows if row["county"] == alpha_county.slug)
    assert (alpha["growth"], alpha["local_raw_materials"], alpha["reporting_discipline"]) == (
        "-0.123456",
        "123456789012.500000",
        None,
    )
