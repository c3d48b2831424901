"""FilterSets shared by the HTML lists (and, later, the API)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regional import scoping
from regional.models import County
from regional.selectors import ProgrammeStatus, programme_years

IN_PROGRAMME_SCOPE = "in_scope"


def _auto_submitting_select():
    # static/js/app.js submits the form when a select carrying data-autosubmit changes.
    return forms.Select(attrs={"data-autosubmit": ""})


class CountyFilter(django_filters.FilterSet):
    """Filters the annotated queryset of `selectors.county_list` (status and round come from its annotations)."""

    q = django_filters.CharFilter(method="filter_name", label=_("Name"))
    province = django_filters.ModelChoiceFilter(
        field_name="province",
        to_field_name="code",
        queryset=lambda request: scoping.visible_provinces(request.user).order_by("code"),
        label=_("Province"),
        widget=_auto_submitting_select(),
        empty_label=_("All provinces"),
    )
    kind = django_filters.ChoiceFilter(
        method="filter_kind",
        choices=[(IN_PROGRAMME_SCOPE, _("cities and counties (programme scope)")), *County.Kind.choices],
        label=_("Kind"),
        widget=_auto_submitting_select(),
        empty_label=_("All kinds"),
    )
    year = django_filters.ChoiceFilter(
        field_name="programme_year",
        choices=[],
        label=_("Round"),
        widget=_auto_submitting_select(),
        empty_label=_("All rounds"),
    )
    status = django_filters.ChoiceFilter(
        field_name="programme_status",
        choices=ProgrammeStatus.choices,
        label=_("Status"),
        widget=_auto_submitting_select(),
        empty_label=_("Any status"),
    )

    class Meta:
        model = County
        fields = ["q", "province", "kind", "year", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rounds are data (an administrator may add one), so the choices are read per request.
        user = self.request.user if self.request else None
        years = programme_years(user=user) if user else []
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    def filter_kind(self, queryset, name, value):
        if value == IN_PROGRAMME_SCOPE:
            return queryset.filter(kind__in=County.PROGRAMME_KINDS)
        return queryset.filter(kind=value)

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name_en__icontains=value) | Q(name_ko__icontains=value))
