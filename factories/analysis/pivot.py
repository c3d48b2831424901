"""The pivot explorer: one measure, rows by a place or a programme dimension, columns by period, filters on any of
them. One set-based statement over the reader's approved reports (`regional.scoping`) that adds whole numbers only
(money in hundredths, plans in twelfths of hundredths); ratios are computed in Python from the exact sums of each
cell, never from rounded values.

Measures (all over approved reports):
- output value: Σ output value (thousand won);
- output against plan: Σ output ÷ Σ the month's plan, over the reports whose month has a plan > 0 (the plan is
  the one rule of `factories.selectors.plans`: the entered monthly split when it counts, else a twelfth of the
  annual plan);
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

from django.db import connection
from django.db.models import F
from django.db.models.functions import ExtractMonth, ExtractYear, TruncQuarter, TruncYear
from django.utils.translation import gettext_lazy as _

from factories.analysis.indicators import (
    COMPLETENESS,
    INDICATOR_MEASURES,
    TABLES,
    indicator_cells,
    row_grouping,
)
from factories.models import FactoryKind, MonthlyReport
from factories.selectors.plans import PLANNED_TWELFTHS_SQL, plan_joins_sql, sum_hundredths_sql, valid_splits_sql
from regional import scoping
from standings.computation.arithmetic import round_half_up
from standings.models import Indicator

MEASURES = {
    "output_value": _("Output value (thousand won)"),
    "against_plan": _("Output against plan"),
    "varieties": _("Varieties per factory-month"),
    "own_share": _("Raw material from own bases"),
    "reports": _("Approved reports"),
    Indicator.REPORTING_DISCIPLINE.value: _("Reporting discipline"),
    COMPLETENESS: _("Completeness"),
    Indicator.PLAN_FULFILMENT.value: _("Standings: plan fulfilment"),
    Indicator.GROWTH.value: _("Standings: growth"),
    Indicator.PRODUCT_RANGE.value: _("Standings: product range"),
    Indicator.LOCAL_RAW_MATERIALS.value: _("Standings: local raw materials"),
}
# Shown as percentages; the standings measures are exact `Fraction`s, the others `Decimal`s.
RATIO_MEASURES = {"against_plan", "own_share", *INDICATOR_MEASURES}
ROWS = {
    "province": _("Province"),
    "county": _("County"),
    "kind": _("Factory kind"),
    "round": _("Programme round"),
}
COLUMNS = {"month": _("Month"), "quarter": _("Quarter"), "year": _("Year")}


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
    """A cell's exact sums over its approved reports: money and tonnes in whole hundredths, plans in whole twelfths
    of hundredths (`factories.selectors.plans`)."""

    output: int = 0
    output_planned: int = 0
    plan: int = 0
    varieties: int = 0
    own: int = 0
    used: int = 0
    reports: int = 0
    demo: int = 0

    def value(self, measure: str):
        if measure == "output_value":
            return Decimal(self.output).scaleb(-2)
        if measure == "against_plan":
            # (output hundredths ÷ 100) ÷ (plan twelfths of hundredths ÷ 1,200)
            return Fraction(self.output_planned * 12, self.plan) if self.plan else None
        if measure == "varieties":
            return Decimal(self.varieties) / self.reports if self.reports else None
        if measure == "own_share":
            return Fraction(self.own, self.used) if self.used else None
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
    for name in ("output", "output_planned", "plan", "varieties", "own", "used", "reports", "demo"):
        setattr(total, name, getattr(total, name) + getattr(cell, name))


def column_label(columns: str, key) -> str:
    if columns == "month":
        return f"{key[0]}-{key[1]:02d}"
    if columns == "quarter":
        return f"{key[0]} Q{key[1]}"
    return str(key[0])


_STATEMENT = """
WITH scoped_reports AS ({reports}),
valid_splits AS ({valid_splits}
),
-- Each factory's group (the factory's province, county, kind or round).
factory_groups AS (
    SELECT f.id AS factory_id, {group_key} AS group_key
    FROM {factory} f{group_joins}
),
planned_reports AS (
    SELECT r.factory_id, r.period, r.is_demo, r.output_value_thousand_won, r.varieties_produced,
           r.raw_material_from_own_bases_tonnes, r.raw_material_used_tonnes,
           {planned} AS planned_twelfths
    FROM scoped_reports r{plan_joins}
),
-- Grouped by ids first, named after: a handful of labels joined to the groups, not to every report. Only the
-- measure's sums are taken (the others are 0).
grouped AS (
    SELECT fg.group_key, x.period,
           {output},
           -- Output against plan: over the reports whose month has a plan > 0, in both sums.
           {output_planned},
           {plan},
           {varieties}, {own}, {used}, COUNT(*),
           SUM(CASE WHEN x.is_demo THEN 1 ELSE 0 END)
    FROM planned_reports x
    JOIN factory_groups fg ON fg.factory_id = x.factory_id
    GROUP BY fg.group_key, x.period
)
SELECT {row_key}, {label_en}, {label_ko}, g.*
FROM grouped g{label_joins}
"""


def _scoped_reports(user, query: PivotQuery):
    reports = scoping.visible_reports(user).filter(status=MonthlyReport.Status.APPROVED)
    if query.year:
        reports = reports.filter(month__year=query.year)
    if query.province:
        reports = reports.filter(factory__county__province__code=query.province)
    if query.kind:
        reports = reports.filter(factory__kind=query.kind)
    if query.round:
        reports = reports.filter(factory__programme_slot__programme_round__year=query.round)
    return reports.order_by()


# A report's month is already the month's first day.
_PERIOD = {"month": lambda field: F(field), "quarter": TruncQuarter, "year": TruncYear}


def _column_key(columns: str, period) -> tuple:
    """(year, month), (year, quarter) or (year,) of a period's first day (a date, or ISO text on SQLite)."""
    if isinstance(period, str):
        period = datetime.date.fromisoformat(period[:10])
    if columns == "month":
        return (period.year, period.month)
    if columns == "quarter":
        return (period.year, (period.month - 1) // 3 + 1)
    return (period.year,)


def pivot(*, user, query: PivotQuery) -> PivotTable:
    """The table of `query` over what `user` may see, in one statement."""
    if query.measure in INDICATOR_MEASURES:
        return _indicator_pivot(user=user, query=query)
    measure = query.measure
    needs_plan = measure == "against_plan"
    # Grouped by the period's first day (a date hashes faster than extracted numbers); only the plan join needs
    # the year and month as numbers.
    reports = _scoped_reports(user, query).annotate(period=_PERIOD[query.columns]("month"))
    plan_columns = ()
    if needs_plan:
        reports = reports.annotate(y=ExtractYear("month"), m=ExtractMonth("month"))
        plan_columns = ("y", "m")
    reports_sql, params = reports.values(
        "factory_id",
        "period",
        *plan_columns,
        "is_demo",
        "output_value_thousand_won",
        "varieties_produced",
        "raw_material_from_own_bases_tonnes",
        "raw_material_used_tonnes",
    ).query.sql_with_params()
    params = list(params)
    plan_years = "year >= %s AND year <= %s" if query.year else "1 = 1"
    year_params = [query.year, query.year] if query.year else []
    params += year_params  # valid splits
    if needs_plan:
        params += year_params  # annual plans

    def summed(expression: str, *measures: str) -> str:
        return sum_hundredths_sql(expression) if measure in measures else "0"

    statement = _STATEMENT.format(
        reports=reports_sql,
        valid_splits=valid_splits_sql(plan_years),
        plan_joins=(
            plan_joins_sql(factory_id="r.factory_id", year="r.y", month_number="r.m", plan_years=plan_years)
            if needs_plan
            else ""
        ),
        planned=PLANNED_TWELFTHS_SQL if needs_plan else "CAST(NULL AS NUMERIC)",
        output=summed("x.output_value_thousand_won", "output_value"),
        output_planned=summed("CASE WHEN x.planned_twelfths > 0 THEN x.output_value_thousand_won END", "against_plan"),
        plan=summed("CASE WHEN x.planned_twelfths > 0 THEN x.planned_twelfths END", "against_plan"),
        varieties="SUM(x.varieties_produced)" if measure == "varieties" else "0",
        own=summed("x.raw_material_from_own_bases_tonnes", "own_share"),
        used=summed("x.raw_material_used_tonnes", "own_share"),
        **row_grouping(query.rows),
        **TABLES,
    )
    table = PivotTable(query=query)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        fetched = cursor.fetchall()
    labels = {}
    columns = set()
    for key, name_en, name_ko, _group, period, *sums in fetched:
        key = None if query.rows == "round" and not key else key
        labels.setdefault(key, (name_en, name_ko))
        column_key = _column_key(query.columns, period)
        columns.add(column_key)
        table.cells[(key, column_key)] = Cell(*(int(value or 0) for value in sums))
    for key in sorted(labels, key=lambda key: (key is None, key if key is not None else 0)):
        table.row_keys.append(key)
        table.row_labels[key] = _label(query.rows, key, *labels[key])
    table.column_keys = sorted(columns)
    table.has_demo = any(cell.demo for cell in table.cells.values())
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
