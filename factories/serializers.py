"""Serializers of factories, construction, bases, plans and monthly reports.

Reports are read from `.values()` rows (no model instances), the hot path of the API: a client may walk all
1.8 million of them. Input serializers only parse types; the rules live in `factories/services/`, so the
API answers with the same messages as the form.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from factories import services
from factories.models import AnnualPlan, ConstructionMilestone, Factory, MonthlyReport, RawMaterialBase


class FactorySerializer(serializers.ModelSerializer):
    county = serializers.SlugField(source="county.slug", read_only=True)
    county_name_en = serializers.CharField(source="county.name_en", read_only=True)
    province = serializers.CharField(source="county.province.code", read_only=True)
    programme_year = serializers.IntegerField(
        source="programme_slot.programme_round.year", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Factory
        fields = [
            "code",
            "name",
            "kind",
            "status",
            "county",
            "county_name_en",
            "province",
            "programme_year",
            "design_capacity",
            "capacity_unit",
            "commissioned_on",
        ]
        read_only_fields = fields


class ConstructionMilestoneSerializer(serializers.ModelSerializer):
    programme_year = serializers.IntegerField(source="programme_slot.programme_round.year", read_only=True)
    county = serializers.SlugField(source="programme_slot.county.slug", read_only=True)
    province = serializers.CharField(source="programme_slot.county.province.code", read_only=True)
    factory = serializers.SlugField(source="factory.code", read_only=True, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=ConstructionMilestone.Status.choices,
        read_only=True,
        help_text="Derived from the dates as of today: an inaugurated site's inauguration is met; a precondition "
        "with no recorded date after inauguration is not_recorded.",
    )
    effective_actual_date = serializers.DateField(
        read_only=True, help_text="The actual date, or for the inauguration the site's reported inauguration date."
    )

    class Meta:
        model = ConstructionMilestone
        fields = [
            "id",
            "programme_year",
            "county",
            "province",
            "factory",
            "kind",
            "planned_date",
            "actual_date",
            "effective_actual_date",
            "status",
            "trained_headcount_planned",
            "trained_headcount_actual",
            "source",
        ]
        read_only_fields = fields


class RawMaterialBaseSerializer(serializers.ModelSerializer):
    county = serializers.SlugField(source="county.slug", read_only=True)
    province = serializers.CharField(source="county.province.code", read_only=True)
    supplies_factory_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = RawMaterialBase
        fields = [
            "id",
            "name",
            "kind",
            "county",
            "province",
            "area_hectares",
            "supplies_factory_kinds",
            "expected_annual_yield_tonnes",
        ]
        read_only_fields = fields


class AnnualPlanSerializer(serializers.ModelSerializer):
    factory = serializers.SlugField(source="factory.code", read_only=True)
    county = serializers.SlugField(source="factory.county.slug", read_only=True)
    province = serializers.CharField(source="factory.county.province.code", read_only=True)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "factory",
            "county",
            "province",
            "year",
            "planned_output_value_thousand_won",
            "planned_physical_output",
            "planned_varieties",
        ]
        read_only_fields = fields


# --- monthly reports ----------------------------------------------------------------------------------

# Column → key of the API row. The list, the detail and the write responses all read these columns only.
REPORT_COLUMNS = {
    "id": "id",
    "factory__code": "factory",
    "factory__name": "factory_name",
    "factory__kind": "factory_kind",
    "factory__county__slug": "county",
    "factory__county__province__code": "province",
    "month": "month",
    "status": "status",
    "output_value_thousand_won": "output_value_thousand_won",
    "physical_output": "physical_output",
    "varieties_produced": "varieties_produced",
    "raw_material_used_tonnes": "raw_material_used_tonnes",
    "raw_material_from_own_bases_tonnes": "raw_material_from_own_bases_tonnes",
    "days_worked": "days_worked",
    "workers_on_roll": "workers_on_roll",
    "comment": "comment",
    "return_reason": "return_reason",
    "first_submitted_at": "first_submitted_at",
    "submitted_at": "submitted_at",
    "approved_at": "approved_at",
    "updated_at": "updated_at",
    "version": "version",
    "is_demo_row": "is_demo",
}
DECIMAL_KEYS = (
    "output_value_thousand_won",
    "physical_output",
    "raw_material_used_tonnes",
    "raw_material_from_own_bases_tonnes",
)
DATETIME_KEYS = ("first_submitted_at", "submitted_at", "approved_at", "updated_at")


def report_values(queryset):
    """The report rows as dicts keyed by column; the only columns a report response reads (one query, no joins
    beyond factory → county → province)."""
    # Generated demo data, or a report of a generated factory: exports and the API say so on every row.
    is_demo = ExpressionWrapper(Q(is_demo=True) | Q(factory__is_demo=True), output_field=BooleanField())
    return queryset.annotate(is_demo_row=is_demo).values(*REPORT_COLUMNS)


def report_row_representation(row: dict, current_zone) -> dict:
    """One `.values()` row as the API shows it. Hand-written on purpose: DRF's per-field machinery costs more than
    the query on a 1,000-row page. MonthlyReportSerializer's declared fields still describe it for the schema."""
    data = {key: row[column] for column, key in REPORT_COLUMNS.items()}
    data["month"] = data["month"].isoformat()
    for key in DECIMAL_KEYS:
        data[key] = f"{data[key]:.2f}"
    for key in DATETIME_KEYS:
        value = data[key]
        if value is not None:
            data[key] = value.astimezone(current_zone).isoformat()
    return data


class MonthlyReportListSerializer(serializers.ListSerializer):
    def to_representation(self, rows):
        current_zone = timezone.get_current_timezone()  # once per page, not once per row
        return [report_row_representation(row, current_zone) for row in rows]


class MonthlyReportSerializer(serializers.Serializer):
    """A monthly report. `version` is sent back on every change (optimistic locking)."""

    id = serializers.IntegerField(read_only=True)
    factory = serializers.SlugField(read_only=True, help_text=_("Factory code."))
    factory_name = serializers.CharField(read_only=True)
    factory_kind = serializers.ChoiceField(choices=Factory._meta.get_field("kind").choices, read_only=True)
    county = serializers.SlugField(read_only=True)
    province = serializers.CharField(read_only=True)
    month = serializers.DateField(read_only=True, help_text=_("First day of the reported month."))
    status = serializers.ChoiceField(choices=MonthlyReport.Status.choices, read_only=True)
    output_value_thousand_won = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    physical_output = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    varieties_produced = serializers.IntegerField(read_only=True)
    raw_material_used_tonnes = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    raw_material_from_own_bases_tonnes = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    days_worked = serializers.IntegerField(read_only=True)
    workers_on_roll = serializers.IntegerField(read_only=True)
    comment = serializers.CharField(read_only=True)
    return_reason = serializers.CharField(read_only=True)
    first_submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    is_demo = serializers.BooleanField(read_only=True, help_text=_("Generated demo data, not real figures."))

    class Meta:
        list_serializer_class = MonthlyReportListSerializer

    def to_representation(self, row):
        return report_row_representation(row, timezone.get_current_timezone())


def _figure_errors(**extra) -> dict:
    # The form's messages, so the browser and the API tell the user the same thing.
    return {
        "required": _("This figure is required."),
        "invalid": _("Enter a number."),
        "min_value": _("Enter zero or more."),
        "max_decimal_places": _("Enter at most two decimal places."),
        **extra,
    }


def _figure_text(field, data) -> str:
    """A JSON number or string as the text the number rule reads; true/false and other types are no number."""
    if isinstance(data, bool) or not isinstance(data, int | float | str):
        field.fail("invalid")
    return data if isinstance(data, str) else str(data)


class FigureDecimalField(serializers.DecimalField):
    """A money or tonnes figure, read by the number rule of every surface (`services.parse_figure`)."""

    def to_internal_value(self, data):
        number, error = services.parse_figure(_figure_text(self, data), is_integer=False)
        if error is not None:
            raise serializers.ValidationError(error, code="invalid")
        if number is None:
            self.fail("invalid")
        return self.quantize(self.validate_precision(number))


class FigureIntegerField(serializers.IntegerField):
    """A count (varieties, days, workers), read by the number rule of every surface."""

    def to_internal_value(self, data):
        number, error = services.parse_figure(_figure_text(self, data), is_integer=True)
        if error is not None:
            raise serializers.ValidationError(error, code="invalid")
        if number is None:
            self.fail("invalid")
        return number


def _decimal_figure(max_digits: int):
    return FigureDecimalField(
        max_digits=max_digits,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages=_figure_errors(),
        coerce_to_string=True,
    )


def _integer_figure(max_value: int):
    return FigureIntegerField(min_value=0, max_value=max_value, required=False, error_messages=_figure_errors())


class ReportFiguresSerializer(serializers.Serializer):
    """The figures a county enters. Omitted figures keep their stored value (a new report needs all of them).
    A figure is a JSON number or a string written with the digits 0-9 and a decimal point (at most two decimals;
    counts are whole numbers): "9,500", full-width digits, decimal commas and exponents are refused with a
    sentence saying how to write the number, as on the form and in the CSV import (docs/api.md)."""

    output_value_thousand_won = _decimal_figure(14)
    physical_output = _decimal_figure(14)
    varieties_produced = _integer_figure(2_147_483_647)
    raw_material_used_tonnes = _decimal_figure(12)
    raw_material_from_own_bases_tonnes = _decimal_figure(12)
    days_worked = _integer_figure(31)
    workers_on_roll = _integer_figure(2_147_483_647)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.COMMENT_MAX_LENGTH,
        error_messages={"max_length": _("Keep the comment within {max_length} characters.")},
    )


class MonthlyReportCreateSerializer(ReportFiguresSerializer):
    """A new draft report of one of the caller's county's factories for one month."""

    factory = serializers.SlugField(max_length=100, help_text=_("Code of a factory of the caller's county."))
    month = serializers.DateField(
        input_formats=["%Y-%m", "iso-8601"],
        help_text=_("The reported month: YYYY-MM, or its first day YYYY-MM-01."),
    )


class MonthlyReportUpdateSerializer(ReportFiguresSerializer):
    """Changed figures of a draft or returned report, with the version the client last read."""

    version = serializers.IntegerField(
        min_value=1, max_value=2_147_483_647, help_text=_("The report's `version` the client last read.")
    )


class ReportTransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        required=False,
        help_text=_("The report's `version` the client last read; a newer stored version answers 409."),
    )


class ReportApproveSerializer(ReportTransitionSerializer):
    acknowledge_warnings = serializers.BooleanField(
        default=False,
        help_text=_(
            "Required as `true` to approve a report flagged as unusual (plausibility warnings): without it such a "
            "report is not approved and the answer (400) lists its warnings. Ignored for a report without warnings."
        ),
    )


class ReportReturnSerializer(ReportTransitionSerializer):
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        error_messages={"required": _("Say what the county must correct.")},
        help_text=_("What the county must correct."),
    )
