"""Every list endpoint answers in a fixed number of queries, whether a page holds 2 rows or 20."""

import datetime

import pytest

from factories.models import ConstructionMilestone
from tests.api.conftest import standings_run
from tests.builders import (
    AnnualPlanBuilder,
    CountyBuilder,
    FactoryBuilder,
    MonthlyReportBuilder,
    ProvinceBuilder,
    RawMaterialBaseBuilder,
    RoundBuilder,
    SlotBuilder,
)

pytestmark = pytest.mark.django_db


def provinces(count, context):
    for index in range(count):
        ProvinceBuilder(code=f"KP-{70 + index}")


def counties(count, context):
    for index in range(count):
        county = CountyBuilder(province=context["province"])
        SlotBuilder(county=county, programme_round=RoundBuilder(year=2024))
        FactoryBuilder(county=county, code=f"factory-{index}")


def rounds(count, context):
    for index in range(count):
        RoundBuilder(year=2020 + index)


def slots(count, context):
    for _index in range(count):
        SlotBuilder(county=CountyBuilder(province=context["province"]), programme_round=RoundBuilder(year=2025))


def facilities(count, context):
    from factories.models import Facility

    for index in range(count):
        slot = SlotBuilder(county=CountyBuilder(province=context["province"]), programme_round=RoundBuilder(year=2025))
        Facility.objects.create(programme_slot=slot, kind="hospital", name=f"Hospital {index}", source="https://e.org")


def responsibilities(count, context):
    from factories.models import SiteResponsibility

    for _index in range(count):
        slot = SlotBuilder(county=CountyBuilder(province=context["province"]), programme_round=RoundBuilder(year=2025))
        SiteResponsibility.objects.create(
            programme_slot=slot, role="construction_unit", name="U", source="https://e.org"
        )


def raw_material_years(count, context):
    from decimal import Decimal

    from factories.models import RawMaterialYield

    for index in range(count):
        base = RawMaterialBaseBuilder(county=context["county"])
        RawMaterialYield.objects.create(base=base, year=2024, yield_tonnes=Decimal(index), area_hectares=Decimal(3))


def factories(count, context):
    for _index in range(count):
        slot = SlotBuilder(county=CountyBuilder(province=context["province"]), programme_round=RoundBuilder(year=2025))
        FactoryBuilder(county=slot.county, programme_slot=slot)


def milestones(count, context):
    for _index in range(count):
        slot = SlotBuilder(county=CountyBuilder(province=context["province"]), programme_round=RoundBuilder(year=2025))
        factory = FactoryBuilder(county=slot.county, programme_slot=slot)
        ConstructionMilestone.objects.create(programme_slot=slot, factory=factory, kind="design_approved")


def raw_material_bases(count, context):
    for _index in range(count):
        RawMaterialBaseBuilder(county=CountyBuilder(province=context["province"]))


def annual_plans(count, context):
    for _index in range(count):
        AnnualPlanBuilder(factory=FactoryBuilder(county=CountyBuilder(province=context["province"])))


def reports(count, context):
    factory = FactoryBuilder(county=CountyBuilder(province=context["province"]))
    for index in range(count):
        MonthlyReportBuilder(factory=factory, month=datetime.date(2020 + index // 12, index % 12 + 1, 1), approved=True)


def runs(count, context):
    for index in range(count):
        standings_run(year=2025 + index % 3, counties=[context["county"]])


def run_standings(count, context):
    context["run"] = standings_run(
        year=2025, counties=[CountyBuilder(province=context["province"]) for _ in range(count)]
    )


def county_history(count, context):
    for index in range(count):
        standings_run(year=2025 + index % 3, counties=[context["county"]])


# (name, url, builder, expected queries). Every count includes the token lookup.
CASES = [
    # Expect 3 queries: token, count, page.
    ("provinces", "/api/v1/provinces/", provinces, 3),
    # Expect 4 queries: token, count, page (province joined, round year as a subquery), the factories of the page.
    ("counties", "/api/v1/counties/", counties, 4),
    # Expect 3 queries: token, count, page (slot count annotated).
    ("rounds", "/api/v1/rounds/", rounds, 3),
    # Expect 3 queries: token, count, page (round, county and province joined).
    ("slots", "/api/v1/slots/", slots, 3),
    # Expect 3 queries: token, count, page (county, province, slot and round joined).
    ("factories", "/api/v1/factories/", factories, 3),
    # Expect 3 queries: token, count, page (slot, round, county, province and factory joined).
    ("milestones", "/api/v1/milestones/", milestones, 3),
    # Expect 3 queries: token, count, page (slot, round, county, province and factory joined).
    ("facilities", "/api/v1/facilities/", facilities, 3),
    # Expect 3 queries: token, count, page (slot, round, county and province joined).
    ("site-responsibilities", "/api/v1/site-responsibilities/", responsibilities, 3),
    # Expect 3 queries: token, count, page (base, county and province joined).
    ("raw-material-years", "/api/v1/raw-material-years/", raw_material_years, 3),
    # Expect 3 queries: token, count, page (county and province joined).
    ("raw-material-bases", "/api/v1/raw-material-bases/", raw_material_bases, 3),
    # Expect 3 queries: token, count, page (factory, county and province joined).
    ("annual-plans", "/api/v1/annual-plans/", annual_plans, 3),
    # Expect 2 queries: token, page of `.values()` rows (cursor pages need no count).
    ("reports", "/api/v1/reports/", reports, 2),
    # Expect 3 queries: token, page (the CSV renderer reads the same rows), the audit row of the export.
    ("reports-csv", "/api/v1/reports/?format=csv", reports, 3),
    # Expect 3 queries: token, count, page (methodology and user joined).
    ("standings-runs", "/api/v1/standings/runs/", runs, 3),
    # Expect 2 queries: token, page (county, province and run joined; a first page with room to spare is the
    # whole list, so no count, and its rows prove the run exists).
    ("run-standings", "/api/v1/standings/runs/{run}/standings/", run_standings, 2),
    # Expect 3 queries: token, the county, page (run, county and province joined; no count, as above).
    ("county-history", "/api/v1/counties/kp-northland-alpha/standings/", county_history, 3),
]


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize(("name", "url", "build", "expected"), CASES, ids=[case[0] for case in CASES])
def test_list_endpoint_query_count_does_not_grow_with_rows(
    frank, as_user, north_province, alpha_county, django_assert_num_queries, name, url, build, expected, rows
):
    context = {"province": north_province, "county": alpha_county}
    build(rows, context)
    client = as_user(frank)
    if "{run}" in url:
        url = url.format(run=context["run"].pk)

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
    if "format=csv" in url:
        assert response.content.decode().count("\r\n") == rows + 1
    else:
        assert len(response.json()["results"]) >= rows


def test_a_full_page_of_a_runs_standings_takes_its_count_from_the_run_not_a_count_query(
    frank, as_user, north_province, south_province, django_assert_num_queries
):
    # Given a run of five counties, three of them in the north
    counties = [CountyBuilder(province=north_province) for _ in range(3)] + [
        CountyBuilder(province=south_province) for _ in range(2)
    ]
    run = standings_run(year=2025, counties=counties)
    client = as_user(frank)

    # When a client reads its first page of two (a full page: the rows alone cannot tell how many there are)
    with django_assert_num_queries(2):  # token, the page: each row carries the run's five listed counties
        response = client.get(f"/api/v1/standings/runs/{run.pk}/standings/?page_size=2")

    # Then the count is every county of the run, and the next page is offered
    assert response.json()["count"] == 5
    assert response.json()["next"] is not None
    # And the last page knows the count from the run, and holds the fifth county
    with django_assert_num_queries(3):  # token, the run, the page
        last = client.get(f"/api/v1/standings/runs/{run.pk}/standings/?page_size=2&page=3")
    assert (last.json()["count"], len(last.json()["results"]), last.json()["next"]) == (5, 1, None)
    # And a filtered list still counts its own rows
    with django_assert_num_queries(4):  # token, the run, the count, the page
        filtered = client.get(f"/api/v1/standings/runs/{run.pk}/standings/?page_size=2&province={north_province.code}")
    assert filtered.json()["count"] == 3


def test_a_run_without_counties_is_an_empty_list_and_an_unknown_run_a_404(frank, as_user):
    # Given a run that lists no county (a year before any factory operated)
    run = standings_run(year=2025, counties=[])
    client = as_user(frank)

    # When its standings are read, and those of a run that does not exist
    empty = client.get(f"/api/v1/standings/runs/{run.pk}/standings/")
    unknown = client.get(f"/api/v1/standings/runs/{run.pk + 1000}/standings/")
    beyond = client.get(f"/api/v1/standings/runs/{run.pk}/standings/?page=2")

    # Then the first is an empty list, the second and a page past the end are 404s
    assert (empty.status_code, empty.json()["count"], empty.json()["results"]) == (200, 0, [])
    assert unknown.status_code == 404
    assert beyond.status_code == 404
