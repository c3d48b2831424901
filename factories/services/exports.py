"""Large exports of monthly reports, written in the background: requested by a user, written by a worker in
that user's scope with the same filters, downloaded by that user alone until they expire."""

import datetime
import logging
import tempfile
from types import SimpleNamespace

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from factories import exports, selectors
from factories.filters import ReportFilter
from factories.models import ReportExport
from regional.models import User

logger = logging.getLogger(__name__)
# A second click on the same link within this time finds the export already under way instead of another.
SAME_REQUEST_WINDOW = datetime.timedelta(minutes=10)


def report_export_request(*, user: User, file_format: str, query: str, rows_expected: int) -> ReportExport:
    """The user's background export of these filters: one already queued, running or ready from the last few
    minutes, or a new one, written by a worker once this transaction commits."""
    now = timezone.now()
    recent = ReportExport.objects.filter(
        requested_by=user,
        file_format=file_format,
        query=query,
        requested_at__gte=now - SAME_REQUEST_WINDOW,
        expires_at__gt=now,
        status__in=[ReportExport.Status.QUEUED, ReportExport.Status.RUNNING, ReportExport.Status.READY],
    ).first()
    if recent is not None:
        return recent
    export = ReportExport.objects.create(
        requested_by=user,
        file_format=file_format,
        query=query,
        rows_expected=rows_expected,
        expires_at=now + datetime.timedelta(hours=settings.REPORT_EXPORT_KEEP_HOURS),
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from factories.tasks import report_export_write_task

    try:
        report_export_write_task.delay(export_id)
    except Exception:
        logger.warning("Broker unavailable; export %s stays queued", export_id, exc_info=True)


def report_export_write(*, export_id: int) -> ReportExport | None:
    """Write the file of a queued export, in its requester's scope, recording progress as rows are written.
    Safe to run twice: an export another worker is writing, or one already finished, is left alone."""
    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update(skip_locked=True)
            .filter(pk=export_id, status=ReportExport.Status.QUEUED)
            .select_related("requested_by")
            .first()
        )
        if export is None:
            return None
        export.status = ReportExport.Status.RUNNING
        export.save(update_fields=["status"])
    user = export.requested_by
    filterset = ReportFilter(
        QueryDict(export.query), queryset=selectors.report_list(user=user), request=SimpleNamespace(user=user)
    )

    def record_progress(rows: int) -> None:
        ReportExport.objects.filter(pk=export.pk).update(rows_written=rows)

    try:
        with tempfile.TemporaryFile() as spool:
            for chunk in exports.export_chunks(filterset.qs, export.file_format, on_progress=record_progress):
                spool.write(chunk)
            spool.seek(0)
            export.file.save(exports.file_name(export.file_format), File(spool), save=False)
    except Exception:
        ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.FAILED, finished_at=timezone.now())
        raise
    export.refresh_from_db(fields=["rows_written"])
    export.status = ReportExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "finished_at"])
    return export


def report_exports_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the exports past their time, and their files; returns how many."""
    expired = ReportExport.objects.filter(expires_at__lte=now or timezone.now())
    count = 0
    for export in expired.iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
