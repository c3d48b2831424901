"""The header's search: counties by English, Korean and other romanisations; factories by name or code; within
scope, with a constant number of queries, through an index on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from regional.models import County
from regional.search.selectors import _matching, search
from regional.search.skeleton import skeleton
from tests.builders import CountyBuilder, FactoryBuilder
from tests.conftest import client_for


@pytest.mark.parametrize(
    ("spelling", "other"),
    [
        ("Unnyul", "Unryul"),
        ("Bullyeong", "Puryong"),
        ("Cheorwon", "Cholwon"),
        ("Chagang", "Jagang"),
        ("Phyongsong", "Pyongsong"),
        ("Kaesong", "Gaeseong"),
    ],
)
def test_the_romanisations_the_sources_use_share_one_skeleton(spelling, other):
    assert skeleton(spelling) == skeleton(other)


def test_different_names_keep_different_skeletons():
    assert skeleton("Songchon") != skeleton("Sukchon")
    assert skeleton("Unsan") != skeleton("Unryul")


def test_real_counties_are_found_by_every_spelling_the_sources_use(reference_data, erin):
    for query, slug in [
        ("Unnyul", "kp-south-hwanghae-unryul"),
        ("unryul", "kp-south-hwanghae-unryul"),
        ("Bullyeong", "kp-north-hamgyong-puryong"),
        ("Cheorwon", "kp-kangwon-cholwon"),
        ("은률", "kp-south-hwanghae-unryul"),
        ("Kusong", "kp-north-phyongan-kusong"),
    ]:
        assert slug in [county.slug for county in search(user=erin, query=query).counties], query


def test_the_sql_skeleton_equals_the_python_one_for_every_real_county(reference_data):
    from regional.search.skeleton import skeleton_sql

    rows = County.objects.annotate(key=skeleton_sql("name_en")).values_list("name_en", "key")
    assert [(name, key) for name, key in rows if key != skeleton(name)] == []


def test_factories_are_found_by_name_and_code(erin, alpha_county):
    FactoryBuilder(county=alpha_county, name="Alpha Foodstuff Factory", code="kp-alpha-foodstuff")
    FactoryBuilder(county=alpha_county, name="Alpha Garment Factory", code="kp-alpha-garment")
    assert [factory.code for factory in search(user=erin, query="garment").factories] == ["kp-alpha-garment"]
    assert [factory.code for factory in search(user=erin, query="alpha-food").factories] == ["kp-alpha-foodstuff"]


def test_a_query_of_one_letter_asks_for_more_and_an_anonymous_visitor_signs_in(client, erin):
    assert search(user=erin, query="a").is_too_short
    assert client.get(reverse("search"), {"q": "Alpha"})["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("rows", [2, 20])
def test_search_costs_the_same_queries_at_2_and_20_results(
    client, erin, north_province, django_assert_num_queries, rows
):
    for index in range(rows):
        county = CountyBuilder(province=north_province, slug=f"kp-north-alpha-{index}", name_en=f"Alpha{index:02d}")
        FactoryBuilder(county=county, name=f"Alpha{index:02d} Foodstuff")
    client_for(client, erin)
    with django_assert_num_queries(4):  # session, user, counties, factories
        page = client.get(reverse("search"), {"q": "Alpha"}, headers={"HX-Request": "true"}).content.decode()
    assert page.count("/counties/kp-north-alpha-") == min(rows, 10)
    assert page.count("/factories/") == min(rows, 10)


def test_the_search_reads_an_index_not_the_table(erin, north_province):
    for index in range(50):
        CountyBuilder(province=north_province, slug=f"kp-north-unit-{index}", name_en=f"Unit{index:02d}")
    counties = _matching(
        County.objects.all(), name_field="name_en", korean_field=None, extra=Q(pk__in=[]), query="Unnyul"
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = counties.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "county_name_skeleton_trgm" in plan, plan
