"""Admin for the reference data, the programme schedule and the users."""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from regional import scoping
from regional.admin_mixins import ReadOnlyAdminMixin
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province, SecurityEvent, User
from regional.security import user_deactivate
from regional.sites.forms import parse_partial_date_input, partial_date_input


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


class DateOnlyAdminWidget(AdminDateWidget):
    """The admin's calendar widget without the time-zone note, which only makes sense for a date and time."""

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs={"class": "vDateField date-only", "size": "10", **(attrs or {})}, format=format)

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-date-only.js"])


class ProgrammeSlotAdminForm(forms.ModelForm):
    """Dates at the precision the source gives, typed as the source gives them: 2024-03-06, or 2024-03 for a
    month. The precision follows from what is typed, so the two can never disagree."""

    groundbreaking = forms.CharField(
        label=_("Groundbreaking"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, or YYYY-MM when the source gives only the month; empty when not reported."),
    )
    inauguration = forms.CharField(
        label=_("Inauguration"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, or YYYY-MM when the source gives only the month; empty when not reported."),
    )

    class Meta:
        model = ProgrammeSlot
        fields = ("programme_round", "county", "kind", "project", "sources", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for fact in ("groundbreaking", "inauguration"):
                self.initial[fact] = partial_date_input(
                    getattr(self.instance, f"{fact}_date"), getattr(self.instance, f"{fact}_precision")
                )

    def _clean_partial(self, fact: str):
        value, precision = parse_partial_date_input(self.cleaned_data.get(fact, ""))
        setattr(self.instance, f"{fact}_date", value)
        setattr(self.instance, f"{fact}_precision", precision)
        return self.cleaned_data.get(fact, "")

    def clean_groundbreaking(self):
        return self._clean_partial("groundbreaking")

    def clean_inauguration(self):
        return self._clean_partial("inauguration")

    def clean(self):
        # The date constraints name fields this form does not carry, so the model form would skip them and the
        # database would answer with its constraint name: check them here and say it in a sentence.
        data = super().clean()
        slot = self.instance
        if slot.groundbreaking_date and slot.inauguration_date and slot.inauguration_date < slot.groundbreaking_date:
            raise forms.ValidationError(_("The inauguration cannot be before the groundbreaking."))
        return data


class ProgrammeSlotInline(admin.TabularInline):
    model = ProgrammeSlot
    form = ProgrammeSlotAdminForm
    extra = 0
    fields = ("county", "kind", "groundbreaking", "inauguration")
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
    form = ProgrammeSlotAdminForm
    list_display = ("county", "province_name", "programme_round", "kind", "groundbreaking", "inauguration")
    list_filter = ("programme_round", "kind", "county__province", "groundbreaking_precision", "inauguration_precision")
    search_fields = ("county__name_en", "county__name_ko", "project", "sources", "notes")
    list_select_related = ("county__province", "programme_round")
    autocomplete_fields = ("county",)
    fieldsets = (
        (None, {"fields": ("programme_round", "county", "kind", "project")}),
        (
            _("Dates (at the precision the source gives)"),
            {
                "fields": ("groundbreaking", "inauguration"),
                "description": _(
                    "Type a date as the source gives it: 2024-03-06, or 2024-03 when only the month is known. "
                    "Leave it empty when the source does not report it, and add the source below."
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

    @admin.display(description=_("groundbreaking"), ordering="groundbreaking_date")
    def groundbreaking(self, slot: ProgrammeSlot) -> str:
        return slot.groundbreaking_display

    @admin.display(description=_("inauguration"), ordering="inauguration_date")
    def inauguration(self, slot: ProgrammeSlot) -> str:
        return slot.inauguration_display


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
