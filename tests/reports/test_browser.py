"""The whole monthly cycle in a real Chromium: a county official enters a report, trips over a validation
error, fixes it and submits; the province returns it with a reason; the county corrects and resubmits;
the province approves."""

import pytest
from playwright.sync_api import expect

from factories.models import MonthlyReport
from tests.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")
    expect(page.locator(".whoami")).to_contain_text(username)


def log_out(page):
    page.click("form[action='/logout/'] button")
    expect(page.locator(".usernav")).to_contain_text("Log in")


def fill_report(page, **figures):
    for name, value in figures.items():
        page.fill(f"#id_{name}", str(value))


def test_a_report_goes_from_entry_through_return_to_approval(
    live_server, page, alice, carol, alpha_factory, alpha_plan, open_month
):
    month = open_month
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    # Given Alice, county official of Alpha, opens her month
    log_in(page, live_server, "alice")
    page.click("nav.mainnav >> text=This month")
    section = page.get_by_test_id(f"entry-month-{month:%Y-%m}")
    expect(section.locator(".factory-month")).to_contain_text("missing")

    # When she enters more raw material from own bases than she used, and submits
    section.get_by_role("link", name="Enter report").click()
    expect(page.locator(".figure-row").first).to_contain_text("10,000")  # the month's plan beside the field
    fill_report(
        page,
        output_value_thousand_won="9500",
        physical_output="95",
        varieties_produced=14,
        raw_material_used_tonnes="70",
        raw_material_from_own_bases_tonnes="75",
        days_worked=22,
        workers_on_roll=118,
    )
    page.click("button[value=submit]")

    # Then the error stands next to that field and her figures are still there
    expect(page.locator("#id_raw_material_from_own_bases_tonnes_errors")).to_have_text(
        "Raw material from own bases (75 t) cannot exceed the raw material used (70 t)."
    )
    expect(page.locator("#id_output_value_thousand_won")).to_have_value("9500")
    assert MonthlyReport.objects.count() == 0

    # When she corrects it and submits
    fill_report(page, raw_material_from_own_bases_tonnes="55")
    page.click("button[value=submit]")

    # Then the report is submitted and read-only to her
    expect(page.locator(".messages")).to_contain_text("submitted to the province for review")
    expect(page.locator(".page-header .badge")).to_have_text("submitted")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    log_out(page)

    # When Carol, provincial official, returns it with a reason
    log_in(page, live_server, "carol")
    page.click("nav.mainnav >> text=Review")
    expect(page.locator(".queue-table tbody tr")).to_have_count(1)
    # The factory's name opens the factory's page; the month opens the report.
    expect(page.locator(".queue-table").get_by_role("link", name="Alpha Foodstuff Factory")).to_have_attribute(
        "href", "/factories/alpha-foodstuff/"
    )
    page.locator(".queue-table td.hide-mobile a").first.click()
    page.fill("#id_return-reason", "Workers on roll differs from the staffing list (120).")
    page.click("text=Return for correction")
    expect(page.locator(".messages")).to_contain_text("Report returned to Alpha county")
    log_out(page)

    # Then Alice sees the reason, corrects the figure and resubmits
    log_in(page, live_server, "alice")
    page.click("nav.mainnav >> text=This month")
    section = page.get_by_test_id(f"entry-month-{month:%Y-%m}")
    expect(section.locator(".return-reason")).to_contain_text("differs from the staffing list (120)")
    section.get_by_role("link", name="Correct").click()
    expect(page.get_by_test_id("return-reason")).to_contain_text("staffing list")
    expect(page.locator("#id_workers_on_roll")).to_have_value("118")
    fill_report(page, workers_on_roll=120)
    page.click("button[value=submit]")
    expect(page.locator(".page-header .badge")).to_have_text("submitted")
    log_out(page)

    # When Carol approves it
    log_in(page, live_server, "carol")
    page.click("nav.mainnav >> text=Review")
    # The factory's name opens the factory's page; the month opens the report.
    expect(page.locator(".queue-table").get_by_role("link", name="Alpha Foodstuff Factory")).to_have_attribute(
        "href", "/factories/alpha-foodstuff/"
    )
    page.locator(".queue-table td.hide-mobile a").first.click()
    page.click("button:has-text('Approve')")
    expect(page.locator(".messages")).to_contain_text("Report of Alpha Foodstuff Factory approved.")
    expect(page.locator(".empty")).to_contain_text("Nothing is waiting for review")

    # Then the report is approved, with its whole story kept
    report = MonthlyReport.objects.get()
    assert (report.status, report.workers_on_roll, report.approved_by) == ("approved", 120, carol)
    assert list(report.events.values_list("kind", flat=True)) == ["submitted", "returned", "submitted", "approved"]
    # Created as a draft, submitted, returned, corrected, resubmitted, approved: who did each, in order.
    assert list(report.history.order_by("history_date").values_list("history_user__username", flat=True)) == [
        "alice",
        "alice",
        "carol",
        "alice",
        "alice",
        "carol",
    ]
    assert script_errors == []


def test_a_warning_shows_while_figures_are_typed_before_anything_is_saved(
    live_server, page, alice, alpha_factory, open_month
):
    month = open_month
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/reports/enter/{alpha_factory.code}/{month:%Y-%m}/")

    # When Alice types a physical output above the factory's monthly capacity (6,000 a year) and moves on
    page.fill("#id_physical_output", "800")
    page.press("#id_physical_output", "Tab")

    # Then the warning is there before she saves, and nothing was saved
    expect(page.get_by_test_id("warnings")).to_contain_text("above the factory's design capacity of 500.00 a month")
    assert MonthlyReport.objects.count() == 0

    # When she corrects it, the warning goes
    page.fill("#id_physical_output", "95")
    page.press("#id_physical_output", "Tab")
    expect(page.get_by_test_id("warnings")).to_have_count(0)
    assert script_errors == []
