"""Redis dies while the Celery worker holds a countdown task (the recompute's own retry of a busy year): the
worker stays up, reconnects once Redis is back, and the recompute completes with nobody acting.

Before the fix the worker logged `Restoring 1 unacknowledged message(s)` and then
`Unrecoverable error: AttributeError("'NoneType' object has no attribute 'hostname'")`, and exited for good.
"""

import subprocess
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from standings.models import CountyStanding, RecomputeRequest, StandingsRun
from standings.services import ADVISORY_LOCK_NAMESPACE
from tests.reliability.processes import (
    VENV_BIN,
    CeleryBeat,
    CeleryWorker,
    process_environment,
    wait_until,
)
from tests.standings.data import operating_factory, plan, reports

# Beat's sweep of pending recompute requests, every 60 s in production, every 3 s here.
SWEEP_SECONDS = 3

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_counties_with_a_year_of_approved_reports(alpha_county, beta_county):
    """Alpha meets its 2025 plan exactly, Beta reaches half of it: composites 100.00 and 56.25
    (worked by hand in tests/reliability/test_worker_killed.py)."""
    for county, monthly_output in ((alpha_county, "10000"), (beta_county, "5000")):
        factory = operating_factory(county)
        plan(factory)
        reports(factory, output=monthly_output)


@pytest.fixture
def worker(redis_server, tmp_path):
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop(cold=True)  # its broker is the throw-away Redis of this test


@pytest.fixture
def beat(redis_server, tmp_path):
    beat = CeleryBeat(
        redis_url=redis_server.url,
        directory=tmp_path,
        environment={"STANDINGS_PENDING_SWEEP_SECONDS": str(SWEEP_SECONDS)},
    )
    beat.start()
    yield beat
    beat.stop()


@pytest.fixture
def year_2025_locked():
    """Another session holds the year's advisory lock, so every recompute of 2025 finds the year busy."""
    blocker = connections.create_connection("default")
    with blocker.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, 2025])

    def release():
        with blocker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, 2025])

    yield release
    blocker.close()


def _send_recompute_of_2025(redis_server) -> None:
    subprocess.run(
        [str(VENV_BIN / "celery"), "-A", "config", "call", "standings.tasks.standings_recompute_task", "--args=[2025]"],
        cwd=settings.BASE_DIR,
        env=process_environment(redis_url=redis_server.url),
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_the_worker_survives_redis_dying_while_it_holds_a_countdown_task_and_the_recompute_completes_unaided(
    two_counties_with_a_year_of_approved_reports, year_2025_locked, redis_server, worker, beat
):
    # Given a recompute of 2025 that found the year busy and now waits in the worker for its 5-second retry
    RecomputeRequest.objects.create(year=2025, requested_at=timezone.now(), trigger=StandingsRun.Trigger.MANUAL)
    _send_recompute_of_2025(redis_server)
    wait_until(lambda: "Retry in 5s" in worker.log(), timeout_seconds=60, message="no retry:\n" + worker.log())

    # When Redis dies, empty, while the worker holds that unacknowledged countdown message
    redis_server.stop()
    wait_until(
        lambda: "Connection to broker lost" in worker.log(), timeout_seconds=60, message="loss unseen:\n" + worker.log()
    )
    # And comes back after the worker has tried and failed to reconnect, and the busy year is freed meanwhile
    wait_until(
        lambda: "Cannot connect to redis" in worker.log() or worker.process.poll() is not None,
        timeout_seconds=60,
        message="no reconnection attempt:\n" + worker.log(),
    )
    assert worker.process.poll() is None, "the worker exited:\n" + worker.log()
    redis_server.start()
    year_2025_locked()
    back_at = time.monotonic()

    # Then, with nobody acting, the worker reconnects and the recompute publishes the exact standings
    wait_until(
        lambda: not RecomputeRequest.objects.get(year=2025).is_pending,
        timeout_seconds=180,
        message="recompute never completed:\n" + worker.log() + "\n--- beat ---\n" + beat.log(),
    )
    print(f"Redis back → standings published in {time.monotonic() - back_at:.1f} s")  # figure for the docs
    run = StandingsRun.objects.get(year=2025)
    figures = {
        standing.county.name_en: (standing.composite, standing.rank, standing.counted_months)
        for standing in run.county_standings.select_related("county")
    }
    assert figures == {"Alpha": (Decimal("100.00"), 1, 12), "Beta": (Decimal("56.25"), 2, 12)}
    # And the worker and beat are the same processes that started: nothing had to restart them
    assert worker.process.poll() is None, worker.log()
    assert beat.process.poll() is None, beat.log()
    assert "Restoring 1 unacknowledged message(s)" in worker.log()
    assert "Unrecoverable error" not in worker.log()


def _worker_waiting_on_our_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def worker_of_two(redis_server, tmp_path):
    """Two pool processes, as docker-compose runs the worker: with one busy, the other keeps the consumer
    listening for more (a worker of one stops listening while busy, and survived even before the fix)."""
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log", concurrency=2)
    worker.start()
    yield worker
    worker.stop(cold=True)  # its broker is the throw-away Redis of this test


def test_the_worker_survives_redis_dying_while_it_runs_an_acks_late_recompute_which_still_publishes(
    two_counties_with_a_year_of_approved_reports, redis_server, worker_of_two
):
    worker = worker_of_two
    blocker = connections.create_connection("default")
    try:
        # Given a recompute running in the worker, unacknowledged until it ends (acks late), held half-way by
        # another session's lock on the standings table
        blocker.set_autocommit(False)
        with blocker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {CountyStanding._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        RecomputeRequest.objects.create(year=2025, requested_at=timezone.now(), trigger=StandingsRun.Trigger.MANUAL)
        _send_recompute_of_2025(redis_server)
        wait_until(_worker_waiting_on_our_lock, timeout_seconds=60, message="worker never reached the lock")

        # When Redis dies, and comes back after the worker's first failed reconnection
        redis_server.stop()
        wait_until(
            lambda: "Cannot connect to redis" in worker.log() or worker.process.poll() is not None,
            timeout_seconds=60,
            message="no reconnection attempt:\n" + worker.log(),
        )
        assert worker.process.poll() is None, "the worker exited:\n" + worker.log()
        redis_server.start()
    finally:
        # And the lock is released
        blocker.rollback()
        blocker.close()

    # Then the running recompute completes and publishes, and the worker is still the one that started
    wait_until(
        lambda: not RecomputeRequest.objects.get(year=2025).is_pending,
        timeout_seconds=120,
        message="recompute never completed:\n" + worker.log(),
    )
    run = StandingsRun.objects.get(year=2025)
    assert sorted(run.county_standings.values_list("county__name_en", "rank")) == [("Alpha", 1), ("Beta", 2)]
    wait_until(lambda: "Connected to redis" in worker.log().split("Cannot connect")[-1], timeout_seconds=60)
    assert worker.process.poll() is None, worker.log()
    assert "Unrecoverable error" not in worker.log()
