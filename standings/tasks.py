from celery import shared_task


@shared_task(acks_late=True)
def standings_recompute_task(year: int) -> None:
    """Placeholder until the standings computation lands: leaves the durable request pending."""
