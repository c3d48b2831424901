"""API of factories, construction milestones, raw-material bases, annual plans and monthly reports.

Thin views: scope (regional.scoping) → parse → service or selector → render. The report writes call the same
services as the browser (factories/services/); their exceptions become 400/403/409 in regional.api_errors.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from factories import services
from factories.api_filters import (
    AnnualPlanApiFilter,
    ConstructionMilestoneApiFilter,
    FactoryApiFilter,
    MonthlyReportApiFilter,
    RawMaterialBaseApiFilter,
)
from factories.models import MonthlyReport
from factories.serializers import (
    AnnualPlanSerializer,
    ConstructionMilestoneSerializer,
    FactorySerializer,
    MonthlyReportCreateSerializer,
    MonthlyReportSerializer,
    MonthlyReportUpdateSerializer,
    RawMaterialBaseSerializer,
    ReportApproveSerializer,
    ReportReturnSerializer,
    ReportTransitionSerializer,
    report_values,
)
from regional import scoping
from regional.api import SLUG_PATH, ReadOnlyApiViewSet
from regional.api_errors import Conflict
from regional.api_support import ApiViewMixin, ReportCursorPagination, csv_renderer_classes


@extend_schema_view(
    list=extend_schema(summary="List the factories with their county and programme round"),
    retrieve=extend_schema(summary="One factory by its stable code"),
)
class FactoryViewSet(ReadOnlyApiViewSet):
    """Factories with their kind, status and design capacity (a year's output, in `capacity_unit`)."""

    serializer_class = FactorySerializer
    filterset_class = FactoryApiFilter
    lookup_field = "code"
    lookup_value_regex = SLUG_PATH
    ordering_fields = ["code", "name", "kind", "status", "commissioned_on"]

    def get_queryset(self):
        return (
            scoping.visible_factories(self.request.user)
            .select_related("county__province", "programme_slot__programme_round")
            .order_by("county__province__code", "county__name_en", "kind", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="List the construction milestones of the programme slots and factories"),
    retrieve=extend_schema(summary="One construction milestone"),
)
class ConstructionMilestoneViewSet(ReadOnlyApiViewSet):
    """Construction milestones of a programme slot (or one of its factories): planned and actual dates, status."""

    serializer_class = ConstructionMilestoneSerializer
    filterset_class = ConstructionMilestoneApiFilter
    ordering_fields = ["planned_date", "actual_date", "status", "kind"]

    def get_queryset(self):
        return (
            scoping.visible_milestones(self.request.user)
            .select_related("programme_slot__programme_round", "programme_slot__county__province", "factory")
            .order_by("programme_slot__programme_round__year", "programme_slot_id", "planned_date", "kind", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="List the raw-material bases that feed the factories"),
    retrieve=extend_schema(summary="One raw-material base"),
)
class RawMaterialBaseViewSet(ReadOnlyApiViewSet):
    """Raw-material bases of a county and the factory kinds they supply."""

    serializer_class = RawMaterialBaseSerializer
    filterset_class = RawMaterialBaseApiFilter
    ordering_fields = ["name", "kind", "area_hectares"]

    def get_queryset(self):
        return (
            scoping.visible_raw_material_bases(self.request.user)
            .select_related("county__province")
            .order_by("county__province__code", "county__name_en", "kind", "name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="List the annual plans the caller may see"),
    retrieve=extend_schema(summary="One annual plan"),
)
class AnnualPlanViewSet(ReadOnlyApiViewSet):
    """Annual plans per factory and year, scoped like the reports (analysts see all plans)."""

    serializer_class = AnnualPlanSerializer
    filterset_class = AnnualPlanApiFilter
    ordering_fields = ["year", "planned_output_value_thousand_won"]

    def get_queryset(self):
        return (
            scoping.visible_annual_plans(self.request.user)
            .select_related("factory__county__province")
            .order_by("year", "factory__code", "pk")
        )


_REPORT_WRITE_RESPONSES = {200: MonthlyReportSerializer}


@extend_schema_view(
    list=extend_schema(
        summary="List the monthly reports the caller may see (cursor pages; CSV with ?format=csv)",
        description=(
            "County officials see their county's reports, provincial officials their province's, analysts every "
            "approved report, administrators all. Pages are walked with the `next` cursor (also in the `Link` "
            "header); rows added during a walk are never served twice and none are skipped."
        ),
    ),
    retrieve=extend_schema(summary="One monthly report"),
    create=extend_schema(
        summary="Create a draft report of one of the caller's county's factories",
        request=MonthlyReportCreateSerializer,
        responses={201: MonthlyReportSerializer},
    ),
    partial_update=extend_schema(
        summary="Change the figures of a draft or returned report",
        request=MonthlyReportUpdateSerializer,
        responses=_REPORT_WRITE_RESPONSES,
    ),
)
class MonthlyReportViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MonthlyReportSerializer
    filterset_class = MonthlyReportApiFilter
    pagination_class = ReportCursorPagination
    ordering_fields = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"
    is_versioned_write = True

    def get_renderers(self):
        # No action: a method the view does not offer, which must still answer 405 when `?format=csv` is given.
        if self.action in ("list", None):
            return [renderer() for renderer in csv_renderer_classes()]
        return super().get_renderers()

    def get_queryset(self):
        return report_values(scoping.visible_reports(self.request.user))

    def get_object_instance(self) -> MonthlyReport:
        """The report as a model instance, looked up inside the caller's scope (404 outside it)."""
        return scoping.get_in_scope_or_404(
            scoping.visible_reports(self.request.user).select_related("factory"), pk=self.kwargs["pk"]
        )

    def _respond(self, report: MonthlyReport, status_code=status.HTTP_200_OK) -> Response:
        row = report_values(scoping.visible_reports(self.request.user).filter(pk=report.pk)).get()
        return Response(MonthlyReportSerializer(row).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = MonthlyReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        factory_code, month = data.pop("factory"), data.pop("month")
        factory = scoping.enterable_factories(request.user).filter(code=factory_code).first()
        if factory is None:
            # Factories are programme-wide reference data: naming another county's factory reveals nothing, so
            # it is a refused action (403), and only an unknown code is bad input (400).
            if scoping.visible_factories(request.user).filter(code=factory_code).exists():
                raise PermissionDenied(_("Only the county's officials may enter this factory's reports."))
            raise ValidationError({"factory": [_("There is no factory with this code.")]})
        existing = scoping.visible_reports(request.user).filter(factory=factory, month=month).values("pk").first()
        if existing is not None:
            raise Conflict(
                _("A report of this factory for this month already exists (id %(id)s); change it with PATCH.")
                % {"id": existing["pk"]}
            )
        # `expect_new`: a report created by a concurrent request after the check above is a 409, not updated.
        report = services.report_save_draft(factory=factory, month=month, data=data, user=request.user, expect_new=True)
        return self._respond(report, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object_instance()
        serializer = MonthlyReportUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        report = services.report_save_draft(
            factory=report.factory, month=report.month, data=data, user=request.user, expected_version=version
        )
        return self._respond(report)

    @extend_schema(
        summary="Submit a draft or returned report for review",
        request=ReportTransitionSerializer,
        responses=_REPORT_WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        version = self._transition_input(ReportTransitionSerializer)["version"]
        report = services.report_submit(report=self.get_object_instance(), user=request.user, expected_version=version)
        return self._respond(report)

    @extend_schema(
        summary="Recall a submitted report the province has not reviewed yet, back to draft (county officials)",
        request=ReportTransitionSerializer,
        responses=_REPORT_WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def recall(self, request, pk=None):
        version = self._transition_input(ReportTransitionSerializer)["version"]
        report = services.report_recall(report=self.get_object_instance(), user=request.user, expected_version=version)
        return self._respond(report)

    @extend_schema(
        summary="Approve a submitted report (provincial officials of its province)",
        description=(
            "A report flagged as unusual (plausibility warnings, as on its page) is approved only with "
            "`acknowledge_warnings: true`; without it the answer is 400 with the warnings listed under "
            "`acknowledge_warnings`, and nothing changes."
        ),
        request=ReportApproveSerializer,
        responses=_REPORT_WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._transition_input(ReportApproveSerializer)
        report = services.report_approve(
            report=self.get_object_instance(),
            user=request.user,
            expected_version=data["version"],
            acknowledge_warnings=data["acknowledge_warnings"],
        )
        return self._respond(report)

    @extend_schema(
        summary="Return a submitted report to the county with a reason",
        request=ReportReturnSerializer,
        responses=_REPORT_WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_county(self, request, pk=None):
        data = self._transition_input(ReportReturnSerializer)
        report = services.report_return(
            report=self.get_object_instance(),
            user=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return self._respond(report)

    def _transition_input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return {"version": None, **serializer.validated_data}
