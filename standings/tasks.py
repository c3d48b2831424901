"""Celery wrappers of the standings services: thin, idempotent, safe to run twice."""

from celery import shared_task
from django.conf import settings

from standings.services import (
    RecomputeOutcome,
    recompute_request_process,
    recompute_requests_process_pending,
    standings_recompute_nightly,
)

# A year found busy is tried again this often, for about as long as the hard time limit: the holder may be a
# worker killed mid-recompute whose database session lingers until its statement ends.
BUSY_RETRY_SECONDS = 5


@shared_task(acks_late=True, bind=True, max_retries=settings.CELERY_TASK_TIME_LIMIT // BUSY_RETRY_SECONDS)
def standings_recompute_task(self, year: int) -> int | None:
    """Serve the year's pending recompute request; returns the id of the run it published or found current."""
    outcome = recompute_request_process(year=year)
    if outcome is not None and outcome.status == RecomputeOutcome.BUSY:
        # Once the holder is done (or gone) the retry finds the request served, or serves it itself.
        raise self.retry(countdown=BUSY_RETRY_SECONDS)
    return outcome.run.pk if outcome and outcome.run else None


@shared_task(acks_late=True)
def standings_process_pending_task() -> list[str]:
    """Beat sweep: serve requests still pending (e.g. enqueued while the broker was down)."""
    return [outcome.message for outcome in recompute_requests_process_pending()]


@shared_task(acks_late=True)
def standings_nightly_task() -> list[str]:
    """Beat: recompute the current and the previous year every night."""
    return [outcome.message for outcome in standings_recompute_nightly()]
