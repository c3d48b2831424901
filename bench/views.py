"""The framework-overhead baseline: the same scoped queries as two API list endpoints, answered by a minimal Django
view that authenticates the same token and returns `.values()` as JSON. Bench-only (served by bench/urls.py).

What the API costs beyond this (DRF's authentication classes, throttling, content negotiation, filtering,
pagination and serialisation) is the overhead the API benchmark's ratio measures.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.http import HttpResponseForbidden, JsonResponse
from rest_framework.authtoken.models import Token

from regional import scoping

REPORT_PAGE_SIZE = 100  # regional.api_support.ReportCursorPagination.page_size
STANDINGS_PAGE_SIZE = 200  # regional.api_support.StandingsPagination.page_size
REPORT_COLUMNS = (
    "id",
    "factory__code",
    "factory__name",
    "factory__kind",
    "factory__county__slug",
    "factory__county__province__code",
    "month",
    "status",
    "output_value_thousand_won",
    "physical_output",
    "varieties_produced",
    "raw_material_used_tonnes",
    "raw_material_from_own_bases_tonnes",
    "days_worked",
    "workers_on_roll",
    "comment",
    "return_reason",
    "first_submitted_at",
    "submitted_at",
    "approved_at",
    "updated_at",
    "version",
)
STANDING_COLUMNS = (
    "county__slug",
    "county__name_en",
    "county__province__code",
    "operating_months",
    "counted_months",
    "is_ranked",
    "not_ranked_reason",
    "plan_fulfilment",
    "growth",
    "product_range",
    "local_raw_materials",
    "reporting_discipline",
    "score_plan_fulfilment",
    "score_growth",
    "score_product_range",
    "score_local_raw_materials",
    "score_reporting_discipline",
    "composite",
    "rank",
    "province_rank",
    "previous_rank",
    "rank_change",
)


def _token_user(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Token "):
        return None
    token = Token.objects.select_related("user").filter(key=header.removeprefix("Token ")).first()
    return token.user if token is not None and token.user.is_active else None


def _json(rows):
    return JsonResponse({"results": rows}, encoder=DjangoJSONEncoder)


def baseline_reports(request):
    user = _token_user(request)
    if user is None:
        return HttpResponseForbidden()
    rows = scoping.visible_reports(user).order_by("id").values(*REPORT_COLUMNS)[:REPORT_PAGE_SIZE]
    return _json(list(rows))


def baseline_run_standings(request, run_id: int):
    user = _token_user(request)
    if user is None:
        return HttpResponseForbidden()
    rows = (
        scoping.visible_county_standings(user)
        .filter(run_id=run_id)
        .order_by(F("rank").asc(nulls_last=True), "county__name_en", "pk")
        .values(*STANDING_COLUMNS)[:STANDINGS_PAGE_SIZE]
    )
    return _json(list(rows))
