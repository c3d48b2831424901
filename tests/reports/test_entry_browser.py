"""Entry as a county official sees it in Chromium (issue 14): a submit that does not happen says why and puts the
cursor in the comment; the history of changes never widens the page, on a desktop or a phone."""

import pytest
from playwright.sync_api import expect

from factories import services
from factories.models import MonthlyReport
from tests.reports.conftest import figures
from tests.reports.test_browser import fill_report, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_submit_refused_for_an_unexplained_warning_says_why_and_focuses_the_comment(
    live_server, page, alice, alpha_factory, open_month
):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/reports/enter/{alpha_factory.code}/{open_month:%Y-%m}/")

    # When Alice submits a physical output above the factory's monthly capacity (500) without a comment
    fill_report(
        page,
        output_value_thousand_won="9500",
        physical_output="800",
        varieties_produced=14,
        raw_material_used_tonnes="70",
        raw_material_from_own_bases_tonnes="55",
        days_worked=22,
        workers_on_roll=118,
    )
    page.click("button[value=submit]")

    # Then the page says that the figures were kept as a draft and why nothing was submitted
    refusal = page.get_by_test_id("submit-refusal")
    expect(refusal).to_contain_text("Saved as a draft, not submitted.")
    expect(refusal).to_contain_text("Explain the figures flagged above in the comment before submitting.")
    # and the cursor is in the comment, which is on screen
    expect(page.locator("#id_comment")).to_be_focused()
    expect(page.locator("#id_comment")).to_be_in_viewport()
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.DRAFT

    # When she explains the figure and submits again, it goes through
    page.fill("#id_comment", "A second shift ran this month for the school uniform order.")
    page.click("button[value=submit]")
    expect(page.locator(".messages")).to_contain_text("submitted to the province for review")


LONG_COMMENT = (
    "Output fell because the power supply of the county was interrupted for nine days in the second half of the "
    "month; the boiler was repaired by the factory's own fitters and production resumed on the 24th. "
) * 3
UNBROKEN = "see-the-county-committee-memo-" * 12


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_history_of_changes_scrolls_in_its_own_box_and_never_widens_the_page(
    live_server, browser, alice, alpha_factory, open_month, width, height
):
    # Given a report whose history holds long comments, one of them a single unbroken word
    report = services.report_save_draft(
        factory=alpha_factory, month=open_month, data=figures(comment=LONG_COMMENT), user=alice
    )
    services.report_save_draft(
        factory=alpha_factory,
        month=open_month,
        data={"comment": UNBROKEN, "output_value_thousand_won": "123456789.12"},
        user=alice,
    )
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)

    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.get_by_test_id("history")).to_contain_text("see-the-county-committee-memo")

    # Then the page is exactly as wide as the window: only the history's own box may scroll sideways
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth})"
    )
    assert widths["page"] <= widths["window"], widths
    context.close()
