"""A report's history: every saved version with the fields it changed, and its workflow events."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from factories.models import MonthlyReport, ReportEvent
from factories.selectors.fields import FIGURE_FIELDS, FIGURE_LABELS

# What a version did, in the reader's language (django-simple-history has no Korean of its own).
HISTORY_KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
STATUS_LABELS = dict(MonthlyReport.Status.choices)


def _shown(name: str, value):
    """A tracked value as the page shows it: a status by its label, yes/no for a flag."""
    if name == "status" and value is not None:
        return STATUS_LABELS.get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


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
                changes.append((labels[name], _shown(name, old), _shown(name, new)))
        kind = HISTORY_KINDS.get(record.history_type, record.history_type)
        entries.append(HistoryEntry(record.history_date, record.history_user, kind, changes))
        previous = record
    return list(reversed(entries))


def report_events(*, report: MonthlyReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor").order_by("at", "pk")
