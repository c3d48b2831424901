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
