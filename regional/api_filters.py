"""Allow-listed API filters of the reference data (the HTML lists have their own in regional/filters.py)."""

import django_filters

from regional.api_filters_common import TextFilter, TrueOrFalseFilter, YearFilter
from regional.models import County, ProgrammeSlot


class CountyApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="province__code", help_text="Province ISO code, e.g. KP-01.")
    kind = django_filters.ChoiceFilter(choices=County.Kind.choices)
    round = YearFilter(field_name="programme_slots__programme_round__year", help_text="Year of the programme round.")
    in_programme = TrueOrFalseFilter(
        method="filter_in_programme", help_text="Only cities and counties (true) or only wards and districts."
    )

    class Meta:
        model = County
        fields = ["province", "kind", "round", "in_programme"]

    def filter_in_programme(self, queryset, name, value):
        if value is None:
            return queryset
        programme_filter = {"kind__in": County.PROGRAMME_KINDS}
        return queryset.filter(**programme_filter) if value else queryset.exclude(**programme_filter)


class ProgrammeSlotApiFilter(django_filters.FilterSet):
    round = YearFilter(field_name="programme_round__year", help_text="Year of the programme round.")
    province = TextFilter(field_name="county__province__code", help_text="Province ISO code.")
    county = TextFilter(field_name="county__slug", help_text="County identifier (slug).")
    kind = django_filters.ChoiceFilter(choices=ProgrammeSlot.Kind.choices)

    class Meta:
        model = ProgrammeSlot
        fields = ["round", "province", "county", "kind"]
