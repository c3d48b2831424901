"""Factories, their construction, their raw-material bases, their plans and their monthly reports."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regional.models import County, ProgrammeSlot


class FactoryKind(models.TextChoices):
    FOODSTUFF = "foodstuff", _("foodstuff")
    GARMENT = "garment", _("garment")
    DAILY_NECESSITIES = "daily_necessities", _("daily necessities")
    PAPER = "paper", _("paper")
    OTHER = "other", _("other")


# Units of physical output as stored (English words, also in exports and the API), and what a page shows.
CAPACITY_UNIT_LABELS = {
    "tonnes": _("tonnes"),
    "pieces": _("pieces"),
    "pairs": _("pairs"),
    "metres": _("metres"),
    "square metres": _("square metres"),
    "litres": _("litres"),
    "sets": _("sets"),
}


class Factory(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_CONSTRUCTION = "under_construction", _("under construction")
        COMMISSIONED = "commissioned", _("commissioned")
        IN_OPERATION = "in_operation", _("in operation")

    code = models.SlugField(_("stable code"), max_length=100, unique=True, help_text=_("Used by imports."))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="factories")
    programme_slot = models.ForeignKey(
        ProgrammeSlot, on_delete=models.PROTECT, null=True, blank=True, related_name="factories"
    )
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=FactoryKind.choices)
    design_capacity = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Physical output per year the factory is designed for, in its unit."),
    )
    capacity_unit = models.CharField(_("unit of physical output"), max_length=30, default="tonnes")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    commissioned_on = models.DateField(
        null=True, blank=True, help_text=_("The factory is in operation from this month on.")
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["county__province__code", "county__name_en", "kind"]
        verbose_name_plural = "factories"
        constraints = [
            models.CheckConstraint(condition=Q(design_capacity__gte=0), name="factory_capacity_non_negative"),
            # One factory of each standard kind per programme slot; "other" plants may be several.
            models.UniqueConstraint(
                fields=["programme_slot", "kind"],
                condition=~Q(kind="other") & Q(programme_slot__isnull=False),
                name="factory_unique_kind_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(commissioned_on__isnull=True) | Q(status__in=["commissioned", "in_operation"]),
                name="factory_commissioned_date_only_when_commissioned",
            ),
            # Methodology v1.1: a factory with no commissioning date never operates, so it cannot be in operation.
            models.CheckConstraint(
                condition=~Q(status__in=["commissioned", "in_operation"]) | Q(commissioned_on__isnull=False),
                name="factory_commissioned_has_date",
                violation_error_message=_(
                    "A factory that is commissioned or in operation needs its commissioning date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def capacity_unit_label(self) -> str:
        """The unit in the reader's language (a unit the app does not know is shown as stored)."""
        return str(CAPACITY_UNIT_LABELS.get(self.capacity_unit, self.capacity_unit))


class MilestoneQuerySet(models.QuerySet):
    def with_status(self, *, today: datetime.date | None = None) -> "MilestoneQuerySet":
        """Annotate `status`, `effective_actual_date` and `status_as_of`, derived from the dates (never stored).

        The inauguration milestone takes the site's reported inauguration date when it has none of its own, so an
        inaugurated site's inauguration is met, never "overdue". After inauguration, a precondition with no
        recorded date reads "not recorded": it was evidently done, but nobody wrote down when.
        """
        today = today or timezone.localdate()
        Status = ConstructionMilestone.Status
        inaugurated = Q(programme_slot__inauguration_date__lte=today)
        effective_actual = Case(
            When(
                Q(actual_date__isnull=True, kind=ConstructionMilestone.Kind.INAUGURATION) & inaugurated,
                then=F("programme_slot__inauguration_date"),
            ),
            default=F("actual_date"),
            output_field=models.DateField(),
        )
        queryset = self.annotate(effective_actual_date=effective_actual)
        return queryset.annotate(
            status=Case(
                When(
                    Q(effective_actual_date__isnull=False)
                    & (Q(planned_date__isnull=True) | Q(effective_actual_date__lte=F("planned_date"))),
                    then=Value(Status.MET),
                ),
                When(effective_actual_date__isnull=False, then=Value(Status.MET_LATE)),
                When(inaugurated, then=Value(Status.NOT_RECORDED)),
                When(planned_date__lt=today, then=Value(Status.OVERDUE)),
                When(planned_date__isnull=False, then=Value(Status.SCHEDULED)),
                default=Value(Status.NOT_PLANNED),
                output_field=models.CharField(),
            ),
            status_as_of=Value(today, output_field=models.DateField()),
        )


class ConstructionMilestone(models.Model):
    """A precondition of a site (or of one factory): planned and actual date; the status follows from them."""

    class Kind(models.TextChoices):
        DESIGN_APPROVED = "design_approved", _("design approved")
        TRIPARTITE_AGREEMENT = "tripartite_agreement", _("tripartite agreement signed")
        SITE_CONDITIONS = "site_conditions", _("site conditions checked (power, water, transport, inhabitants)")
        MATERIALS_SUPPLIED = "materials_supplied", _("materials and equipment supplied")
        WORKERS_TRAINED = "workers_trained", _("technicians and skilled workers trained")
        RAW_MATERIAL_BASE_READY = "raw_material_base_ready", _("raw-material base ready")
        INAUGURATION = "inauguration", _("inauguration")

    class Status(models.TextChoices):
        # Ordered from most to least urgent: the board sorts by this order.
        OVERDUE = "overdue", _("overdue")
        MET_LATE = "met_late", _("met late")
        SCHEDULED = "scheduled", _("scheduled")
        NOT_PLANNED = "not_planned", _("no date planned")
        NOT_RECORDED = "not_recorded", _("not recorded")
        MET = "met", _("met")

    programme_slot = models.ForeignKey(ProgrammeSlot, on_delete=models.CASCADE, related_name="milestones")
    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    planned_date = models.DateField(null=True, blank=True)
    actual_date = models.DateField(null=True, blank=True)
    trained_headcount_planned = models.PositiveIntegerField(
        _("technicians and skilled workers to train"), null=True, blank=True
    )
    trained_headcount_actual = models.PositiveIntegerField(
        _("technicians and skilled workers trained"), null=True, blank=True
    )
    source = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["programme_slot", "planned_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_slot", "kind"],
                condition=Q(factory__isnull=True),
                name="milestone_unique_kind_per_slot",
                violation_error_message=_("This site already has this milestone."),
            ),
            models.UniqueConstraint(
                fields=["factory", "kind"],
                condition=Q(factory__isnull=False),
                name="milestone_unique_kind_per_factory",
                violation_error_message=_("This factory already has this milestone."),
            ),
            models.CheckConstraint(
                condition=Q(kind="workers_trained")
                | Q(trained_headcount_planned__isnull=True, trained_headcount_actual__isnull=True),
                name="milestone_headcount_only_for_training",
                violation_error_message=_("Only the training milestone has a headcount."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_slot}: {self.get_kind_display()}"

    @property
    def status_label(self) -> str:
        """The derived status in words (needs the `with_status` annotation)."""
        return str(self.Status(self.status).label) if getattr(self, "status", None) else ""

    @property
    def is_late(self) -> bool:
        return getattr(self, "status", None) in (self.Status.OVERDUE, self.Status.MET_LATE)

    @property
    def days_late(self) -> int | None:
        """Days past the planned date: met late, or overdue as of the annotation's day; None otherwise."""
        status = getattr(self, "status", None)
        if status == self.Status.MET_LATE:
            return (self.effective_actual_date - self.planned_date).days
        if status == self.Status.OVERDUE:
            return (self.status_as_of - self.planned_date).days
        return None


class Facility(models.Model):
    """What a site builds: factories (only these send monthly reports), a hospital, a service complex or another
    facility such as a sea-farming station. Every real facility carries the source that names it."""

    class Kind(models.TextChoices):
        FACTORIES = "factories", _("regional-industry factories (kinds not stated)")
        FOODSTUFF = "foodstuff", _("foodstuff factory")
        GARMENT = "garment", _("garment factory")
        DAILY_NECESSITIES = "daily_necessities", _("daily necessities factory")
        PAPER = "paper", _("paper mill")
        OTHER_FACTORY = "other_factory", _("other factory")
        HOSPITAL = "hospital", _("hospital")
        SERVICE_COMPLEX = "service_complex", _("service complex")
        SEA_FARMING_STATION = "sea_farming_station", _("sea-farming station")
        OTHER = "other", _("other facility")

    FACTORY_KINDS = ("factories", "foodstuff", "garment", "daily_necessities", "paper", "other_factory")

    programme_slot = models.ForeignKey(ProgrammeSlot, on_delete=models.CASCADE, related_name="facilities")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(_("name as the source gives it"), max_length=200)
    factory = models.OneToOneField(
        Factory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facility",
        help_text=_("The reporting factory, for a factory facility."),
    )
    source = models.TextField(blank=True, help_text=_("URLs or references, separated by ' | '."))
    is_from_reference_data = models.BooleanField(default=False, editable=False)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_slot", "kind", "name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.UniqueConstraint(
                fields=["programme_slot", "kind", "name"],
                name="facility_unique_per_site",
                violation_error_message=_("This site already has a facility of this kind and name."),
            ),
            models.CheckConstraint(
                condition=Q(factory__isnull=True)
                | Q(kind__in=["factories", "foodstuff", "garment", "daily_necessities", "paper", "other_factory"]),
                name="facility_only_factories_report",
                violation_error_message=_("Only a factory can be linked to a reporting factory."),
            ),
            models.CheckConstraint(
                condition=Q(is_demo=True) | ~Q(source=""),
                name="facility_real_has_source",
                violation_error_message=_("A facility needs the source that reports it."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_factory(self) -> bool:
        return self.kind in self.FACTORY_KINDS

    @property
    def source_links(self) -> list[str]:
        return [part.strip() for part in self.source.split(" | ") if part.strip()]


class SiteResponsibility(models.Model):
    """Who answers for a site, with the source that names them. Absent means "not reported"."""

    class Role(models.TextChoices):
        POLITICAL_BUREAU_MEMBER = "political_bureau_member", _("Political Bureau member in charge")
        CONSTRUCTION_UNIT = "construction_unit", _("construction unit")
        PROVINCIAL_CHIEF_SECRETARY = "provincial_chief_secretary", _("provincial chief secretary")
        COUNTY_CHIEF_SECRETARY = "county_chief_secretary", _("county chief secretary")

    programme_slot = models.ForeignKey(ProgrammeSlot, on_delete=models.CASCADE, related_name="responsibilities")
    role = models.CharField(max_length=30, choices=Role.choices)
    name = models.CharField(max_length=200)
    source = models.TextField(blank=True, help_text=_("URLs or references, separated by ' | '."))
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_slot", "role"]
        verbose_name_plural = "site responsibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["programme_slot", "role"],
                name="responsibility_one_per_role_and_site",
                violation_error_message=_("Someone already answers for this site in this role."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="responsibility_has_name"),
            models.CheckConstraint(
                condition=Q(is_demo=True) | ~Q(source=""),
                name="responsibility_real_has_source",
                violation_error_message=_("A responsible official needs the source that names them."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"

    @property
    def source_links(self) -> list[str]:
        return [part.strip() for part in self.source.split(" | ") if part.strip()]


class RawMaterialBase(models.Model):
    class Kind(models.TextChoices):
        FIELD = "field", _("field")
        ORCHARD = "orchard", _("orchard")
        FOREST = "forest", _("forest (for paper)")
        MEDICINAL = "medicinal", _("medicinal-plant plantation")
        EVODIA = "evodia", _("Korean-evodia plantation")
        LIVESTOCK = "livestock", _("livestock")
        FISHERY = "fishery", _("fishery")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="raw_material_bases")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    area_hectares = models.DecimalField(max_digits=10, decimal_places=2)
    supplies_factory_kinds = models.JSONField(default=list, blank=True)
    expected_annual_yield_tonnes = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["county", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(area_hectares__gte=0), name="base_area_non_negative"),
            models.CheckConstraint(
                condition=Q(expected_annual_yield_tonnes__gte=0), name="base_expected_yield_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RawMaterialYield(models.Model):
    base = models.ForeignKey(RawMaterialBase, on_delete=models.CASCADE, related_name="yields")
    year = models.PositiveSmallIntegerField()
    yield_tonnes = models.DecimalField(max_digits=12, decimal_places=2)
    # The base's area in that year: bases grow (Kimhwa's more than 2.5 times in two years). Empty when not reported.
    area_hectares = models.DecimalField(
        _("area (ha) that year"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["base", "year"]
        constraints = [
            models.UniqueConstraint(fields=["base", "year"], name="yield_one_per_base_and_year"),
            models.CheckConstraint(condition=Q(yield_tonnes__gte=0), name="yield_non_negative"),
            models.CheckConstraint(condition=Q(area_hectares__gte=0), name="yield_area_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.base} {self.year}"


class AnnualPlan(models.Model):
    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="annual_plans")
    year = models.PositiveSmallIntegerField()
    planned_output_value_thousand_won = models.DecimalField(max_digits=14, decimal_places=2)
    planned_physical_output = models.DecimalField(max_digits=14, decimal_places=2)
    planned_varieties = models.PositiveIntegerField()
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["factory", "year"]
        constraints = [
            models.UniqueConstraint(fields=["factory", "year"], name="plan_one_per_factory_and_year"),
            models.CheckConstraint(
                condition=Q(planned_output_value_thousand_won__gte=0, planned_physical_output__gte=0),
                name="plan_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factory} {self.year}"


class MonthlyPlan(models.Model):
    """An entered monthly split of an annual plan; months without one get a twelfth of the year."""

    annual_plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="monthly_plans")
    month_number = models.PositiveSmallIntegerField()
    planned_output_value_thousand_won = models.DecimalField(max_digits=14, decimal_places=2)
    planned_physical_output = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["annual_plan", "month_number"]
        constraints = [
            models.UniqueConstraint(fields=["annual_plan", "month_number"], name="monthly_plan_one_per_month"),
            models.CheckConstraint(
                condition=Q(month_number__gte=1, month_number__lte=12), name="monthly_plan_month_1_to_12"
            ),
            models.CheckConstraint(
                condition=Q(planned_output_value_thousand_won__gte=0, planned_physical_output__gte=0),
                name="monthly_plan_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.annual_plan} month {self.month_number}"


class MonthlyReport(models.Model):
    """What a factory produced in one month. One per factory and month; draft → submitted → approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")

    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="reports")
    month = models.DateField(help_text=_("The first day of the reported month."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    output_value_thousand_won = models.DecimalField(max_digits=14, decimal_places=2)
    physical_output = models.DecimalField(max_digits=14, decimal_places=2)
    varieties_produced = models.PositiveIntegerField()
    raw_material_used_tonnes = models.DecimalField(max_digits=12, decimal_places=2)
    raw_material_from_own_bases_tonnes = models.DecimalField(max_digits=12, decimal_places=2)
    days_worked = models.PositiveSmallIntegerField()
    workers_on_roll = models.PositiveIntegerField()
    comment = models.TextField(blank=True)
    warnings_acknowledged = models.BooleanField(default=False)
    return_reason = models.TextField(blank=True)
    # Set by an administrator's audited reopening: the county may edit it although its month has closed,
    # until it is approved again.
    is_reopened = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: every write bumps it; a write carrying an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-month", "factory"]
        constraints = [
            models.UniqueConstraint(fields=["factory", "month"], name="report_one_per_factory_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(
                    output_value_thousand_won__gte=0,
                    physical_output__gte=0,
                    raw_material_used_tonnes__gte=0,
                    raw_material_from_own_bases_tonnes__gte=0,
                ),
                name="report_figures_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(raw_material_from_own_bases_tonnes__lte=F("raw_material_used_tonnes")),
                name="report_own_raw_material_within_used",
            ),
            models.CheckConstraint(condition=Q(days_worked__lte=31), name="report_days_worked_at_most_31"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False, first_submitted_at__isnull=False),
                name="report_approved_has_approval_and_submission",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="report_returned_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "status"]),
            models.Index(fields=["status", "submitted_at"]),
            # What plausibility warnings are measured against (a factory's approved output values of the 12
            # months before a report's): read from the index alone, for each of the ~1,600 reports of a large
            # province's review queue (bench, pages). All key columns, so it works as well on SQLite.
            models.Index(
                fields=["factory", "month", "output_value_thousand_won"],
                condition=Q(status="approved"),
                name="report_approved_history",
            ),
            # The pivot explorer's statement (`factories.analysis.pivot`): a year's approved reports with every
            # column it reads for any measure, so PostgreSQL answers from the index alone instead of visiting
            # the table's pages (the default view, ~178,000 reports at stress scale: 125 ms instead of 160).
            # Index-only as far as the visibility map is current (autovacuum; the bench runs VACUUM ANALYZE).
            # All key columns, so SQLite can cover it too.
            models.Index(
                fields=[
                    "month",
                    "factory",
                    "is_demo",
                    "output_value_thousand_won",
                    "varieties_produced",
                    "raw_material_from_own_bases_tonnes",
                    "raw_material_used_tonnes",
                ],
                condition=Q(status="approved"),
                name="report_approved_pivot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factory} {self.month:%Y-%m}"


class ReportEvent(models.Model):
    """A recorded workflow event on a report: who did what, when, and why."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")
        REOPENED = "reopened", _("reopened")
        RECALLED = "recalled", _("recalled")

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["returned", "reopened"]) | ~Q(reason=""),
                name="event_return_and_reopen_have_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


class LateEntryGrant(models.Model):
    """An administrator's permission to enter the report of a month whose entry period closed with no report at
    all (a report that exists is reopened instead). The report, once saved, is a reopened report: it counts as
    late in the standings, and its timeline starts with this decision."""

    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="late_entry_grants")
    month = models.DateField(help_text=_("The first day of the month."))
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["factory", "month"], name="late_entry_one_per_factory_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="late_entry_month_is_first_day"),
            models.CheckConstraint(condition=~Q(reason=""), name="late_entry_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.factory} {self.month:%Y-%m}"


class ReportImport(models.Model):
    """An uploaded CSV of monthly reports: kept so the dry run and the commit see the same file, and so
    every import can be traced to who uploaded it and when."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    content = models.TextField()
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    committed_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class ReportExport(models.Model):
    """A large export written in the background: its requester downloads the file until it expires.

    The filters are kept as the list's query string and applied again, in the requester's scope, by the
    worker: the file holds exactly what the page would have streamed."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being written")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    query = models.CharField(max_length=2000, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_expected = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(finished_at__isnull=False)),
                name="report_export_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} export {self.pk} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, self.rows_written * 100 // self.rows_expected)
