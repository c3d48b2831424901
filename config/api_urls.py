"""The API: version 1 under /api/v1/, its OpenAPI schema and its documentation (served from our own host)."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.csp import CSP
from django.utils.translation import gettext
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from factories.analysis.api import AnalyticsView
from factories.api import (
    AnnualPlanViewSet,
    ConstructionMilestoneViewSet,
    FactoryViewSet,
    MonthlyReportViewSet,
    RawMaterialBaseViewSet,
)
from regional.api import CountyViewSet, ProgrammeRoundViewSet, ProgrammeSlotViewSet, ProvinceViewSet
from regional.api_root import ApiRootView
from regional.api_tokens import MyAccountView, ObtainTokenView
from regional.sites.api import FacilityViewSet, RawMaterialYearViewSet, ReviewView, SiteResponsibilityViewSet
from standings.api import CountyStandingsHistoryView, RunCountyStandingsView, StandingsRunViewSet


class ApiRouter(DefaultRouter):
    include_root_view = False  # ApiRootView below lists the router's endpoints and the others
    include_format_suffixes = False


router = ApiRouter()
# Reports first: Django tries the patterns in order, and the reports list is the API's busiest address (each
# viewset before it cost its regexes on every report request; bench, API). The prefixes do not overlap.
router.register("reports", MonthlyReportViewSet, basename="report")
router.register("provinces", ProvinceViewSet, basename="province")
router.register("counties", CountyViewSet, basename="county")
router.register("rounds", ProgrammeRoundViewSet, basename="programme-round")
router.register("slots", ProgrammeSlotViewSet, basename="programme-slot")
router.register("factories", FactoryViewSet, basename="factory")
router.register("milestones", ConstructionMilestoneViewSet, basename="milestone")
router.register("raw-material-bases", RawMaterialBaseViewSet, basename="raw-material-base")
router.register("raw-material-years", RawMaterialYearViewSet, basename="raw-material-year")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("site-responsibilities", SiteResponsibilityViewSet, basename="site-responsibility")
router.register("annual-plans", AnnualPlanViewSet, basename="annual-plan")
router.register("standings/runs", StandingsRunViewSet, basename="standings-run")

app_name = "api"

v1 = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/token/", ObtainTokenView.as_view(), name="token-obtain"),
    path("auth/me/", MyAccountView.as_view(), name="me"),
    path("standings/runs/<int:run_id>/standings/", RunCountyStandingsView.as_view(), name="run-standings"),
    path("counties/<slug:slug>/standings/", CountyStandingsHistoryView.as_view(), name="county-standings"),
    path("analytics/", AnalyticsView.as_view(), name="analytics"),
    path("reviews/<int:year>/<str:period>/<str:scope>/", ReviewView.as_view(), name="review"),
    *router.urls,
]

# The documentation pages keep the site's policy for scripts (our host only, no inline script: Swagger UI's
# start-up script is served as a file by the split view) but Swagger UI and Redoc style their widgets inline.
documentation_csp = csp_override(
    {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF],
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF, "data:"],
        "connect-src": [CSP.SELF],
        "worker-src": [CSP.SELF, "blob:"],
        "frame-ancestors": [CSP.NONE],
        "base-uri": [CSP.SELF],
    }
)


@csrf_exempt  # it changes nothing; a POST to an unknown address must get this 404, not a CSRF page
def api_not_found(request, *args, **kwargs):
    """Unknown API addresses answer like the API (JSON), not with the site's HTML error page."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


# The schema and its documentation pages are read, nothing else (DRF would answer OPTIONS on the HTML pages by
# rendering its metadata through their template, a 500).
READ_ONLY = ["get", "head"]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(http_method_names=READ_ONLY), name="schema"),
    path(
        "docs/",
        documentation_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema", http_method_names=READ_ONLY)),
        name="docs",
    ),
    path(
        "redoc/",
        documentation_csp(
            SpectacularRedocView.as_view(
                url_name="api:schema", template_name="api/redoc.html", http_method_names=READ_ONLY
            )
        ),
        name="redoc",
    ),
    re_path(r"^", api_not_found),
]
