"""Filter types shared by the API FilterSets of every app."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

YEAR_MINIMUM, YEAR_MAXIMUM = 2000, 2100


class YearInput(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MINIMUM)
        kwargs.setdefault("max_value", YEAR_MAXIMUM)
        super().__init__(*args, **kwargs)


# The schema states the bounds, so a client (and the fuzzer) knows a year outside them is refused with 400.
@extend_schema_field({"type": "integer", "minimum": YEAR_MINIMUM, "maximum": YEAR_MAXIMUM})
class YearFilter(django_filters.NumberFilter):
    field_class = YearInput


class MonthInput(forms.DateField):
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def clean(self, value):
        month = super().clean(value)
        if month is not None and not YEAR_MINIMUM <= month.year <= YEAR_MAXIMUM:
            raise forms.ValidationError(f"Enter a month between {YEAR_MINIMUM} and {YEAR_MAXIMUM}.")
        return month


@extend_schema_field({"type": "string", "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])(-[0-3][0-9])?$", "example": "2025-03"})
class MonthFilter(django_filters.DateFilter):
    field_class = MonthInput
