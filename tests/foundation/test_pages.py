"""The reference pages: who may open them, and what a reader sees on them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from factories.models import ConstructionMilestone, Factory, FactoryKind, RawMaterialBase
from tests.builders import FactoryBuilder, RawMaterialBaseBuilder
from tests.conftest import client_for

PERSONAS = ["alice", "bob", "carol", "dave", "erin", "frank"]


def _reference_urls():
    return [
        reverse("home"),
        reverse("schedule"),
        reverse("county_list"),
        reverse("county_detail", args=["kp-north-phyongan-kusong"]),
        reverse("province_detail", args=["KP-03"]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_role_may_read_every_reference_page(reference_data, client, request, persona):
    # Given a signed-in user of any role
    client_for(client, request.getfixturevalue(persona))

    # When they open each reference page, then it answers 200
    for url in _reference_urls():
        response = client.get(url)
        assert response.status_code == 200, url


def test_anonymous_visitors_are_sent_to_the_login_page(reference_data, client):
    for url in _reference_urls():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_an_unknown_county_or_province_answers_404(reference_data, client, erin):
    client_for(client, erin)

    assert client.get(reverse("county_detail", args=["kp-nowhere"])).status_code == 404
    assert client.get(reverse("province_detail", args=["KP-99"])).status_code == 404


# --- home ---------------------------------------------------------------------------------------------


def test_home_shows_each_rounds_localities_and_the_progress_towards_every_city_and_county(reference_data, client, erin):
    # Given the real schedule, read by an analyst
    client_for(client, erin)

    # When she opens the home page
    response = client.get(reverse("home"))

    # Then the rounds carry their real counts: 2024 and 2025 complete (+ the paper mill), 2026 17 so far (+ Riwon)
    overview = response.context["overview"]
    by_year = {r.year: r for r in overview.rounds}
    assert list(by_year) == list(range(2024, 2034))
    assert (by_year[2024].localities, by_year[2024].separate_projects) == (20, 0)
    assert (by_year[2025].localities, by_year[2025].separate_projects) == (20, 1)
    assert (by_year[2026].localities, by_year[2026].separate_projects) == (17, 1)
    assert all(by_year[year].localities == 0 for year in range(2027, 2034))
    assert overview.counties_in_scope == 175
    # And the chart's series are cumulative, with the plan of 20 a year as the target for the rest
    chart = response.context["chart_data"]
    assert chart["scheduled"][:4] == [20, 40, 57, None]
    assert chart["plan"] == [20, 40, 60, 80, 100, 120, 140, 160, 180, 200]
    assert chart["scope"] == [175] * 10
    content = response.content.decode()
    assert 'id="programme-chart-data" type="application/json"' in content
    assert "+ 1 separate project" in content
    assert "not yet announced" in content


def test_home_shows_the_kimhwa_model_with_its_sources(reference_data, client, erin):
    client_for(client, erin)

    content = client.get(reverse("home")).content.decode()

    assert "Inaugurated 21 June 2022; not one of the annual 20." in content
    assert reverse("county_detail", args=["kp-kangwon-kimhwa"]) in content
    assert "370-odd" in content
    assert 'href="https://kcnawatch.org/newstream/1664086050-102207081/optimized-production-line-pays-off"' in content


# --- schedule -----------------------------------------------------------------------------------------


def test_schedule_shows_dates_at_the_precision_reported_and_never_guesses(reference_data, client, erin):
    client_for(client, erin)

    response = client.get(reverse("schedule"))

    content = response.content.decode()
    # Songchon's day is known, Sukchon's only its month, Rangrim's groundbreaking is not reported
    assert "28 February 2024" in content
    assert "March 2024" in content
    assert "not reported" in content
    grid = response.context["grid"]
    assert grid.years == [2022, 2024, 2025, 2026]
    assert grid.totals() == [(2022, 0, 1, True), (2024, 20, 20, False), (2025, 20, 20, False), (2026, 17, 20, False)]


def test_schedule_shows_the_rule_checks_as_warnings_and_marks_the_cells(reference_data, client, erin):
    client_for(client, erin)

    response = client.get(reverse("schedule"))

    content = response.content.decode()
    assert "5 departures from the programme's rules" in content
    assert "2026 is not yet fully known: 17 of 20 localities recorded so far. Plus 1 separate project." in content
    assert "North Phyongan has 3 localities in 2024, not 2." in content
    assert "Panmun (Kaesong, 2026) is a ward, not a city or county." in content
    flagged = [
        (province.code, cell.year)
        for province, cells in response.context["grid"].rows()
        for cell in cells
        if cell.warning
    ]
    assert sorted(flagged) == [("KP-03", 2024), ("KP-10", 2024), ("KP-10", 2025)]


# --- county and province pages ------------------------------------------------------------------------


def test_county_page_shows_the_round_dates_and_sources_as_links(reference_data, client, erin):
    client_for(client, erin)

    response = client.get(reverse("county_detail", args=["kp-north-phyongan-kusong"]))

    content = response.content.decode()
    assert "Kusong" in content
    assert '<span class="ko" lang="ko">구성시</span>' in content
    assert '<dd class="" data-testid="groundbreaking">March 2024</dd>' in content
    assert '<dd class="" data-testid="inauguration">30 January 2025</dd>' in content
    assert 'href="http://www.spnews.co.kr/news/articleView.html?idxno=77499"' in content
    assert "196,515" in content


def test_a_source_that_is_not_a_web_address_is_shown_as_text(reference_data, client, erin):
    # Given a slot whose sources mix a web address and a citation
    from regional.models import ProgrammeSlot

    slot = ProgrammeSlot.objects.get(county__slug="kp-north-phyongan-kusong")
    slot.sources = "Rodong Sinmun, 7 March 2024, p. 1 | https://example.org/report"
    slot.save()
    client_for(client, erin)

    content = client.get(reverse("county_detail", args=["kp-north-phyongan-kusong"])).content.decode()

    assert '<span class="source-text">Rodong Sinmun, 7 March 2024, p. 1</span>' in content
    assert '<a href="https://example.org/report"' in content


def test_county_page_lists_factories_milestones_and_bases_with_demo_rows_badged(reference_data, client, erin):
    # Given Kusong has a real factory, a demo factory, a late milestone and a demo raw-material base
    from regional.models import County, ProgrammeSlot

    kusong = County.objects.get(slug="kp-north-phyongan-kusong")
    slot = ProgrammeSlot.objects.get(county=kusong)
    FactoryBuilder(
        county=kusong,
        programme_slot=slot,
        name="Kusong Foodstuff Factory",
        kind=FactoryKind.FOODSTUFF,
        design_capacity=Decimal("1500"),
        capacity_unit="tonnes",
    )
    FactoryBuilder(
        county=kusong,
        programme_slot=slot,
        name="Kusong Garment Factory",
        kind=FactoryKind.GARMENT,
        design_capacity=Decimal("300000"),
        capacity_unit="pieces",
        status=Factory.Status.UNDER_CONSTRUCTION,
        commissioned_on=None,
        is_demo=True,
    )
    ConstructionMilestone.objects.create(
        programme_slot=slot,
        kind=ConstructionMilestone.Kind.DESIGN_APPROVED,
        planned_date=datetime.date(2024, 4, 1),
        actual_date=datetime.date(2024, 4, 11),
    )
    RawMaterialBaseBuilder(
        county=kusong,
        name="Kusong soybean fields",
        kind=RawMaterialBase.Kind.FIELD,
        area_hectares=Decimal("240.50"),
        is_demo=True,
    )
    client_for(client, erin)

    # When an analyst opens the county
    content = client.get(reverse("county_detail", args=["kp-north-phyongan-kusong"])).content.decode()

    # Then each is shown with its figures, the late milestone marked, and demo rows badged
    assert "Kusong Foodstuff Factory" in content
    assert "1,500 tonnes" in content
    assert "300,000 pieces" in content
    assert "under construction" in content
    assert "2024-04-01" in content and "2024-04-11" in content
    assert "10 days late" in content
    assert '<tr class="is-late">' in content
    assert "240.5" in content
    assert content.count('<span class="badge demo"') == 2


def test_province_page_lists_its_counties_with_round_and_factory_count(reference_data, client, erin):
    # Given North Phyongan, whose Kusong has two factories
    from regional.models import County

    kusong = County.objects.get(slug="kp-north-phyongan-kusong")
    FactoryBuilder(county=kusong, kind=FactoryKind.FOODSTUFF)
    FactoryBuilder(county=kusong, kind=FactoryKind.GARMENT)
    client_for(client, erin)

    # When the province page is opened
    response = client.get(reverse("province_detail", args=["KP-03"]))

    # Then every unit is listed with its round, status and factory count
    counties = {c.slug: c for c in response.context["counties"]}
    assert len(counties) == 25
    assert (
        counties["kp-north-phyongan-kusong"].programme_year,
        counties["kp-north-phyongan-kusong"].factory_count,
    ) == (
        2024,
        2,
    )
    assert counties["kp-north-phyongan-kusong"].programme_status == "inaugurated"
    assert counties["kp-north-phyongan-unsan"].programme_status == "inaugurated"
    assert counties["kp-north-phyongan-sinuiju"].programme_status == "not_scheduled"
    summary = response.context["summary"]
    assert (summary.in_scope, summary.scheduled, summary.inaugurated) == (25, 5, 5)
    assert '<span class="ko" lang="ko">평안북도</span>' in response.content.decode()


# --- county list --------------------------------------------------------------------------------------


def test_county_list_pages_by_25(reference_data, client, erin):
    client_for(client, erin)

    response = client.get(reverse("county_list"))

    page = response.context["page"]
    assert page.paginator.count == 215
    assert len(page.object_list) == 25
    assert page.paginator.num_pages == 9
    assert "Page 1 of 9" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected_slugs"),
    [
        ({"q": "kusong"}, ["kp-north-phyongan-kusong"]),
        ({"q": "구성"}, ["kp-north-phyongan-kusong"]),
        ({"province": "KP-15", "kind": "ward"}, ["kp-kaesong-kaephung", "kp-kaesong-panmun"]),
        ({"year": "2026", "status": "scheduled"}, []),
        (
            {"year": "2026", "province": "KP-08"},
            ["kp-south-hamgyong-rakwon", "kp-south-hamgyong-riwon", "kp-south-hamgyong-sinhung"],
        ),
        ({"year": "2022"}, ["kp-kangwon-kimhwa"]),
        ({"province": "KP-10", "status": "inaugurated"}, ["kp-ryanggang-kim-hyong-jik", "kp-ryanggang-kim-jong-suk"]),
    ],
)
def test_county_list_filters_by_name_province_kind_round_and_status(
    reference_data, client, erin, query, expected_slugs
):
    client_for(client, erin)

    response = client.get(reverse("county_list"), query)

    assert sorted(c.slug for c in response.context["page"].object_list) == expected_slugs


def test_county_list_counts_scope_and_status_from_the_real_data(reference_data, client, erin):
    client_for(client, erin)

    def count(**query):
        return client.get(reverse("county_list"), query).context["page"].paginator.count

    assert count(kind="in_scope") == 175
    # 60 slots, of which two are Kaesong wards: 58 cities and counties are scheduled
    assert count(kind="in_scope", status="not_scheduled") == 175 - 58
    assert count(year="2025") == 21
    # All 20 of 2024 and of 2025 have a reported inauguration, plus the Unsan paper mill and the Kimhwa model
    assert count(status="inaugurated") == 20 + 20 + 1 + 1


def test_county_list_refuses_an_unknown_filter_value_with_a_clear_error(reference_data, client, erin):
    client_for(client, erin)

    response = client.get(reverse("county_list"), {"status": "demolished"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "Select a valid choice" in response.content.decode()


def test_pages_are_offered_in_korean_with_place_names_in_both_scripts(reference_data, client, erin):
    # Given an analyst who chose Korean
    client_for(client, erin)
    client.post(reverse("set_language"), {"language": "ko", "next": reverse("schedule")})

    # When she opens the schedule and a county
    schedule = client.get(reverse("schedule")).content.decode()
    county = client.get(reverse("county_detail", args=["kp-north-phyongan-kusong"])).content.decode()

    # Then headings, navigation and labels are Korean, and place names keep their English form beside the Korean
    assert '<html lang="ko">' in schedule
    assert "<h1>일정</h1>" in schedule
    assert ">시·군</a>" in schedule
    assert "사업 규칙과 다른 점 5건" in schedule
    assert 'Kusong <span class="ko" lang="ko">구성시</span>' in county
    assert "보도되지 않음" in county
