"""Filter types shared by the API FilterSets of every app.

Each type states its accepted values in the OpenAPI schema, and the server refuses (400) exactly what the schema
excludes, so a client can trust the schema both ways.
"""

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

YEAR_MINIMUM, YEAR_MAXIMUM = 2000, 2099


@extend_schema_field({"type": "string", "minLength": 1})
class TextFilter(django_filters.CharFilter):
    pass


class YearInput(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MINIMUM)
        kwargs.setdefault("max_value", YEAR_MAXIMUM)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": YEAR_MINIMUM, "maximum": YEAR_MAXIMUM})
class YearFilter(django_filters.NumberFilter):
    field_class = YearInput


class MonthInput(forms.DateField):
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def clean(self, value):
        month = super().clean(value)
        if month is not None and (month.day != 1 or not YEAR_MINIMUM <= month.year <= YEAR_MAXIMUM):
            raise forms.ValidationError(
                _("Give a month as YYYY-MM (or its first day, YYYY-MM-01) between %(first)s and %(last)s.")
                % {"first": YEAR_MINIMUM, "last": YEAR_MAXIMUM}
            )
        return month


@extend_schema_field({"type": "string", "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])(-01)?$", "example": "2025-03"})
class MonthFilter(django_filters.DateFilter):
    field_class = MonthInput


class TrueOrFalseInput(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.update(choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true")
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "boolean"})
class TrueOrFalseFilter(django_filters.BooleanFilter):
    """`true` or `false`; anything else (`null`, `yes`) is refused rather than read as "no filter"."""

    field_class = TrueOrFalseInput


class StrictFilterBackend(DjangoFilterBackend):
    """Refuses `?status=` and other filters given without a value instead of silently ignoring them."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = [
                name
                for name in filterset_class.base_filters
                if any(value == "" for value in request.query_params.getlist(name))
            ]
            if empty:
                raise ValidationError({name: [_("Give a value, or leave the parameter out.")] for name in empty})
            # Building a FilterSet deep-copies every filter; an unfiltered page (a client walking all reports)
            # should not pay for it.
            if not any(name in request.query_params for name in filterset_class.base_filters):
                return queryset
        return super().filter_queryset(request, queryset, view)
