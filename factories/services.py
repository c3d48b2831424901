"""Writes of monthly reports: entry, submission, review, reopening and bulk approval.

Every service checks the user's role and scope itself (PermissionDenied), refuses bad input or a forbidden
transition with a ValidationError (a field → messages dict where it concerns fields), refuses a write based
on a stale `expected_version` with ConflictError, and bumps `version` on every write.
"""

import datetime
import functools
import operator
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from factories import copy_writes, selectors
from factories.importers import ParsedImport, parse_report_csv
from factories.models import Factory, LateEntryGrant, MonthlyReport, ReportEvent, ReportImport
from regional import scoping
from regional.exceptions import ConflictError
from regional.models import User
from standings.services import standings_recompute_requested

DATA_FIELDS = (*selectors.FIGURE_FIELDS, "comment")


@functools.cache
def _figure_limits(vendor: str) -> dict[str, Decimal]:
    """The first value each figure's column cannot store (numeric precision or integer range) on `vendor`."""
    limits = {}
    for name in selectors.FIGURE_FIELDS:
        field = MonthlyReport._meta.get_field(name)
        if field.get_internal_type() == "DecimalField":
            limits[name] = Decimal(10) ** (field.max_digits - field.decimal_places)
        else:
            limits[name] = Decimal(connection.ops.integer_field_range(field.get_internal_type())[1]) + 1
    return limits


def figure_limits() -> dict[str, Decimal]:
    # Cached: looking the fields and the connection up again for every figure of every row was a quarter of
    # a 100,000-row import (bench, import).
    return _figure_limits(connection.vendor)


def validate_report_figures(*, month: datetime.date, figures: dict) -> dict[str, list[str]]:
    """Cross-field and range rules of a report's figures (already parsed to numbers); field → messages."""
    errors: dict[str, list[str]] = {}
    limits = figure_limits()
    for name in selectors.FIGURE_FIELDS:
        value = figures.get(name)
        if value is None:
            errors.setdefault(name, []).append(_("This figure is required."))
        elif value < 0:
            errors.setdefault(name, []).append(_("Enter zero or more."))
        elif value >= limits[name]:
            # Checked here, not only in the form and the serializer, so that an import cannot overflow the column.
            errors.setdefault(name, []).append(_("This number is too large."))
    used, own = figures.get("raw_material_used_tonnes"), figures.get("raw_material_from_own_bases_tonnes")
    if used is not None and own is not None and own > used and "raw_material_from_own_bases_tonnes" not in errors:
        errors["raw_material_from_own_bases_tonnes"] = [
            _("Raw material from own bases (%(own)s t) cannot exceed the raw material used (%(used)s t).")
            % {"own": own, "used": used}
        ]
    days = figures.get("days_worked")
    if days is not None and days > selectors.days_in_month(month) and "days_worked" not in errors:
        errors["days_worked"] = [
            _("%(month)s has %(days)s days; days worked cannot be more.")
            % {"month": selectors.month_label(month), "days": selectors.days_in_month(month)}
        ]
    return errors


def parse_figures(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """Numbers from text or numbers; whole numbers where the field counts things. Field → messages."""
    parsed, errors = {}, {}
    for name, value in data.items():
        if name == "comment":
            parsed[name] = (value or "").strip()
            continue
        if value is None or value == "":
            parsed[name] = None
            continue
        try:
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise InvalidOperation
            if name in selectors.INTEGER_FIGURE_FIELDS:
                if number != number.to_integral_value():
                    errors[name] = [_("Enter a whole number.")]
                    continue
                number = int(number)
            elif number != number.quantize(Decimal("0.01")):
                errors[name] = [_("Enter at most two decimal places.")]
                continue
            parsed[name] = number
        except (InvalidOperation, ValueError):
            errors[name] = [_("Enter a number.")]
    return parsed, errors


def _lock(report: MonthlyReport) -> MonthlyReport:
    # Re-read under a row lock so two reviewers (or a reviewer and the county) cannot interleave writes.
    return MonthlyReport.objects.select_for_update(of=("self",)).select_related("factory").get(pk=report.pk)


def _check_version(report: MonthlyReport, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != report.version:
        raise ConflictError(
            _("This report was changed by someone else (version %(stored)s, you had %(expected)s). Reload it.")
            % {"stored": report.version, "expected": expected_version}
        )


def _save(report: MonthlyReport, user: User) -> None:
    if report.pk is not None:
        report.version += 1
    report._history_user = user
    report.save()


def _record(report: MonthlyReport, kind: str, user: User, at: datetime.datetime, reason: str = "") -> None:
    ReportEvent.objects.create(report=report, kind=kind, actor=user, at=at, reason=reason)


@transaction.atomic
def report_save_draft(
    *,
    factory: Factory,
    month: datetime.date,
    data: dict,
    user: User,
    expected_version: int | None = None,
    expect_new: bool = False,
) -> MonthlyReport:
    """Create or update the county's draft (or returned) report of `factory` for `month`, validated; never
    touches a submitted or approved report or a closed month. With `expect_new` (a form or request that
    had no report to show), a report created meanwhile by someone else is a conflict, not overwritten."""
    if not scoping.enterable_factories(user).filter(pk=factory.pk).exists():
        raise PermissionDenied(_("Only the county's officials may enter this factory's reports."))
    if month.day != 1:
        raise ValidationError({"month": [_("A report's month is given by its first day.")]})
    unknown = sorted(set(data) - set(DATA_FIELDS))
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    if not selectors.factory_operates_in(factory, month):
        raise ValidationError(
            {
                "month": [
                    _("%(factory)s was not in operation in %(month)s.")
                    % {"factory": factory.name, "month": selectors.month_label(month)}
                ]
            }
        )

    report = (
        MonthlyReport.objects.select_for_update(of=("self",))
        .select_related("approved_by", "submitted_by")
        .filter(factory=factory, month=month)
        .first()
    )
    grant = None
    if report is not None:
        if expect_new:
            raise ConflictError(_("Someone else has just created this report. Reload it."))
        _check_version(report, expected_version)
        reason = selectors.report_locked_reason(report, month)
        if reason:
            raise ValidationError(reason)
    else:
        if expected_version is not None:
            raise ConflictError(_("This report does not exist yet; it cannot have a version."))
        reason = selectors.month_closed_reason(month)
        grant = selectors.late_entry_grant(factory, month) if reason else None
        if reason and grant is None:
            raise ValidationError(reason)
        # A late entry is a reopened report from its first save: editable, listed for the county, late.
        report = MonthlyReport(factory=factory, month=month, created_by=user, is_reopened=grant is not None)

    parsed, errors = parse_figures(data)
    figures = {name: getattr(report, name) for name in selectors.FIGURE_FIELDS}
    figures.update({name: value for name, value in parsed.items() if name != "comment"})
    for name, messages in validate_report_figures(month=month, figures=figures).items():
        errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)

    for name, value in figures.items():
        setattr(report, name, value)
    if "comment" in parsed:
        report.comment = parsed["comment"]
    report.warnings_acknowledged = False
    try:
        with transaction.atomic():
            _save(report, user)
    except IntegrityError as error:
        # Two first saves of the same factory and month raced; the database's unique constraint decided.
        raise ConflictError(_("Someone else has just created this report. Reload it.")) from error
    if grant is not None:
        # The report's timeline starts with the administrator's decision, as a reopened report's does.
        _record(report, ReportEvent.Kind.REOPENED, grant.granted_by, grant.granted_at, grant.reason)
    return report


@transaction.atomic
def late_entry_allow(*, factory: Factory, month: datetime.date, user: User, reason: str) -> LateEntryGrant:
    """An administrator lets the county enter the report of a month whose entry period closed with no report;
    records who, when and why. A report that exists is reopened instead (`report_reopen`)."""
    if not scoping.is_administrator(user):
        raise PermissionDenied(_("Only programme administrators may allow a late entry."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report may be entered late.")]})
    if month.day != 1:
        raise ValidationError({"month": [_("A report's month is given by its first day.")]})
    if not selectors.factory_operates_in(factory, month):
        raise ValidationError(
            _("%(factory)s was not in operation in %(month)s.")
            % {"factory": factory.name, "month": selectors.month_label(month)}
        )
    if not selectors.is_month_closed(month):
        raise ValidationError(
            _("%(month)s is not closed for entry; the county can enter its report without permission.")
            % {"month": selectors.month_label(month)}
        )
    if MonthlyReport.objects.filter(factory=factory, month=month).exists():
        raise ValidationError(_("A report of this month exists: reopen it from its page instead."))
    try:
        with transaction.atomic():
            return LateEntryGrant.objects.create(
                factory=factory, month=month, reason=reason, granted_by=user, granted_at=timezone.now()
            )
    except IntegrityError as error:
        raise ValidationError(_("A late entry of this report is already allowed.")) from error


@transaction.atomic
def report_submit(*, report: MonthlyReport, user: User, expected_version: int | None = None) -> MonthlyReport:
    """Submit a draft or returned report for review; refuses unexplained plausibility warnings and closed
    months. Keeps the first submission time, which decides whether the report was on time."""
    report = _lock(report)
    _check_version(report, expected_version)
    if not scoping.enterable_factories(user).filter(pk=report.factory_id).exists():
        raise PermissionDenied(_("Only the county's officials may submit this factory's reports."))
    reason = selectors.report_locked_reason(report, report.month)
    if reason:
        raise ValidationError(reason)
    warnings = selectors.report_warnings(report=report)
    if warnings and not report.comment.strip():
        raise ValidationError({"comment": [_("Explain the figures flagged above in the comment before submitting.")]})
    now = timezone.now()
    report.warnings_acknowledged = bool(warnings)
    report.status = MonthlyReport.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_by = user
    report.first_submitted_at = report.first_submitted_at or now
    report.return_reason = ""
    _save(report, user)
    _record(report, ReportEvent.Kind.SUBMITTED, user, now)
    return report


def _require_reviewer(report: MonthlyReport, user: User) -> None:
    if not scoping.reviewable_reports(user).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Only the province's officials may review this report."))


@transaction.atomic
def report_approve(*, report: MonthlyReport, user: User, expected_version: int | None = None) -> MonthlyReport:
    """Approve a submitted report; refuses any other status. Requests the year's standings recompute."""
    report = _lock(report)
    _check_version(report, expected_version)
    _require_reviewer(report, user)
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(
            _("Only submitted reports can be approved; this one is %(status)s.")
            % {"status": report.get_status_display()}
        )
    now = timezone.now()
    report.status = MonthlyReport.Status.APPROVED
    report.approved_at = now
    report.approved_by = user
    report.is_reopened = False
    _save(report, user)
    _record(report, ReportEvent.Kind.APPROVED, user, now)
    standings_recompute_requested(year=report.month.year, user=user)
    return report


@transaction.atomic
def report_return(
    *, report: MonthlyReport, user: User, reason: str, expected_version: int | None = None
) -> MonthlyReport:
    """Return a submitted report to the county with a reason (required), which the county sees."""
    report = _lock(report)
    _check_version(report, expected_version)
    _require_reviewer(report, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say what the county must correct.")]})
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(
            _("Only submitted reports can be returned; this one is %(status)s.")
            % {"status": report.get_status_display()}
        )
    now = timezone.now()
    report.status = MonthlyReport.Status.RETURNED
    report.return_reason = reason
    _save(report, user)
    _record(report, ReportEvent.Kind.RETURNED, user, now, reason)
    return report


@transaction.atomic
def report_reopen(*, report: MonthlyReport, user: User, reason: str) -> MonthlyReport:
    """An administrator sends an approved report, or any report of a closed month, back to draft so the
    county can correct it; records who, when and why and requests the year's recompute."""
    if not scoping.is_administrator(user):
        raise PermissionDenied(_("Only programme administrators may reopen reports."))
    report = _lock(report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is reopened.")]})
    if not selectors.is_reopenable(report):
        raise ValidationError(_("This report is still open for entry; there is nothing to reopen."))
    now = timezone.now()
    report.status = MonthlyReport.Status.DRAFT
    report.approved_at = None
    report.approved_by = None
    report.is_reopened = True
    _save(report, user)
    _record(report, ReportEvent.Kind.REOPENED, user, now, reason)
    standings_recompute_requested(year=report.month.year, user=user)
    return report


@transaction.atomic
def reports_approve_bulk(*, reports: QuerySet[MonthlyReport], user: User) -> int:
    """Approve every submitted report of `reports` the user may review, in set-based writes; returns how
    many were approved (others are left as they are)."""
    if not scoping.is_provincial_official(user):
        raise PermissionDenied(_("Only provincial officials may approve reports."))
    locked = list(
        scoping.reviewable_reports(user)
        .filter(pk__in=reports.values("pk"), status=MonthlyReport.Status.SUBMITTED)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not locked:
        return 0
    now = timezone.now()
    for report in locked:
        report.status = MonthlyReport.Status.APPROVED
        report.approved_at = now
        report.approved_by = user
        report.is_reopened = False
        report.version += 1
        report.updated_at = now
    bulk_update_with_history(
        locked,
        MonthlyReport,
        ["status", "approved_at", "approved_by", "is_reopened", "version", "updated_at"],
        default_user=user,
        default_date=now,
    )
    ReportEvent.objects.bulk_create(
        [ReportEvent(report=report, kind=ReportEvent.Kind.APPROVED, actor=user, at=now) for report in locked]
    )
    for year in sorted({report.month.year for report in locked}):
        standings_recompute_requested(year=year, user=user)
    return len(locked)


# --- CSV import ---------------------------------------------------------------------------------------


def _require_importer(user: User) -> None:
    if not (scoping.is_administrator(user) or scoping.is_provincial_official(user)):
        raise PermissionDenied(_("Only administrators and provincial officials may import reports."))


@transaction.atomic
def report_import_preview(*, user: User, file_name: str, content: str) -> tuple[ReportImport, ParsedImport]:
    """Keep the uploaded file and check every row (the dry run); no report changes."""
    _require_importer(user)
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
    "approved_at",
    "approved_by_id",
)
_imported_figures = operator.itemgetter(*selectors.FIGURE_FIELDS)


def _imported_report_values(row, *, user_id: int, now: datetime.datetime) -> tuple:
    """A new report's values from an import row in `IMPORTED_COLUMNS` order, as the ORM path below sets them."""
    is_approved = row.status == MonthlyReport.Status.APPROVED
    return (
        *_imported_figures(row.figures),
        row.factory_id,
        row.month,
        row.comment,
        row.status,
        now if is_approved else None,
        user_id if is_approved else None,
    )


def _imported_common(*, user_id: int, now: datetime.datetime) -> dict:
    return {"created_by_id": user_id, "submitted_at": now, "submitted_by_id": user_id, "first_submitted_at": now}


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
        rows=[_imported_report_values(row, user_id=user_id, now=now) for row in copied_rows],
        common=_imported_common(user_id=user_id, now=now),
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
    # One event per row, of the status the file gave it, naming the file as the reason.
    events = [
        ReportEvent(report=report, kind=report.status, actor=user, at=now, reason=reason)
        for report in (*new_reports, *changed_reports)
    ]
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
