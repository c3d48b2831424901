"""What a standings computation stored for a year, as plain text, so that two databases can be compared to the
cent. Generic on purpose (the methodology changes): every stored field of the year's latest run, of its county
rows, and of the rows of any other model that belongs to the run or to one of its county rows; keys, timestamps
and durations are left out (they differ between any two runs), and references are named by what identifies them
in both databases (a county's slug, a methodology's version)."""

import json

from django.apps import apps
from django.db import models

from standings.models import CountyStanding, StandingsRun

SKIPPED_RUN_FIELDS = {
    "cutoff_at",
    "created_at",
    "duration_milliseconds",
    "band_milliseconds",
    "triggered_by",
    "previous_run",
}


def _reference(related) -> str | int | None:
    if related is None:
        return None
    for attribute in ("slug", "version", "code", "username"):
        if hasattr(related, attribute):
            return getattr(related, attribute)
    if isinstance(related, CountyStanding):
        return related.county.slug
    return related.pk


def _plain(instance, skipped: set[str] = frozenset()) -> dict:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in skipped or isinstance(field, models.DateTimeField):
            continue
        if field.name in ("duration_milliseconds", "band_milliseconds"):
            continue
        if isinstance(field, models.ForeignKey):
            if field.related_model is not StandingsRun:
                values[field.name] = _reference(getattr(instance, field.name))
            continue
        value = field.value_from_object(instance)
        values[field.name] = value if isinstance(value, (dict, list, bool, int, type(None))) else str(value)
    return values


def _parts_of_a_run() -> list[tuple[type[models.Model], str]]:
    """Other models whose rows belong to a run: a required foreign key to the run or to a county row of it."""
    parts = []
    for model in apps.get_app_config("standings").get_models():
        if model in (StandingsRun, CountyStanding):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and not field.null:
                if field.related_model is StandingsRun:
                    parts.append((model, field.name))
                elif field.related_model is CountyStanding:
                    parts.append((model, f"{field.name}__run"))
    return parts


def standings_snapshot(year: int) -> dict:
    """The latest run of `year`, each county's row of it keyed by county slug, and the rows of its other parts."""
    run = StandingsRun.objects.filter(year=year).order_by("-pk").first()
    rows = CountyStanding.objects.filter(run=run).select_related("county").order_by("county__slug")
    others = {}
    for model, lookup in _parts_of_a_run():
        plain = [_plain(row) for row in model.objects.filter(**{lookup: run})]
        others[model._meta.label] = sorted(plain, key=lambda values: json.dumps(values, sort_keys=True))
    return {
        "run": _plain(run, SKIPPED_RUN_FIELDS),
        "counties": {row.county.slug: _plain(row, {"run"}) for row in rows},
        "other_parts": others,
    }


def print_standings_snapshot(year: int) -> None:
    """For `manage.py shell -c` in another process (the PostgreSQL side of the comparison)."""
    print(json.dumps(standings_snapshot(year), sort_keys=True))
