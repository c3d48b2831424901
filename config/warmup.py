"""A web worker's one-off costs, paid when it starts instead of by its first visitor.

The first load of the review queue once took 8.4 s against 0.06–0.2 s later. Profiled in a fresh process
(tools: cProfile over the first request, PostgreSQL EXPLAIN ANALYZE of its queries), the queries took 10–20 ms
even cold; the rest was one-off work: importing every view module when the URLconf is first resolved
(openpyxl for the exports alone ~0.4 s, DRF and drf-spectacular ~0.25 s), parsing the translation catalogues and
compiling the page's templates (~0.2 s) — about 0.9 s on an idle machine, many times that on a loaded one. (The
demo load also left PostgreSQL planning with empty-table statistics until it ran ANALYZE, which
`factories.demo` now does.) `warm_up()` does that work at worker start; it touches no database."""

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# The pages people open first; others compile on first use (a few milliseconds each once imports are done).
FIRST_PAGES = [
    "base.html",
    "regional/home.html",
    "regional/home_county.html",
    "regional/home_province.html",
    "factories/review_queue.html",
    "factories/report_detail.html",
    "factories/completeness.html",
    "factories/report_list.html",
    "factories/this_month.html",
]


def warm_up() -> None:
    """Import every view (by resolving the URLconf), load each language's catalogue, compile the first pages."""
    get_resolver().url_patterns  # noqa: B018  (the property imports every URL module and its views)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Review queue")
    for name in FIRST_PAGES:
        get_template(name)
