"""The pivot explorer: one measure, rows by a place or a programme dimension, columns by period, filters on any of
them. One aggregate query over the reader's approved reports (`regional.scoping`), ratios computed in Python from
the exact sums of each cell, never from rounded values.

Measures (all over approved reports):
- output value: Σ output value (thousand won);
- output against plan: Σ output ÷ Σ the month's plan, over the reports whose month has a plan > 0 (the plan is
  the entered monthly split, else a twelfth of the annual plan);
- varieties: mean varieties produced per reported factory-month;
- own raw materials: Σ raw material from own bases ÷ Σ raw material used;
- reports: the number of approved reports;
- reporting discipline, completeness and the standings indicators (plan fulfilment, growth, product range, local
  raw materials): the methodology's rules over factory-months in operation in closed months (`indicators`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, DecimalField, ExpressionWrapper, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from factories.analysis.indicators import COMPLETENESS, INDICATOR_MEASURES, indicator_cells
from factories.models import AnnualPlan, FactoryKind, MonthlyPlan, MonthlyReport
from regional import scoping
from standings.computation.arithmetic import round_half_up
from standings.models import Indicator

MEASURES = {
    "output_value": _("Output value (thousand won)"),
    "against_plan": _("Output against plan"),
    "varieties": _("Varieties per factory-month"),
    "own_share": _("Raw material from own bases"),
    "reports": _("Approved reports"),
    Indicator.REPORTING_DISCIPLINE.value: _("Reporting discipline (reports first submitted by the deadline)"),
    COMPLETENESS: _("Completeness (reports approved of those due)"),
    Indicator.PLAN_FULFILMENT.value: _("Standings: plan fulfilment"),
    Indicator.GROWTH.value: _("Standings: growth on the same months a year earlier"),
    Indicator.PRODUCT_RANGE.value: _("Standings: product range"),
    Indicator.LOCAL_RAW_MATERIALS.value: _("Standings: local raw materials"),
}
# Shown as percentages; the standings measures are exact `Fraction`s, the others `Decimal`s.
RATIO_MEASURES = {"against_plan", "own_share", *INDICATOR_MEASURES}
ROWS = {
    "province": (
        _("Province"),
        ("factory__county__province__code", "factory__county__province__name_en", "factory__county__province__name_ko"),
    ),
    "county": (_("County"), ("factory__county__slug", "factory__county__name_en", "factory__county__name_ko")),
    "kind": (_("Factory kind"), ("factory__kind",)),
    "round": (_("Programme round"), ("factory__programme_slot__programme_round__year",)),
}
COLUMNS = {"month": _("Month"), "quarter": _("Quarter"), "year": _("Year")}
_MONEY = DecimalField(max_digits=20, decimal_places=6)


@dataclass(frozen=True)
class PivotQuery:
    measure: str = "output_value"
    rows: str = "province"
    columns: str = "month"
    year: int | None = None
    province: str = ""
    kind: str = ""
    round: int | None = None
    chart: str = "bar"

    @property
    def year_range(self) -> tuple[int, int] | None:
        return (self.year, self.year) if self.year else None


@dataclass
class Cell:
    output: Decimal = Decimal(0)
    output_planned: Decimal = Decimal(0)
    plan: Decimal = Decimal(0)
    varieties: int = 0
    own: Decimal = Decimal(0)
    used: Decimal = Decimal(0)
    reports: int = 0

    def add(self, row: dict) -> None:
        self.output += row["output"] or 0
        self.output_planned += row["output_planned"] or 0
        self.plan += row["plan"] or 0
        self.varieties += row["varieties"] or 0
        self.own += row["own"] or 0
        self.used += row["used"] or 0
        self.reports += row["reports"]

    def value(self, measure: str):
        if measure == "output_value":
            return self.output
        if measure == "against_plan":
            return self.output_planned / self.plan if self.plan else None
        if measure == "varieties":
            return Decimal(self.varieties) / self.reports if self.reports else None
        if measure == "own_share":
            return self.own / self.used if self.used else None
        return self.reports


@dataclass
class PivotTable:
    query: PivotQuery
    row_keys: list = field(default_factory=list)
    row_labels: dict = field(default_factory=dict)
    column_keys: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)
    # The standings measures' row totals, computed from all the row's factory-months (not added up from cells).
    totals: dict | None = None
    has_demo: bool = False

    def value(self, row_key, column_key):
        cell = self.cells.get((row_key, column_key))
        return cell.value(self.query.measure) if cell else None

    def row_total(self, row_key):
        if self.totals is not None:
            cell = self.totals.get(row_key)
            return cell.value(self.query.measure) if cell else None
        total = Cell()
        for column_key in self.column_keys:
            cell = self.cells.get((row_key, column_key))
            if cell:
                _merge(total, cell)
        return total.value(self.query.measure) if total.reports else None

    def rows(self) -> list[dict]:
        return [
            {
                "key": key,
                "label": self.row_labels[key],
                "values": [self.value(key, column) for column in self.column_keys],
                "total": self.row_total(key),
            }
            for key in self.row_keys
        ]

    def column_labels(self) -> list[str]:
        return [column_label(self.query.columns, key) for key in self.column_keys]


def decimal_value(value):
    """A figure for an export, the API or the chart: a standings measure's exact `Fraction` as a decimal (half-up
    to 12 places, the API's precision); other figures are already exact decimals or whole numbers."""
    if isinstance(value, Fraction):
        return round_half_up(value, 12)
    return value


def _merge(total: Cell, cell: Cell) -> None:
    for name in ("output", "output_planned", "plan", "varieties", "own", "used", "reports"):
        setattr(total, name, getattr(total, name) + getattr(cell, name))


def column_label(columns: str, key) -> str:
    if columns == "month":
        return f"{key[0]}-{key[1]:02d}"
    if columns == "quarter":
        return f"{key[0]} Q{key[1]}"
    return str(key[0])


def _monthly_plan():
    """The report's month's planned output value: the entered split, else a twelfth of the annual plan."""
    split = MonthlyPlan.objects.filter(
        annual_plan__factory=OuterRef("factory"),
        annual_plan__year=OuterRef("month__year"),
        month_number=OuterRef("month__month"),
    ).values("planned_output_value_thousand_won")[:1]
    annual = AnnualPlan.objects.filter(factory=OuterRef("factory"), year=OuterRef("month__year")).values(
        "planned_output_value_thousand_won"
    )[:1]
    return Coalesce(
        Subquery(split, output_field=_MONEY),
        ExpressionWrapper(Subquery(annual, output_field=_MONEY) / Value(Decimal(12)), output_field=_MONEY),
    )


def _column_fields(columns: str) -> tuple[str, ...]:
    return {
        "month": ("month__year", "month__month"),
        "quarter": ("month__year", "month__quarter"),
        "year": ("month__year",),
    }[columns]


def pivot(*, user, query: PivotQuery) -> PivotTable:
    if query.measure in INDICATOR_MEASURES:
        return _indicator_pivot(user=user, query=query)
    reports = scoping.visible_reports(user).filter(status=MonthlyReport.Status.APPROVED)
    if query.year:
        reports = reports.filter(month__year=query.year)
    if query.province:
        reports = reports.filter(factory__county__province__code=query.province)
    if query.kind:
        reports = reports.filter(factory__kind=query.kind)
    if query.round:
        reports = reports.filter(factory__programme_slot__programme_round__year=query.round)
    row_fields = ROWS[query.rows][1]
    column_fields = _column_fields(query.columns)
    grouped = (
        reports.annotate(plan_value=_monthly_plan())
        .values(*row_fields, *column_fields)
        .annotate(
            output=Sum("output_value_thousand_won"),
            output_planned=Sum("output_value_thousand_won", filter=Q(plan_value__gt=0)),
            plan=Sum("plan_value", filter=Q(plan_value__gt=0)),
            varieties=Sum("varieties_produced"),
            own=Sum("raw_material_from_own_bases_tonnes"),
            used=Sum("raw_material_used_tonnes"),
            reports=Count("pk"),
            demo=Count("pk", filter=Q(is_demo=True)),
        )
        .order_by(*row_fields, *column_fields)
    )
    table = PivotTable(query=query)
    columns = set()
    for row in grouped:
        row_key = row[row_fields[0]]
        if row_key not in table.row_labels:
            table.row_keys.append(row_key)
            table.row_labels[row_key] = _row_label(query.rows, row, row_fields)
        column_key = tuple(row[name] for name in column_fields)
        columns.add(column_key)
        table.cells.setdefault((row_key, column_key), Cell()).add(row)
        table.has_demo = table.has_demo or bool(row["demo"])
    table.column_keys = sorted(columns)
    return table


def _indicator_pivot(*, user, query: PivotQuery) -> PivotTable:
    rows, cells, totals = indicator_cells(user=user, query=query)
    table = PivotTable(query=query, cells=cells, totals=totals)
    for key, name_en, name_ko in rows:
        table.row_keys.append(key)
        table.row_labels[key] = _label(query.rows, key, name_en, name_ko)
    table.column_keys = sorted({column for _row, column in cells})
    table.has_demo = any(cell.demo for cell in totals.values())
    return table


def _row_label(rows: str, row: dict, fields: tuple[str, ...]) -> dict:
    names = (row[fields[1]], row[fields[2]]) if rows in ("province", "county") else (None, None)
    return _label(rows, row[fields[0]], *names)


def _label(rows: str, key, name_en: str | None, name_ko: str | None) -> dict:
    if rows in ("province", "county"):
        return {"en": name_en, "ko": name_ko or name_en}
    if rows == "kind":
        label = str(dict(FactoryKind.choices).get(key, key))
        return {"en": label, "ko": label}
    label = str(key) if key else str(_("not built by the programme"))
    return {"en": label, "ko": label}


def today_year() -> int:
    return datetime.date.today().year
