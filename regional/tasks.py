"""Celery wrappers of regional services: thin and read-only or idempotent."""

import logging

from celery import shared_task

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
def review_document_build_task(document_id: int) -> int:
    """Write a review's PDF (the national one province by province, with progress); a done one is kept."""
    from regional.sites.review_pdf import review_document_build

    return review_document_build(document_id=document_id).pk
