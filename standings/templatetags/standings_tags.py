"""Template helpers of the standings pages: links to the reports behind a figure, rank-change arrows."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from standings.computation.arithmetic import exact_text, round_half_up

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


def _half_up(value, digits: int) -> Decimal:
    # Decimal, never float: a figure shown must be the stored figure rounded the documented way (half-up).
    return Decimal(value).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)


@register.filter
def as_percent(value, digits: int = 1):
    """0.956 → "95.6 %"; None → "–"."""
    if value is None or value == "":
        return "–"
    return f"{_half_up(Decimal(value) * 100, digits)} %"


@register.filter
def signed(value, digits: int = 2):
    if value is None:
        return "–"
    rounded = _half_up(value, digits)
    return f"+{rounded}" if rounded >= 0 else str(rounded)


@register.simple_tag
def rank_change_since_last_year(standing, has_last_year_run: bool):
    """▲ 3 / ▼ 2 / = against the latest run of the previous year; "new" when not ranked last year."""
    if not standing.is_ranked or not has_last_year_run:
        return ""
    change = standing.rank_change_since_last_year
    if change is None:
        return format_html('<span class="rank-change new" title="{}">{}</span>', _("not ranked last year"), _("new"))
    if change > 0:
        title = _("up %(places)s from %(previous)s last year") % {"places": change, "previous": standing.last_year_rank}
        return format_html('<span class="rank-change up" title="{}">▲ {}</span>', title, change)
    if change < 0:
        title = _("down %(places)s from %(previous)s last year") % {
            "places": -change,
            "previous": standing.last_year_rank,
        }
        return format_html('<span class="rank-change down" title="{}">▼ {}</span>', title, -change)
    return format_html('<span class="rank-change same" title="{}">=</span>', _("unchanged"))


@register.simple_tag
def rank_with_band(standing) -> str:
    """ "84 (likely 78–92)": the rank and how far it depends on the weights; just the rank without a band."""
    if not standing.is_ranked:
        return "–"
    if standing.rank_band_low is None:
        return str(standing.rank)
    return _("%(rank)s (likely %(low)s–%(high)s)") % {
        "rank": standing.rank,
        "low": standing.rank_band_low,
        "high": standing.rank_band_high,
    }


@register.filter
def absolute(value):
    return abs(value) if value is not None else None


@register.filter
def exact(value) -> str:
    """An exact number as text: its decimals when they end ("0.75"), else a fraction ("126/131")."""
    if value is None:
        return "–"
    return exact_text(Fraction(value))


@register.filter
def rounded(value, places: int = 6) -> str:
    """An exact number rounded half-up (never through float)."""
    if value is None:
        return "–"
    return str(round_half_up(Fraction(value), int(places)))


@register.filter
def is_inexact(value) -> bool:
    """True when the number's decimals do not end (so a page shows it rounded and as a fraction)."""
    return value is not None and "/" in (exact_text(Fraction(value)) or "")


# Stand-ins reversed once per page for every slug and target (split out, so no real slug is ever searched).
_SLUG, _TARGET = "figure-url-slug", "figure-url-target"


@register.simple_tag(takes_context=True)
def figure_url(context, run, standing, target: str) -> str:
    """Where a figure of `standing` leads: its trace in a v1.1 run; the county's page for a v1 run (which kept no
    sums). Never the report list: its filters refuse a county outside the reader's scope. The URL is reversed
    once per run and page, not for each of a table's ~300 figures (bench, pages)."""
    patterns = context.render_context.setdefault("figure_url_patterns", {})
    pattern = patterns.get(run.pk)
    if pattern is None:
        if run.is_v1_1:
            url = reverse("standings:trace", args=[run.pk, _SLUG, _TARGET])
        else:
            url = f"{reverse('standings:county', args=[_SLUG])}?year={run.year}&run={run.pk}"
        before_slug, rest = url.split(_SLUG)
        between, after_target = rest.split(_TARGET) if _TARGET in rest else (rest, None)
        pattern = patterns[run.pk] = (before_slug, between, after_target)
    before_slug, between, after_target = pattern
    if after_target is None:
        return f"{before_slug}{standing.county.slug}{between}"
    return f"{before_slug}{standing.county.slug}{between}{target}{after_target}"
