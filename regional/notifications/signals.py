"""A Celery task that fails for good (not a retry) tells the administrators."""

import logging

from celery.signals import task_failure
from django.db import transaction

logger = logging.getLogger(__name__)


@task_failure.connect
def _tell_administrators_of_failed_job(sender=None, task_id=None, exception=None, **kwargs):
    from regional.notifications.events import job_failed

    name = getattr(sender, "name", str(sender))
    try:
        with transaction.atomic():
            job_failed(job=name, job_id=task_id or "", error=f"{type(exception).__name__}: {exception}")
    except Exception:
        logger.exception("Could not record the failure of %s", name)
