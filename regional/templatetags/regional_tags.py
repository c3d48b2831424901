"""Small presentation helpers shared by the regional pages."""

from urllib.parse import urlsplit

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

from regional import scoping
from regional.models import reads_korean
from regional.selectors import ProgrammeStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def factory_link(context, factory=None, name=None, code=None):
    """A factory's name linking to its page, for readers who may open it (`scoping.may_open_factory_pages`);
    the plain name for anyone else. Pass the factory, or its `name` and `code`."""
    name = factory.name if name is None else name
    code = factory.code if code is None else code
    request = context.get("request")
    if request is None or not code or not scoping.may_open_factory_pages(request.user):
        return conditional_escape(name)
    return format_html('<a class="factory-link" href="{}">{}</a>', reverse("factory_detail", args=[code]), name)


@register.filter
def local_name(place) -> str:
    """A province's or county's name in the reader's language: its Korean name on a Korean page (when the
    reference data has one), its English name otherwise."""
    if reads_korean() and place.name_ko:
        return place.name_ko
    return place.name_en


@register.simple_tag
def bilingual(name_en: str, name_ko: str = "", suffix: str = ""):
    """A place name in both scripts: English, then Korean in a muted span (left out when unknown)."""
    english = f"{name_en} {suffix}".strip() if suffix else name_en
    if not name_ko:
        return format_html("{}", english)
    return format_html('{} <span class="ko" lang="ko">{}</span>', english, name_ko)


@register.filter
def source_link(source: str):
    """A source as a link when it is a web address (labelled with its host), otherwise as plain text."""
    source = source.strip()
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc and " " not in source:
        host = parts.netloc.removeprefix("www.")
        return format_html('<a href="{}" rel="noopener noreferrer external" title="{}">{}</a>', source, source, host)
    return format_html('<span class="source-text">{}</span>', source)


@register.filter
def programme_status_label(status: str) -> str:
    return str(ProgrammeStatus.labels.get(status, status))


@register.simple_tag
def demo_badge(is_demo: bool):
    """The visible mark on generated (demo) rows."""
    if not is_demo:
        return ""
    return format_html('<span class="badge demo" title="{}">DEMO</span>', _("Generated demo data, not real"))


@register.filter
def percent_of(part, whole) -> int:
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def review_band(standing) -> str:
    """ ", likely 78–92" where the standings carry a rank band; nothing where they do not."""
    from regional.sites.reviews import county_band

    band = county_band(standing)
    return format_html(", {} {}", _("likely"), band) if band else ""
