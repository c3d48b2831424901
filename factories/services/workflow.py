"""A report's workflow: the county's draft (and the late entry of a closed month an administrator allowed),
submission, the province's approval or return, an administrator's reopening, and bulk approval.

The shared helpers re-read a report under a row lock (`_lock`), refuse a write based on a stale
`expected_version` (`_check_version`), bump `version` as they save (`_save`) and record the workflow's events
(`_record`).
"""

import datetime
from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from factories import selectors
from factories.models import Factory, LateEntryGrant, MonthlyReport, ReportEvent
from factories.services.figures import DATA_FIELDS, parse_figures, validate_report_figures
from regional import scoping
from regional.exceptions import ConflictError
from regional.models import User
from regional.notifications import events as notification_events
from standings.services import standings_recompute_requested


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
            grant = LateEntryGrant.objects.create(
                factory=factory, month=month, reason=reason, granted_by=user, granted_at=timezone.now()
            )
    except IntegrityError as error:
        raise ValidationError(_("A late entry of this report is already allowed.")) from error
    notification_events.late_entry_allowed(grant=grant)
    return grant


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
    _require_month_ended(report)
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


@transaction.atomic
def report_recall(*, report: MonthlyReport, user: User, expected_version: int | None = None) -> MonthlyReport:
    """The county takes back a submitted report that nobody has reviewed yet, to correct it: back to draft,
    recorded as an event and in the history. The first submission time is kept (it decides punctuality)."""
    report = _lock(report)
    if not scoping.enterable_factories(user).filter(pk=report.factory_id).exists():
        raise PermissionDenied(_("Only the county's officials may recall this factory's reports."))
    _check_version(report, expected_version)
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report that the province has not reviewed yet can be recalled; this one is %(status)s.")
            % {"status": report.get_status_display()}
        )
    if not report.is_reopened and selectors.is_month_closed(report.month):
        # Back in draft it could not be submitted again: the province returns it instead if it must change.
        raise ValidationError(
            _(
                "The entry period for %(month)s ended on %(deadline)s, so a recalled report could not be submitted "
                "again; ask the province to return it for correction instead."
            )
            % {
                "month": selectors.month_label(report.month),
                "deadline": selectors.day_label(selectors.entry_deadline(report.month)),
            }
        )
    now = timezone.now()
    report.status = MonthlyReport.Status.DRAFT
    report.warnings_acknowledged = False
    _save(report, user)
    _record(report, ReportEvent.Kind.RECALLED, user, now)
    return report


def _require_month_ended(report: MonthlyReport, *, for_review: bool = False) -> None:
    # A month's figures are complete only once it is over: submitting or approving them earlier let an open
    # month's outlier into the standings (DESIGN.md, reporting periods).
    reason = selectors.month_not_ended_reason(report.month, for_review=for_review)
    if reason:
        raise ValidationError(reason)


def _require_reviewer(report: MonthlyReport, user: User) -> None:
    if not scoping.reviewable_reports(user).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Only the province's officials may review this report."))


@transaction.atomic
def report_approve(
    *, report: MonthlyReport, user: User, expected_version: int | None = None, acknowledge_warnings: bool = True
) -> MonthlyReport:
    """Approve a submitted report; refuses any other status. Requests the year's standings recompute.

    Nobody approves a report flagged as unusual unseen. The browser approves one only from its own page, where
    the warnings stand above "Approve despite the warnings" (so the default); the API, which shows nothing,
    passes what the client acknowledged, and a flagged report without that acknowledgement is refused with its
    warnings listed."""
    report = _lock(report)
    _check_version(report, expected_version)
    _require_reviewer(report, user)
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(
            _("Only submitted reports can be approved; this one is %(status)s.")
            % {"status": report.get_status_display()}
        )
    _require_month_ended(report, for_review=True)
    if not acknowledge_warnings:
        warnings = selectors.report_warnings(report=report)
        if warnings:
            raise ValidationError(
                {
                    "acknowledge_warnings": [
                        _(
                            "Not approved: this report is flagged as unusual. Read the warnings below and the "
                            'county\'s explanation, then approve it again with "acknowledge_warnings": true.'
                        ),
                        *warnings,
                    ]
                }
            )
    now = timezone.now()
    report.status = MonthlyReport.Status.APPROVED
    report.approved_at = now
    report.approved_by = user
    report.is_reopened = False
    _save(report, user)
    _record(report, ReportEvent.Kind.APPROVED, user, now)
    standings_recompute_requested(year=report.month.year, user=user)
    notification_events.reports_approved(reports=[report])
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
    notification_events.report_returned(report=report, reason=reason)
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
def reports_approve_bulk(
    *, reports: QuerySet[MonthlyReport], user: User, acknowledged_ids: Collection[int] = ()
) -> int:
    """Approve every submitted report of `reports` the user may review whose month has ended, in set-based
    writes; returns how many were approved (others are left as they are). Approves nothing if the selection
    holds a report flagged as unusual whose warnings the reviewer did not acknowledge on its row
    (`acknowledged_ids`): nobody approves a flagged report unseen."""
    if not scoping.is_provincial_official(user):
        raise PermissionDenied(_("Only provincial officials may approve reports."))
    locked = list(
        scoping.reviewable_reports(user)
        .filter(pk__in=reports.values("pk"), status=MonthlyReport.Status.SUBMITTED)
        .filter(month__lt=selectors.month_in_progress())
        .select_related("factory__county")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not locked:
        return 0
    warnings = selectors.warnings_for_reports(locked)
    acknowledged = {int(pk) for pk in acknowledged_ids}
    unseen = [report for report in locked if warnings.get(report.pk) and report.pk not in acknowledged]
    if unseen:
        names = ", ".join(f"{report.factory.name} ({selectors.month_label(report.month)})" for report in unseen)
        raise ValidationError(
            _(
                "Nothing was approved. Flagged as unusual and not acknowledged: %(names)s. Open each of them, "
                "or tick “I have read the warnings” on its row, before approving it."
            )
            % {"names": names}
        )
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
    notification_events.reports_approved(reports=locked)
    return len(locked)
