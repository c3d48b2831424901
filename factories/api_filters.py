"""Allow-listed API filters of factories, construction, bases, plans and reports (the HTML lists have their
own in factories/filters.py)."""

import django_filters

from factories.models import AnnualPlan, ConstructionMilestone, Factory, FactoryKind, MonthlyReport, RawMaterialBase
from regional.api_filters_common import MonthFilter, TextFilter, YearFilter


class FactoryApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="county__province__code", help_text="Province ISO code.")
    county = TextFilter(field_name="county__slug", help_text="County identifier (slug).")
    kind = django_filters.ChoiceFilter(choices=FactoryKind.choices)
    status = django_filters.ChoiceFilter(choices=Factory.Status.choices)
    round = YearFilter(field_name="programme_slot__programme_round__year", help_text="Round year.")

    class Meta:
        model = Factory
        fields = ["province", "county", "kind", "status", "round"]


class ConstructionMilestoneApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="programme_slot__county__province__code")
    county = TextFilter(field_name="programme_slot__county__slug")
    round = YearFilter(field_name="programme_slot__programme_round__year", help_text="Round year.")
    factory = TextFilter(field_name="factory__code", help_text="Factory code.")
    kind = django_filters.ChoiceFilter(choices=ConstructionMilestone.Kind.choices)
    status = django_filters.ChoiceFilter(choices=ConstructionMilestone.Status.choices)

    class Meta:
        model = ConstructionMilestone
        fields = ["province", "county", "round", "factory", "kind", "status"]


class RawMaterialBaseApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="county__province__code")
    county = TextFilter(field_name="county__slug")
    kind = django_filters.ChoiceFilter(choices=RawMaterialBase.Kind.choices)

    class Meta:
        model = RawMaterialBase
        fields = ["province", "county", "kind"]


class AnnualPlanApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="factory__county__province__code")
    county = TextFilter(field_name="factory__county__slug")
    factory = TextFilter(field_name="factory__code")
    factory_kind = django_filters.ChoiceFilter(field_name="factory__kind", choices=FactoryKind.choices)
    year = YearFilter(field_name="year")

    class Meta:
        model = AnnualPlan
        fields = ["province", "county", "factory", "factory_kind", "year"]


class MonthlyReportApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="factory__county__province__code", help_text="Province ISO code.")
    county = TextFilter(field_name="factory__county__slug", help_text="County identifier (slug).")
    factory = TextFilter(field_name="factory__code", help_text="Factory code.")
    factory_kind = django_filters.ChoiceFilter(field_name="factory__kind", choices=FactoryKind.choices)
    round = YearFilter(
        field_name="factory__programme_slot__programme_round__year", help_text="Year of the programme round."
    )
    status = django_filters.MultipleChoiceFilter(choices=MonthlyReport.Status.choices)
    year = YearFilter(field_name="month__year")
    month_from = MonthFilter(field_name="month", lookup_expr="gte", help_text="First month included (YYYY-MM).")
    month_to = MonthFilter(field_name="month", lookup_expr="lte", help_text="Last month included (YYYY-MM).")

    class Meta:
        model = MonthlyReport
        fields = ["province", "county", "factory", "factory_kind", "round", "status", "year", "month_from", "month_to"]
