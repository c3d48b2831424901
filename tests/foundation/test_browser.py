"""An analyst walks through the reference pages in a real Chromium."""

import pytest
from playwright.sync_api import expect

from regional.models import User
from tests.builders import PASSWORD, UserBuilder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_reads_the_programme_the_schedule_a_county_and_filters_the_county_list(
    reference_data, live_server, page
):
    UserBuilder(username="erin", role=User.Role.ANALYST)
    script_errors, failed_responses = [], []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    # The browser's own favicon probe is not one of our pages' resources.
    page.on(
        "response",
        lambda response: (
            failed_responses.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )

    # Given Erin logs in through the login form
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")

    # Then she lands on the programme page, whose chart is drawn
    expect(page.locator("h1")).to_have_text("Regional Development 20×10")
    expect(page.get_by_test_id("total-scheduled")).to_have_text("57")
    expect(page.locator("#programme-chart")).to_have_attribute("data-ready", "true")
    expect(page.locator(".rounds-table tbody tr").first).to_contain_text("20 / 20")

    # When she opens the schedule, the rule checks are shown above the grid
    page.click("nav.mainnav >> text=Schedule")
    expect(page.locator("#rule-checks-title")).to_have_text("5 departures from the programme's rules")
    expect(page.locator(".rule-checks .warning-list")).to_contain_text("Ryanggang has 1 locality in 2024, not 2.")
    expect(page.locator(".incomplete-rounds")).to_contain_text("2026 is not yet fully known: 17 of 20")

    # And from the grid she opens Kusong, broken ground in March 2024 and inaugurated on 30 January 2025
    page.locator(".schedule-grid a.slot-name", has_text="Kusong").click()
    expect(page.locator("h1")).to_contain_text("Kusong")
    expect(page.get_by_test_id("groundbreaking")).to_have_text("March 2024")
    expect(page.get_by_test_id("inauguration")).to_have_text("30 January 2025")

    # When she searches the county list in Korean and then narrows it by province
    page.click("nav.mainnav >> text=Counties")
    expect(page.get_by_test_id("result-count")).to_have_text("215 units")
    page.fill("main input[name=q]", "성")
    page.click("form.filters button[type=submit]")
    expect(page.get_by_test_id("result-count")).to_have_text("16 units")
    page.select_option("select[name=province]", "KP-02")
    expect(page.get_by_test_id("result-count")).to_have_text("2 units")
    rows = page.locator(".county-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("result-count")).to_have_text("2 units")
    expect(rows.nth(0)).to_contain_text("Phyongsong")
    expect(rows.nth(0)).to_contain_text("not scheduled")
    expect(rows.nth(1)).to_contain_text("Songchon")
    expect(rows.nth(1)).to_contain_text("inaugurated")

    assert script_errors == []
    assert failed_responses == []
