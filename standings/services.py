"""Writes of the standings app: methodology versions, recompute requests and immutable standings runs."""

import datetime
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from regional.models import County
from regional.notifications import events as notification_events
from standings import computation
from standings.models import CountyStanding, Indicator, Methodology, RecomputeRequest, Rules, StandingsRun

logger = logging.getLogger(__name__)

# Namespace of the PostgreSQL advisory locks that keep two workers from computing the same year at once.
ADVISORY_LOCK_NAMESPACE = 2010
# A request that keeps arriving while its year is computed is recomputed at most this many times in a row;
# the beat sweep picks up whatever is still pending after that.
MAX_CONSECUTIVE_PASSES = 3


@dataclass(frozen=True)
class RecomputeOutcome:
    """What a recompute did: published a new run, found nothing changed, or found the year busy."""

    PUBLISHED = "published"
    UNCHANGED = "unchanged"
    BUSY = "busy"

    year: int
    status: str
    run: StandingsRun | None
    duration_seconds: float = 0.0

    @property
    def message(self) -> str:
        if self.status == self.PUBLISHED:
            return _("%(year)s: published run %(run)s (%(ranked)s ranked of %(listed)s) in %(seconds).2f s") % {
                "year": self.year,
                "run": self.run.pk,
                "ranked": self.run.ranked_count,
                "listed": self.run.listed_count,
                "seconds": self.duration_seconds,
            }
        if self.status == self.UNCHANGED:
            return _("%(year)s: nothing changed since run %(run)s; no new run published (%(seconds).2f s)") % {
                "year": self.year,
                "run": self.run.pk,
                "seconds": self.duration_seconds,
            }
        return _("%(year)s: another worker is computing this year; left to it") % {"year": self.year}


# --- methodology ----------------------------------------------------------------------------------------


def methodology_current() -> Methodology:
    """The newest methodology version; v1.1 with the published defaults when none was entered yet."""
    methodology = Methodology.objects.order_by("-version").first()
    if methodology is None:
        methodology, _created = Methodology.objects.get_or_create(
            version=1, defaults={"rules": Rules.V1_1, "notes": "Methodology v1.1 defaults (DESIGN.md)."}
        )
        methodology.refresh_from_db()  # the stored weights (35.00), not the unsaved defaults (35)
    return methodology


def methodology_validate(*, weights: dict[str, Decimal], minimum_counted_share: Decimal) -> None:
    """Refuse weights and shares no run could use (shared by the service and the admin form)."""
    missing = [indicator for indicator in Indicator.values if indicator not in weights]
    if missing:
        raise ValidationError(_("A weight is needed for every indicator; missing: %s.") % ", ".join(missing))
    if any(weight < 0 for weight in weights.values()):
        raise ValidationError(_("Weights cannot be negative."))
    if sum(weights.values()) <= 0:
        raise ValidationError(_("At least one weight must be above zero."))
    if not Decimal(0) < minimum_counted_share <= Decimal(1):
        raise ValidationError(_("The minimum counted share must be above 0 and at most 1."))


@transaction.atomic
def methodology_create(
    *, weights: dict[str, Decimal], minimum_counted_share: Decimal, notes: str = "", created_by=None
) -> Methodology:
    """Add the next methodology version; earlier versions, and the runs that used them, stay as they were."""
    methodology_validate(weights=weights, minimum_counted_share=minimum_counted_share)
    # Lock the table's newest row so two administrators saving at once get consecutive versions.
    newest = Methodology.objects.select_for_update().order_by("-version").first()
    methodology = Methodology(
        version=(newest.version if newest else 0) + 1,
        minimum_counted_share=minimum_counted_share,
        rules=Rules.V1_1,
        notes=notes,
        created_by=created_by,
        **{f"weight_{indicator}": weights[indicator] for indicator in Indicator.values},
    )
    methodology.full_clean()
    methodology.save()
    return methodology


# --- computing a year -----------------------------------------------------------------------------------


def _try_lock_year(year: int, *, wait: bool) -> bool:
    """Take the year's transaction-scoped lock. SQLite (development) serialises writers by itself."""
    if connection.vendor != "postgresql":
        return True
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [ADVISORY_LOCK_NAMESPACE, year])
        acquired = cursor.fetchone()[0]
    return acquired is not False


def _canonical(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def _inputs_hash(*, year: int, methodology: Methodology, rows: list[tuple]) -> str:
    digest = hashlib.sha256()
    header = {
        "year": year,
        "methodology": methodology.version,
        "rules": methodology.rules,
        "weights": {key: _canonical(value) for key, value in methodology.weights.items()},
        "minimum_counted_share": _canonical(methodology.minimum_counted_share),
        "columns": computation.INPUT_COLUMNS,
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    for row in rows:
        digest.update(("|".join(_canonical(value) for value in row) + "\n").encode())
    return digest.hexdigest()


def _run_weights(methodology: Methodology) -> dict:
    return {
        **{indicator: str(weight) for indicator, weight in methodology.weights.items()},
        "minimum_counted_share": str(methodology.minimum_counted_share),
        "methodology_version": methodology.version,
        "rules": methodology.rules,
    }


@transaction.atomic
def standings_recompute(
    *,
    year: int,
    trigger: str = StandingsRun.Trigger.MANUAL,
    triggered_by=None,
    cutoff_at: datetime.datetime | None = None,
    wait_for_lock: bool = False,
) -> RecomputeOutcome:
    """Compute `year` for every in-scope county under methodology v1.1 from approved data up to the cut-off and
    publish it as one immutable run (standings, both rank changes, rank bands, the sums and goalposts behind every
    figure), written whole or not at all; publishes nothing when the inputs are unchanged since the year's latest
    run, and nothing when another worker is computing the same year."""
    started = time.monotonic()
    if not _try_lock_year(year, wait=wait_for_lock):
        return RecomputeOutcome(year=year, status=RecomputeOutcome.BUSY, run=None)
    cutoff_at = cutoff_at or timezone.now()
    methodology = methodology_current()
    previous_run = StandingsRun.objects.filter(year=year).order_by("-pk").first()

    rows = computation.inputs_rows(year=year, cutoff_at=cutoff_at)
    inputs_hash = _inputs_hash(year=year, methodology=methodology, rows=[row.as_row() for row in rows])
    if previous_run is not None and previous_run.inputs_hash == inputs_hash:
        return RecomputeOutcome(
            year=year, status=RecomputeOutcome.UNCHANGED, run=previous_run, duration_seconds=time.monotonic() - started
        )

    weights = methodology.weights
    result = computation.compute_year(rows, weights=weights, minimum_share=methodology.minimum_counted_share)
    band_started = time.monotonic()
    bands = computation.rank_bands(
        input_hash=inputs_hash,
        weights=weights,
        scores={county.inputs.county_id: county.scores for county in result.counties if county.is_ranked},
    )
    band_milliseconds = int((time.monotonic() - band_started) * 1000)
    last_year_run = StandingsRun.objects.filter(year=year - 1).order_by("-pk").first()
    earlier_ranks = _ranks_of(previous_run)
    last_year_ranks = _ranks_of(last_year_run)

    run = StandingsRun.objects.create(
        year=year,
        methodology=methodology,
        weights=_run_weights(methodology),
        cutoff_at=cutoff_at,
        inputs_hash=inputs_hash,
        trigger=trigger,
        triggered_by=triggered_by,
        previous_run=previous_run,
        last_year_run=last_year_run,
        goalposts=result.goalposts,
        includes_demo_data=_includes_demo_data(),
        band_milliseconds=band_milliseconds,
    )
    standings = []
    for county in result.counties:
        county_id = county.inputs.county_id
        previous_rank = earlier_ranks.get(county_id)
        last_year_rank = last_year_ranks.get(county_id)
        band = bands.get(county_id, (None, None))
        standings.append(
            CountyStanding(
                run=run,
                county_id=county_id,
                operating_months=county.inputs.operating_months,
                counted_months=county.inputs.complete_months,
                is_ranked=county.is_ranked,
                not_ranked_reason=county.not_ranked_reason,
                composite=county.composite,
                rank=county.rank,
                province_rank=county.province_rank,
                previous_rank=previous_rank,
                rank_change=previous_rank - county.rank if county.rank and previous_rank else None,
                last_year_rank=last_year_rank,
                rank_change_since_last_year=last_year_rank - county.rank if county.rank and last_year_rank else None,
                rank_band_low=band[0],
                rank_band_high=band[1],
                sums=county.sums,
                **{indicator: county.stored_value(indicator) for indicator in Indicator.values},
                **{f"score_{indicator}": county.scores[indicator] for indicator in Indicator.values},
            )
        )
    CountyStanding.objects.bulk_create(standings, batch_size=1000)

    ranked = [county for county in result.counties if county.is_ranked]
    run.ranked_count = len(ranked)
    run.listed_count = len(result.counties)
    # The run records where weights were rescaled because a ranked county lacked an indicator.
    slugs = dict(County.objects.filter(pk__in=[county.inputs.county_id for county in ranked]).values_list("pk", "slug"))
    run.notes = sorted(
        (
            {
                "county": slugs[county.inputs.county_id],
                "missing": [indicator for indicator in Indicator.values if county.scores[indicator] is None],
                "note": "weights rescaled over the indicators present",
            }
            for county in ranked
            if any(county.scores[indicator] is None for indicator in Indicator.values)
        ),
        key=lambda note: note["county"],
    )
    run.duration_milliseconds = int((time.monotonic() - started) * 1000)
    # The run's own summary is filled in inside the transaction that creates it: no reader ever sees it
    # half-written, and after commit nothing updates it again.
    run.save(update_fields=["ranked_count", "listed_count", "notes", "duration_milliseconds"])
    notification_events.standings_published(run=run)
    return RecomputeOutcome(
        year=year, status=RecomputeOutcome.PUBLISHED, run=run, duration_seconds=time.monotonic() - started
    )


def _ranks_of(run: StandingsRun | None) -> dict[int, int]:
    """County id → national rank in `run` (ranked counties only)."""
    if run is None:
        return {}
    return dict(
        CountyStanding.objects.filter(run=run, is_ranked=True).values_list("county_id", "rank").order_by("county_id")
    )


def _includes_demo_data() -> bool:
    from factories.models import Factory

    return Factory.objects.filter(is_demo=True, county__kind__in=County.PROGRAMME_KINDS).exists()


# --- durable requests (approvals, reopenings, the nightly schedule) -------------------------------------


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
        # The request row stays pending; the beat sweep (standings_process_pending_task) picks it up.
        logger.warning("Broker unavailable; recompute of %s left pending for the sweep", year, exc_info=True)


def recompute_request_process(*, year: int) -> RecomputeOutcome | None:
    """Serve the pending request of `year`, if any: compute it once for every request that arrived before
    the computation started; a request arriving during it leaves the row pending for another pass.

    Three short transactions instead of one long one, so approvals never wait on a computation for the
    request row's lock; single flight comes from the year's advisory lock inside `standings_recompute`.
    """
    outcome = None
    for _pass in range(MAX_CONSECUTIVE_PASSES):
        with transaction.atomic():
            request = RecomputeRequest.objects.select_for_update(skip_locked=True).filter(year=year).first()
            if request is None or not request.is_pending:
                return outcome
            requested_at, trigger, requested_by_id = request.requested_at, request.trigger, request.requested_by_id
            request.last_started_at = timezone.now()
            request.last_outcome = _("computing")
            request.save(update_fields=["last_started_at", "last_outcome"])

        outcome = standings_recompute(year=year, trigger=trigger, triggered_by=_user(requested_by_id))
        if outcome.status == RecomputeOutcome.BUSY:
            # The worker holding the lock will see the row still pending when it finishes.
            return outcome

        with transaction.atomic():
            # Only requests seen before the computation are served; a newer one keeps the row pending.
            RecomputeRequest.objects.filter(year=year, requested_at=requested_at).update(is_pending=False)
            RecomputeRequest.objects.filter(year=year).update(
                last_finished_at=timezone.now(), last_run=outcome.run, last_outcome=outcome.message[:200]
            )
    if RecomputeRequest.objects.filter(year=year, is_pending=True).exists():
        # Requests kept arriving through every pass. Their own tasks found the year busy while this worker
        # computed and retry only BUSY_RETRY_SECONDS later; the next pass is queued now instead, behind any
        # other work, so an approval is not kept from the standings for those seconds (bench: freshness).
        _enqueue_recompute(year)
    return outcome


def _user(user_id):
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


def recompute_requests_process_pending() -> list[RecomputeOutcome]:
    """Serve every pending request, oldest year first (the beat sweep behind a broker that was down)."""
    years = list(RecomputeRequest.objects.filter(is_pending=True).order_by("year").values_list("year", flat=True))
    outcomes = [recompute_request_process(year=year) for year in years]
    return [outcome for outcome in outcomes if outcome is not None]


def standings_recompute_nightly(*, today: datetime.date | None = None) -> list[RecomputeOutcome]:
    """Recompute the current and the previous year on the schedule (months close as time passes)."""
    today = today or timezone.localdate()
    return [
        standings_recompute(year=year, trigger=StandingsRun.Trigger.SCHEDULE, wait_for_lock=True)
        for year in (today.year - 1, today.year)
    ]


def standings_years_with_data() -> list[int]:
    """Every year that has reports or a programme round, through the current year (for `--all`)."""
    from factories.models import MonthlyReport
    from regional.models import ProgrammeRound

    years = set(ProgrammeRound.objects.values_list("year", flat=True))
    span = MonthlyReport.objects.aggregate(oldest=Min("month"), newest=Max("month"))
    if span["oldest"] and span["newest"]:
        years.update(range(span["oldest"].year, span["newest"].year + 1))
    current = timezone.localdate().year
    return sorted(year for year in years if year <= current)
