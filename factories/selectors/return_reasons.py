"""Ready-made return reasons, written from what is actually wrong with a report's figures.

The review page offers them (the reviewer edits one before returning) and the demo generator uses the same
words, so a demo reason never contradicts the figures it returns."""

from decimal import Decimal

from django.utils.translation import gettext as _

from factories.models import MonthlyReport
from factories.selectors.entry import PLAUSIBLE_FACTOR
from factories.selectors.months import days_in_month, month_label


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def figure_problems(
    report: MonthlyReport, *, median_output: Decimal | None, monthly_capacity: Decimal | None
) -> list[str]:
    """Return reasons that fit the figures: one per problem the figures show, most serious first; empty when
    nothing is wrong with them. `median_output`: the factory's median output value over its last approved
    months (None without history); `monthly_capacity`: a twelfth of the design capacity (None if unknown)."""
    reasons = []
    used, own = report.raw_material_used_tonnes, report.raw_material_from_own_bases_tonnes
    if used is not None and own is not None and used > 0 and own == 0:
        reasons.append(
            _(
                "Raw material from own bases is 0 t of the %(used)s t used; enter the deliveries from the "
                "county's own bases, or explain why there were none."
            )
            % {"used": _amount(used)}
        )
    output = report.output_value_thousand_won
    if median_output and output is not None:
        values = {"output": _amount(output), "median": _amount(median_output)}
        if output > PLAUSIBLE_FACTOR * median_output:
            reasons.append(
                _(
                    "Output value %(output)s is more than 3 times the factory's usual month (median %(median)s); "
                    "check the figure and the unit price, or explain it in the comment."
                )
                % values
            )
        elif output * PLAUSIBLE_FACTOR < median_output:
            reasons.append(
                _(
                    "Output value %(output)s is less than a third of the factory's usual month (median "
                    "%(median)s); check the figure, or explain the stoppage in the comment."
                )
                % values
            )
    physical = report.physical_output
    if monthly_capacity and physical is not None and physical > monthly_capacity:
        reasons.append(
            _(
                "Physical output %(output)s is above the design capacity of %(capacity)s a month; check the "
                "unit, or explain the extra shifts."
            )
            % {"output": _amount(physical), "capacity": _amount(monthly_capacity)}
        )
    if report.days_worked is not None and report.month and report.days_worked > days_in_month(report.month):
        reasons.append(
            _("Days worked (%(days)s) exceed the %(month_days)s days of %(month)s; please correct.")
            % {
                "days": report.days_worked,
                "month_days": days_in_month(report.month),
                "month": month_label(report.month),
            }
        )
    return reasons


def return_reason_suggestions(
    report: MonthlyReport, *, median_output: Decimal | None, monthly_capacity: Decimal | None, is_flagged: bool
) -> list[str]:
    """What the review page offers to start a return reason from: the figures' problems, then general ones."""
    suggestions = figure_problems(report, median_output=median_output, monthly_capacity=monthly_capacity)
    if is_flagged and not (report.comment or "").strip():
        suggestions.append(_("The figures are flagged as unusual and the comment does not explain them; say why."))
    suggestions.append(_("Please check the figures against the factory's records and resubmit."))
    return suggestions
