"""Redis down: reports are submitted and approved through the browser and the API while the broker is gone.
Every request succeeds, nothing is lost, and once Redis is back the pending recomputes run and the
standings equal a clean recompute."""

import datetime
import json
import subprocess
import time
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from factories.models import MonthlyReport, ReportEvent
from standings.models import RecomputeRequest, StandingsRun
from standings.services import RecomputeOutcome, standings_recompute
from tests.builders import LONG_ENTRY_DAYS, PASSWORD, MonthlyReportBuilder, reporting_month
from tests.reliability.processes import (
    VENV_BIN,
    CeleryWorker,
    WebServer,
    free_port,
    process_environment,
    wait_until,
)
from tests.standings.data import operating_factory, plan, reports

# A request must not hang on the missing broker: enqueueing gives up after about a second.
SLOWEST_ACCEPTABLE_REQUEST_SECONDS = 10
FIGURES = {
    "output_value_thousand_won": "10000",
    "physical_output": "100",
    "varieties_produced": "15",
    "raw_material_used_tonnes": "80",
    "raw_material_from_own_bases_tonnes": "60",
    "days_worked": "20",
    "workers_on_roll": "120",
    "comment": "Figures from the factory register.",
}

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(alpha_county, beta_county):
    """Alpha's and Beta's factories: January–November 2025 approved, December 2025 submitted for review,
    and standings for 2025 computed before the outage (December not yet counted)."""
    factories = {}
    for county in (alpha_county, beta_county):
        factory = operating_factory(county, code=f"{county.name_en.lower()}-foodstuff")
        plan(factory)
        plan(factory, year=timezone.localdate().year)
        reports(factory, months=range(1, 12))
        MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 12, 1), submitted=True)
        factories[county.name_en] = factory
    standings_recompute(year=2025)
    return factories


@pytest.fixture
def web(redis_server, tmp_path):
    server = WebServer(port=free_port(), redis_url=redis_server.url, log_path=tmp_path / "web.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(redis_server, tmp_path):
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop(cold=True)  # its broker is the throw-away Redis of this test


def _timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def _signed_in_page(browser, web, username):
    page = browser.new_context().new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{web.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")
    expect(page.locator(".whoami")).to_contain_text(username)
    return page


def _api(web, user, method, path, payload=None) -> tuple[int, dict]:
    token, _created = Token.objects.get_or_create(user=user)
    request = urllib.request.Request(
        f"{web.url}{path}",
        method=method,
        data=json.dumps(payload).encode() if payload is not None else None,
        headers={"Authorization": f"Token {token.key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_reports_submitted_and_approved_while_redis_is_down_are_all_kept_and_computed_once_it_is_back(
    programme, alice, bob, carol, redis_server, web, worker, browser, settings
):
    # The clean recompute at the end runs here: the same entry period as the web server and the worker, so the
    # same months count as closed (methodology v1.1).
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = LONG_ENTRY_DAYS
    this_month = reporting_month()  # ended, so it can be submitted; open with the web server's long entry period
    alpha, beta = programme["Alpha"], programme["Beta"]
    durations: list[float] = []

    # Given Redis stops (the web server and the worker keep running)
    redis_server.stop()

    # When Alice submits this month's report in the browser
    alice_page = _signed_in_page(browser, web, "alice")
    alice_page.goto(f"{web.url}/reports/enter/{alpha.code}/{this_month:%Y-%m}/")
    for name, value in FIGURES.items():
        alice_page.fill(f"#id_{name}", value)
    _none, seconds = _timed(lambda: alice_page.click("button[name=action][value=submit]"))
    durations.append(seconds)
    expect(alice_page.locator("body")).to_contain_text("submitted to the province for review")

    # And Bob creates and submits his through the API
    (status, created), seconds = _timed(
        lambda: _api(
            web, bob, "POST", "/api/v1/reports/", {"factory": beta.code, "month": f"{this_month:%Y-%m}", **FIGURES}
        )
    )
    durations.append(seconds)
    assert status == 201, created
    (status, submitted), seconds = _timed(
        lambda: _api(web, bob, "POST", f"/api/v1/reports/{created['id']}/submit/", {"version": created["version"]})
    )
    durations.append(seconds)
    assert status == 200, submitted

    # And Carol approves Alpha's December and this month in the browser, Beta's through the API
    carol_page = _signed_in_page(browser, web, "carol")
    for month in (datetime.date(2025, 12, 1), this_month):
        report = MonthlyReport.objects.get(factory=alpha, month=month)
        carol_page.goto(f"{web.url}/reports/{report.pk}/")
        _none, seconds = _timed(lambda: carol_page.click("form[action$='/approve/'] button"))
        durations.append(seconds)
        expect(carol_page.locator("body")).to_contain_text("approved")
    for month in (datetime.date(2025, 12, 1), this_month):
        report = MonthlyReport.objects.get(factory=beta, month=month)
        (status, approved), seconds = _timed(
            lambda report=report: _api(
                web,
                carol,
                "POST",
                f"/api/v1/reports/{report.pk}/approve/",
                # Flagged as unusual like the ones above (approved "despite the warnings"): she has read them.
                {"version": report.version, "acknowledge_warnings": True},
            )
        )
        durations.append(seconds)
        assert status == 200, approved

    # Then every request succeeded promptly, and every write is in the database with its events
    assert max(durations) < SLOWEST_ACCEPTABLE_REQUEST_SECONDS, durations
    print(f"Redis down: {len(durations)} writes, slowest {max(durations):.2f} s")  # figure for docs/reliability.md
    assert "Broker unavailable" in web.log()
    months = [datetime.date(2025, 12, 1), this_month]
    statuses = list(MonthlyReport.objects.filter(month__in=months).values_list("status", flat=True))
    assert statuses == [MonthlyReport.Status.APPROVED] * 4
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.APPROVED, actor=carol).count() == 4
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.SUBMITTED, report__month=this_month).count() == 2
    # And the recomputes are recorded as pending, not lost, while no new standings were published
    pending_years = set(RecomputeRequest.objects.filter(is_pending=True).values_list("year", flat=True))
    assert pending_years == {2025, this_month.year}
    assert StandingsRun.objects.count() == 1

    # When Redis comes back (empty: whatever was queued is gone) and beat sends its pending sweep
    redis_server.start()
    subprocess.run(
        [str(VENV_BIN / "celery"), "-A", "config", "call", "standings.tasks.standings_process_pending_task"],
        cwd=settings.BASE_DIR,
        env=process_environment(redis_url=redis_server.url),
        check=True,
        capture_output=True,
        timeout=60,
    )

    # Then the worker serves every pending year
    wait_until(
        lambda: not RecomputeRequest.objects.filter(is_pending=True).exists(),
        timeout_seconds=120,
        message="pending recomputes were not served",
    )
    latest_2025 = StandingsRun.objects.filter(year=2025).order_by("-pk").first()
    assert latest_2025.trigger == StandingsRun.Trigger.APPROVAL
    assert sorted(latest_2025.county_standings.values_list("county__name_en", "counted_months")) == [
        ("Alpha", 12),
        ("Beta", 12),
    ]
    # And the published standings equal a clean recompute of the same data
    for year in (2025, this_month.year):
        clean = standings_recompute(year=year)
        assert clean.status == RecomputeOutcome.UNCHANGED, year
