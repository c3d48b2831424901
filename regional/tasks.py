"""Celery wrappers of regional services: thin and read-only or idempotent."""

import logging

from celery import shared_task
from django.conf import settings

from regional.backups import database_backup
from regional.integrity import integrity_checks_run

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def integrity_check_task() -> dict[str, int]:
    """Beat, nightly: run every integrity check (read-only) and log the ones with findings."""
    results = integrity_checks_run(detail_limit=5)
    for result in results:
        if result.count:
            logger.error("Integrity check %s: %s findings, e.g. %s", result.check.name, result.count, result.details)
    return {result.check.name: result.count for result in results}


@shared_task(acks_late=True)
def database_backup_task() -> str:
    """Beat, nightly: a custom-format pg_dump into BACKUP_DIRECTORY, then the retention. Run twice, it keeps
    one more file of the same day, which the retention prunes."""
    return str(database_backup(directory=settings.BACKUP_DIRECTORY).path)


@shared_task(acks_late=True)
def notifications_daily_task() -> dict[str, int]:
    """Beat, daily: deadline reminders, months closed with reports missing, review digests (idempotent)."""
    from regional.notifications.events import daily_notifications_run

    return daily_notifications_run()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=10, max_retries=5)
def notification_emails_send_task() -> int:
    """After a commit, and every few minutes from beat: send the pending notification e-mails, each once."""
    from regional.notifications.services import notification_emails_release_stuck, notification_emails_send

    notification_emails_release_stuck()
    return notification_emails_send()


@shared_task(acks_late=True)
def review_document_build_task(document_id: int) -> int:
    """Write a review's PDF (the national one province by province, with progress); a done one is kept."""
    from regional.sites.review_pdf import review_document_build

    return review_document_build(document_id=document_id).pk
