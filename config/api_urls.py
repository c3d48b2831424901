"""The API: version 1 under /api/v1/, its OpenAPI schema and its documentation (served from our own host)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from factories.api import (
    AnnualPlanViewSet,
    ConstructionMilestoneViewSet,
    FactoryViewSet,
    MonthlyReportViewSet,
    RawMaterialBaseViewSet,
)
from regional.api import CountyViewSet, ProgrammeRoundViewSet, ProgrammeSlotViewSet, ProvinceViewSet
from regional.api_tokens import MyAccountView, ObtainTokenView
from standings.api import CountyStandingsHistoryView, RunCountyStandingsView, StandingsRunViewSet


class ApiRouter(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False


router = ApiRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("counties", CountyViewSet, basename="county")
router.register("rounds", ProgrammeRoundViewSet, basename="programme-round")
router.register("slots", ProgrammeSlotViewSet, basename="programme-slot")
router.register("factories", FactoryViewSet, basename="factory")
router.register("milestones", ConstructionMilestoneViewSet, basename="milestone")
router.register("raw-material-bases", RawMaterialBaseViewSet, basename="raw-material-base")
router.register("annual-plans", AnnualPlanViewSet, basename="annual-plan")
router.register("reports", MonthlyReportViewSet, basename="report")
router.register("standings/runs", StandingsRunViewSet, basename="standings-run")

app_name = "api"

v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="token-obtain"),
    path("auth/me/", MyAccountView.as_view(), name="me"),
    path("standings/runs/<int:run_id>/standings/", RunCountyStandingsView.as_view(), name="run-standings"),
    path("counties/<slug:slug>/standings/", CountyStandingsHistoryView.as_view(), name="county-standings"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
