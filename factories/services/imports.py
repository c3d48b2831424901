"""The CSV import of monthly reports: a dry run that keeps the file and checks every row, then a commit that
imports every row or none. Parsing and checking live in `factories.importers`; the COPY path in
`factories.copy_writes`."""

import datetime
import operator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from factories import copy_writes, selectors
from factories.importers import ParsedImport, nul_character_error, parse_report_csv
from factories.models import MonthlyReport, ReportEvent, ReportImport
from regional import scoping
from regional.models import User
from standings.services import standings_recompute_requested


def _require_importer(user: User) -> None:
    if not (scoping.is_administrator(user) or scoping.is_provincial_official(user)):
        raise PermissionDenied(_("Only administrators and provincial officials may import reports."))


@transaction.atomic
def report_import_preview(*, user: User, file_name: str, content: str) -> tuple[ReportImport, ParsedImport]:
    """Keep the uploaded file and check every row (the dry run); no report changes."""
    _require_importer(user)
    nul_error = nul_character_error(content)
    if nul_error is not None:
        # Refused before keeping the file: the database cannot store a NUL character in text.
        raise ValidationError(nul_error.message)
    parsed = parse_report_csv(content=content, user=user)
    report_import = ReportImport.objects.create(
        uploaded_by=user,
        file_name=file_name[:255],
        content=content,
        row_count=parsed.row_count,
        error_count=len(parsed.errors),
    )
    return report_import, parsed


IMPORT_BATCH_SIZE = 2000


# The columns that differ between imported reports (the rest are the same for every row: `_imported_common`).
IMPORTED_COLUMNS = (
    *selectors.FIGURE_FIELDS,
    "factory_id",
    "month",
    "comment",
    "status",
)
_imported_figures = operator.itemgetter(*selectors.FIGURE_FIELDS)


def _imported_report_values(row) -> tuple:
    """A new report's values from an import row in `IMPORTED_COLUMNS` order, as the ORM path below sets them
    (who approved and when: `_imported_when_approved`)."""
    return (*_imported_figures(row.figures), row.factory_id, row.month, row.comment, row.status)


def _imported_common(*, user_id: int, now: datetime.datetime) -> dict:
    return {"created_by_id": user_id, "submitted_at": now, "submitted_by_id": user_id, "first_submitted_at": now}


def _imported_when_approved(*, user_id: int, now: datetime.datetime) -> dict:
    return {"approved_at": now, "approved_by_id": user_id}


@transaction.atomic
def report_import_commit(*, report_import: ReportImport, user: User) -> ReportImport:
    """Import every row of a checked file or none: re-checks the file under lock (reports may have changed
    since the dry run), then writes in bulk with history and events."""
    _require_importer(user)
    report_import = ReportImport.objects.select_for_update().get(pk=report_import.pk)
    if report_import.uploaded_by_id != user.pk:
        raise PermissionDenied(_("Only the person who uploaded the file may import it."))
    if report_import.committed_at is not None:
        raise ValidationError(_("This file has already been imported."))
    parsed = parse_report_csv(content=report_import.content, user=user, lock_existing=True)
    if parsed.errors:
        raise ValidationError(
            [
                _("Line %(line)s: %(message)s") % {"line": error.line, "message": error.message}
                for error in parsed.errors
            ]
        )
    now = timezone.now()
    reason = _("CSV import %(name)s") % {"name": report_import.file_name}
    new_reports, changed_reports = [], []
    # On PostgreSQL new reports go in by COPY, with their history and events (factories/copy_writes.py):
    # bulk_create_with_history prepared every field of every row in Python, ~50x a raw COPY of 100,000 rows.
    copied_rows = [row for row in parsed.rows if row.existing is None] if copy_writes.is_available() else []
    user_id = user.pk
    copy_writes.reports_create_by_copy(
        columns=IMPORTED_COLUMNS,
        rows=[_imported_report_values(row) for row in copied_rows],
        common=_imported_common(user_id=user_id, now=now),
        approved_only=_imported_when_approved(user_id=user_id, now=now),
        user_id=user_id,
        now=now,
        history_reason=reason,
    )
    for row in parsed.rows:
        if row.existing is None and copied_rows:
            continue
        report = row.existing or MonthlyReport(factory_id=row.factory_id, month=row.month, created_by=user)
        for name, value in row.figures.items():
            setattr(report, name, value)
        report.comment = row.comment
        report.status = row.status
        report.return_reason = ""
        report.warnings_acknowledged = False
        report.submitted_at = now
        report.submitted_by = user
        report.first_submitted_at = report.first_submitted_at or now
        report.updated_at = now
        if row.status == MonthlyReport.Status.APPROVED:
            report.approved_at = now
            report.approved_by = user
            report.is_reopened = False
        if row.existing is None:
            new_reports.append(report)
        else:
            report.version += 1
            changed_reports.append(report)
    if new_reports:
        bulk_create_with_history(
            new_reports,
            MonthlyReport,
            batch_size=IMPORT_BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    if changed_reports:
        bulk_update_with_history(
            changed_reports,
            MonthlyReport,
            [
                *selectors.FIGURE_FIELDS,
                "comment",
                "status",
                "return_reason",
                "warnings_acknowledged",
                "submitted_at",
                "submitted_by",
                "first_submitted_at",
                "updated_at",
                "approved_at",
                "approved_by",
                "is_reopened",
                "version",
            ],
            batch_size=IMPORT_BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    # Every imported report is submitted, and approved when the file says so, each an event naming the file, as
    # the workflow records them (integrity_check looks for both).
    events = []
    for report in (*new_reports, *changed_reports):
        events.append(ReportEvent(report=report, kind=ReportEvent.Kind.SUBMITTED, actor=user, at=now, reason=reason))
        if report.status == MonthlyReport.Status.APPROVED:
            events.append(ReportEvent(report=report, kind=ReportEvent.Kind.APPROVED, actor=user, at=now, reason=reason))
    ReportEvent.objects.bulk_create(events, batch_size=IMPORT_BATCH_SIZE)
    for year in sorted(
        {
            report.month.year
            for report in (*changed_reports, *new_reports, *copied_rows)
            if report.status == MonthlyReport.Status.APPROVED
        }
    ):
        standings_recompute_requested(year=year, user=user)
    report_import.committed_at = now
    report_import.created_count = len(new_reports) + len(copied_rows)
    report_import.updated_count = len(changed_reports)
    report_import.error_count = 0
    report_import.save()
    return report_import
