"""An analyst works through the standings in a real Chromium: sorts, filters by province, opens a county."""

import pytest
from playwright.sync_api import expect

from tests.builders import PASSWORD
from tests.standings.test_pages import build_counties

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_sorts_the_standings_filters_by_province_and_reads_why_a_county_moved(
    live_server, page, erin, north_province, south_province, alpha_county
):
    build_counties(6, north_province, south_province, alpha_county)
    script_errors, failed_responses = [], []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            failed_responses.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    rows = page.locator("#national-standings tbody tr")

    # Given Erin logs in and opens the standings from the menu
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")
    page.get_by_role("link", name="Standings").first.click()
    expect(page.locator("h1")).to_have_text("County standings 2025")
    expect(rows.first).to_have_attribute("data-county", "kp-northland-alpha")
    expect(rows.first).to_contain_text("▲ 5")

    # When she sorts by composite twice (best first, then weakest first)
    page.click("th a[data-sort=composite]")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Composite")
    page.click("th a[data-sort=composite]")
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Composite")
    expect(rows.first).to_have_attribute("data-county", "kp-test-01")

    # and filters by Northland
    page.select_option("select[name=province]", "KP-61")
    expect(rows).to_have_count(4)
    expect(rows.last).to_have_attribute("data-county", "kp-northland-alpha")
    expect(page.locator("table.not-ranked")).to_contain_text("Straggler")

    # Then opening Alpha shows why it moved: plan fulfilment lifted its composite
    page.get_by_role("link", name="Alpha", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Alpha")
    explanation = page.locator("#explanation")
    expect(explanation).to_contain_text("Why the rank changed")
    plan_row = explanation.locator("tr", has_text="plan fulfilment")
    expect(plan_row.locator("td").last).to_have_class("num up")
    expect(page.locator("#county-history-chart")).to_have_attribute("data-ready", "true")
    assert script_errors == []
    assert failed_responses == []


def test_an_analyst_finds_a_county_opens_a_figures_trace_and_reads_the_change_since_last_year(
    live_server, page, erin, north_province, south_province, alpha_county
):
    # Given 2024 and 2025 runs of six counties, recorded with history
    from django.utils import timezone

    from factories.models import AnnualPlan, MonthlyReport
    from standings.services import standings_recompute
    from tests.builders import CountyBuilder
    from tests.standings.data import operating_factory, plan, reports

    counties = [alpha_county] + [
        CountyBuilder(slug=f"kp-browser-{n}", name_en=f"Browser {n}", province=north_province) for n in range(1, 6)
    ]
    for index, county in enumerate(counties):
        factory = operating_factory(county)
        plan(factory)
        plan(factory, year=2024)
        reports(factory, year=2024, output=str(12000 - 500 * index), with_history=True)
        reports(factory, output=str(9000 + 500 * index), with_history=True)
    assert AnnualPlan.objects.count() == 12 and MonthlyReport.objects.count() == 144
    last_year = standings_recompute(year=2024, cutoff_at=timezone.now()).run
    run = standings_recompute(year=2025, cutoff_at=timezone.now()).run
    alpha = run.county_standings.get(county=alpha_county)
    alpha_2024 = last_year.county_standings.get(county=alpha_county)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    # Erin logs in and looks for Alpha by name
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")
    page.goto(f"{live_server.url}/standings/?year=2025")
    page.fill("main input[name=q]", "alph")
    page.press("main input[name=q]", "Enter")
    rows = page.locator("#national-standings tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"likely {alpha.rank_band_low}–{alpha.rank_band_high}")

    # She follows Alpha's composite to its trace: the weighted scores add up to the published composite
    rows.first.locator("td.composite-cell a").click()
    expect(page.locator("h1")).to_contain_text("Composite")
    expect(page.locator("[data-figure=composite] strong")).to_have_text(str(alpha.composite))
    # and from there to plan fulfilment, whose every approved month is listed
    page.locator("#composite-trace a", has_text="Plan fulfilment").click()
    expect(page.locator("#trace-rows tbody tr")).to_have_count(12)
    expect(page.locator("[data-figure=score] strong")).to_have_text(str(alpha.score_plan_fulfilment))

    # Then on Alpha's page she reads why it moved since last year
    page.get_by_role("link", name="Alpha", exact=True).first.click()
    since_last_year = page.locator("#since-last-year")
    expect(since_last_year).to_contain_text(f"Rank {alpha_2024.rank} → {alpha.rank} against run {last_year.pk} (2024)")
    expect(since_last_year.locator("tfoot td.num")).to_have_text(f"{alpha.composite - alpha_2024.composite:+.2f}")
    assert script_errors == []
