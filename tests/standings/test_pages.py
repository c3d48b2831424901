"""The standings pages per role: what each shows, the own unit marked, refusals, CSV, pinned query counts."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from factories.models import MonthlyReport
from regional.models import County
from standings.models import Methodology, RecomputeRequest, StandingsRun
from standings.services import standings_recompute
from tests.builders import CountyBuilder, FactoryBuilder
from tests.conftest import client_for
from tests.standings.data import CUTOFF, operating_factory, plan, reports


def build_counties(count: int, north_province, south_province, alpha_county) -> list[County]:
    """`count` ranked counties (Alpha first), alternating provinces, output rising with the index, plus one
    county with too few approved months; two runs of 2025, the second after Alpha's output doubled."""
    counties = [alpha_county] + [
        CountyBuilder(
            slug=f"kp-test-{index:02d}",
            name_en=f"County {index:02d}",
            province=north_province if index % 2 else south_province,
        )
        for index in range(1, count)
    ]
    for index, county in enumerate(counties):
        factory = operating_factory(county)
        plan(factory)
        reports(factory, output=str(8000 + 300 * index), varieties=10 + index % 7, own=str(20 + index), used="80")
        reports(factory, year=2024, output="9000")
    straggler = CountyBuilder(slug="kp-test-straggler", name_en="Straggler", province=north_province)
    reports(operating_factory(straggler), months=range(1, 6))
    standings_recompute(year=2025, cutoff_at=CUTOFF)
    MonthlyReport.objects.filter(factory__county=alpha_county, month__year=2025).update(
        output_value_thousand_won=Decimal("30000")
    )
    standings_recompute(year=2025, cutoff_at=CUTOFF)
    return counties


@pytest.fixture
def two_runs(north_province, south_province, alpha_county):
    return build_counties(6, north_province, south_province, alpha_county)


def rows_of(html: str, marker: str = 'data-county="') -> list[str]:
    return [part.split('"', 1)[0] for part in html.split(marker)[1:]]


# --- national table ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_analyst_sees_the_national_table_best_first_with_rank_changes_and_the_unranked_with_reasons(
    client, erin, two_runs
):
    response = client_for(client, erin).get(reverse("standings:national"), {"year": 2025})

    html = response.content.decode()
    assert response.status_code == 200
    # Alpha doubled its output and jumped from last to first
    assert rows_of(html)[0] == "kp-northland-alpha"
    assert "▲ 5" in html
    assert "Straggler" in html
    assert "5 of 12 operating months fully approved; 9 needed" in html
    assert "is-own-unit" not in html


@pytest.mark.django_db
def test_county_official_sees_the_same_table_with_only_her_county_marked(client, alice, two_runs):
    html = client_for(client, alice).get(reverse("standings:national"), {"year": 2025}).content.decode()

    assert html.count('class="is-own-unit" data-county="kp-northland-alpha"') == 1
    # her row in the table, and the same county pinned above it
    assert html.count("is-own-unit") == 2
    assert 'class="card own-standing is-own-unit" id="own-standing"' in html


@pytest.mark.django_db
def test_provincial_official_sees_every_county_of_her_province_marked(client, carol, two_runs):
    html = client_for(client, carol).get(reverse("standings:national"), {"year": 2025}).content.decode()

    north_ranked = {"kp-northland-alpha", "kp-test-01", "kp-test-03", "kp-test-05"}
    marked = set(rows_of(html, 'class="is-own-unit" data-county="'))
    assert marked == north_ranked
    # the Northland straggler in the not-ranked list is marked too
    assert html.count("is-own-unit") == len(north_ranked) + 1


@pytest.mark.django_db
def test_sorting_by_composite_ascending_puts_the_weakest_county_first(client, erin, two_runs):
    html = (
        client_for(client, erin)
        .get(reverse("standings:national"), {"year": 2025, "sort": "composite", "dir": "asc"})
        .content.decode()
    )

    assert rows_of(html)[0] == "kp-test-01"
    assert rows_of(html)[-1] == "kp-northland-alpha"


@pytest.mark.django_db
def test_filtering_by_province_shows_only_its_counties(client, erin, two_runs):
    html = client_for(client, erin).get(reverse("standings:national"), {"year": 2025, "province": "KP-62"}).content
    assert set(rows_of(html.decode())) == {"kp-test-02", "kp-test-04"}


@pytest.mark.django_db
def test_filtering_by_programme_round_shows_only_the_counties_built_that_year(client, erin, two_runs):
    from tests.builders import SlotBuilder

    SlotBuilder(county=County.objects.get(slug="kp-test-03"), programme_round__year=2024)

    html = client_for(client, erin).get(reverse("standings:national"), {"year": 2025, "round": 2024}).content
    assert rows_of(html.decode()) == ["kp-test-03"]


@pytest.mark.django_db
def test_unreadable_filters_are_ignored_with_a_message(client, erin, two_runs):
    response = client_for(client, erin).get(reverse("standings:national"), {"year": "soon", "sort": "evil"})

    assert response.status_code == 200
    assert "Some filters were not understood and were ignored." in response.content.decode()
    assert len(rows_of(response.content.decode())) == 6


@pytest.mark.django_db
def test_csv_export_has_exactly_the_rows_shown_and_neutralises_formulas(client, erin, two_runs):
    County.objects.filter(slug="kp-test-02").update(name_en='=HYPERLINK("http://evil")')

    response = client_for(client, erin).get(
        reverse("standings:national"), {"year": 2025, "province": "KP-62", "format": "csv"}
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:9] == [
        "Rank",
        "Rank (likely range under other weights)",
        "Rank band best",
        "Rank band worst",
        "Change since the last run",
        "Change since last year",
        "County",
        "Province",
        "Composite",
    ]
    assert [row[6] for row in rows[1:]] == ["County 04", '\'=HYPERLINK("http://evil")']
    assert len(rows[0]) == 21
    # No county here has generated (demo) factories: the demo column is there, and empty
    assert rows[0][-1] == "Demo data"
    assert [row[-1] for row in rows[1:]] == ["", ""]
    # The rank is written with its band, as on the pages
    standing = StandingsRun.objects.latest("pk").county_standings.get(county__slug="kp-test-04")
    assert rows[1][1] == f"{standing.rank} (likely {standing.rank_band_low}–{standing.rank_band_high})"


@pytest.mark.django_db
def test_csv_export_marks_counties_with_demo_factories(client, erin, two_runs):
    county = County.objects.get(slug="kp-test-02")
    FactoryBuilder(county=county, is_demo=True)

    response = client_for(client, erin).get(reverse("standings:national"), {"year": 2025, "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    marks = {row[6]: row[-1] for row in rows[1:]}
    assert marks[county.name_en] == "DEMO"
    assert set(marks.values()) == {"DEMO", ""}
    assert list(marks.values()).count("DEMO") == 1


@pytest.mark.django_db
def test_a_year_without_runs_says_so(client, erin, two_runs):
    response = client_for(client, erin).get(reverse("standings:national"), {"year": 2031})
    assert "No standings have been published for 2031 yet." in response.content.decode()


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_log_in(client, two_runs):
    response = client.get(reverse("standings:national"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- province and county --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_province_page_ranks_its_counties_against_the_national_average_on_a_centroid_map(client, carol, two_runs):
    County.objects.filter(slug="kp-northland-alpha").update(latitude=Decimal("39.0"), longitude=Decimal("125.7"))
    County.objects.filter(slug="kp-test-02").update(latitude=Decimal("41.8"), longitude=Decimal("129.7"))

    response = client_for(client, carol).get(reverse("standings:province", args=["KP-61"]), {"year": 2025})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Province average composite" in html and "National average composite" in html
    assert html.count('class="dot in-province') == 1
    assert html.count('class="dot context"') == 1
    assert "Straggler" in html


@pytest.mark.django_db
def test_an_unknown_province_is_not_found(client, erin, two_runs):
    assert client_for(client, erin).get(reverse("standings:province", args=["KP-99"])).status_code == 404


@pytest.mark.django_db
def test_county_page_explains_the_rank_change_by_indicator_and_links_each_figure_to_its_trace(client, erin, two_runs):
    response = client_for(client, erin).get(reverse("standings:county", args=["kp-northland-alpha"]), {"year": 2025})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Why the rank changed" in html
    # Worked by hand from build_counties(6): in the first run Alpha (output 8,000, the lowest) scores 0 on plan,
    # growth, range and local, 100 on discipline (all on time): composite 15 × 100 ÷ 100 = 15.00, rank 6. With
    # its output at 30,000 Alpha holds the maximum of plan fulfilment (300 %) and growth (30,000 ÷ 9,000 − 1):
    # 100 each, so plan contributes 35 × 100 ÷ 100 = 35.00 (+35.00), growth 20.00 (+20.00); range and local
    # stay at the minimum (0.00), discipline at 15.00: composite 70.00.
    section = html.split('id="since-last-run"', 1)[1].split("</table>", 1)[0]
    assert "composite 15.00 → 70.00" in section
    assert "Rank 6 → " in section
    rows = [re.findall(r'<td class="num[^"]*">([^<]*)<', row) for row in section.split('<th scope="row">')[1:]]
    assert [row[:2] for row in rows[:5]] == [
        ["0.00 → 100.00", "0.00 → 35.00"],
        ["0.00 → 100.00", "0.00 → 20.00"],
        ["0.00 → 0.00", "0.00 → 0.00"],
        ["0.00 → 0.00", "0.00 → 0.00"],
        ["100.00 → 100.00", "15.00 → 15.00"],
    ]
    assert [Decimal(row[2].strip().replace("+", "") or "0") for row in rows[:5]] == [
        Decimal("35.00"),
        Decimal("20.00"),
        Decimal("0"),
        Decimal("0"),
        Decimal("0"),
    ]
    run = StandingsRun.objects.latest("pk")
    assert reverse("standings:trace", args=[run.pk, "kp-northland-alpha", "plan_fulfilment"]) in html
    assert reverse("standings:trace", args=[run.pk, "kp-northland-alpha", "composite"]) in html
    assert 'id="county-history-data"' in html


@pytest.mark.django_db
def test_wards_have_no_standings_page(client, erin, north_province):
    CountyBuilder(slug="kp-northland-ward", province=north_province, kind=County.Kind.WARD)
    assert client_for(client, erin).get(reverse("standings:county", args=["kp-northland-ward"])).status_code == 404


# --- run history ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_run_history_lists_the_years_runs_and_the_comparison_names_who_moved_and_why(client, erin, two_runs):
    earlier, later = StandingsRun.objects.order_by("pk")

    history = client_for(client, erin).get(reverse("standings:runs"), {"year": 2025}).content.decode()
    comparison = client.get(reverse("standings:run_compare"), {"earlier": earlier.pk, "later": later.pk})

    assert f"?year=2025&amp;run={earlier.pk}" in history and f"?year=2025&amp;run={later.pk}" in history
    assert "Recompute 2025 now" not in history
    html = comparison.content.decode()
    assert "6 → 1" in html
    assert "plan fulfilment +" in html


@pytest.mark.django_db
def test_analyst_may_not_request_a_recompute(client, erin, two_runs):
    response = client_for(client, erin).post(reverse("standings:recompute"), {"year": 2025})
    assert response.status_code == 403
    assert not RecomputeRequest.objects.exists()


@pytest.mark.django_db
def test_administrator_requests_a_recompute_and_sees_it_waiting(client, frank, two_runs):
    client = client_for(client, frank)

    response = client.post(reverse("standings:recompute"), {"year": 2025}, follow=True)

    html = response.content.decode()
    assert "Recompute of 2025 requested" in html
    assert "waiting or computing" in html
    assert 'hx-trigger="every 2s"' in html
    request = RecomputeRequest.objects.get(year=2025)
    assert (request.is_pending, request.trigger, request.requested_by) == (True, "manual", frank)


# --- pinned query counts -------------------------------------------------------------------------------------------


PAGES = {
    # Expect 7 queries: session, user, years with runs, the run, the table, programme rounds, provinces.
    "national": (lambda: reverse("standings:national"), {"year": 2025}, 7),
    # Expect 7 queries: session, user, years, the run, the table, the counties with demo factories, the audit
    # record of the export.
    "csv": (lambda: reverse("standings:national"), {"year": 2025, "format": "csv"}, 7),
    # Expect 7 queries: session, user, province, years, the run, every county's standing, the averages.
    "province": (lambda: reverse("standings:province", args=["KP-61"]), {"year": 2025}, 7),
    # Expect 9 queries: session, user, county, years, run, standing, previous standing, medians, history.
    "county": (lambda: reverse("standings:county", args=["kp-northland-alpha"]), {"year": 2025}, 9),
    # Expect 5 queries: session, user, years, the latest run, the year's runs.
    "runs": (lambda: reverse("standings:runs"), {"year": 2025}, 5),
    # Expect 3 queries: session, user, the standing with its run, methodology, county and province.
    "composite trace": (lambda: trace_of("composite"), {}, 3),
    # Expect 9 queries: session, user, the standing, whether its reports are in scope, the factories, the
    # reports' history up to the cut-off, the reports recorded without history, the plans, their splits,
    # and nothing per row.
    "indicator trace": (lambda: trace_of("plan_fulfilment"), {}, 9),
}
# A county official's national page pins their own county above the table: one query.
PINNED_OWN_COUNTY_QUERIES = {"national": 1}


def trace_of(target: str) -> str:
    return reverse("standings:trace", args=[StandingsRun.objects.latest("pk").pk, "kp-northland-alpha", target])


# Officials' HTML pages cost one query more: the page header names their county or province.
OFFICIAL_HEADER_QUERIES = 1


@pytest.mark.django_db
@pytest.mark.parametrize("county_count", [2, 20])
def test_every_page_costs_the_same_number_of_queries_for_2_and_20_counties_for_every_role(
    client, erin, alice, carol, django_assert_num_queries, north_province, south_province, alpha_county, county_count
):
    build_counties(county_count, north_province, south_province, alpha_county)

    for persona in (erin, alice, carol):
        client_for(client, persona)
        for page, (url, params, expected) in PAGES.items():
            if persona != erin and page != "csv":
                expected += OFFICIAL_HEADER_QUERIES
            if persona == alice:
                expected += PINNED_OWN_COUNTY_QUERIES.get(page, 0)
            address = url()
            with django_assert_num_queries(expected, info=f"{page} page for {persona.username}"):
                response = client.get(address, params)
            assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("county_count", [2, 20])
def test_the_run_comparison_costs_the_same_number_of_queries_for_2_and_20_counties(
    client, erin, django_assert_num_queries, north_province, south_province, alpha_county, county_count
):
    build_counties(county_count, north_province, south_province, alpha_county)
    earlier, later = StandingsRun.objects.order_by("pk")
    client_for(client, erin)

    # Expect 5 queries: session, user, the two runs, both runs' standings.
    with django_assert_num_queries(5):
        response = client.get(reverse("standings:run_compare"), {"earlier": earlier.pk, "later": later.pk})

    # Alpha's doubled output moved it from last to first, and every ranked county's composite moved with the
    # goalposts: all of them are listed, Alpha first.
    assert response.status_code == 200
    assert len(response.context["changes"]) == county_count
    assert f"{county_count} → 1" in response.content.decode()


# --- methodology in the admin --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_changing_the_weights_in_the_admin_creates_a_new_version(client, frank):
    client = client_for(client, frank)
    form = {
        "weight_plan_fulfilment": "50",
        "weight_growth": "10",
        "weight_product_range": "10",
        "weight_local_raw_materials": "15",
        "weight_reporting_discipline": "15",
        "minimum_counted_share": "0.75",
        "notes": "More weight on the plan.",
    }

    response = client.post(reverse("admin:standings_methodology_add"), form)

    assert response.status_code == 302
    assert list(Methodology.objects.order_by("version").values_list("version", "rules", "weight_plan_fulfilment")) == [
        (1, "1", Decimal("35.00")),
        (2, "1.1", Decimal("35.00")),
        (3, "1.1", Decimal("50.00")),
    ]
    assert Methodology.objects.get(version=3).created_by == frank


@pytest.mark.django_db
def test_weights_that_are_all_zero_are_refused_in_the_admin(client, frank):
    form = dict.fromkeys(
        [
            "weight_plan_fulfilment",
            "weight_growth",
            "weight_product_range",
            "weight_local_raw_materials",
            "weight_reporting_discipline",
        ],
        "0",
    ) | {"minimum_counted_share": "0.75"}

    response = client_for(client, frank).post(reverse("admin:standings_methodology_add"), form)

    assert response.status_code == 200
    assert "At least one weight must be above zero." in response.content.decode()
    assert Methodology.objects.count() == 2


@pytest.mark.django_db
def test_published_runs_cannot_be_edited_or_deleted_in_the_admin(client, frank, two_runs):
    run = StandingsRun.objects.first()
    client = client_for(client, frank)

    page = client.get(reverse("admin:standings_standingsrun_change", args=[run.pk])).content.decode()
    deletion = client.post(reverse("admin:standings_standingsrun_delete", args=[run.pk]), {"post": "yes"})

    assert 'name="_save"' not in page
    assert deletion.status_code == 403
    assert StandingsRun.objects.filter(pk=run.pk).exists()


@pytest.mark.django_db
def test_the_admin_action_requests_a_recompute_of_the_selected_runs_years(client, frank, two_runs):
    response = client_for(client, frank).post(
        reverse("admin:standings_standingsrun_changelist"),
        {"action": "recompute_years", "_selected_action": list(StandingsRun.objects.values_list("pk", flat=True))},
        follow=True,
    )

    assert "Recompute requested for 1 year" in response.content.decode()
    assert RecomputeRequest.objects.get(year=2025).requested_by == frank


# --- finding a county, the own county pinned, the DEMO mark --------------------------------------------------------


@pytest.mark.django_db
def test_a_county_is_found_by_its_english_or_korean_name(client, erin, two_runs):
    County.objects.filter(slug="kp-test-03").update(name_ko="삼천군")
    client = client_for(client, erin)

    by_english = client.get(reverse("standings:national"), {"year": 2025, "q": "alph"}).content.decode()
    by_korean = client.get(reverse("standings:national"), {"year": 2025, "q": "삼천"}).content.decode()
    nothing = client.get(reverse("standings:national"), {"year": 2025, "q": "Atlantis"}).content.decode()

    assert rows_of(by_english) == ["kp-northland-alpha"]
    assert rows_of(by_korean) == ["kp-test-03"]
    assert rows_of(nothing) == []
    assert "No county's name contains “Atlantis”." in nothing


@pytest.mark.django_db
def test_a_county_official_finds_their_county_pinned_above_the_table(client, alice, erin, two_runs):
    html = client_for(client, alice).get(reverse("standings:national"), {"year": 2025}).content.decode()

    pinned = html.split('id="own-standing"', 1)[1].split("</div>", 1)[0]
    standing = StandingsRun.objects.latest("pk").county_standings.get(county__slug="kp-northland-alpha")
    assert "Alpha" in pinned
    assert f"{standing.rank} (likely {standing.rank_band_low}–{standing.rank_band_high})" in pinned
    # An analyst has no county of their own: nothing pinned
    assert 'id="own-standing"' not in client_for(client, erin).get(reverse("standings:national")).content.decode()


@pytest.mark.django_db
def test_a_run_computed_with_demo_data_says_so_on_its_pages_and_in_its_csv(client, erin, two_runs):
    from factories.models import Factory

    Factory.objects.filter(county__slug="kp-test-02").update(is_demo=True)
    MonthlyReport.objects.filter(factory__county__slug="kp-test-02", month__month=1).update(
        output_value_thousand_won=Decimal("1")
    )
    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    client = client_for(client, erin)

    html = client.get(reverse("standings:national"), {"year": 2025}).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("standings:national"), {"format": "csv"}).content.decode())))

    assert run.includes_demo_data is True
    assert '<span class="badge demo"' in html
    # The demo column marks each county whose figures come from generated factories: here only kp-test-02
    assert rows[0][-1] == "Demo data" and sorted(row[-1] for row in rows[1:]).count("DEMO") == 1
    # The earlier runs, made without demo data, carry no badge
    earlier = client.get(reverse("standings:national"), {"year": 2025, "run": run.previous_run_id}).content.decode()
    assert '<span class="badge demo"' not in earlier
