"""Writes of the standings app."""

from django.db import transaction
from django.utils import timezone

from standings.models import RecomputeRequest, StandingsRun


def standings_recompute_requested(*, year: int, trigger: str = StandingsRun.Trigger.APPROVAL, user=None) -> None:
    """Record durably that `year` needs recomputing, then enqueue the task once the transaction commits.

    The row is the source of truth (it survives the broker being down); the task is only a nudge.
    Requests for the same year coalesce into one row.
    """
    RecomputeRequest.objects.update_or_create(
        year=year,
        defaults={
            "requested_at": timezone.now(),
            "trigger": trigger,
            "requested_by": user,
            "is_pending": True,
        },
    )
    transaction.on_commit(lambda: _enqueue_recompute(year))


def _enqueue_recompute(year: int) -> None:
    from standings.tasks import standings_recompute_task

    try:
        standings_recompute_task.delay(year)
    except Exception:
        import logging

        logging.getLogger(__name__).warning("Broker unavailable; recompute of %s left pending", year)
