"""Output serializers of standings runs and county standings. Read-only: runs are immutable snapshots."""

import operator

from rest_framework import serializers
from rest_framework.settings import api_settings

from standings.models import CountyStanding, NotRankedReason, StandingsRun, rank_with_band_text


class StandingsRunSerializer(serializers.ModelSerializer):
    methodology_version = serializers.IntegerField(source="methodology.version", read_only=True)
    methodology_rules = serializers.CharField(
        source="methodology.label", read_only=True, help_text="The calculation rules of the run: v1 or v1.1."
    )
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
            "methodology_rules",
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
            "last_year_run",
            "includes_demo_data",
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
    "rank_band_low",
    "rank_band_high",
    "rank_with_band",
    "last_year_rank",
    "rank_change_since_last_year",
]


# Fields whose `to_representation` gives back the value the database gave (int → int(), str → str(), bool →
# bool, a stored choice → itself): their values go out as they are, without a call per value (bench, API).
_AS_STORED_FIELDS = (serializers.IntegerField, serializers.CharField, serializers.BooleanField, serializers.ChoiceField)


def _fast_formatter(field):
    """How a field's value is written out: None when as stored, else a function."""
    coerce_to_string = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    is_plain_decimal = isinstance(field, serializers.DecimalField) and not (field.localize or field.normalize_output)
    if is_plain_decimal and coerce_to_string and field.decimal_places is not None:
        # The stored values already have the field's decimal places: formatting them is DRF's quantize-and-str.
        pattern = f".{field.decimal_places}f"
        return lambda value: format(value, pattern)
    if type(field) in _AS_STORED_FIELDS or isinstance(field, serializers.SlugField):
        return None
    return field.to_representation


class FlatRowSerializerMixin:
    """Rows out by a plan built once per serializer (attribute getter and formatter per field) instead of DRF's
    per-field `get_attribute`/`to_representation` machinery, which cost ~3x the query on a 200-row standings page
    (bench/README.md, API benchmark). Same keys and formats as the declared fields, which still make the schema."""

    # Output field → (function, the output fields it is computed from): written in Python from values already read,
    # after them; not read from the database.
    computed_fields: dict = {}

    @classmethod
    def value_keys(cls) -> list[str]:
        """The `.values()` lookups of every field: a queryset of these dicts needs no model instances."""
        if "_value_keys" not in cls.__dict__:
            # Once per class: building a ModelSerializer's fields costs more than a page's rows.
            cls._value_keys = [
                "__".join(field.source_attrs)
                for field in cls()._readable_fields
                if field.field_name not in cls.computed_fields
            ]
        return cls._value_keys

    def to_representation(self, instance):
        is_row = isinstance(instance, dict)
        # Once per class, like `value_keys`: building the fields again for every request was a third of the
        # serializer's time on a standings page. Sound because these fields' output does not depend on the
        # request or context (read-only plain values); the plan is built from a serializer without context,
        # so the class keeps no request alive.
        plan_name = "_row_plan" if is_row else "_instance_plan"
        plan = type(self).__dict__.get(plan_name)
        if plan is None:
            plan = self._plan(is_row)
            setattr(type(self), plan_name, plan)
        names, get_all, computed, formatted = plan
        # Every value read in one C-level call; the computed ones from them; then only the values that need
        # formatting (decimals) are touched, each once.
        row = dict(zip(names, get_all(instance), strict=True))
        for name, function, arguments in computed:
            row[name] = function(*(row[argument] for argument in arguments))
        for name, formatter in formatted:
            value = row[name]
            if value is not None:
                row[name] = formatter(value)
        return row

    @classmethod
    def _plan(cls, is_row: bool):
        computed = [(name, function, arguments) for name, (function, arguments) in cls.computed_fields.items()]
        fields = [field for field in cls()._readable_fields if field.field_name not in cls.computed_fields]
        sources = [("__" if is_row else ".").join(field.source_attrs) for field in fields]
        getter = operator.itemgetter if is_row else operator.attrgetter
        get_all = getter(*sources) if len(sources) > 1 else (lambda instance: (getter(sources[0])(instance),))
        formatted = [
            (field.field_name, formatter) for field in fields if (formatter := _fast_formatter(field)) is not None
        ]
        return [field.field_name for field in fields], get_all, computed, formatted


class CountyStandingSerializer(FlatRowSerializerMixin, serializers.ModelSerializer):
    """A county's line in one run: indicator values (ratios), 0–100 scores, composite and ranks. Flat, for CSV."""

    county = serializers.SlugField(source="county.slug", read_only=True)
    county_name_en = serializers.CharField(source="county.name_en", read_only=True)
    province = serializers.CharField(source="county.province.code", read_only=True)
    # Blank for a ranked county; declared so the schema says so (read-only model fields drop allow_blank).
    not_ranked_reason = serializers.ChoiceField(choices=NotRankedReason.choices, allow_blank=True, read_only=True)
    rank_with_band = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text='The rank with how far it depends on the weights, e.g. "84 (likely 78–92)" (DESIGN.md rank band).',
    )

    computed_fields = {"rank_with_band": (rank_with_band_text, ("rank", "rank_band_low", "rank_band_high"))}

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
