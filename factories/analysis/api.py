"""`/api/v1/analytics/`: the pivot explorer's table as JSON, in the spirit of DHIS2's analytics API: a measure
(`dx`), a row dimension (`rows`), a period dimension (`pe`) and filters. Same scoping as the page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from factories.analysis.pivot import COLUMNS, MEASURES, ROWS, PivotQuery, column_label, decimal_value, pivot
from factories.models import FactoryKind
from regional.api_support import ApiViewMixin


class AnalyticsQuerySerializer(serializers.Serializer):
    dx = serializers.ChoiceField(
        choices=list(MEASURES),
        default="output_value",
        help_text=_(
            "The measure. reporting_discipline, completeness and the standings indicators count the months of "
            "factories in operation whose entry period has closed (methodology v1.1); ratios are exact to 12 "
            "decimals, null when unknown."
        ),
    )
    rows = serializers.ChoiceField(choices=list(ROWS), default="province", help_text=_("The row dimension."))
    pe = serializers.ChoiceField(choices=list(COLUMNS), default="month", help_text=_("The period of the columns."))
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text=_("Only this year."))
    province = serializers.CharField(required=False, max_length=10, help_text=_("Province ISO code."))
    kind = serializers.ChoiceField(choices=FactoryKind.choices, required=False, help_text=_("Factory kind."))
    round = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text=_("Programme round."))


class AnalyticsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    name_ko = serializers.CharField()
    values = serializers.ListField(
        child=serializers.DecimalField(max_digits=30, decimal_places=12, allow_null=True, coerce_to_string=True)
    )
    total = serializers.DecimalField(max_digits=30, decimal_places=12, allow_null=True, coerce_to_string=True)


class AnalyticsSerializer(serializers.Serializer):
    measure = serializers.CharField()
    rows_dimension = serializers.CharField()
    period = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = AnalyticsRowSerializer(many=True)
    includes_demo_data = serializers.BooleanField()


class AnalyticsView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Aggregate approved reports by a row dimension and a period (the pivot explorer's table)",
        parameters=[AnalyticsQuerySerializer],
        responses={200: AnalyticsSerializer},
    )
    def get(self, request):
        # A plain dict: an empty parameter (`?rows=`) is then refused, not replaced by the default.
        params = AnalyticsQuerySerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        table = pivot(
            user=request.user,
            query=PivotQuery(
                measure=data["dx"],
                rows=data["rows"],
                columns=data["pe"],
                year=data.get("year"),
                province=data.get("province", ""),
                kind=data.get("kind", ""),
                round=data.get("round"),
            ),
        )
        rows = [
            {
                "key": str(row["key"]),
                "name": row["label"]["en"],
                "name_ko": row["label"]["ko"],
                "values": [decimal_value(value) for value in row["values"]],
                "total": decimal_value(row["total"]),
            }
            for row in table.rows()
        ]
        payload = {
            "measure": data["dx"],
            "rows_dimension": data["rows"],
            "period": data["pe"],
            "columns": [column_label(data["pe"], key) for key in table.column_keys],
            "rows": rows,
            "includes_demo_data": table.has_demo,
        }
        return Response(AnalyticsSerializer(payload).data)
