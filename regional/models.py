"""Reference data (provinces, counties), the 20x10 programme schedule and the users who work with it."""

import calendar
import functools

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def reads_korean() -> bool:
    """Whether the current request's language is Korean (place names are then shown in Korean)."""
    return (get_language() or "").startswith("ko")


class Province(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        DIRECTLY_GOVERNED_CITY = "directly governed city", _("directly governed city")
        SPECIAL_CITY = "special city", _("special city")

    code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    kind_ko = models.CharField(max_length=20, blank=True)
    capital_en = models.CharField(max_length=80, blank=True)
    capital_ko = models.CharField(max_length=80, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=1, null=True, blank=True)
    population_2008 = models.PositiveIntegerField(_("population (2008)"), null=True, blank=True)
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(area_km2__gte=0), name="province_area_non_negative"),
        ]

    def __str__(self) -> str:
        # In the reader's language, like the rest of the page; exports and the API use the English name field.
        return self.name_ko if reads_korean() and self.name_ko else self.name_en


class County(models.Model):
    """A second-level unit. Only cities and counties are in the programme's scope."""

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        WARD = "ward", _("ward")
        DISTRICT = "district", _("district")
        AREA = "area", _("area")

    PROGRAMME_KINDS = (Kind.CITY, Kind.COUNTY)

    slug = models.SlugField(_("stable identifier"), max_length=80, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="counties")
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_ko = models.CharField(_("name (Korean)"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    kind_ko = models.CharField(max_length=10, blank=True)
    parent_city = models.CharField(max_length=80, blank=True)
    population_2008 = models.PositiveIntegerField(_("population (2008)"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    longitude = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    ocha_2019_id = models.CharField(max_length=20, blank=True)
    census2008_name_ko = models.CharField(max_length=80, blank=True)
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["province__code", "name_en"]
        verbose_name_plural = "counties"
        constraints = [
            models.UniqueConstraint(fields=["province", "name_en", "kind"], name="county_unique_name_in_province"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=37, latitude__lte=43.5),
                name="county_latitude_in_korea",
            ),
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        # The Korean name carries its kind already (성천군); the English one gets it spelled out (Songchon county).
        return self.name_ko if reads_korean() and self.name_ko else f"{self.name_en} {county_kind_label(self.kind)}"

    @property
    def is_in_programme_scope(self) -> bool:
        return self.kind in self.PROGRAMME_KINDS


def county_kind_label(kind: str) -> str:
    """The kind's label in the active language, translated once per kind and language: `get_kind_display()` built
    the choices' dict and looked the translation up on every call, ~70 µs a county in a 244-county select
    (bench, pages)."""
    return _county_kind_label(kind, get_language() or "")


@functools.lru_cache(maxsize=128)
def _county_kind_label(kind: str, language: str) -> str:
    with translation.override(language or None):
        return str(dict(County.Kind.choices).get(kind, kind))


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")


def format_partial_date(value, precision: str) -> str:
    """'2024-03' is shown as March 2024, a missing date as 'not reported', never a guessed day.

    Korean readers expect year-month-day order ("2024년 3월"), so the order follows the active language.
    """
    if value is None:
        return str(_("not reported"))
    if (get_language() or "").startswith("ko"):
        if precision == DatePrecision.MONTH:
            return f"{value.year}년 {value.month}월"
        return f"{value.year}년 {value.month}월 {value.day}일"
    month_name = calendar.month_name[value.month]
    if precision == DatePrecision.MONTH:
        return f"{month_name} {value.year}"
    return f"{value.day} {month_name} {value.year}"


class ProgrammeRound(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual round")
        MODEL = "model", _("model (before the programme)")

    year = models.PositiveSmallIntegerField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    target_localities = models.PositiveSmallIntegerField(default=20)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2020, year__lte=2040), name="round_year_plausible"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class ProgrammeSlot(models.Model):
    """A county in a programme round: the factory set built there, with its dates at the known precision."""

    class Kind(models.TextChoices):
        LOCALITY = "locality", _("locality (one of the annual 20)")
        SEPARATE_PROJECT = "separate", _("separate project")
        MODEL = "model", _("model")

    programme_round = models.ForeignKey(ProgrammeRound, on_delete=models.PROTECT, related_name="slots")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="programme_slots")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOCALITY)
    groundbreaking_date = models.DateField(null=True, blank=True)
    groundbreaking_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    inauguration_date = models.DateField(null=True, blank=True)
    inauguration_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    project = models.CharField(max_length=200, blank=True)
    sources = models.TextField(blank=True, help_text=_("URLs or references, separated by ' | '."))
    notes = models.TextField(blank=True)
    # Who completed which fact, when and from what: the missing-facts page and the admin write through it.
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_round__year", "county__province__code", "county__name_en"]
        constraints = [
            # A county is built once: the programme never schedules the same county twice.
            models.UniqueConstraint(
                fields=["county"],
                name="slot_county_built_once",
                violation_error_message=_("This county already has a site: a county is built once."),
            ),
            models.CheckConstraint(
                condition=Q(groundbreaking_date__isnull=True, groundbreaking_precision="")
                | Q(groundbreaking_date__isnull=False) & ~Q(groundbreaking_precision=""),
                name="slot_groundbreaking_precision_iff_date",
                violation_error_message=_(
                    "Give the groundbreaking date together with its precision (day or month), or leave both empty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(inauguration_date__isnull=True, inauguration_precision="")
                | Q(inauguration_date__isnull=False) & ~Q(inauguration_precision=""),
                name="slot_inauguration_precision_iff_date",
                violation_error_message=_(
                    "Give the inauguration date together with its precision (day or month), or leave both empty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(groundbreaking_date__isnull=True)
                | Q(inauguration_date__isnull=True)
                | Q(inauguration_date__gte=F("groundbreaking_date")),
                name="slot_inauguration_after_groundbreaking",
                violation_error_message=_("The inauguration cannot be before the groundbreaking."),
            ),
            models.CheckConstraint(
                condition=~Q(groundbreaking_precision="month") | Q(groundbreaking_date__day=1),
                name="slot_groundbreaking_month_is_first_day",
                violation_error_message=_("A date known only to the month is stored as the first of the month."),
            ),
            models.CheckConstraint(
                condition=~Q(inauguration_precision="month") | Q(inauguration_date__day=1),
                name="slot_inauguration_month_is_first_day",
                violation_error_message=_("A date known only to the month is stored as the first of the month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_round.year}: {self.county.name_en}"

    @property
    def groundbreaking_display(self) -> str:
        return format_partial_date(self.groundbreaking_date, self.groundbreaking_precision)

    @property
    def inauguration_display(self) -> str:
        return format_partial_date(self.inauguration_date, self.inauguration_precision)

    @property
    def source_links(self) -> list[str]:
        return [part.strip() for part in self.sources.split(" | ") if part.strip()]


class User(AbstractUser):
    """A person or API client. The role and the county or province decide what they may see and do."""

    class Role(models.TextChoices):
        COUNTY_OFFICIAL = "county", _("county official")
        PROVINCIAL_OFFICIAL = "province", _("provincial official")
        ANALYST = "analyst", _("analyst")
        ADMINISTRATOR = "admin", _("programme administrator")

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ANALYST)
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_demo = models.BooleanField(default=False)
    # The language of the user's e-mails: the one they last chose for the pages (empty: the site's default).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="county") | Q(county__isnull=False, province__isnull=True),
                name="user_county_official_has_county",
            ),
            models.CheckConstraint(
                condition=~Q(role="province") | Q(province__isnull=False, county__isnull=True),
                name="user_provincial_official_has_province",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["county", "province"]) | Q(county__isnull=True, province__isnull=True),
                name="user_only_officials_have_a_unit",
            ),
        ]


class SecurityEvent(models.Model):
    """One security-relevant event: who, when (stored in UTC), from where and what. Written by
    `regional.security`, read-only for everyone (the admin shows it to administrators)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("failed sign-in")
        LOCKED_OUT = "locked_out", _("locked out after repeated failures")
        LOGOUT = "logout", _("signed out")
        SESSION_EXPIRED = "session_expired", _("session expired")
        REFUSED_FORBIDDEN = "refused_403", _("refused: action not allowed (403)")
        REFUSED_NOT_FOUND = "refused_404", _("refused: outside scope or unknown (404)")
        TOKEN_ISSUED = "token_issued", _("API token issued")
        TOKEN_USED = "token_used", _("API token used to change data")
        TOKEN_REJECTED = "token_rejected", _("API token rejected")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        USER_DEACTIVATED = "user_deactivated", _("user deactivated")
        REPORT_REOPENED = "report_reopened", _("report reopened")
        EXPORT = "export", _("data exported")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when (UTC)"), db_index=True)
    user = models.ForeignKey(
        "regional.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="security_events"
    )
    # The username as given, kept even when no such user exists (failed sign-ins) or the user is deleted.
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # Events anyone can cause without signing in (rejected tokens, failed sign-ins, lock-outs) are counted on one
    # row per kind, address and username for a window (SECURITY_EVENT_WINDOW_SECONDS), so a flood of forged
    # requests adds to a count instead of filling the table; `at` is the first, `last_at` the latest.
    count = models.PositiveIntegerField(_("times"), default=1)
    last_at = models.DateTimeField(_("last time (UTC)"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"]), models.Index(fields=["user", "at"])]
        constraints = [models.CheckConstraint(condition=models.Q(count__gte=1), name="security_event_count_positive")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} UTC {self.get_kind_display()} {self.username}"


class ReviewDocument(models.Model):
    """A review rendered to PDF by a Celery task (the national one takes a while): its progress, then the file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a worker")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    year = models.PositiveSmallIntegerField()
    period = models.CharField(max_length=5, choices=[("half", _("half-year")), ("year", _("year-end"))])
    scope = models.CharField(max_length=10, help_text=_("A province code, or 'national'."))
    language = models.CharField(max_length=5)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey("regional.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress_done__lte=F("progress_total")), name="review_progress_bounded"),
            models.CheckConstraint(condition=~Q(status="done") | Q(pdf__isnull=False), name="review_done_has_pdf"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.period} {self.scope} ({self.language})"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0


# Models kept in packages of their own, registered with this app.
from regional.notifications.models import Notification, NotificationPreference  # noqa: E402, F401
