"""API of programme sites: facilities, who answers for each site, raw-material bases over time, and reviews (with
the link to their PDF). Same scoping, pagination, filters and errors as the rest of /api/v1/."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from factories.models import Facility, RawMaterialYield, SiteResponsibility
from regional import scoping
from regional.api import ReadOnlyApiViewSet
from regional.api_filters_common import TextFilter, YearFilter
from regional.api_support import ApiViewMixin
from regional.sites import reviews

# --- serializers ------------------------------------------------------------------------------------------------


class FacilitySerializer(serializers.ModelSerializer):
    programme_year = serializers.IntegerField(source="programme_slot.programme_round.year", read_only=True)
    county = serializers.SlugField(source="programme_slot.county.slug", read_only=True)
    province = serializers.CharField(source="programme_slot.county.province.code", read_only=True)
    factory = serializers.SlugField(source="factory.code", read_only=True, allow_null=True, default=None)
    is_factory = serializers.BooleanField(read_only=True, help_text="Only factories send monthly reports.")
    sources = serializers.ListField(source="source_links", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Facility
        fields = ["id", "programme_year", "county", "province", "kind", "name", "is_factory", "factory", "sources",
                  "is_from_reference_data", "is_demo"]  # fmt: skip
        read_only_fields = fields


class SiteResponsibilitySerializer(serializers.ModelSerializer):
    programme_year = serializers.IntegerField(source="programme_slot.programme_round.year", read_only=True)
    county = serializers.SlugField(source="programme_slot.county.slug", read_only=True)
    province = serializers.CharField(source="programme_slot.county.province.code", read_only=True)
    sources = serializers.ListField(source="source_links", child=serializers.CharField(), read_only=True)

    class Meta:
        model = SiteResponsibility
        fields = ["id", "programme_year", "county", "province", "role", "name", "sources", "is_demo"]
        read_only_fields = fields


class RawMaterialYearSerializer(serializers.ModelSerializer):
    base = serializers.IntegerField(source="base_id", read_only=True)
    base_name = serializers.CharField(source="base.name", read_only=True)
    county = serializers.SlugField(source="base.county.slug", read_only=True)
    province = serializers.CharField(source="base.county.province.code", read_only=True)

    class Meta:
        model = RawMaterialYield
        fields = ["id", "base", "base_name", "county", "province", "year", "area_hectares", "yield_tonnes", "is_demo"]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.ChoiceField(choices=list(reviews.PERIODS))
    scope = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    sites = serializers.SerializerMethodField()
    sites_broken_ground = serializers.IntegerField()
    sites_inaugurated = serializers.IntegerField()
    preconditions_met = serializers.IntegerField()
    preconditions_late = serializers.IntegerField()
    factories_in_operation = serializers.IntegerField()
    output_value_thousand_won = serializers.DecimalField(max_digits=20, decimal_places=2)
    planned_value_thousand_won = serializers.DecimalField(max_digits=20, decimal_places=2)
    plan_fulfilment_percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    reports_approved = serializers.IntegerField()
    reports_expected = serializers.IntegerField()
    bases_area_hectares = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    bases_yield_tonnes = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    has_demo_data = serializers.BooleanField()
    html_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(
        help_text="The latest PDF of this review you had written (POST /sites/reviews/national/ with the scope); null "
        "when there is none yet."
    )

    def get_sites(self, review) -> int:
        return len(review.sites)

    def _url(self, review, suffix: str) -> str:
        from django.urls import reverse

        path = reverse("sites:review_detail", args=[review.year, review.period, review.scope]) + suffix
        return self.context["request"].build_absolute_uri(path)

    def get_html_url(self, review) -> str:
        return self._url(review, "")

    def get_pdf_url(self, review) -> str | None:
        from django.urls import reverse

        from regional.models import ReviewDocument

        document = (
            ReviewDocument.objects.filter(
                year=review.year, period=review.period, scope=review.scope, status=ReviewDocument.Status.DONE,
                requested_by=self.context["request"].user,
            )
            .only("pk")
            .first()
        )  # fmt: skip
        if document is None:
            return None
        path = reverse("sites:review_document", args=[document.pk]) + "?download=1"
        return self.context["request"].build_absolute_uri(path)


# --- filters ----------------------------------------------------------------------------------------------------


class FacilityApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="programme_slot__county__province__code", help_text="Province ISO code.")
    county = TextFilter(field_name="programme_slot__county__slug", help_text="County identifier (slug).")
    round = YearFilter(field_name="programme_slot__programme_round__year", help_text="Round year.")
    kind = django_filters.ChoiceFilter(choices=Facility.Kind.choices)

    class Meta:
        model = Facility
        fields = ["province", "county", "round", "kind"]


class SiteResponsibilityApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="programme_slot__county__province__code", help_text="Province ISO code.")
    county = TextFilter(field_name="programme_slot__county__slug", help_text="County identifier (slug).")
    round = YearFilter(field_name="programme_slot__programme_round__year", help_text="Round year.")
    role = django_filters.ChoiceFilter(choices=SiteResponsibility.Role.choices)

    class Meta:
        model = SiteResponsibility
        fields = ["province", "county", "round", "role"]


class RawMaterialYearApiFilter(django_filters.FilterSet):
    province = TextFilter(field_name="base__county__province__code", help_text="Province ISO code.")
    county = TextFilter(field_name="base__county__slug", help_text="County identifier (slug).")
    year = YearFilter(field_name="year", help_text="Year.")

    class Meta:
        model = RawMaterialYield
        fields = ["province", "county", "year"]


# --- views ------------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List the facilities of the programme's sites"),
    retrieve=extend_schema(summary="One facility"),
)
class FacilityViewSet(ReadOnlyApiViewSet):
    """What each site builds: factories (they report monthly), hospitals, service complexes, other facilities."""

    serializer_class = FacilitySerializer
    filterset_class = FacilityApiFilter
    ordering_fields = ["kind", "name"]

    def get_queryset(self):
        return (
            scoping.visible_facilities(self.request.user)
            .select_related("programme_slot__programme_round", "programme_slot__county__province", "factory")
            .order_by("programme_slot__programme_round__year", "programme_slot_id", "kind", "name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="List who answers for each site"),
    retrieve=extend_schema(summary="One responsible official or unit"),
)
class SiteResponsibilityViewSet(ReadOnlyApiViewSet):
    """The Political Bureau member, construction unit and chief secretaries recorded for a site, with sources. A
    role absent here is "not reported"; `is_demo` rows are generated and never real names."""

    serializer_class = SiteResponsibilitySerializer
    filterset_class = SiteResponsibilityApiFilter
    ordering_fields = ["role"]

    def get_queryset(self):
        return (
            scoping.visible_site_responsibilities(self.request.user)
            .select_related("programme_slot__programme_round", "programme_slot__county__province")
            .order_by("programme_slot__programme_round__year", "programme_slot_id", "role", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="List the raw-material bases' area and yield per year"),
    retrieve=extend_schema(summary="One base's year"),
)
class RawMaterialYearViewSet(ReadOnlyApiViewSet):
    """Each base's area (ha, null when not reported) and yield (t) per year."""

    serializer_class = RawMaterialYearSerializer
    filterset_class = RawMaterialYearApiFilter
    ordering_fields = ["year"]

    def get_queryset(self):
        bases = scoping.visible_raw_material_bases(self.request.user)
        return (
            RawMaterialYield.objects.filter(base__in=bases)
            .select_related("base__county__province")
            .order_by("base__county__province__code", "base__county__name_en", "base_id", "year", "pk")
        )


class ReviewView(ApiViewMixin, APIView):
    """A half-year or year-end review of a province (or `national`), with the links to its page and PDF."""

    @extend_schema(
        summary="One review's figures and the link to its PDF",
        parameters=[
            OpenApiParameter("year", int, OpenApiParameter.PATH),
            OpenApiParameter("period", str, OpenApiParameter.PATH, enum=list(reviews.PERIODS)),
            OpenApiParameter("scope", str, OpenApiParameter.PATH, description="Province ISO code or `national`."),
        ],
        responses=ReviewSerializer,
    )
    def get(self, request, year: int, period: str, scope: str):
        from regional.sites.views import _require_review_access

        _require_review_access(request.user, scope)
        review = reviews.review_build(user=request.user, year=year, period=period, scope=scope)
        return Response(ReviewSerializer(review, context={"request": request}).data)
