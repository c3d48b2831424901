"""Output serializers of standings runs and county standings. Read-only: runs are immutable snapshots."""

from rest_framework import serializers

from standings.models import CountyStanding, NotRankedReason, StandingsRun


class StandingsRunSerializer(serializers.ModelSerializer):
    methodology_version = serializers.IntegerField(source="methodology.version", read_only=True)
    triggered_by = serializers.CharField(source="triggered_by.username", read_only=True, allow_null=True, default=None)
    weights = serializers.JSONField(
        read_only=True, help_text="The weights (and rule) used, copied from the methodology."
    )
    notes = serializers.JSONField(read_only=True)

    class Meta:
        model = StandingsRun
        fields = [
            "id",
            "year",
            "methodology_version",
            "weights",
            "cutoff_at",
            "inputs_hash",
            "trigger",
            "triggered_by",
            "created_at",
            "previous_run",
            "notes",
            "ranked_count",
            "listed_count",
        ]
        read_only_fields = fields


_STANDING_FIELDS = [
    "county",
    "county_name_en",
    "province",
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
]


class CountyStandingSerializer(serializers.ModelSerializer):
    """A county's line in one run: indicator values (ratios), 0–100 scores, composite and ranks. Flat, for CSV."""

    county = serializers.SlugField(source="county.slug", read_only=True)
    county_name_en = serializers.CharField(source="county.name_en", read_only=True)
    province = serializers.CharField(source="county.province.code", read_only=True)
    # Blank for a ranked county; declared so the schema says so (read-only model fields drop allow_blank).
    not_ranked_reason = serializers.ChoiceField(choices=NotRankedReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = CountyStanding
        fields = _STANDING_FIELDS
        read_only_fields = fields


class CountyStandingHistorySerializer(CountyStandingSerializer):
    """A county's line in each run, with the run it belongs to."""

    run = serializers.IntegerField(source="run_id", read_only=True)
    year = serializers.IntegerField(source="run.year", read_only=True)
    cutoff_at = serializers.DateTimeField(source="run.cutoff_at", read_only=True)
    run_created_at = serializers.DateTimeField(source="run.created_at", read_only=True)

    class Meta(CountyStandingSerializer.Meta):
        fields = ["run", "year", "cutoff_at", "run_created_at", *_STANDING_FIELDS]
        read_only_fields = fields
