"""A report's figures: the fields a report takes, the largest value each column can store, parsing from text
and the range and cross-field rules. Shared by the form, the API, the workflow and the CSV import."""

import datetime
import functools
from decimal import Decimal, InvalidOperation

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


def parse_figures(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """Numbers from text or numbers; whole numbers where the field counts things. Field → messages."""
    parsed, errors = {}, {}
    for name, value in data.items():
        if name == "comment":
            parsed[name] = (value or "").strip()
            continue
        if value is None or value == "":
            parsed[name] = None
            continue
        try:
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise InvalidOperation
            if name in selectors.INTEGER_FIGURE_FIELDS:
                if number != number.to_integral_value():
                    errors[name] = [_("Enter a whole number.")]
                    continue
                number = int(number)
            elif number != number.quantize(Decimal("0.01")):
                errors[name] = [_("Enter at most two decimal places.")]
                continue
            parsed[name] = number
        except (InvalidOperation, ValueError):
            errors[name] = [_("Enter a number.")]
    return parsed, errors
