"""Every list page costs the same number of queries at 2 rows and at 20: aggregates in SQL, no query per row."""

import datetime

import pytest
from django.urls import reverse

from factories.models import ConstructionMilestone, FactoryKind
from regional.models import ProgrammeRound, ProgrammeSlot, Province
from tests.builders import (
    CountyBuilder,
    FactoryBuilder,
    ProvinceBuilder,
    RawMaterialBaseBuilder,
    RoundBuilder,
    SlotBuilder,
)
from tests.conftest import client_for

ROW_COUNTS = [2, 20]


def _build_rows(count: int) -> Province:
    """`count` scheduled counties in one province, each with two factories, a milestone and a base."""
    province = ProvinceBuilder(code="KP-81", name_en="Countland", kind=Province.Kind.PROVINCE)
    RoundBuilder(year=2022, kind=ProgrammeRound.Kind.MODEL, target_localities=1)
    for index in range(count):
        programme_round = RoundBuilder(year=2024 + index % 3)
        county = CountyBuilder(province=province, slug=f"kp-countland-unit-{index}", name_en=f"Unit {index:02d}")
        slot = SlotBuilder(
            programme_round=programme_round,
            county=county,
            groundbreaking_date=datetime.date(2024, 3, 1),
            groundbreaking_precision="month",
        )
        FactoryBuilder(county=county, programme_slot=slot, kind=FactoryKind.FOODSTUFF)
        FactoryBuilder(county=county, programme_slot=slot, kind=FactoryKind.GARMENT)
        ConstructionMilestone.objects.create(
            programme_slot=slot, kind=ConstructionMilestone.Kind.DESIGN_APPROVED, planned_date=datetime.date(2024, 4, 1)
        )
        RawMaterialBaseBuilder(county=county)
    assert ProgrammeSlot.objects.count() == count
    return province


@pytest.mark.parametrize("rows", ROW_COUNTS)
def test_county_list_query_count_does_not_grow_with_rows(db, client, erin, django_assert_num_queries, rows):
    _build_rows(rows)
    client_for(client, erin)

    # Expect 6 queries: session, user, the province choices, the round choices, the count, the page
    with django_assert_num_queries(6):
        response = client.get(reverse("county_list"))
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", ROW_COUNTS)
def test_filtered_county_list_query_count_does_not_grow_with_rows(db, client, erin, django_assert_num_queries, rows):
    _build_rows(rows)
    client_for(client, erin)

    # Expect 7 queries: session, user, the chosen province (validation), the province choices,
    # the round choices, the count, the page
    with django_assert_num_queries(7):
        response = client.get(reverse("county_list"), {"province": "KP-81", "status": "broken_ground", "q": "unit"})
    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("rows", ROW_COUNTS)
def test_schedule_query_count_does_not_grow_with_rows(db, client, erin, django_assert_num_queries, rows):
    _build_rows(rows)
    client_for(client, erin)

    # Expect 11 queries: session, user; rule checks: rounds with counts, separate projects per year, counts per
    # province and year, provinces, counties scheduled twice, units not a city or county; grid: provinces, slots,
    # rounds
    with django_assert_num_queries(11):
        response = client.get(reverse("schedule"))
    assert sum(len(cell.slots) for _, cells in response.context["grid"].rows() for cell in cells) == rows


@pytest.mark.parametrize("rows", ROW_COUNTS)
def test_province_page_query_count_does_not_grow_with_rows(db, client, erin, django_assert_num_queries, rows):
    _build_rows(rows)
    client_for(client, erin)

    # Expect 4 queries: session, user, the province, its counties with round, status and factory count
    with django_assert_num_queries(4):
        response = client.get(reverse("province_detail", args=["KP-81"]))
    assert [c.factory_count for c in response.context["counties"]] == [2] * rows


@pytest.mark.parametrize("rows", ROW_COUNTS)
def test_home_query_count_does_not_grow_with_rows(db, client, erin, django_assert_num_queries, rows):
    _build_rows(rows)
    client_for(client, erin)

    # Expect 4 queries: session, user, the rounds with their counts and the scope, the model slots
    with django_assert_num_queries(4):
        response = client.get(reverse("home"))
    assert response.context["overview"].localities == rows


@pytest.mark.parametrize("rows", ROW_COUNTS)
def test_county_page_query_count_does_not_grow_with_its_rows(db, client, erin, django_assert_num_queries, rows):
    # Given one county with `rows` factories and bases
    province = _build_rows(1)
    county = province.counties.get()
    for index in range(rows):
        FactoryBuilder(county=county, kind=FactoryKind.OTHER, name=f"Plant {index}")
        RawMaterialBaseBuilder(county=county)
    client_for(client, erin)

    # Expect 11 queries: session, user, county, slot, factories, milestones, bases, their yields, the site's
    # facilities and who answers for it, the bases' area and yield per year
    with django_assert_num_queries(11):
        response = client.get(reverse("county_detail", args=[county.slug]))
    assert len(response.context["detail"].factories) == rows + 2


ADMIN_LISTS = [
    "admin:regional_province_changelist",
    "admin:regional_county_changelist",
    "admin:regional_programmeround_changelist",
    "admin:regional_programmeslot_changelist",
    "admin:regional_user_changelist",
    "admin:factories_factory_changelist",
    "admin:factories_constructionmilestone_changelist",
    "admin:factories_rawmaterialbase_changelist",
]


@pytest.mark.parametrize("url_name", ADMIN_LISTS)
def test_admin_lists_cost_the_same_queries_at_2_and_20_rows(db, client, frank, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_for(client, frank)
    url = reverse(url_name)
    _build_rows(2)
    with CaptureQueriesContext(connection) as at_two:
        assert client.get(url).status_code == 200
    for index in range(2, 20):
        county = CountyBuilder(
            province=Province.objects.get(code="KP-81"), slug=f"kp-countland-more-{index}", name_en=f"More {index}"
        )
        slot = SlotBuilder(programme_round=ProgrammeRound.objects.get(year=2024), county=county)
        FactoryBuilder(county=county, programme_slot=slot)
        ConstructionMilestone.objects.create(programme_slot=slot, kind=ConstructionMilestone.Kind.DESIGN_APPROVED)
        RawMaterialBaseBuilder(county=county)
    with CaptureQueriesContext(connection) as at_twenty:
        assert client.get(url).status_code == 200

    assert len(at_twenty) == len(at_two), [q["sql"] for q in at_twenty.captured_queries]
