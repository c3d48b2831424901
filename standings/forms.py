"""Parsing of the standings pages' query parameters (bad values get a message and the default)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from standings.selectors import SORT_FIELDS


class StandingsQueryForm(forms.Form):
    year = forms.IntegerField(min_value=2020, max_value=2040, required=False, label=_("Year"))
    run = forms.IntegerField(min_value=1, required=False)
    province = forms.CharField(max_length=5, required=False, label=_("Province"))
    round = forms.IntegerField(min_value=2020, max_value=2040, required=False, label=_("Programme round"))
    q = forms.CharField(max_length=60, required=False, strip=True, label=_("Find a county"))
    sort = forms.ChoiceField(choices=[(key, key) for key in SORT_FIELDS], required=False)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)

    def value(self, name: str, default=None):
        """The cleaned value of a valid field, else the default (an invalid field never stops the page)."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name) if name not in self.errors else None
        return default if value in (None, "") else value


class RunComparisonForm(forms.Form):
    earlier = forms.IntegerField(min_value=1, label=_("Earlier run"))
    later = forms.IntegerField(min_value=1, label=_("Later run"))


class RecomputeForm(forms.Form):
    year = forms.IntegerField(min_value=2020, max_value=2040, label=_("Year"))
