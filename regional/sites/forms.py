"""Input of the missing-facts page and of the site admin: a date at its precision, a facility, a person."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from factories.models import Facility, SiteResponsibility
from regional.models import DatePrecision


def parse_partial_date_input(text: str) -> tuple[datetime.date | None, str]:
    """'2024-03-06' → (date, day); '2024-03' → (2024-03-01, month); '' → (None, ''). ValidationError otherwise."""
    text = text.strip()
    if not text:
        return None, ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text), DatePrecision.DAY
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = map(int, text.split("-"))
            return datetime.date(year, month, 1), DatePrecision.MONTH
    except ValueError:
        pass
    raise ValidationError(_("Enter a date as YYYY-MM-DD, or YYYY-MM when the source gives only the month."))


def partial_date_input(value: datetime.date | None, precision: str) -> str:
    """The text a form shows for a stored date: the month only when that is all the source gave."""
    if value is None:
        return ""
    return f"{value:%Y-%m}" if precision == DatePrecision.MONTH else value.isoformat()


class SiteDateForm(forms.Form):
    value = forms.CharField(
        label=_("Date"),
        max_length=10,
        help_text=_("YYYY-MM-DD, or YYYY-MM when the source gives only the month."),
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD / YYYY-MM", "inputmode": "numeric"}),
    )
    precision = forms.ChoiceField(label=_("Precision"), choices=DatePrecision.choices)
    source = forms.URLField(label=_("Source URL"), max_length=500)

    def clean(self):
        data = super().clean()
        if "value" in data and "precision" in data:
            value, given_precision = parse_partial_date_input(data["value"])
            if value is None:
                raise ValidationError({"value": _("Enter the date.")})
            if given_precision != data["precision"]:
                message = (
                    _("A date given to the day has precision 'day'.")
                    if given_precision == DatePrecision.DAY
                    else _("A date given as a month (YYYY-MM) has precision 'month'.")
                )
                raise ValidationError({"precision": message})
            data["date"] = value
        return data


class FacilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Facility.Kind.choices)
    name = forms.CharField(label=_("Name as the source gives it"), max_length=200)
    source = forms.URLField(label=_("Source URL"), max_length=500)


class ResponsibilityForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=SiteResponsibility.Role.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.URLField(label=_("Source URL"), max_length=500)


FORMS = {
    "groundbreaking": SiteDateForm,
    "inauguration": SiteDateForm,
    "facility": FacilityForm,
    "responsibility": ResponsibilityForm,
}
