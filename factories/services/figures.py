"""A report's figures: the fields a report takes, the largest value each column can store, parsing from text
and the range and cross-field rules. Shared by the form, the API, the workflow and the CSV import."""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from factories import selectors
from factories.models import MonthlyReport

DATA_FIELDS = (*selectors.FIGURE_FIELDS, "comment")


@functools.cache
def _figure_limits(vendor: str) -> dict[str, Decimal]:
    """The first value each figure's column cannot store (numeric precision or integer range) on `vendor`."""
    limits = {}
    for name in selectors.FIGURE_FIELDS:
        field = MonthlyReport._meta.get_field(name)
        if field.get_internal_type() == "DecimalField":
            limits[name] = Decimal(10) ** (field.max_digits - field.decimal_places)
        else:
            limits[name] = Decimal(connection.ops.integer_field_range(field.get_internal_type())[1]) + 1
    return limits


def figure_limits() -> dict[str, Decimal]:
    # Cached: looking the fields and the connection up again for every figure of every row was a quarter of
    # a 100,000-row import (bench, import).
    return _figure_limits(connection.vendor)


def validate_report_figures(*, month: datetime.date, figures: dict) -> dict[str, list[str]]:
    """Cross-field and range rules of a report's figures (already parsed to numbers); field → messages."""
    errors: dict[str, list[str]] = {}
    limits = figure_limits()
    for name in selectors.FIGURE_FIELDS:
        value = figures.get(name)
        if value is None:
            errors.setdefault(name, []).append(_("This figure is required."))
        elif value < 0:
            errors.setdefault(name, []).append(_("Enter zero or more."))
        elif value >= limits[name]:
            # Checked here, not only in the form and the serializer, so that an import cannot overflow the column.
            errors.setdefault(name, []).append(_("This number is too large."))
    used, own = figures.get("raw_material_used_tonnes"), figures.get("raw_material_from_own_bases_tonnes")
    if used is not None and own is not None and own > used and "raw_material_from_own_bases_tonnes" not in errors:
        errors["raw_material_from_own_bases_tonnes"] = [
            _("Raw material from own bases (%(own)s t) cannot exceed the raw material used (%(used)s t).")
            % {"own": own, "used": used}
        ]
    days = figures.get("days_worked")
    if days is not None and days > selectors.days_in_month(month) and "days_worked" not in errors:
        errors["days_worked"] = [
            _("%(month)s has %(days)s days; days worked cannot be more.")
            % {"month": selectors.month_label(month), "days": selectors.days_in_month(month)}
        ]
    return errors


# The number rule of every surface (form, API, CSV import; docs/api.md and README say the same): a figure is
# written with the ASCII digits 0-9, an optional "-" (refused later as below zero, with that message) and at most
# one decimal point; no thousands separators, no exponent, no other script's digits. Each departure gets a
# sentence that says how to write the number. Nothing here builds a number from an exponent, so "1e1500000" is
# refused in microseconds instead of tying up a worker.
_PLAIN_NUMBER = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
_GROUPED_NUMBER = re.compile(r"-?[0-9]{1,3}([,'\u00a0\u2009\u202f ])[0-9]{3}(?:\1[0-9]{3})*(?:\.[0-9]+)?")
_SEPARATORS = re.compile(r"[,'\u00a0\u2009\u202f ]")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]{1,2}")
_EXPONENT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+")
# More whole digits than any column stores (the widest holds 12): refused as too large without building the number.
MAX_WHOLE_DIGITS = 20
MAX_FIGURE_LENGTH = 64
COMMENT_MAX_LENGTH = 4000


def _ascii_digits(text: str) -> str:
    """`text` with full-width forms and other scripts' decimal digits written in ASCII, for a suggestion."""
    normalised = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in normalised)


def parse_figure(text: str, *, is_integer: bool) -> tuple[int | Decimal | None, str | None]:
    """One figure from text by the number rule: (value, None), (None, None) for a blank, or (None, message)."""
    text = text.strip()
    if not text:
        return None, None
    if len(text) > MAX_FIGURE_LENGTH:
        # Longer than any figure written by the rule; not worth a closer look (an import cell can hold 131,072).
        return None, _("This number is too large.") if text.isdigit() else _("Enter a number.")
    match = _PLAIN_NUMBER.fullmatch(text)
    if match is None:
        return None, _number_advice(text, is_integer=is_integer)
    whole, fraction = match.group(1), match.group(2) or ""
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        return None, _("This number is too large.")
    if is_integer:
        if fraction.strip("0"):
            return None, _("Enter a whole number.")
        return (-1 if text.startswith("-") else 1) * int(whole), None
    if len(fraction.rstrip("0")) > 2:
        return None, _("Enter at most two decimal places.")
    return Decimal(text), None


def _number_advice(text: str, *, is_integer: bool) -> str:
    """The sentence for a figure that is not written plainly."""
    written = _ascii_digits(text) if not text.isascii() else text
    if any(char.isdecimal() and not char.isascii() for char in text):
        # Full-width or another script's digits: say how the number is written in ASCII, when it is a number.
        plain = _SEPARATORS.sub("", written) if _GROUPED_NUMBER.fullmatch(written) else written
        value, error = parse_figure(plain, is_integer=is_integer) if plain.isascii() else (None, "")
        if error is None and value is not None:
            return _("Write the number with the digits 0-9: %(number)s.") % {"number": plain}
        return _("Write the number with the digits 0-9 only.")
    if _GROUPED_NUMBER.fullmatch(written):
        return _("Write the number without thousands separators: %(number)s.") % {
            "number": _SEPARATORS.sub("", written)
        }
    if _DECIMAL_COMMA.fullmatch(written):
        return _("Use a point for decimals: %(number)s.") % {"number": written.replace(",", ".")}
    if _EXPONENT.fullmatch(written):
        return _("Write the number in full, without an exponent (e).")
    return _("Enter a number.")


def parse_figures(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """Numbers from text (by the number rule, `parse_figure`) or numbers; whole numbers where the field counts
    things; the comment stripped and bounded. Field → messages."""
    parsed, errors = {}, {}
    for name, value in data.items():
        if name == "comment":
            comment = (value or "").strip()
            if len(comment) > COMMENT_MAX_LENGTH:
                errors[name] = [comment_too_long_message(len(comment))]
                continue
            parsed[name] = comment
            continue
        if value is None or value == "":
            parsed[name] = None
            continue
        if isinstance(value, bool):
            errors[name] = [_("Enter a number.")]
            continue
        # Numbers already parsed (the form's and the API's) go through the same rule as text.
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        number, error = parse_figure(text, is_integer=name in selectors.INTEGER_FIGURE_FIELDS)
        if error is not None:
            errors[name] = [error]
        else:
            parsed[name] = number
    return parsed, errors


def comment_too_long_message(length: int) -> str:
    # The same words and numbers as the form's (its MaxLengthValidator message) and the API's.
    return _("Keep the comment within %(limit_value)s characters; this one has %(show_value)s.") % {
        "limit_value": COMMENT_MAX_LENGTH,
        "show_value": length,
    }
