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
