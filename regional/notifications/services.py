"""Writes: create notifications once, mark them read, keep preferences, send the e-mails."""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone, translation

from regional.models import User
from regional.notifications.kinds import KIND_RULES
from regional.notifications.models import Channel, Notification, NotificationPreference
from regional.notifications.texts import notification_title

logger = logging.getLogger(__name__)

# After this many failed attempts an e-mail is left as failed (the notification stays in the inbox).
EMAIL_MAX_ATTEMPTS = 5


def _channels(users: list[User], kind: str) -> dict[int, str]:
    chosen = dict(NotificationPreference.objects.filter(user__in=users, kind=kind).values_list("user_id", "channel"))
    default = KIND_RULES[kind].default_channel
    return {user.pk: chosen.get(user.pk, default) for user in users}


@dataclass(frozen=True)
class Message:
    """One subject to tell its recipients about (see `notify_each`)."""

    recipients: Iterable[User]
    subject_key: str
    params: dict
    url: str = ""


def notify(*, recipients: Iterable[User], kind: str, subject_key: str, params: dict, url: str = "") -> int:
    """Tell each recipient once about `subject_key`: a second call with the same kind and subject (beat running
    twice, a retried task) adds nothing, whatever the interleaving (the database's unique constraint decides).
    E-mails are sent after the surrounding transaction commits. Returns how many notifications were new."""
    return notify_each(
        kind=kind, messages=[Message(recipients=recipients, subject_key=subject_key, params=params, url=url)]
    )


def notify_each(*, kind: str, messages: Sequence[Message]) -> int:
    """`notify` for many subjects of one kind at once (a bulk approval tells each county about each of its
    reports) in the same few queries whatever the number of messages: once per recipient, kind and subject,
    e-mails after commit. Returns how many notifications were new."""
    deliveries = [(message, user) for message in messages for user in message.recipients if user.is_active]
    if not deliveries:
        return 0
    channels = _channels(list({user.pk: user for _, user in deliveries}.values()), kind)
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            subject_key=message.subject_key,
            params=message.params,
            url=message.url,
            created_at=now,
            email_status=(
                Notification.EmailStatus.PENDING
                if channels[user.pk] == Channel.EMAIL and user.email
                else Notification.EmailStatus.NOT_WANTED
            ),
        )
        for message, user in deliveries
        if channels[user.pk] != Channel.OFF
    ]
    if not rows:
        return 0
    subjects = Notification.objects.filter(kind=kind, subject_key__in={row.subject_key for row in rows})
    before = subjects.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = subjects.count() - before
    if any(row.email_status == Notification.EmailStatus.PENDING for row in rows):
        transaction.on_commit(_enqueue_emails)
    return created


def _enqueue_emails() -> None:
    from regional.tasks import notification_emails_send_task

    try:
        notification_emails_send_task.delay()
    except Exception:
        logger.warning("Could not enqueue notification e-mails; beat's sweep will send them", exc_info=True)


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, user: User, channels: dict[str, str], language: str | None = None) -> None:
    """Keep the user's choice per kind (a choice equal to the default is stored too: it is what they chose)."""
    for kind, channel in channels.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
    if language is not None and language != user.language:
        user.language = language
        user.save(update_fields=["language"])


def user_language_remember(*, user: User, language: str) -> None:
    """The language a user chose for the pages is also the language of their e-mails."""
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def _email_body(notification: Notification) -> tuple[str, str]:
    title = notification_title(notification.kind, notification.params)
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else settings.SITE_URL
    body = "\n\n".join(
        [
            title,
            link,
            translation.gettext("Choose what you are told, and how: %(url)s")
            % {"url": f"{settings.SITE_URL.rstrip('/')}/notifications/preferences/"},
        ]
    )
    return title, body


def notification_emails_send(*, limit: int = 200) -> int:
    """Send the pending e-mails, each at most once: a row is claimed (committed as `sending`) before the mail
    goes out, so two workers never send the same one. Returns how many were sent."""
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(email_status=Notification.EmailStatus.PENDING)
            .select_related("recipient")
            .order_by("pk")[:limit]
        )
        Notification.objects.filter(pk__in=[row.pk for row in claimed]).update(
            email_status=Notification.EmailStatus.SENDING
        )
    if not claimed:
        return 0
    sent = 0
    connection = mailers.default
    for notification in claimed:
        language = notification.recipient.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = _email_body(notification)
        message = EmailMessage(
            subject=f"[Regional] {subject}"[:200].replace("\n", " "),
            body=body,
            to=[notification.recipient.email],
            headers={"Content-Language": language},
        )
        try:
            connection.send_messages([message])
        except Exception:
            logger.warning("Sending notification %s failed", notification.pk, exc_info=True)
            attempts = notification.email_attempts + 1
            status = (
                Notification.EmailStatus.FAILED if attempts >= EMAIL_MAX_ATTEMPTS else Notification.EmailStatus.PENDING
            )
            Notification.objects.filter(pk=notification.pk).update(email_status=status, email_attempts=attempts)
            continue
        Notification.objects.filter(pk=notification.pk).update(
            email_status=Notification.EmailStatus.SENT,
            emailed_at=timezone.now(),
            email_attempts=notification.email_attempts + 1,
        )
        sent += 1
    return sent


def notification_emails_release_stuck(*, older_than_minutes: int = 30) -> int:
    """A worker killed between claim and send leaves rows `sending`; give them back after a while. (At most one
    duplicate mail in that rare case, never a lost one.)"""
    threshold = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    return Notification.objects.filter(email_status=Notification.EmailStatus.SENDING, created_at__lt=threshold).update(
        email_status=Notification.EmailStatus.PENDING
    )
