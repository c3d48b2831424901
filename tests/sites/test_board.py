"""The construction board: sites × milestones, late first, filterable by province, constant queries."""

import datetime

import pytest
from django.urls import reverse

from factories.models import ConstructionMilestone
from regional.models import ProgrammeSlot
from tests.builders import CountyBuilder, ProvinceBuilder, RoundBuilder, SlotBuilder
from tests.conftest import client_for

Kind = ConstructionMilestone.Kind


def _sites(count):
    programme_round = RoundBuilder(year=2025)
    province = ProvinceBuilder(code="KP-71", name_en="Eastland")
    slots = []
    for index in range(count):
        slot = SlotBuilder(programme_round=programme_round, county=CountyBuilder(province=province))
        for kind, _label in Kind.choices:
            ConstructionMilestone.objects.create(
                programme_slot=slot, kind=kind, planned_date=datetime.date(2025, 3, 1) + datetime.timedelta(days=index)
            )
        slots.append(slot)
    return slots


@pytest.mark.parametrize("sites", [2, 20])
def test_board_query_count_does_not_grow_with_sites(db, client, erin, django_assert_num_queries, sites):
    # Given a round with `sites` sites of seven milestones each
    _sites(sites)
    client_for(client, erin)

    # Expect 6 queries: session, user, the rounds, the sites, their milestones with status, the provinces
    with django_assert_num_queries(6):
        response = client.get(reverse("sites:board_year", args=[2025]))

    assert len(response.context["board"].rows) == sites
    assert response.content.decode().count('data-testid="board-row"') == sites


def test_board_shows_late_sites_first_with_their_progress_and_filters_by_province(reference_data, client, erin):
    # Given two 2026 sites: Rakwon on time so far, Musan with an overdue precondition
    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    musan = ProgrammeSlot.objects.get(county__slug="kp-north-hamgyong-musan")
    ConstructionMilestone.objects.create(
        programme_slot=rakwon, kind=Kind.DESIGN_APPROVED, planned_date=datetime.date(2026, 1, 20),
        actual_date=datetime.date(2026, 1, 18),
    )  # fmt: skip
    ConstructionMilestone.objects.create(
        programme_slot=musan, kind=Kind.MATERIALS_SUPPLIED, planned_date=datetime.date(2026, 3, 1)
    )
    client_for(client, erin)

    # When the 2026 board is opened
    response = client.get(reverse("sites:board_year", args=[2026]))

    # Then all 18 sites are rows, Musan (overdue) first, Rakwon's progress is 1 of 7, statuses written out
    board = response.context["board"]
    assert len(board.rows) == 18
    assert board.rows[0].slot == musan
    rakwon_row = next(row for row in board.rows if row.slot == rakwon)
    assert (rakwon_row.done, rakwon_row.late) == (1, 0)
    content = response.content.decode()
    assert "1 of 7 met" in content
    assert 'class="badge ms-overdue">overdue<' in content

    # When it is filtered to South Hamgyong
    response = client.get(reverse("sites:board_year", args=[2026]), {"province": "KP-08"})

    # Then only its three sites remain
    assert sorted(row.slot.county.slug for row in response.context["board"].rows) == [
        "kp-south-hamgyong-rakwon",
        "kp-south-hamgyong-riwon",
        "kp-south-hamgyong-sinhung",
    ]


def test_board_refuses_an_unknown_round_or_province_clearly(reference_data, client, erin):
    client_for(client, erin)

    assert client.get(reverse("sites:board_year", args=[2031])).status_code == 404
    response = client.get(reverse("sites:board_year", args=[2026]), {"province": "KP-99"}, follow=True)
    assert response.status_code == 200
    assert "No site of 2026 in that province." in response.content.decode()


def test_site_page_shows_timeline_facilities_people_and_sources(reference_data, client, erin):
    # Given Rakwon with a milestone
    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    ConstructionMilestone.objects.create(
        programme_slot=rakwon, kind=Kind.WORKERS_TRAINED, planned_date=datetime.date(2026, 9, 1),
        actual_date=datetime.date(2026, 9, 10), trained_headcount_planned=180, trained_headcount_actual=172,
    )  # fmt: skip
    client_for(client, erin)

    # When its site page is opened
    content = client.get(reverse("sites:site_detail", args=["kp-south-hamgyong-rakwon"])).content.decode()

    # Then the chart data, the headcount, the facilities from the project text, the roles and sources are there
    assert 'id="site-timeline-data"' in content
    assert "172 trained of 180 planned" in content
    assert content.count('data-testid="facility"') == 3
    assert "service complex" in content
    assert 'data-testid="responsibility-political_bureau_member">' in content
    assert content.count(">not reported<") >= 4
    assert "kcnawatch" in content or "http" in content


def test_county_page_shows_its_bases_area_and_yield_per_year_and_kimhwas_real_growth(reference_data, client, erin):
    # Given Kimhwa with one base reported for 2022 and 2023, the area of 2022 unknown
    from decimal import Decimal

    from factories.models import RawMaterialYield
    from regional.models import County
    from tests.builders import RawMaterialBaseBuilder

    kimhwa = County.objects.get(slug="kp-kangwon-kimhwa")
    base = RawMaterialBaseBuilder(county=kimhwa, is_demo=True)
    other = RawMaterialBaseBuilder(county=kimhwa, is_demo=True)
    RawMaterialYield.objects.create(base=base, year=2022, yield_tonnes=Decimal("100.10"), is_demo=True)
    RawMaterialYield.objects.create(
        base=base, year=2023, yield_tonnes=Decimal("200.20"), area_hectares=Decimal("80.50"), is_demo=True
    )
    RawMaterialYield.objects.create(
        base=other, year=2023, yield_tonnes=Decimal("0.05"), area_hectares=Decimal("19.55"), is_demo=True
    )
    client_for(client, erin)

    # When the county page is opened
    response = client.get(reverse("county_detail", args=["kp-kangwon-kimhwa"]))

    # Then each year's summed area and yield are shown exactly, an unknown area as "not reported", and the real
    # fact "more than 2.5 times in two years" with its source beside them
    years = [(y.year, y.area_hectares, y.yield_tonnes, y.bases) for y in response.context["detail"].base_years]
    assert years == [(2022, None, Decimal("100.10"), 1), (2023, Decimal("100.05"), Decimal("200.25"), 2)]
    content = response.content.decode()
    assert "Area of the bases: more than 2.5 times in two years" in content
    assert "kcnawatch.org" in content
    assert '"area": [null, "100.05"]' in content


def test_a_demo_responsible_unit_is_badged_and_never_shown_as_a_real_name(reference_data, client, erin):
    from factories.models import SiteResponsibility

    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    SiteResponsibility.objects.create(
        programme_slot=rakwon, role="construction_unit", name="DEMO construction unit No. 1", is_demo=True
    )
    client_for(client, erin)

    content = client.get(reverse("sites:site_detail", args=["kp-south-hamgyong-rakwon"])).content.decode()

    cell = content.split('data-testid="responsibility-construction_unit">')[1].split("</dd>")[0]
    assert '<span class="badge demo"' in cell
    assert '<span class="demo-value">DEMO construction unit No. 1</span>' in cell
