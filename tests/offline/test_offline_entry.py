"""Offline entry in Chromium with the network switched off: the county official opens This month and a form
without a connection, types, reloads, comes back online and finds the report on the server; a report changed
on the server meanwhile is a conflict shown side by side, never overwritten; signing out deletes the user's
pages and drafts from the device after a warning."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from factories.models import MonthlyReport
from factories.services import report_save_draft
from tests.builders import LONG_ENTRY_DAYS, PASSWORD, AnnualPlanBuilder, FactoryBuilder, reporting_month
from tests.offline.conftest import Connection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES = {
    "output_value_thousand_won": "9500",
    "physical_output": "95",
    "varieties_produced": "14",
    "raw_material_used_tonnes": "70",
    "raw_material_from_own_bases_tonnes": "60",
    "days_worked": "22",
    "workers_on_roll": "118",
}


@pytest.fixture
def month(settings):
    """Last month: ended, so it can be submitted, and open for entry with a long entry period."""
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = LONG_ENTRY_DAYS
    return reporting_month()


@pytest.fixture
def alpha_factory(alice, month):
    factory = FactoryBuilder(county=alice.county, code="alpha-foodstuff", name="Alpha Foodstuff")
    AnnualPlanBuilder(factory=factory, year=month.year)
    return factory


def _open_online(offline_browser, live_server, username):
    """Sign in, open This month and let the service worker take control (it installs on the first visit)."""
    context = offline_browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")
    page.goto(f"{live_server.url}/reports/this-month/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.goto(f"{live_server.url}/reports/this-month/")  # now through the service worker, which keeps it
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    return context, page


def _entry_url(live_server, factory, month):
    return f"{live_server.url}/reports/enter/{factory.code}/{month:%Y-%m}/"


def _fill(page, figures):
    for name, value in figures.items():
        page.fill(f"#id_{name}", value)


def test_a_report_typed_offline_survives_a_reload_and_reaches_the_server_when_back_online(
    offline_browser, live_server, alice, alpha_factory, month
):
    context, page = _open_online(offline_browser, live_server, "alice")
    page.goto(_entry_url(live_server, alpha_factory, month))  # opened once while connected
    connection = Connection(context)

    connection.off()
    page.goto(f"{live_server.url}/reports/this-month/")
    expect(page.locator("h1")).to_have_text("This month")
    expect(page.locator("#offline-banner")).to_be_visible()
    page.goto(_entry_url(live_server, alpha_factory, month))
    # The same field checks as the server, without it.
    _fill(page, FIGURES | {"raw_material_from_own_bases_tonnes": "75"})
    page.click("button[value=save]")
    expect(page.locator(".offline-error")).to_have_text(
        "Raw material from own bases cannot exceed the raw material used."
    )
    page.fill("#id_raw_material_from_own_bases_tonnes", "60")
    page.click("button[value=submit]")
    expect(page.get_by_test_id("offline-draft")).to_contain_text("submitting needs a connection")
    page.click("button[value=save]")
    expect(page.get_by_test_id("offline-draft")).to_contain_text("Saved on this device")
    page.screenshot(path="/tmp/shots/notify/offline-saved-1366.png", full_page=True)

    page.reload()  # still offline: the form comes from the device, with the figures typed
    expect(page.locator("#id_output_value_thousand_won")).to_have_value("9500")
    expect(page.get_by_test_id("offline-draft")).to_contain_text("waiting to sync")
    assert not MonthlyReport.objects.exists()

    connection.on()
    expect(page.get_by_test_id("offline-synced")).to_contain_text("Synced")
    report = MonthlyReport.objects.get(factory=alpha_factory, month=month)
    assert report.status == MonthlyReport.Status.DRAFT
    assert (report.output_value_thousand_won, report.days_worked) == (Decimal("9500"), 22)
    assert page.evaluate("window.regionalOffline.userDrafts(document.body.dataset.userId)") == []
    context.close()


def test_a_report_changed_on_the_server_meanwhile_is_a_conflict_shown_side_by_side(
    offline_browser, live_server, alice, alpha_factory, month
):
    data = {name: Decimal(value) for name, value in FIGURES.items()} | {"comment": ""}
    report = report_save_draft(factory=alpha_factory, month=month, data=data, user=alice)
    context, page = _open_online(offline_browser, live_server, "alice")
    page.goto(_entry_url(live_server, alpha_factory, month))
    connection = Connection(context)
    connection.off()
    page.fill("#id_output_value_thousand_won", "9900")
    page.click("button[value=save]")
    expect(page.get_by_test_id("offline-draft")).to_contain_text("Saved on this device")

    # Meanwhile a colleague changes the report on the server.
    report_save_draft(
        factory=alpha_factory,
        month=month,
        data=data | {"output_value_thousand_won": Decimal("9700")},
        user=alice,
        expected_version=report.version,
    )
    page.goto(f"{live_server.url}/reports/this-month/")
    connection.on()
    item = page.get_by_test_id(f"offline-{alpha_factory.code}-{month:%Y-%m}")
    expect(item).to_contain_text("changed on the server meanwhile")
    expect(item.locator("tr.differs")).to_have_count(1)
    expect(item.locator("tr.differs td")).to_have_text(["Output value", "9900", "9700.00"])
    page.screenshot(path="/tmp/shots/notify/offline-conflict-1366.png", full_page=True)
    report.refresh_from_db()
    assert report.output_value_thousand_won == Decimal("9700")  # nothing overwritten silently

    item.get_by_role("button", name="Keep the figures of this device").click()
    expect(page.get_by_test_id("offline-queue")).to_be_hidden()
    report.refresh_from_db()
    assert report.output_value_thousand_won == Decimal("9900")
    context.close()


def test_signing_out_warns_of_unsynced_drafts_and_deletes_the_users_pages_and_drafts(
    offline_browser, live_server, alice, bob, alpha_factory, month
):
    context, page = _open_online(offline_browser, live_server, "alice")
    page.goto(_entry_url(live_server, alpha_factory, month))
    connection = Connection(context)
    connection.off()
    _fill(page, FIGURES)
    page.click("button[value=save]")
    expect(page.get_by_test_id("offline-draft")).to_contain_text("Saved on this device")
    # The server refuses the draft once online (the factory's commissioning was corrected to a later month):
    # it stays on the device, with the server's reason.
    alpha_factory.commissioned_on = month + datetime.timedelta(days=40)
    alpha_factory.save()
    connection.on()
    page.goto(f"{live_server.url}/reports/this-month/")
    expect(page.get_by_test_id(f"offline-{alpha_factory.code}-{month:%Y-%m}")).to_contain_text("refused by the server")

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.click("form[action='/logout/'] button")
    expect(page.locator(".usernav")).to_contain_text("Log in")
    assert dialogs and "have not reached the server" in dialogs[0]
    assert page.evaluate(f"window.regionalOffline.userDrafts(String({alice.pk}))") == []
    assert f"regional-pages-u{alice.pk}" not in page.evaluate("caches.keys()")

    # Bob signs in on the same browser: none of Alice's drafts or pages.
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")
    page.goto(f"{live_server.url}/reports/this-month/")
    expect(page.get_by_test_id("offline-queue")).to_be_hidden()
    assert not MonthlyReport.objects.exists()
    context.close()
