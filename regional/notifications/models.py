"""The inbox and the per-kind preferences. Registered with the `regional` app through `regional.models`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DEADLINE_APPROACHING = "deadline_approaching", _("entry deadline approaching")
    MONTH_CLOSED_MISSING = "month_closed_missing", _("month closed with reports missing")
    REPORT_RETURNED = "report_returned", _("report returned")
    REPORT_APPROVED = "report_approved", _("report approved")
    REVIEW_DIGEST = "review_digest", _("daily digest of the review queue")
    LATE_ENTRY_ALLOWED = "late_entry_allowed", _("late entry allowed")
    STANDINGS_PUBLISHED = "standings_published", _("standings published")
    JOB_FAILED = "job_failed", _("recompute or scheduled job failed")


class Channel(models.TextChoices):
    EMAIL = "email", _("in the inbox and by e-mail")
    IN_APP = "in_app", _("in the inbox only")
    OFF = "off", _("off")


class Notification(models.Model):
    """One thing a user is told. The text is rendered at read time in the reader's language from `params`."""

    class EmailStatus(models.TextChoices):
        NOT_WANTED = "", _("not sent by e-mail")
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    # What it is about, e.g. "county:12:2026-11-01": one notification per recipient, kind and subject.
    subject_key = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, blank=True, default="")
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key"], name="notification_once_per_recipient_kind_subject"
            ),
            models.CheckConstraint(condition=~Q(subject_key=""), name="notification_subject_key_not_empty"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_status"], name="notification_email_idx", condition=~Q(email_status="")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.subject_key})"


class NotificationPreference(models.Model):
    """A user's choice for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"
