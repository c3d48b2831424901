"""What a standings computation stored for a year, as plain text, so that two databases can be compared to the
cent. Generic on purpose: every stored field of the year's latest run and of its county rows, whatever the
methodology adds, except keys, timestamps and durations (which differ between any two runs)."""

import json

from django.db import models

from standings.models import CountyStanding, StandingsRun

SKIPPED_RUN_FIELDS = {"id", "cutoff_at", "created_at", "duration_milliseconds", "triggered_by", "previous_run"}


def _plain(instance, skipped: set[str]) -> dict:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in skipped or isinstance(field, models.DateTimeField):
            continue
        if isinstance(field, models.ForeignKey):
            if field.related_model is not StandingsRun:
                related = getattr(instance, field.name)
                values[field.name] = None if related is None else str(getattr(related, "slug", related.pk))
            continue
        value = field.value_from_object(instance)
        values[field.name] = value if isinstance(value, (dict, list, bool, int, type(None))) else str(value)
    return values


def standings_snapshot(year: int) -> dict:
    """The latest run of `year` and each county's row of it, keyed by county slug."""
    run = StandingsRun.objects.filter(year=year).order_by("-pk").first()
    rows = CountyStanding.objects.filter(run=run).select_related("county").order_by("county__slug")
    return {
        "run": _plain(run, SKIPPED_RUN_FIELDS),
        "counties": {row.county.slug: _plain(row, {"id", "run"}) for row in rows},
    }


def print_standings_snapshot(year: int) -> None:
    """For `manage.py shell -c` in another process (the PostgreSQL side of the comparison)."""
    print(json.dumps(standings_snapshot(year), sort_keys=True))
