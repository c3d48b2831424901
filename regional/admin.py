"""Admin for the reference data, the programme schedule and the users."""

import datetime

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from regional import scoping
from regional.admin_mixins import ReadOnlyAdminMixin
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province, SecurityEvent, User
from regional.security import user_deactivate


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ko", "kind", "area_km2", "population_2008", "county_count")
    list_filter = ("kind",)
    search_fields = ("code", "name_en", "name_ko")
    ordering = ("code",)

    def get_queryset(self, request):
        # One query for the list: the county count is aggregated, not counted per row.
        return scoping.visible_provinces(request.user).annotate(county_total=Count("counties"))

    @admin.display(description=_("counties"), ordering="county_total")
    def county_count(self, province: Province) -> int:
        return province.county_total


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ko", "kind", "province", "population_2008", "slug")
    list_filter = ("kind", "province")
    search_fields = ("name_en", "name_ko", "slug")
    list_select_related = ("province",)
    readonly_fields = ("slug",)

    def get_queryset(self, request):
        return scoping.visible_counties(request.user).select_related("province")

    def get_readonly_fields(self, request, obj=None):
        # The slug is the stable key imports match on; it is set once, on creation.
        return ("slug",) if obj else ()


class ProgrammeSlotInline(admin.TabularInline):
    model = ProgrammeSlot
    extra = 0
    fields = (
        "county",
        "kind",
        "groundbreaking_date",
        "groundbreaking_precision",
        "inauguration_date",
        "inauguration_precision",
    )
    autocomplete_fields = ("county",)


@admin.register(ProgrammeRound)
class ProgrammeRoundAdmin(admin.ModelAdmin):
    list_display = ("year", "kind", "target_localities", "slot_count")
    list_filter = ("kind",)
    inlines = (ProgrammeSlotInline,)

    def get_queryset(self, request):
        return scoping.visible_programme_rounds(request.user).annotate(slot_total=Count("slots"))

    @admin.display(description=_("scheduled"), ordering="slot_total")
    def slot_count(self, programme_round: ProgrammeRound) -> int:
        return programme_round.slot_total


@admin.register(ProgrammeSlot)
class ProgrammeSlotAdmin(admin.ModelAdmin):
    list_display = (
        "county",
        "province_name",
        "programme_round",
        "kind",
        "groundbreaking_date",
        "groundbreaking_precision",
        "inauguration_date",
        "inauguration_precision",
    )
    list_editable = (
        "groundbreaking_date",
        "groundbreaking_precision",
        "inauguration_date",
        "inauguration_precision",
    )
    list_filter = ("programme_round", "kind", "county__province", "groundbreaking_precision", "inauguration_precision")
    search_fields = ("county__name_en", "county__name_ko", "project", "sources", "notes")
    list_select_related = ("county__province", "programme_round")
    autocomplete_fields = ("county",)
    fieldsets = (
        (None, {"fields": ("programme_round", "county", "kind", "project")}),
        (
            _("Dates (at the precision the source gives)"),
            {
                "fields": (
                    ("groundbreaking_date", "groundbreaking_precision"),
                    ("inauguration_date", "inauguration_precision"),
                ),
                "description": _(
                    "A date known only to the month is entered as the first of the month with precision "
                    "'month'. Leave both empty when the source does not report it."
                ),
            },
        ),
        (_("Sources"), {"fields": ("sources", "notes")}),
    )

    def get_queryset(self, request):
        return scoping.visible_programme_slots(request.user).select_related("county__province", "programme_round")

    @admin.display(description=_("province"), ordering="county__province__code")
    def province_name(self, slot: ProgrammeSlot) -> str:
        return slot.county.province.name_en


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "county", "province", "is_demo", "is_active", "is_staff")
    list_filter = ("role", "is_demo", "is_active", "is_staff", "province")
    list_select_related = ("county", "province")
    autocomplete_fields = ("county", "province")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "county", "province", "is_demo")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "county", "province", "is_demo")}),
    )

    @admin.display(description=_("name"))
    def get_full_name(self, user: User) -> str:
        return user.get_full_name()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Unticking "active" must end the user's sessions and revoke their API token, not just block sign-in.
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivate(user=obj, deactivated_by=request.user, request=request)

    @admin.action(description=_("Deactivate the selected users (ends their sessions, revokes their tokens)"))
    def deactivate_users(self, request, queryset):
        for user in queryset.filter(is_active=True):
            user_deactivate(user=user, deactivated_by=request.user, request=request)

    actions = ("deactivate_users",)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log, read-only: nobody adds, edits or deletes an event, administrators read it."""

    list_display = ("at_utc", "kind", "count", "username", "ip_address", "method", "path", "status_code", "detail")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address", "path", "detail")
    date_hierarchy = "at"
    list_select_related = ("user",)
    readonly_fields = [field.name for field in SecurityEvent._meta.fields]

    @admin.display(description=_("when (UTC)"), ordering="at")
    def at_utc(self, event: SecurityEvent) -> str:
        return event.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")

    def has_module_permission(self, request):
        return scoping.is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return scoping.is_administrator(request.user)
