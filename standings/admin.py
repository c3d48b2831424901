"""Admin of the standings: methodology versions (a change is a new version), immutable runs, recompute requests."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from regional import scoping
from regional.admin_mixins import ReadOnlyAdminMixin
from standings.models import Indicator, Methodology, RecomputeRequest, StandingsRun
from standings.services import (
    methodology_create,
    methodology_current,
    methodology_validate,
    standings_recompute_requested,
)

WEIGHT_FIELDS = [f"weight_{indicator}" for indicator in Indicator.values]


def _request_recompute(modeladmin, request, years: list[int]) -> None:
    with transaction.atomic():
        for year in years:
            standings_recompute_requested(year=year, trigger=StandingsRun.Trigger.MANUAL, user=request.user)
    links = format_html(
        ", ".join('<a href="{}?year={}">{}</a>' for _year in years),
        *[part for year in years for part in (reverse("standings:runs"), year, year)],
    )
    modeladmin.message_user(
        request,
        format_html(
            "{} {}",
            ngettext(
                "Recompute requested for %(count)d year; follow its progress on the run history:",
                "Recompute requested for %(count)d years; follow their progress on the run history:",
                len(years),
            )
            % {"count": len(years)},
            links,
        ),
        messages.SUCCESS,
    )


class MethodologyForm(forms.ModelForm):
    class Meta:
        model = Methodology
        fields = (*WEIGHT_FIELDS, "minimum_counted_share", "notes")

    def clean(self):
        cleaned = super().clean()
        weights = {indicator: cleaned.get(f"weight_{indicator}") for indicator in Indicator.values}
        share = cleaned.get("minimum_counted_share")
        if None not in weights.values() and share is not None:
            methodology_validate(weights=weights, minimum_counted_share=share)
        return cleaned


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin):
    """Versions are never edited: "Add" starts from the current version's values and saves the next one."""

    form = MethodologyForm

    list_display = ("__str__", *WEIGHT_FIELDS, "minimum_counted_share", "created_at", "created_by")
    fields = (*WEIGHT_FIELDS, "minimum_counted_share", "notes")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return scoping.is_administrator(request.user)

    def get_changeform_initial_data(self, request):
        current = methodology_current()
        return {field: getattr(current, field) for field in (*WEIGHT_FIELDS, "minimum_counted_share")}

    def save_model(self, request, obj, form, change):
        # The form validated with the service's own rules; the service numbers the version under a lock.
        created = methodology_create(
            weights={indicator: getattr(obj, f"weight_{indicator}") for indicator in Indicator.values},
            minimum_counted_share=obj.minimum_counted_share,
            notes=obj.notes,
            created_by=request.user,
        )
        obj.pk, obj.version = created.pk, created.version


@admin.register(StandingsRun)
class StandingsRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "year",
        "created_at",
        "trigger",
        "triggered_by",
        "methodology",
        "ranked_count",
        "listed_count",
        "duration_milliseconds",
    )
    list_filter = ("year", "trigger", "methodology")
    list_select_related = ("methodology", "triggered_by")
    readonly_fields = [field.name for field in StandingsRun._meta.fields]
    actions = ("recompute_years",)

    def get_queryset(self, request):
        return scoping.visible_standings_runs(request.user)

    @admin.action(description=_("Recompute the years of the selected runs"), permissions=["view"])
    def recompute_years(self, request, queryset):
        if not scoping.is_administrator(request.user):
            self.message_user(request, _("Only programme administrators may recompute."), messages.ERROR)
            return
        _request_recompute(self, request, sorted(set(queryset.values_list("year", flat=True))))


@admin.register(RecomputeRequest)
class RecomputeRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Progress of recomputes: waiting, computing (started, not finished) or done, with the outcome."""

    list_display = (
        "year",
        "progress",
        "requested_at",
        "requested_by",
        "last_started_at",
        "last_finished_at",
        "last_outcome",
    )
    list_select_related = ("requested_by", "last_run")
    readonly_fields = [field.name for field in RecomputeRequest._meta.fields]
    actions = ("recompute_now",)

    @admin.display(description=_("progress"))
    def progress(self, request_row: RecomputeRequest) -> str:
        if not request_row.is_pending:
            return _("done")
        if request_row.last_started_at and (
            not request_row.last_finished_at or request_row.last_started_at > request_row.last_finished_at
        ):
            return _("computing")
        return _("waiting")

    @admin.action(description=_("Recompute the selected years now"), permissions=["view"])
    def recompute_now(self, request, queryset):
        if not scoping.is_administrator(request.user):
            self.message_user(request, _("Only programme administrators may recompute."), messages.ERROR)
            return
        _request_recompute(self, request, sorted(queryset.values_list("year", flat=True)))
