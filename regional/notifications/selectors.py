"""Reads: a user's inbox and their preferences. Every queryset starts in `regional.scoping`."""

from django.db.models import QuerySet

from regional import scoping
from regional.notifications.models import Notification, NotificationPreference
from regional.notifications.texts import notification_title


def inbox(*, user) -> QuerySet[Notification]:
    return scoping.visible_notifications(user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return scoping.visible_notifications(user).filter(read_at__isnull=True).count()


def with_titles(notifications) -> list[Notification]:
    """Attach each notification's text in the active language (no query: the params carry the names)."""
    rows = list(notifications)
    for row in rows:
        row.title = notification_title(row.kind, row.params)
    return rows


def preferences(*, user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
