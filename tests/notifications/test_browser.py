"""In Chromium: the county official sees the bell's count after the province returned a report, opens the
notification and lands on the report; the count goes down; at 390 px the header still fits."""

import datetime

import pytest
from playwright.sync_api import expect

from factories.services import report_return
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.reports.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_returned_report_rings_the_bell_and_leads_to_the_report(live_server, browser, alice, bob, carol):
    report = MonthlyReportBuilder(
        factory=FactoryBuilder(county=alice.county, name="Alpha Foodstuff"),
        month=datetime.date(2025, 3, 1),
        submitted=True,
    )
    report_return(report=report, user=carol, reason="Days worked exceed the month.")

    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, live_server, "alice")
        bell = page.get_by_test_id("bell")
        expect(bell.get_by_test_id("bell-count")).to_have_text("1 unread")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        page.screenshot(path=f"/tmp/shots/notify/bell-{width}.png")
        context.close()

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "alice")
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("notifications")).to_contain_text(
        "Alpha Foodstuff, March 2025 was returned: Days worked exceed the month."
    )
    page.screenshot(path="/tmp/shots/notify/inbox-1366.png", full_page=True)
    page.get_by_role("button", name="Alpha Foodstuff, March 2025 was returned").click()
    expect(page).to_have_url(f"{live_server.url}/reports/{report.pk}/")
    expect(page.get_by_test_id("bell")).not_to_contain_text("unread")
    context.close()

    # Bob, of the neighbouring county, hears nothing.
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator(".empty")).to_be_visible()
    context.close()
