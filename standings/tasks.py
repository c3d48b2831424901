"""Celery wrappers of the standings services: thin, idempotent, safe to run twice."""

from celery import shared_task

from standings.services import (
    recompute_request_process,
    recompute_requests_process_pending,
    standings_recompute_nightly,
)


@shared_task(acks_late=True)
def standings_recompute_task(year: int) -> int | None:
    """Serve the year's pending recompute request; returns the id of the run it published or found current."""
    outcome = recompute_request_process(year=year)
    return outcome.run.pk if outcome and outcome.run else None


@shared_task(acks_late=True)
def standings_process_pending_task() -> list[str]:
    """Beat sweep: serve requests still pending (e.g. enqueued while the broker was down)."""
    return [outcome.message for outcome in recompute_requests_process_pending()]


@shared_task(acks_late=True)
def standings_nightly_task() -> list[str]:
    """Beat: recompute the current and the previous year every night."""
    return [outcome.message for outcome in standings_recompute_nightly()]
