"""Celery wrappers of the factories services: thin, idempotent, safe to run twice."""

from celery import shared_task

from factories.services.exports import report_export_write, report_exports_delete_expired


@shared_task(acks_late=True)
def report_export_write_task(export_id: int) -> int | None:
    """Write a queued background export; returns its id, or None when it was not (or no longer) queued."""
    export = report_export_write(export_id=export_id)
    return export.pk if export else None


@shared_task(acks_late=True)
def report_exports_delete_expired_task() -> int:
    """Beat: delete the exports (and files) past their time."""
    return report_exports_delete_expired()
