"""`/api/v1/`: where everything is. The endpoints a client starts from (lists, its token, its account) and the
schema and documentation, as absolute links, for anyone: addresses reveal nothing, and a newcomer needs the
token endpoint before having a token."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from regional.api_support import ApiViewMixin

# Key in the answer → URL name in the `api` namespace. Endpoints that need an object (a county's standings, a
# run's standings, one report) are reached from the objects these lists give.
ENDPOINTS = {
    "auth_token": "api:token-obtain",
    "me": "api:me",
    "provinces": "api:province-list",
    "counties": "api:county-list",
    "rounds": "api:programme-round-list",
    "slots": "api:programme-slot-list",
    "factories": "api:factory-list",
    "milestones": "api:milestone-list",
    "raw_material_bases": "api:raw-material-base-list",
    "annual_plans": "api:annual-plan-list",
    "reports": "api:report-list",
    "standings_runs": "api:standings-run-list",
    "schema": "api:schema",
    "docs": "api:docs",
    "redoc": "api:redoc",
}

ApiRootSerializer = inline_serializer(
    name="ApiRoot", fields={key: serializers.URLField(read_only=True) for key in ENDPOINTS}
)


class ApiRootView(ApiViewMixin, APIView):
    permission_classes = [AllowAny]
    pagination_class = None

    @extend_schema(summary="The API's endpoints, its schema and its documentation", responses={200: ApiRootSerializer})
    def get(self, request):
        return Response({key: request.build_absolute_uri(reverse(name)) for key, name in ENDPOINTS.items()})
