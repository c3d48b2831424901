"""A report's history: every saved version with the fields it changed, and its workflow events."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from factories.models import MonthlyReport, ReportEvent
from factories.selectors.fields import FIGURE_FIELDS, FIGURE_LABELS


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    kind: str
    changes: list[tuple[str, object, object]]


def report_history(*, report: MonthlyReport) -> list[HistoryEntry]:
    """Every saved version of the report, newest first, with the fields each one changed (one query)."""
    tracked = (*FIGURE_FIELDS, "comment", "status", "return_reason", "is_reopened")
    labels = FIGURE_LABELS
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        for name in tracked:
            new = getattr(record, name)
            old = getattr(previous, name) if previous is not None else None
            if previous is None or old != new:
                if previous is None and new in ("", None, False):
                    continue
                changes.append((labels[name], old, new))
        entries.append(
            HistoryEntry(record.history_date, record.history_user, record.get_history_type_display(), changes)
        )
        previous = record
    return list(reversed(entries))


def report_events(*, report: MonthlyReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor").order_by("at", "pk")
