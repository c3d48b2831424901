"""HTML input of monthly reports. Field rules live in `services.validate_report_figures`, shared with the
API, so that the form and the service never disagree."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from factories import selectors, services
from factories.importers import nul_character_error


class FigureField(forms.Field):
    """A figure typed by the county, read by the one number rule of every surface (`services.parse_figure`):
    digits 0-9 and a decimal point, with a sentence for thousands separators, exponents or other digits. A text
    input (with a numeric keyboard on phones), so that the browser sends what was typed, "9,500" included, and
    the server can say how to write it instead of the browser dropping it silently."""

    def __init__(self, *, is_integer: bool, unit: str = "", **kwargs):
        self.is_integer = is_integer
        attrs = {"inputmode": "numeric" if is_integer else "decimal", "autocomplete": "off", "data-unit": unit}
        kwargs.setdefault("error_messages", {"required": _("This figure is required.")})
        super().__init__(widget=forms.TextInput(attrs=attrs), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int | Decimal):
            return value
        number, error = services.parse_figure(str(value), is_integer=self.is_integer)
        if error is not None:
            raise forms.ValidationError(error, code="invalid")
        return number


def _decimal(label, unit, help_text=""):
    return FigureField(label=label, is_integer=False, unit=unit, help_text=help_text)


def _integer(label, help_text=""):
    return FigureField(label=label, is_integer=True, help_text=help_text)


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
        max_length=services.COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": _("Keep the comment within %(limit_value)s characters; this one has %(show_value)s.")
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a figure is flagged as unusual: say why."),
    )

    def __init__(self, *args, month: datetime.date, capacity_unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.month = month
        self.fields["physical_output"].widget.attrs["data-unit"] = capacity_unit

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
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from error
        nul_error = nul_character_error(content)
        if nul_error is not None:
            raise forms.ValidationError(nul_error.message)
        self.cleaned_data["content"] = content
        return upload
