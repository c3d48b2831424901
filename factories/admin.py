"""Admin for factories, construction milestones and raw-material bases (foundation), plus reports and plans."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from factories.models import ConstructionMilestone, Factory, RawMaterialBase, RawMaterialYield
from regional import scoping

# --- foundation: factories, milestones, raw-material bases ---------------------------------------------


class ConstructionMilestoneInline(admin.TabularInline):
    model = ConstructionMilestone
    fk_name = "factory"
    extra = 0
    fields = ("programme_slot", "kind", "planned_date", "actual_date", "status", "is_demo")
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
    list_display = ("programme_slot", "factory", "kind", "planned_date", "actual_date", "status", "is_demo")
    list_editable = ("planned_date", "actual_date", "status")
    list_filter = ("status", "kind", "is_demo", "programme_slot__programme_round")
    search_fields = ("programme_slot__county__name_en", "factory__name")
    list_select_related = ("programme_slot__programme_round", "programme_slot__county", "factory")
    autocomplete_fields = ("programme_slot", "factory")
    date_hierarchy = "planned_date"

    def get_queryset(self, request):
        return scoping.visible_milestones(request.user).select_related(
            "programme_slot__programme_round", "programme_slot__county", "factory"
        )


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
