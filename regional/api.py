"""Read-only API of the reference data: provinces, counties, programme rounds and slots. Thin views."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from regional import scoping
from regional.api_filters import CountyApiFilter, ProgrammeSlotApiFilter
from regional.api_support import ApiViewMixin
from regional.models import ProgrammeSlot
from regional.serializers import (
    CountySerializer,
    ProgrammeRoundSerializer,
    ProgrammeSlotSerializer,
    ProvinceSerializer,
)


class ReadOnlyApiViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # Identifiers outside this pattern (e.g. with NUL bytes) never reach the database: 404 at routing.
    lookup_value_regex = r"\d+"


SLUG_PATH = r"[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(summary="List the provinces (first-level units)"),
    retrieve=extend_schema(summary="One province by its ISO 3166-2:KP code"),
)
class ProvinceViewSet(ReadOnlyApiViewSet):
    """Provinces, directly governed cities and special cities (first-level units), by ISO 3166-2:KP code."""

    serializer_class = ProvinceSerializer
    lookup_field = "code"
    lookup_value_regex = SLUG_PATH
    ordering_fields = ["code", "name_en", "population_2008"]

    def get_queryset(self):
        return scoping.visible_provinces(self.request.user).annotate(county_count=Count("counties")).order_by("code")


@extend_schema_view(
    list=extend_schema(summary="List the counties with their province, programme round and factories"),
    retrieve=extend_schema(summary="One county by its stable identifier (slug)"),
)
class CountyViewSet(ReadOnlyApiViewSet):
    """Cities, counties, wards and districts. Only cities and counties are in the programme's scope; `programme_year`
    is the round that builds the county (null if not scheduled yet)."""

    serializer_class = CountySerializer
    filterset_class = CountyApiFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATH
    ordering_fields = ["name_en", "population_2008", "programme_year"]

    def get_queryset(self):
        # A county is built once (a unique constraint), so the subquery yields at most one year.
        programme_year = ProgrammeSlot.objects.filter(county=OuterRef("pk")).values("programme_round__year")[:1]
        return (
            scoping.visible_counties(self.request.user)
            .select_related("province")
            .only(*_county_columns())
            .annotate(programme_year=Subquery(programme_year))
            .prefetch_related(
                Prefetch(
                    "factories",
                    queryset=scoping.visible_factories(self.request.user)
                    .only("id", "county_id", "code", "name", "kind", "status")
                    .order_by("kind", "code"),
                )
            )
            .order_by("province__code", "name_en", "pk")
        )


def _county_columns() -> list[str]:
    return [
        "id",
        "slug",
        "name_en",
        "name_ko",
        "kind",
        "population_2008",
        "latitude",
        "longitude",
        "province__code",
        "province__name_en",
        "province__name_ko",
    ]


@extend_schema_view(
    list=extend_schema(summary="List the programme rounds (years) with their number of slots"),
    retrieve=extend_schema(summary="One programme round by its year"),
)
class ProgrammeRoundViewSet(ReadOnlyApiViewSet):
    """The programme's yearly rounds; `slot_count` counts the localities of the annual 20."""

    serializer_class = ProgrammeRoundSerializer
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"
    ordering_fields = ["year"]

    def get_queryset(self):
        return (
            scoping.visible_programme_rounds(self.request.user)
            .annotate(slot_count=Count("slots", filter=Q(slots__kind=ProgrammeSlot.Kind.LOCALITY)))
            .order_by("year")
        )


@extend_schema_view(
    list=extend_schema(summary="List the programme slots (a county in a round) with their dates"),
    retrieve=extend_schema(summary="One programme slot"),
)
class ProgrammeSlotViewSet(ReadOnlyApiViewSet):
    """A county in a round. A date's precision is `day` or `month` (the day is not known); null is "not reported"."""

    serializer_class = ProgrammeSlotSerializer
    filterset_class = ProgrammeSlotApiFilter
    ordering_fields = ["groundbreaking_date", "inauguration_date"]

    def get_queryset(self):
        return (
            scoping.visible_programme_slots(self.request.user)
            .select_related("programme_round", "county__province")
            .order_by("programme_round__year", "county__province__code", "county__name_en", "pk")
        )
