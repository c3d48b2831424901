from django.apps import AppConfig


class RegionalConfig(AppConfig):
    name = "regional"
    verbose_name = "Reference data and schedule"

    def ready(self):
        # Connects the audit log to Django's and django-axes' authentication signals (see regional.security).
        from regional import security  # noqa: F401

        # Tells administrators when a Celery job fails (see regional.notifications.signals).
        from regional.notifications import signals  # noqa: F401

        # Registers the search's name skeleton as an SQL function on SQLite connections.
        from regional.search import skeleton  # noqa: F401
