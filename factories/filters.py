"""FilterSets of monthly reports, shared by the report list, its exports and the review queue."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from factories.models import FactoryKind, MonthlyReport
from factories.selectors import first_of_month
from regional import scoping
from regional.widgets import LongSelect


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m")
        return value


class ReportFilter(django_filters.FilterSet):
    month = django_filters.DateFilter(
        field_name="month",
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
        method="filter_month",
    )
    year = django_filters.NumberFilter(field_name="month__year", label=_("Year"), min_value=2020, max_value=2040)
    province = django_filters.ModelChoiceFilter(
        field_name="factory__county__province",
        to_field_name="code",
        queryset=lambda request: (
            scoping.visible_provinces(request.user)
            .filter(counties__in=scoping.operational_counties(request.user))
            .distinct()
            .order_by("code")
        ),
        label=_("Province"),
        empty_label=_("All provinces"),
    )
    county = django_filters.ModelChoiceFilter(
        field_name="factory__county",
        to_field_name="slug",
        queryset=lambda request: (
            scoping.operational_counties(request.user).filter(kind__in=["city", "county"]).order_by("name_en")
        ),
        label=_("County"),
        empty_label=_("All counties"),
        widget=LongSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=MonthlyReport.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    kind = django_filters.ChoiceFilter(
        field_name="factory__kind", choices=FactoryKind.choices, label=_("Factory kind"), empty_label=_("All kinds")
    )
    factory = django_filters.CharFilter(field_name="factory__code", label=_("Factory code"))

    class Meta:
        model = MonthlyReport
        fields = ["month", "year", "province", "county", "status", "kind", "factory"]

    def filter_month(self, queryset, name, value):
        return queryset.filter(month=first_of_month(value))


class ReviewQueueFilter(django_filters.FilterSet):
    """The review queue's filters, kept in the URL. "Flagged" is applied to the rows afterwards
    (`selectors.ReviewQueue`): whether a report is unusual depends on its factory's recent months."""

    county = django_filters.ModelChoiceFilter(
        field_name="factory__county",
        to_field_name="slug",
        queryset=lambda request: (
            scoping.operational_counties(request.user).filter(kind__in=["city", "county"]).order_by("name_en")
        ),
        label=_("County"),
        empty_label=_("All counties"),
        widget=LongSelect,
    )
    kind = django_filters.ChoiceFilter(
        field_name="factory__kind", choices=FactoryKind.choices, label=_("Factory kind"), empty_label=_("All kinds")
    )
    month = django_filters.DateFilter(
        field_name="month",
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
        method="filter_month",
    )
    flagged = django_filters.ChoiceFilter(
        choices=[("yes", _("Flagged as unusual")), ("no", _("Without warnings"))],
        label=_("Warnings"),
        empty_label=_("All reports"),
        method="filter_nothing",
    )

    class Meta:
        model = MonthlyReport
        fields = ["county", "kind", "month", "flagged"]

    def filter_month(self, queryset, name, value):
        return queryset.filter(month=first_of_month(value))

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def is_flagged(self) -> bool | None:
        """True for only the flagged reports, False for only those without warnings, None for all."""
        value = self.form.cleaned_data.get("flagged") if self.is_bound and self.form.is_valid() else None
        return {"yes": True, "no": False}.get(value)
