"""API of the standings: runs, a run's county standings (JSON or CSV) and a county's history. Thin views."""

import operator

from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from regional import scoping
from regional.api import ReadOnlyApiViewSet
from regional.api_support import ApiViewMixin, StandingsPagination, csv_renderer_classes
from standings.api_filters import CountyStandingApiFilter, CountyStandingHistoryApiFilter, StandingsRunApiFilter
from standings.serializers import (
    CountyStandingHistorySerializer,
    CountyStandingSerializer,
    StandingsRunSerializer,
)

STANDING_ORDERING_FIELDS = ["rank", "province_rank", "composite", "rank_change", "county__name_en"]


@extend_schema_view(
    list=extend_schema(summary="List the standings runs, newest first"),
    retrieve=extend_schema(summary="One standings run: methodology, weights, cut-off and input hash"),
)
class StandingsRunViewSet(ReadOnlyApiViewSet):
    """Immutable standings snapshots: methodology version, weights, cut-off of the approved data, input hash."""

    serializer_class = StandingsRunSerializer
    filterset_class = StandingsRunApiFilter
    lookup_value_regex = r"\d+"
    ordering_fields = ["year", "created_at"]

    def get_queryset(self):
        return (
            scoping.visible_standings_runs(self.request.user)
            .select_related("methodology", "triggered_by")
            .order_by("-year", "-created_at", "-pk")
        )


@extend_schema(summary="A run's county standings, best first (CSV with ?format=csv)")
class RunCountyStandingsView(ApiViewMixin, generics.ListAPIView):
    serializer_class = CountyStandingSerializer
    filterset_class = CountyStandingApiFilter
    pagination_class = StandingsPagination
    ordering_fields = STANDING_ORDERING_FIELDS

    def get_renderers(self):
        return [renderer() for renderer in csv_renderer_classes()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no run in the URL
            return scoping.visible_county_standings(self.request.user).none()
        # Unranked counties (rank NULL) come last, listed by name with their reason. Rows as tuples
        # (`.values_list()`): model instances of a 200-row page cost ~3x the query (bench/README.md, API
        # benchmark). Each row ends with its run's listed count (a join on the run's key), so a full first page
        # needs neither a COUNT nor a query for the run; the run is looked up only when the rows cannot answer
        # (`known_row_count`).
        return (
            scoping.visible_county_standings(self.request.user)
            # `run__pk`, not `run_id`: the key's own lookup turns an id past any bigint into no rows, where the
            # foreign key's passes it on (SQLite's driver then raises: a 500 under `make run`).
            .filter(run__pk=self.kwargs["run_id"])
            .order_by(F("rank").asc(nulls_last=True), "county__name_en", "pk")
            .values_list(*CountyStandingSerializer.row_columns(), "run__listed_count")
        )

    def row_count_of(self):
        """Without filters the list is every county of the run, and each row ends with how many the run lists
        (published standings are programme-wide: every reader sees them all), so a page needs no COUNT, which
        joined county and province: ~2 ms of SQL a request at 3,000 counties (bench, API). With filters: None."""
        return None if self._is_filtered() else operator.itemgetter(-1)

    def known_row_count(self) -> int | None:
        """The run's listed count when the rows cannot tell it (a page past the first, or an empty one); 404
        for a run that does not exist or is out of the reader's scope."""
        run = scoping.get_in_scope_or_404(
            scoping.visible_standings_runs(self.request.user).values("listed_count"), pk=self.kwargs["run_id"]
        )
        return None if self._is_filtered() else run["listed_count"]

    def _is_filtered(self) -> bool:
        return any(name in self.request.query_params for name in self.filterset_class.base_filters)


@extend_schema(summary="A county's standings in every run, newest first (CSV with ?format=csv)")
class CountyStandingsHistoryView(ApiViewMixin, generics.ListAPIView):
    serializer_class = CountyStandingHistorySerializer
    filterset_class = CountyStandingHistoryApiFilter
    pagination_class = StandingsPagination
    ordering_fields = ["rank", "composite"]

    def get_renderers(self):
        return [renderer() for renderer in csv_renderer_classes()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no county in the URL
            return scoping.visible_county_standings(self.request.user).none()
        county = scoping.get_in_scope_or_404(scoping.visible_counties(self.request.user), slug=self.kwargs["slug"])
        return (
            scoping.visible_county_standings(self.request.user)
            .filter(county=county)
            .select_related("county__province", "run")
            .order_by("-run__year", "-run__created_at", "-pk")
        )
