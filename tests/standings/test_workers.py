"""Recomputes requested by approvals: single flight on real PostgreSQL, a real Celery worker on the real Redis,
and an approval made while Redis is down."""

import datetime
import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from factories.models import MonthlyReport
from factories.services import report_approve
from regional.models import County
from standings.models import CountyStanding, RecomputeRequest, StandingsRun
from standings.services import (
    MAX_CONSECUTIVE_PASSES,
    RecomputeOutcome,
    recompute_request_process,
    standings_recompute,
    standings_recompute_requested,
)
from standings.tasks import standings_process_pending_task
from tests.builders import MonthlyReportBuilder
from tests.standings.data import CUTOFF, operating_factory, plan, reports

# How long a test waits for a condition (another thread, a worker) before it gives up: generous, because a
# shared two-core machine under load can be slow, and a wait on a condition costs nothing once it is met.
WAIT_SECONDS = 120


@pytest.fixture
def alpha_with_one_report_awaiting_approval(alpha_county):
    """Alpha's factory: January–November 2025 approved, December submitted and waiting for Carol."""
    factory = operating_factory(alpha_county)
    plan(factory)
    reports(factory, months=range(1, 12))
    return MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 12, 1), submitted=True)


def _in_thread(function, results: dict, key: str, *, before=None, after=None):
    def target():
        try:
            if before:
                before()
            results[key] = function()
        except Exception as error:  # surfaced by the test's assertions
            results[key] = error
        finally:
            connection.close()
            if after:
                after()

    thread = threading.Thread(target=target)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_finds_the_year_busy_while_the_first_is_computing_and_publishes_nothing(
    alpha_with_one_report_awaiting_approval,
):
    results: dict = {}
    first_is_computing, first_may_commit = threading.Event(), threading.Event()

    def first_worker():
        # The first worker's transaction stays open (lock held) until the second one has tried.
        with transaction.atomic():
            outcome = standings_recompute(year=2025, cutoff_at=CUTOFF)
            first_is_computing.set()
            first_may_commit.wait(WAIT_SECONDS)
        return outcome

    first = _in_thread(first_worker, results, "first")
    second = _in_thread(
        lambda: standings_recompute(year=2025, cutoff_at=CUTOFF),
        results,
        "second",
        before=lambda: first_is_computing.wait(WAIT_SECONDS),
        after=first_may_commit.set,
    )
    first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)

    assert results["first"].status == RecomputeOutcome.PUBLISHED
    assert results["second"].status == RecomputeOutcome.BUSY
    assert StandingsRun.objects.filter(year=2025).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_serving_the_same_request_at_once_publish_exactly_one_run(alpha_with_one_report_awaiting_approval):
    with transaction.atomic():
        standings_recompute_requested(year=2025, trigger=StandingsRun.Trigger.MANUAL)
    start = threading.Barrier(2)
    results: dict = {}

    threads = [
        _in_thread(lambda: recompute_request_process(year=2025), results, name, before=start.wait)
        for name in ("one", "two")
    ]
    for thread in threads:
        thread.join(WAIT_SECONDS)

    run = StandingsRun.objects.get(year=2025)
    assert not [outcome for outcome in results.values() if isinstance(outcome, Exception)], results
    statuses = {name: outcome.status if outcome else "nothing" for name, outcome in results.items()}
    # Exactly one worker published the one run; the other found the request taken ("nothing"), the year busy,
    # or (coming after the first had finished computing) the inputs unchanged. Never a second publication.
    (publisher,) = [name for name, status in statuses.items() if status == RecomputeOutcome.PUBLISHED]
    assert results[publisher].run == run
    (other,) = [status for name, status in statuses.items() if name != publisher]
    assert other in ("nothing", RecomputeOutcome.BUSY, RecomputeOutcome.UNCHANGED)
    assert RecomputeRequest.objects.get(year=2025).is_pending is False


@pytest.fixture
def celery_app():
    from config.celery import app

    app.control.purge()  # messages left by an earlier, interrupted run must not be served here
    return app


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_publishes_new_standings_after_a_provincial_official_approves_a_report(
    alpha_with_one_report_awaiting_approval, carol, celery_app
):
    from celery.contrib.testing.worker import start_worker

    report = alpha_with_one_report_awaiting_approval
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        # When Carol approves December (the service requests the recompute after its transaction commits)
        report_approve(report=report, user=carol)

        deadline = time.monotonic() + WAIT_SECONDS
        while not StandingsRun.objects.filter(year=2025).exists() and time.monotonic() < deadline:
            time.sleep(0.2)

    # Then the worker has published a run triggered by her approval, with December counted
    run = StandingsRun.objects.get(year=2025)
    assert (run.trigger, run.triggered_by) == (StandingsRun.Trigger.APPROVAL, carol)
    standing = run.county_standings.get(county__slug="kp-northland-alpha")
    assert (standing.counted_months, standing.is_ranked, standing.rank) == (12, True, 1)
    request = RecomputeRequest.objects.get(year=2025)
    assert (request.is_pending, request.last_run) == (False, run)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_an_approval_made_while_redis_is_down_is_kept_and_computed_by_the_pending_sweep(
    alpha_with_one_report_awaiting_approval, carol
):
    report = alpha_with_one_report_awaiting_approval
    database = connection.settings_dict
    # Given a web process whose broker is a closed port, when Carol approves the report there
    environment = os.environ | {
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    approve = (
        "from factories.models import MonthlyReport; from factories.services import report_approve; "
        "from regional.models import User; "
        f"report_approve(report=MonthlyReport.objects.get(pk={report.pk}), user=User.objects.get(username='carol'))"
    )
    completed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", approve],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Then the approval stands and the request is recorded, though nothing could be enqueued
    assert completed.returncode == 0, completed.stderr
    assert "Broker unavailable" in completed.stderr
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED
    assert RecomputeRequest.objects.get(year=2025).is_pending is True
    assert not StandingsRun.objects.exists()

    # When beat's pending sweep runs once the broker is back
    messages = standings_process_pending_task()

    # Then the year is computed from the approval that was kept
    run = StandingsRun.objects.get(year=2025)
    assert messages == [f"2025: published run {run.pk} (1 ranked of 1) in " + messages[0].split(" in ")[1]]
    assert run.triggered_by == carol
    assert RecomputeRequest.objects.get(year=2025).is_pending is False


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_run_leaves_no_half_written_run(alpha_with_one_report_awaiting_approval):
    results: dict = {}
    with transaction.atomic():
        # Hold Alpha's row so the worker's foreign-key check of Alpha's standing (deferred to its COMMIT) must
        # wait: by then the worker has written the run and every standing, none of it committed.
        County.objects.select_for_update().get(slug="kp-northland-alpha")
        worker = _in_thread(lambda: standings_recompute(year=2025, cutoff_at=CUTOFF), results, "worker")
        blocked = None
        deadline = time.monotonic() + WAIT_SECONDS
        with connection.cursor() as cursor:
            while blocked is None and time.monotonic() < deadline:
                # Statistics views are snapshotted per transaction; this loop runs inside one.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database() AND pid <> pg_backend_pid()"
                )
                blocked = cursor.fetchone()
                time.sleep(0.05)
            assert blocked, "the worker never reached the commit of its run"
            # When the worker's database session is killed in the middle of its run (as when its process dies)
            cursor.execute("SELECT pg_terminate_backend(%s)", [blocked[0]])
    worker.join(WAIT_SECONDS)

    # Then nothing of the run is left
    assert isinstance(results["worker"], Exception)
    assert not StandingsRun.objects.exists()
    assert not CountyStanding.objects.exists()
    # and the next worker publishes the year whole
    assert standings_recompute(year=2025, cutoff_at=CUTOFF).status == RecomputeOutcome.PUBLISHED


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_request_still_pending_after_a_workers_last_pass_is_computed_at_once_not_after_a_busy_retry(
    alpha_with_one_report_awaiting_approval, celery_app, monkeypatch
):
    from celery.contrib.testing.worker import start_worker

    from standings import services

    # Given a recompute request for 2025, whose own nudge to the broker is gone
    with transaction.atomic():
        standings_recompute_requested(year=2025, trigger=StandingsRun.Trigger.MANUAL)
    celery_app.control.purge()
    # And approvals landing while a worker computes, through every pass it makes in a row: their tasks found the
    # year busy then (the lock held) and retry only BUSY_RETRY_SECONDS later, so they are the request row alone
    compute = services.standings_recompute
    passes = []

    def computing_while_approvals_keep_arriving(**arguments):
        outcome = compute(**arguments)
        passes.append(outcome.status)
        if len(passes) <= MAX_CONSECUTIVE_PASSES:
            RecomputeRequest.objects.filter(year=2025).update(requested_at=timezone.now(), is_pending=True)
        return outcome

    monkeypatch.setattr(services, "standings_recompute", computing_while_approvals_keep_arriving)

    # When the worker has made its passes and stops with the last approval still waiting
    recompute_request_process(year=2025)
    assert len(passes) == MAX_CONSECUTIVE_PASSES
    assert RecomputeRequest.objects.get(year=2025).is_pending is True

    # Then a worker computes it again right away: no new approval, no busy retry, no pending sweep needed
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        deadline = time.monotonic() + 20
        while RecomputeRequest.objects.get(year=2025).is_pending and time.monotonic() < deadline:
            time.sleep(0.1)
    assert RecomputeRequest.objects.get(year=2025).is_pending is False
    assert len(passes) == MAX_CONSECUTIVE_PASSES + 1
