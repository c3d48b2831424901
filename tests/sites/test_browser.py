"""An analyst reads the construction board and a site's page in a real Chromium; screenshots are kept."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from factories.models import ConstructionMilestone
from regional.models import ProgrammeSlot, User
from tests.builders import PASSWORD, UserBuilder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/sites")


def test_an_analyst_reads_the_board_late_first_and_opens_a_sites_timeline(reference_data, live_server, page):
    # Given two 2026 sites: Musan with an overdue precondition, Rakwon with its design approved on time
    UserBuilder(username="erin", role=User.Role.ANALYST)
    musan = ProgrammeSlot.objects.get(county__slug="kp-north-hamgyong-musan")
    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    ConstructionMilestone.objects.create(
        programme_slot=musan, kind="materials_supplied", planned_date=datetime.date(2026, 3, 1)
    )
    ConstructionMilestone.objects.create(
        programme_slot=rakwon, kind="design_approved", planned_date=datetime.date(2026, 1, 20),
        actual_date=datetime.date(2026, 1, 18),
    )  # fmt: skip
    ConstructionMilestone.objects.create(
        programme_slot=rakwon, kind="inauguration", planned_date=datetime.date(2026, 12, 28)
    )
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")

    # When she opens the 2026 board
    page.goto(f"{live_server.url}/sites/round/2026/")

    # Then Musan comes first with its overdue milestone written out, and the page does not scroll sideways
    rows = page.get_by_test_id("board-row")
    expect(rows).to_have_count(18)
    expect(rows.first).to_contain_text("Musan")
    expect(rows.first).to_contain_text("overdue")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "test-board-390.png"), full_page=True)

    # When she opens Rakwon from the board
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("[data-site=kp-south-hamgyong-rakwon] a").first.click()

    # Then its timeline chart is drawn, its facilities and the unreported roles are listed
    expect(page.locator("h1")).to_contain_text("Rakwon")
    expect(page.locator("#site-timeline")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("facility")).to_have_count(3)
    expect(page.get_by_test_id("responsibility-construction_unit")).to_have_text("not reported")
    expect(page.get_by_test_id("milestone-design_approved")).to_contain_text("met")
    page.screenshot(path=str(SHOTS / "test-site-1366.png"), full_page=True)

    # When she opens South Hamgyong's year-end review of 2026 on a phone
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/sites/reviews/2026/year/KP-08/")

    # Then it lists the province's three sites and fits the screen
    expect(page.locator("h1")).to_contain_text("Year-end review 2026")
    expect(page.get_by_test_id("review-sites").first).to_have_text("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "test-review-390.png"), full_page=True)
    assert script_errors == []


def test_a_date_only_field_in_the_admin_carries_no_time_zone_note(reference_data, live_server, browser):
    # Given an administrator whose browser is in UTC while the programme's time zone is Asia/Pyongyang
    UserBuilder(username="frank", role=User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    milestone = ConstructionMilestone.objects.create(programme_slot=rakwon, kind="design_approved")
    context = browser.new_context(timezone_id="UTC")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "frank")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    # When the milestone's admin form is opened
    page.goto(f"{live_server.url}/admin/factories/constructionmilestone/{milestone.pk}/change/")

    # Then its date fields have their calendar but no "hours ahead of server time" note
    expect(page.locator("#id_planned_date")).to_be_visible()
    expect(page.locator(".datetimeshortcuts").first).to_be_attached()
    page.wait_for_load_state("load")
    expect(page.locator(".timezonewarning")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "test-admin-milestone.png"), full_page=True)
    context.close()
