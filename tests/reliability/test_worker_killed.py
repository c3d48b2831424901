"""A Celery pool process killed (SIGKILL) in the middle of a recompute: nobody ever sees a partial run, and
the task is delivered again and completes on the next pool process with the exact figures."""

import datetime
import os
import signal
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from standings.models import CountyStanding, RecomputeRequest, StandingsRun
from standings.services import RecomputeOutcome, standings_recompute, standings_recompute_requested
from tests.reliability.processes import CeleryWorker, wait_until
from tests.standings.data import operating_factory, plan, reports


@pytest.fixture
def two_counties_with_a_year_of_approved_reports(alpha_county, beta_county):
    """Alpha meets its 2025 plan exactly (10,000 a month of 120,000 a year); Beta reaches half of it.
    Everything else is equal, so by hand: Alpha 100 on every indicator present → composite 100.00;
    Beta 0 on plan fulfilment (35) and 100 on range, raw materials and discipline (15 each), growth absent
    (no 2024) → (0 × 35 + 100 × 45) / 80 = 56.25."""
    for county, monthly_output in ((alpha_county, "10000"), (beta_county, "5000")):
        factory = operating_factory(county)
        plan(factory)
        reports(factory, output=monthly_output)


@pytest.fixture
def worker(tmp_path):
    from config.celery import app

    app.control.purge()  # a message left by an interrupted earlier run must not be served here
    worker = CeleryWorker(redis_url=settings.CELERY_BROKER_URL, log_path=tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()


def _worker_waiting_on_our_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_mid_recompute_leaves_no_partial_run_and_the_next_one_publishes_the_exact_figures(
    two_counties_with_a_year_of_approved_reports, worker, tmp_path
):
    # The settings that make this work: the message is acknowledged only after the task, a lost worker puts
    # it back, and Redis would redeliver an unacknowledged message only after the hard time limit has passed.
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT

    blocker = connections.create_connection("default")
    try:
        # Given the standings table locked by another session, so the recompute stops half-way through its
        # transaction (its run row written, its standings rows not yet)
        blocker.set_autocommit(False)
        with blocker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {CountyStanding._meta.db_table} IN ACCESS EXCLUSIVE MODE")

        # When an approval's recompute request reaches the worker
        with transaction.atomic():
            standings_recompute_requested(year=2025, trigger=StandingsRun.Trigger.MANUAL)
        wait_until(_worker_waiting_on_our_lock, timeout_seconds=60, message="worker never reached the lock")
        (pool_process,) = worker.pool_process_ids()

        # Then nothing of the half-done run is visible
        assert StandingsRun.objects.count() == 0

        # When the pool process is killed outright, and the lock released
        os.kill(pool_process, signal.SIGKILL)
        wait_until(
            lambda: worker.pool_process_ids() and worker.pool_process_ids() != [pool_process],
            timeout_seconds=30,
            message="no replacement pool process",
        )
        blocker.rollback()
    finally:
        blocker.close()

    # Then the message is delivered again and the next pool process publishes exactly one complete run
    wait_until(
        lambda: not RecomputeRequest.objects.get(year=2025).is_pending,
        timeout_seconds=90,
        message="recompute never completed:\n" + worker.log(),
    )
    assert "WorkerLostError" in worker.log() or "SIGKILL" in worker.log()
    run = StandingsRun.objects.get()
    assert (run.year, run.listed_count, run.ranked_count) == (2025, 2, 2)
    figures = {
        standing.county.name_en: (standing.composite, standing.rank, standing.counted_months)
        for standing in run.county_standings.select_related("county")
    }
    assert figures == {"Alpha": (Decimal("100.00"), 1, 12), "Beta": (Decimal("56.25"), 2, 12)}
    # And a clean recompute from the same data finds nothing to change
    clean = standings_recompute(year=2025, cutoff_at=run.cutoff_at + datetime.timedelta(seconds=1))
    assert (clean.status, clean.run) == (RecomputeOutcome.UNCHANGED, run)
    connection.close()
