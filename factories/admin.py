"""Admin for factories, construction milestones and raw-material bases (foundation), plus reports and plans."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from factories.models import (
    AnnualPlan,
    ConstructionMilestone,
    Facility,
    Factory,
    LateEntryGrant,
    MonthlyPlan,
    MonthlyReport,
    RawMaterialBase,
    RawMaterialYield,
    ReportEvent,
    ReportImport,
    SiteResponsibility,
)
from regional import scoping
from regional.admin import DateOnlyAdminWidget
from regional.admin_mixins import ReadOnlyAdminMixin

# --- foundation: factories, milestones, raw-material bases ---------------------------------------------


class ConstructionMilestoneInline(admin.TabularInline):
    formfield_overrides = {models.DateField: {"widget": DateOnlyAdminWidget}}
    model = ConstructionMilestone
    fk_name = "factory"
    extra = 0
    fields = ("programme_slot", "kind", "planned_date", "actual_date", "is_demo")
    autocomplete_fields = ("programme_slot",)


@admin.register(Factory)
class FactoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "county",
        "province_name",
        "kind",
        "design_capacity",
        "capacity_unit",
        "status",
        "commissioned_on",
        "is_demo",
    )
    list_filter = ("kind", "status", "is_demo", "county__province")
    search_fields = ("name", "code", "county__name_en", "county__name_ko")
    list_select_related = ("county__province",)
    autocomplete_fields = ("county", "programme_slot")
    inlines = (ConstructionMilestoneInline,)

    def get_queryset(self, request):
        return scoping.visible_factories(request.user).select_related("county__province")

    @admin.display(description=_("province"), ordering="county__province__name_en")
    def province_name(self, factory: Factory) -> str:
        return factory.county.province.name_en


@admin.register(ConstructionMilestone)
class ConstructionMilestoneAdmin(admin.ModelAdmin):
    list_display = ("programme_slot", "factory", "kind", "planned_date", "actual_date", "status_display", "is_demo")
    list_editable = ("planned_date", "actual_date")
    list_filter = ("kind", "is_demo", "programme_slot__programme_round")
    search_fields = ("programme_slot__county__name_en", "factory__name")
    list_select_related = ("programme_slot__programme_round", "programme_slot__county", "factory")
    autocomplete_fields = ("programme_slot", "factory")
    date_hierarchy = "planned_date"
    formfield_overrides = {models.DateField: {"widget": DateOnlyAdminWidget}}

    def get_queryset(self, request):
        return scoping.visible_milestones(request.user).select_related(
            "programme_slot__programme_round", "programme_slot__county", "factory"
        )

    @admin.display(description=_("status (from the dates)"), ordering="status")
    def status_display(self, milestone: ConstructionMilestone) -> str:
        return milestone.status_label


class RawMaterialYieldInline(admin.TabularInline):
    model = RawMaterialYield
    extra = 0
    fields = ("year", "yield_tonnes", "is_demo")


@admin.register(RawMaterialBase)
class RawMaterialBaseAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "kind", "area_hectares", "expected_annual_yield_tonnes", "is_demo")
    list_filter = ("kind", "is_demo", "county__province")
    search_fields = ("name", "county__name_en", "county__name_ko")
    list_select_related = ("county",)
    autocomplete_fields = ("county",)
    inlines = (RawMaterialYieldInline,)

    def get_queryset(self, request):
        return scoping.visible_raw_material_bases(request.user).select_related("county")


# --- operational data: monthly reports, report events, annual plans ---------------------------------------


class MonthlyPlanInline(admin.TabularInline):
    model = MonthlyPlan
    extra = 0
    fields = ("month_number", "planned_output_value_thousand_won", "planned_physical_output")


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = (
        "factory",
        "year",
        "planned_output_value_thousand_won",
        "planned_physical_output",
        "planned_varieties",
        "is_demo",
    )
    list_filter = ("year", "is_demo", "factory__kind", "factory__county__province")
    search_fields = ("factory__name", "factory__code", "factory__county__name_en")
    list_select_related = ("factory",)
    autocomplete_fields = ("factory",)
    inlines = (MonthlyPlanInline,)

    def get_queryset(self, request):
        return scoping.visible_annual_plans(request.user).select_related("factory")


@admin.register(MonthlyPlan)
class MonthlyPlanAdmin(admin.ModelAdmin):
    list_display = ("annual_plan", "month_number", "planned_output_value_thousand_won", "planned_physical_output")
    list_filter = ("annual_plan__year", "month_number")
    search_fields = ("annual_plan__factory__name", "annual_plan__factory__code")
    list_select_related = ("annual_plan__factory",)
    autocomplete_fields = ("annual_plan",)

    def get_queryset(self, request):
        plans = scoping.visible_annual_plans(request.user)
        return MonthlyPlan.objects.filter(annual_plan__in=plans).select_related("annual_plan__factory")


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: reports change only through the audited workflow (entry, review, reopening with a reason),
    which the report page in the app offers, so that no edit escapes the history and the events."""

    list_display = ("factory", "month", "status", "output_value_thousand_won", "first_submitted_at", "is_demo")
    list_filter = ("status", "is_reopened", "is_demo", "factory__kind", "factory__county__province")
    search_fields = ("factory__name", "factory__code", "factory__county__name_en")
    list_select_related = ("factory",)
    date_hierarchy = "month"
    inlines = (ReportEventInline,)

    def get_queryset(self, request):
        return scoping.visible_reports(request.user).select_related("factory")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in MonthlyReport._meta.fields]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves the historical version on POST whatever the permissions: that is a silent
        # revert of a report. The history is for reading; corrections go through reopening.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("open in the app"))
    def view_on_site(self, obj):
        return reverse("reports:report_detail", args=[obj.pk])


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("report", "kind", "actor", "at")
    list_filter = ("kind",)
    search_fields = ("report__factory__name", "report__factory__code", "reason")
    list_select_related = ("report__factory", "actor")
    date_hierarchy = "at"

    def get_queryset(self, request):
        return ReportEvent.objects.filter(report__in=scoping.visible_reports(request.user)).select_related(
            "report__factory", "actor"
        )

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ReportEvent._meta.fields]


@admin.register(LateEntryGrant)
class LateEntryGrantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Granted from the completeness page (so that the decision is checked and logged); listed here."""

    list_display = ("factory", "month", "granted_by", "granted_at")
    search_fields = ("factory__name", "factory__code", "reason")
    list_select_related = ("factory", "granted_by")
    date_hierarchy = "granted_at"

    def get_queryset(self, request):
        return LateEntryGrant.objects.filter(factory__in=scoping.visible_factories(request.user))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in LateEntryGrant._meta.fields]


@admin.register(ReportImport)
class ReportImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "uploaded_by", "uploaded_at", "row_count", "created_count", "updated_count")
    list_select_related = ("uploaded_by",)
    exclude = ("content",)

    def get_queryset(self, request):
        return scoping.visible_report_imports(request.user).select_related("uploaded_by")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ReportImport._meta.fields if field.name != "content"]

    def has_add_permission(self, request):
        return False


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "programme_slot", "factory", "is_from_reference_data", "is_demo")
    list_filter = ("kind", "is_from_reference_data", "is_demo", "programme_slot__programme_round")
    search_fields = ("name", "programme_slot__county__name_en", "source")
    list_select_related = ("programme_slot__programme_round", "programme_slot__county", "factory")
    autocomplete_fields = ("programme_slot", "factory")

    def get_queryset(self, request):
        return scoping.visible_facilities(request.user).select_related(
            "programme_slot__programme_round", "programme_slot__county", "factory"
        )


@admin.register(SiteResponsibility)
class SiteResponsibilityAdmin(SimpleHistoryAdmin):
    list_display = ("programme_slot", "role", "name", "is_demo")
    list_filter = ("role", "is_demo", "programme_slot__programme_round")
    search_fields = ("name", "programme_slot__county__name_en", "source")
    list_select_related = ("programme_slot__programme_round", "programme_slot__county")
    autocomplete_fields = ("programme_slot",)

    def get_queryset(self, request):
        return scoping.visible_site_responsibilities(request.user).select_related(
            "programme_slot__programme_round", "programme_slot__county"
        )
