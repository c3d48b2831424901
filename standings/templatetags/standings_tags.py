"""Template helpers of the standings pages: links to the reports behind a figure, rank-change arrows."""

from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def reports_url(**params) -> str:
    """The report list filtered to the reports behind a figure (param names agreed with the reports app:
    county (slug), year, month (YYYY-MM), status, province (code), factory (code))."""
    try:
        base = reverse("reports:report_list")
    except NoReverseMatch:
        return ""
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


@register.simple_tag
def rank_change(standing, has_previous_run: bool):
    """▲ 3 / ▼ 2 / = against the previous run; "new" for a county ranked now but not before."""
    if not standing.is_ranked or not has_previous_run:
        return ""
    if standing.rank_change is None:
        return format_html('<span class="rank-change new" title="{}">{}</span>', _("not ranked before"), _("new"))
    if standing.rank_change > 0:
        return format_html(
            '<span class="rank-change up" title="{}">▲ {}</span>',
            _("up %(places)s from %(previous)s") % {"places": standing.rank_change, "previous": standing.previous_rank},
            standing.rank_change,
        )
    if standing.rank_change < 0:
        return format_html(
            '<span class="rank-change down" title="{}">▼ {}</span>',
            _("down %(places)s from %(previous)s")
            % {"places": -standing.rank_change, "previous": standing.previous_rank},
            -standing.rank_change,
        )
    return format_html('<span class="rank-change same" title="{}">=</span>', _("unchanged"))


@register.filter
def score_of(standing, indicator: str):
    return standing.score(indicator)


@register.filter
def value_of(standing, indicator: str):
    return standing.raw_value(indicator)


@register.filter
def as_percent(value, digits: int = 1):
    """0.956 → "95.6 %"; None → "–"."""
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.filter
def signed(value, digits: int = 2):
    if value is None:
        return "–"
    return f"{float(value):+.{int(digits)}f}"


@register.filter
def absolute(value):
    return abs(value) if value is not None else None
