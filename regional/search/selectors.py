"""Reads of the search: counties and factories in the reader's scope, a bounded number of each, two queries."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet

from regional import scoping
from regional.search.skeleton import SqliteSkeleton, skeleton, skeleton_sql

RESULTS_PER_KIND = 10
MINIMUM_QUERY_LENGTH = 2


@dataclass
class SearchResults:
    query: str
    counties: list = field(default_factory=list)
    factories: list = field(default_factory=list)

    @property
    def is_too_short(self) -> bool:
        return len(self.query) < MINIMUM_QUERY_LENGTH

    @property
    def count(self) -> int:
        return len(self.counties) + len(self.factories)


def _matching(queryset: QuerySet, *, name_field: str, korean_field: str | None, extra: Q, query: str) -> QuerySet:
    """Rows whose name's skeleton contains the query's, or whose Korean name or `extra` matches. On PostgreSQL
    the skeleton is an indexed expression (see the migration); SQLite (`make run`) compares in SQL too, through
    Python's own function registered on the connection."""
    key = skeleton(query)
    condition = extra
    if korean_field:
        condition |= Q(**{f"{korean_field}__contains": query})
    if len(key) >= MINIMUM_QUERY_LENGTH:
        if connection.vendor == "postgresql":
            queryset = queryset.annotate(name_skeleton=skeleton_sql(name_field))
        else:
            queryset = queryset.annotate(name_skeleton=SqliteSkeleton(name_field))
        condition |= Q(name_skeleton__contains=key)
    return queryset.filter(condition)


def search(*, user, query: str) -> SearchResults:
    query = " ".join((query or "").split())[:80]
    results = SearchResults(query=query)
    if results.is_too_short:
        return results
    counties = _matching(
        scoping.visible_counties(user).select_related("province"),
        name_field="name_en",
        korean_field="name_ko",
        extra=Q(slug__contains=query.lower()),
        query=query,
    )
    results.counties = list(counties.order_by("name_en", "province__code")[:RESULTS_PER_KIND])
    factories = _matching(
        scoping.visible_factories(user).select_related("county__province"),
        name_field="name",
        korean_field=None,
        extra=Q(code__contains=query.lower()),
        query=query,
    )
    results.factories = list(factories.order_by("name", "code")[:RESULTS_PER_KIND])
    return results
