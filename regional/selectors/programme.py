"""The programme at a glance: rounds, progress and the Kimhwa model."""

import csv
import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

from django.db.models import (
    Count,
    IntegerField,
    Q,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regional import scoping
from regional.models import County, ProgrammeRound, ProgrammeSlot, User

KIMHWA_FACTS_PATH = Path(__file__).resolve().parents[1] / "data" / "kimhwa_facts.csv"


@dataclass
class RoundProgress:
    year: int
    target_localities: int
    localities: int
    separate_projects: int
    broken_ground: int
    inaugurated: int
    cumulative_localities: int = 0
    cumulative_inaugurated: int = 0
    planned_cumulative: int = 0

    @property
    def is_announced(self) -> bool:
        return self.localities > 0


@dataclass
class ProgrammeOverview:
    rounds: list[RoundProgress]
    model_slots: list[ProgrammeSlot]
    counties_in_scope: int
    localities: int = 0
    broken_ground: int = 0
    inaugurated: int = 0
    current_year: int = 0

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.inaugurated / self.counties_in_scope) if self.counties_in_scope else 0

    @property
    def scheduled_percent(self) -> int:
        return round(100 * self.localities / self.counties_in_scope) if self.counties_in_scope else 0

    @property
    def current_round(self) -> RoundProgress | None:
        return next((r for r in self.rounds if r.year == self.current_year), None)

    def chart_data(self) -> dict:
        return {
            "years": [r.year for r in self.rounds],
            "inaugurated": [r.cumulative_inaugurated if r.is_announced else None for r in self.rounds],
            "scheduled": [r.cumulative_localities if r.is_announced else None for r in self.rounds],
            "plan": [r.planned_cumulative for r in self.rounds],
            "scope": [self.counties_in_scope for _ in self.rounds],
            "labels": {
                "inaugurated": str(_("Inaugurated (cumulative)")),
                "scheduled": str(_("Scheduled (cumulative)")),
                "plan": str(_("Plan: 20 a year")),
                "scope": str(_("All cities and counties in scope")),
                "axis": str(_("localities")),
            },
        }


def programme_overview(*, user: User, today: datetime.date | None = None) -> ProgrammeOverview:
    """Per annual round: localities scheduled, broken ground and inaugurated (by reported date), and the
    cumulative progress towards every city and county in scope. Two queries."""
    today = today or timezone.localdate()
    locality = Q(slots__kind=ProgrammeSlot.Kind.LOCALITY)
    counties_in_scope = (
        scoping.visible_counties(user)
        .filter(kind__in=County.PROGRAMME_KINDS)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rows = (
        scoping.visible_programme_rounds(user)
        .filter(kind=ProgrammeRound.Kind.ANNUAL)
        .annotate(
            localities=Count("slots", filter=locality),
            separate_projects=Count("slots", filter=Q(slots__kind=ProgrammeSlot.Kind.SEPARATE_PROJECT)),
            broken_ground=Count("slots", filter=locality & Q(slots__groundbreaking_date__lte=today)),
            inaugurated=Count("slots", filter=locality & Q(slots__inauguration_date__lte=today)),
            counties_in_scope=Subquery(counties_in_scope, output_field=IntegerField()),
        )
        .order_by("year")
    )
    rounds: list[RoundProgress] = []
    scope_total = 0
    cumulative_localities = cumulative_inaugurated = planned = 0
    for row in rows:
        scope_total = row.counties_in_scope or 0
        cumulative_localities += row.localities
        cumulative_inaugurated += row.inaugurated
        planned += row.target_localities
        rounds.append(
            RoundProgress(
                year=row.year,
                target_localities=row.target_localities,
                localities=row.localities,
                separate_projects=row.separate_projects,
                broken_ground=row.broken_ground,
                inaugurated=row.inaugurated,
                cumulative_localities=cumulative_localities,
                cumulative_inaugurated=cumulative_inaugurated,
                planned_cumulative=planned,
            )
        )
    model_slots = list(
        scoping.visible_programme_slots(user)
        .filter(kind=ProgrammeSlot.Kind.MODEL)
        .select_related("county__province", "programme_round")
        .order_by("programme_round__year")
    )
    return ProgrammeOverview(
        rounds=rounds,
        model_slots=model_slots,
        counties_in_scope=scope_total,
        localities=cumulative_localities,
        broken_ground=sum(r.broken_ground for r in rounds),
        inaugurated=cumulative_inaugurated,
        current_year=today.year,
    )


@dataclass(frozen=True)
class KimhwaFact:
    fact: str
    value: str
    unit: str
    detail: str
    sources: tuple[str, ...]


@functools.cache
def kimhwa_facts() -> tuple[KimhwaFact, ...]:
    """The verified facts about the Kimhwa model, with their sources (a bundled file; read once)."""
    with KIMHWA_FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            KimhwaFact(
                fact=row["fact"],
                value=row["value"],
                unit=row["unit"],
                detail=row["detail"],
                sources=tuple(part.strip() for part in row["source"].split(" | ") if part.strip()),
            )
            for row in csv.DictReader(handle)
        )
