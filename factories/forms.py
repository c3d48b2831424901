"""HTML input of monthly reports. Field rules live in `services.validate_report_figures`, shared with the
API, so that the form and the service never disagree."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from factories import selectors, services

NUMBER_ERRORS = {
    "min_value": _("Enter zero or more."),
    "invalid": _("Enter a number."),
    "required": _("This figure is required."),
    "max_decimal_places": _("Enter at most two decimal places."),
    "max_digits": _("This number is too large."),
    "max_whole_digits": _("This number is too large."),
}


def _decimal(label, unit, help_text=""):
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        error_messages=NUMBER_ERRORS,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal", "data-unit": unit}),
    )


def _integer(label, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={**NUMBER_ERRORS, "invalid": _("Enter a whole number.")},
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "1", "min": "0", "inputmode": "numeric"}),
    )


class MonthlyReportForm(forms.Form):
    output_value_thousand_won = _decimal(_("Output value"), _("thousand won"))
    physical_output = _decimal(_("Physical output"), "")
    varieties_produced = _integer(_("Varieties produced"), _("Number of different products made this month."))
    raw_material_used_tonnes = _decimal(_("Raw material used"), _("tonnes"))
    raw_material_from_own_bases_tonnes = _decimal(
        _("of which from the county's own bases"), _("tonnes"), _("Cannot exceed the raw material used.")
    )
    days_worked = _integer(_("Days worked"))
    workers_on_roll = _integer(_("Workers on roll"))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a figure is flagged as unusual: say why."),
    )

    def __init__(self, *args, month: datetime.date, capacity_unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.month = month
        self.fields["physical_output"].widget.attrs["data-unit"] = capacity_unit
        self.fields["days_worked"].widget.attrs["max"] = str(selectors.days_in_month(month))

    def clean(self):
        cleaned = super().clean()
        figures = {name: cleaned.get(name) for name in selectors.FIGURE_FIELDS}
        for name, messages in services.validate_report_figures(month=self.month, figures=figures).items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        return cleaned

    @property
    def figure_fields(self):
        return [self[name] for name in selectors.FIGURE_FIELDS]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), strip=True)


class ReportImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request so the text is in the reader's language, not the one active at import time.
        self.fields["file"].help_text = _("UTF-8, comma-separated, with a header row. At most %(megabytes)s MB.") % {
            "megabytes": settings.REPORT_IMPORT_MAX_BYTES // (1024 * 1024)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.REPORT_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)s MB; split it.")
                % {"megabytes": settings.REPORT_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        raw = upload.read()
        try:
            self.cleaned_data["content"] = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from error
        return upload
