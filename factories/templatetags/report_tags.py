"""Small presentation helpers of the report pages."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factories import selectors
from factories.models import MonthlyReport, ReportEvent

register = template.Library()

# Lazy: built at import, read per request in the reader's language.
STATE_LABELS = {
    "missing": gettext_lazy("missing"),
    "in_progress": gettext_lazy("month in progress"),
    # Workflow events ("reopened", "recalled") use the same badges, in the reader's language.
    **dict(ReportEvent.Kind.choices),
    **dict(MonthlyReport.Status.choices),
}


@register.simple_tag
def status_badge(state: str):
    """A coloured badge for a report's state, 'missing' included."""
    return format_html('<span class="badge {}">{}</span>', state, STATE_LABELS.get(state, state))


@register.filter
def month_label(month: datetime.date) -> str:
    return selectors.month_label(month) if month else ""


@register.filter
def month_slug(month: datetime.date) -> str:
    return month.strftime("%Y-%m") if month else ""


@register.filter
def day_label(day) -> str:
    if isinstance(day, datetime.datetime):
        from django.utils import timezone

        day = timezone.localtime(day).date()
    return selectors.day_label(day) if day else ""


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def deadline_words(deadline: datetime.date, today: datetime.date | None = None) -> str:
    """'due in 3 days (10 April 2025)', 'due today', or 'closed on …'."""
    from django.utils import timezone

    today = today or timezone.localdate()
    days = (deadline - today).days
    day = selectors.day_label(deadline)
    if days > 1:
        return _("due in %(days)s days, by %(day)s") % {"days": days, "day": day}
    if days == 1:
        return _("due tomorrow, %(day)s") % {"day": day}
    if days == 0:
        return _("due today, %(day)s") % {"day": day}
    return _("closed on %(day)s") % {"day": day}


@register.filter
def user_label(user) -> str:
    """A person's name, else their username; 'unknown' when the record has none (e.g. imported data)."""
    if user is None:
        return _("unknown")
    return user.get_full_name() or user.username


@register.filter
def ratio_percent(ratio) -> str:
    """An exact ratio as a percentage rounded half-up to 0.1 % ('93.2 %'); '—' when unknown."""
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction

    from standings.computation.arithmetic import round_half_up

    if ratio is None:
        return "—"
    if isinstance(ratio, Fraction):
        return f"{round_half_up(ratio * 100, 1)} %"
    return f"{(Decimal(ratio) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


@register.simple_tag
def pivot_value(value, measure: str) -> str:
    """A pivot cell as shown: ratios as percentages (half-up, 0.1 %), money to the cent, means to 0.1."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.contrib.humanize.templatetags.humanize import intcomma

    if value is None:
        return "—"
    from factories.analysis.pivot import RATIO_MEASURES

    if measure in RATIO_MEASURES:
        return ratio_percent(value)
    if measure == "output_value":
        return intcomma(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if measure == "varieties":
        return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return intcomma(value)


@register.filter
def in_language(label: dict) -> str:
    from django.utils.translation import get_language

    return label["ko"] if get_language() == "ko" else label["en"]
