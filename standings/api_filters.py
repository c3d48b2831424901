"""Allow-listed API filters of standings runs and county standings."""

import django_filters

from regional.api_filters_common import TextFilter, TrueOrFalseFilter, YearFilter
from standings.models import CountyStanding, StandingsRun


class StandingsRunApiFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year")
    trigger = django_filters.ChoiceFilter(choices=StandingsRun.Trigger.choices)

    class Meta:
        model = StandingsRun
        fields = ["year", "trigger"]


class CountyStandingApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="county__province__code", help_text="Province ISO code.")
    is_ranked = TrueOrFalseFilter()

    class Meta:
        model = CountyStanding
        fields = ["province", "is_ranked"]


class CountyStandingHistoryApiFilter(django_filters.FilterSet):
    year = YearFilter(field_name="run__year")

    class Meta:
        model = CountyStanding
        fields = ["year"]
