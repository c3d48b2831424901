"""Output serializers of standings runs and county standings. Read-only: runs are immutable snapshots."""

import operator

from django.db.models import CharField, Expression
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


def _decimal_places_as_text(field) -> int | None:
    """The decimal places of a decimal field DRF writes out as quantize-and-str text; None for any other field."""
    coerce_to_string = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    is_plain_decimal = isinstance(field, serializers.DecimalField) and not (field.localize or field.normalize_output)
    if is_plain_decimal and coerce_to_string and field.decimal_places is not None:
        return field.decimal_places
    return None


def _fast_formatter(field):
    """How a field's value is written out: None when as stored, else a function."""
    decimal_places = _decimal_places_as_text(field)
    if decimal_places is not None:
        # The stored values already have the field's decimal places: formatting them is DRF's quantize-and-str.
        pattern = f".{decimal_places}f"
        return lambda value: format(value, pattern)
    if type(field) in _AS_STORED_FIELDS or isinstance(field, serializers.SlugField):
        return None
    return field.to_representation


class DecimalText(Expression):
    """A decimal column of the queryset's own table as the text DRF would write for it (`12.340000` for six
    places), made by the database.

    PostgreSQL prints a NUMERIC(p, s) column with exactly its s places, no exponent: DRF's quantize-and-str of the
    same value. SQLite (`make run`) keeps such a column as a binary double, so it is printed with its places
    (`printf`). Reading text instead of Decimals spares the driver's parsing and a formatting call per value:
    a 200-row standings page has 2,200 of them, a tenth of the API's time a request (bench, API). Written as SQL
    directly rather than as `Cast(F(...))`: resolving and compiling eleven of those cost ~1 ms a request."""

    output_field = CharField()

    def __init__(self, column: str, *, decimal_places: int):
        super().__init__()
        self.column = column
        self.decimal_places = int(decimal_places)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return self  # a column of the query's base table, nothing to resolve; immutable, so shared safely

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        column = f"{table}.{connection.ops.quote_name(self.column)}"
        if connection.vendor == "sqlite":
            # printf() writes NULL as 0.000000: an unknown value must stay null.
            return f"(CASE WHEN {column} IS NULL THEN NULL ELSE printf('%.{self.decimal_places}f', {column}) END)", []
        return f"CAST({column} AS TEXT)", []


class FlatRowSerializerMixin:
    """Rows out by a plan built once per serializer (attribute getter and formatter per field) instead of DRF's
    per-field `get_attribute`/`to_representation` machinery, which cost ~3x the query on a 200-row standings page
    (bench/README.md, API benchmark). Same keys and formats as the declared fields, which still make the schema.

    Rows are tuples from `.values_list(*row_columns())`: plain lookups, and the decimals as the database's text
    (`DecimalText`), so a row needs no formatting but the computed fields, and no dict is built for it but the
    one written out. Model instances (select_related) work too, formatted in Python."""

    # Output field → (function, the output fields it is computed from): written in Python from values already read,
    # after them; not read from the database.
    computed_fields: dict = {}

    @classmethod
    def row_columns(cls) -> list:
        """The `.values_list()` arguments of one row, in the order of the serializer's stored fields: each field's
        lookup, or the text of a decimal of the model's own table. A query may add columns after them."""
        if "_row_columns" not in cls.__dict__:
            # Once per class: building a ModelSerializer's fields costs more than a page's rows.
            columns = []
            for field in cls._stored_fields():
                lookup = "__".join(field.source_attrs)
                decimal_places = _decimal_places_as_text(field)
                if decimal_places is not None and len(field.source_attrs) == 1:
                    column = cls.Meta.model._meta.get_field(lookup).column
                    columns.append(DecimalText(column, decimal_places=decimal_places))
                else:
                    columns.append(lookup)
            cls._row_columns = columns
        return cls._row_columns

    def to_representation(self, instance):
        is_row = isinstance(instance, tuple)
        # Once per class, like `row_columns`: building the fields again for every request was a third of the
        # serializer's time on a standings page. Sound because these fields' output does not depend on the
        # request or context (read-only plain values); the plan is built from a serializer without context,
        # so the class keeps no request alive.
        plan_name = "_row_plan" if is_row else "_instance_plan"
        plan = type(self).__dict__.get(plan_name)
        if plan is None:
            plan = self._plan(is_row)
            setattr(type(self), plan_name, plan)
        names, get_all, computed, formatted = plan
        # Every value read in one C-level call (a row's own order needs none); the computed ones from them; then
        # only the values that need formatting (decimals of model instances) are touched, each once.
        # Not strict: a row may carry columns of the query's own after the fields (e.g. a count).
        row = dict(zip(names, instance if get_all is None else get_all(instance), strict=False))
        for name, function, arguments in computed:
            row[name] = function(*(row[argument] for argument in arguments))
        for name, formatter in formatted:
            value = row[name]
            if value is not None:
                row[name] = formatter(value)
        return row

    @classmethod
    def _stored_fields(cls) -> list:
        return [field for field in cls()._readable_fields if field.field_name not in cls.computed_fields]

    @classmethod
    def _plan(cls, is_row: bool):
        computed = [(name, function, arguments) for name, (function, arguments) in cls.computed_fields.items()]
        fields = cls._stored_fields()
        if is_row:
            # A row holds its fields in order, each decimal as the database's text already (`row_columns`).
            as_text = {index for index, column in enumerate(cls.row_columns()) if isinstance(column, DecimalText)}
            get_all = None
        else:
            as_text = set()
            sources = [".".join(field.source_attrs) for field in fields]
            getter = operator.attrgetter(*sources)
            get_all = getter if len(sources) > 1 else (lambda instance: (getter(instance),))
        formatted = [
            (field.field_name, formatter)
            for index, field in enumerate(fields)
            if index not in as_text and (formatter := _fast_formatter(field)) is not None
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
