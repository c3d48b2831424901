import logging
import os

from celery import Celery
from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)


class BrokerLossSurvivingConsumer(Consumer):
    """Celery's consumer, surviving the loss of Redis while it holds an unacknowledged message.

    Celery 5.7 / kombu 5.7 with the Redis transport: when the connection drops while the worker is blocked in
    BRPOP, `Connection.collect()` starts closing the channel, fails on the dead socket before marking the channel
    closed, and clears the transport's `client`. The consumer then calls `connection.close()`, which closes the
    same channel again; with a message unacknowledged (an ETA/countdown task, or a running acks-late task) the
    channel tries to restore it through the cleared client and raises `AttributeError: 'NoneType' object has no
    attribute 'hostname'`. Celery's `ignore_errors` only ignores connection errors, so the worker stopped for good
    with "Unrecoverable error". The same cleared client broke the acknowledgement of a task that was running
    during the outage and finished after it, once the worker had reconnected.

    Here the AttributeError of the close is logged and the consumer reconnects as usual, and the transport gets
    its client back, so a task that finishes later is acknowledged in the Redis that is back (or, if Redis is
    still down, fails with the connection error Celery expects and logs). See docs/reliability.md.
    """

    def on_connection_error_after_connected(self, exc):
        connection = self.connection
        transport = connection.transport if connection is not None else None
        try:
            super().on_connection_error_after_connected(exc)
        except AttributeError:
            # The rest of Celery's handler only matters with worker_cancel_long_running_tasks_on_connection_loss,
            # which this project leaves off (a running recompute finishes; see docs/reliability.md).
            logger.warning(
                "Closing the lost broker connection failed (kombu's half-closed Redis channel); reconnecting.",
                exc_info=True,
            )
        finally:
            if transport is not None and transport.client is None:
                transport.client = connection


app = Celery("regional")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
