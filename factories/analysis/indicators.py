"""The pivot's standings measures: the five indicators of methodology v1.1 and completeness, per row and period.

The rules are the standings computation's (standings/computation, DESIGN.md v1.1), applied with "now" as the
cut-off and summed per pivot cell instead of per county and year:
- a factory-month counts when the factory is in operation that month (commissioned or in operation, commissioning
  date on or before the month's last day) and the month's entry deadline has passed (`months_of_year`);
- reporting discipline: such factory-months whose report is approved and was first submitted by the deadline,
  ÷ such factory-months;
- completeness: such factory-months with an approved report ÷ such factory-months (the completeness grid's
  "approved against expected", over closed months only);
- plan fulfilment, growth, product range and local raw materials: the methodology's sums over the counted
  factory-months (operating, closed, approved), turned into ratios by `standings.computation.scores.county_ratios`.

Only cities and counties are in the programme's scope (as in the standings and the completeness grid). A cell's
ratio is the ratio of its sums (a province is the sum of its counties' factory-months, never a mean of ratios); a
row's total is computed from the sums over all its factory-months in one grouping of the same statement, since
product range (each factory's best month) cannot be added up from the cells. One statement, whatever the size:
money and tonnes as integer hundredths and monthly plans as integer twelfths of hundredths, so nothing is rounded
before the exact division in Python.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from factories.models import Factory, MonthlyReport
from factories.selectors.plans import PLANNED_TWELFTH_HUNDREDTHS_SQL, hundredths_sql, plan_joins_sql, valid_splits_sql
from regional import scoping
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province
from standings.computation.months import months_of_year
from standings.computation.scores import county_ratios
from standings.computation.sums import CountyInputs
from standings.models import Indicator

COMPLETENESS = "completeness"
INDICATOR_MEASURES = (*Indicator.values, COMPLETENESS)

# Row dimension: (key, English label, Korean label) in SQL; a factory not built by the programme has round 0.
ROW_SQL = {
    "province": ("p.code", "p.name_en", "p.name_ko"),
    "county": ("c.slug", "c.name_en", "c.name_ko"),
    "kind": ("f.kind", "NULL", "NULL"),
    "round": ("COALESCE(pr.year, 0)", "NULL", "NULL"),
}
PERIOD_SQL = {"month": ("y", "m"), "quarter": ("y", "q"), "year": ("y",)}
TABLES = {
    "factory": Factory._meta.db_table,
    "county": County._meta.db_table,
    "province": Province._meta.db_table,
    "slot": ProgrammeSlot._meta.db_table,
    "round": ProgrammeRound._meta.db_table,
    "report": MonthlyReport._meta.db_table,
}
_SUM_NAMES = (
    "operating",
    "counted",
    "on_time",
    "plan_output",
    "plan_planned",
    "growth_current",
    "growth_previous",
    "own",
    "used",
    "demo",
    "best_varieties",
    "planned_varieties",
)


@dataclass(frozen=True)
class IndicatorCell:
    """A cell's exact sums over its factory-months (whole numbers; None where nothing entered the sum)."""

    operating: int = 0
    counted: int = 0
    on_time: int = 0
    plan_output: int | None = None
    plan_planned: int | None = None
    growth_current: int | None = None
    growth_previous: int | None = None
    own: int | None = None
    used: int | None = None
    demo: int = 0
    best_varieties: int | None = None
    planned_varieties: int | None = None

    def value(self, measure: str) -> Fraction | None:
        if measure == COMPLETENESS:
            return Fraction(self.counted, self.operating) if self.operating else None
        inputs = CountyInputs(
            county_id=0,
            province_id=0,
            operating_months=0,
            complete_months=0,
            operating_factory_months=self.operating,
            counted_factory_months=self.counted,
            on_time_factory_months=self.on_time,
            plan_output_hundredths=self.plan_output,
            plan_planned_twelfth_hundredths=self.plan_planned,
            growth_current_hundredths=self.growth_current,
            growth_previous_hundredths=self.growth_previous,
            best_varieties=self.best_varieties,
            planned_varieties=self.planned_varieties,
            raw_material_own_hundredths=self.own,
            raw_material_used_hundredths=self.used,
        )
        ratios, _sums = county_ratios(inputs)
        return ratios[measure]


_SUMS_SQL = """
    COUNT(*) AS operating,
    SUM(is_counted) AS counted,
    SUM(CASE WHEN is_counted = 1 AND is_on_time = 1 THEN 1 ELSE 0 END) AS on_time,
    -- A factory-month without a plan, or with a zero plan, is left out of both sums.
    SUM(CASE WHEN is_counted = 1 AND planned_twelfth_hundredths > 0 THEN output_hundredths END) AS plan_output,
    SUM(CASE WHEN is_counted = 1 AND planned_twelfth_hundredths > 0 THEN planned_twelfth_hundredths END)
        AS plan_planned,
    -- Growth over the counted factory-months whose same month of the previous year was counted too.
    SUM(CASE WHEN is_counted = 1 AND previous_output_hundredths IS NOT NULL THEN output_hundredths END)
        AS growth_current,
    SUM(CASE WHEN is_counted = 1 THEN previous_output_hundredths END) AS growth_previous,
    SUM(CASE WHEN is_counted = 1 THEN own_hundredths END) AS own,
    SUM(CASE WHEN is_counted = 1 THEN used_hundredths END) AS used,
    MAX(is_demo) AS demo"""

_STATEMENT = """
WITH months AS (
        {months}
),
scoped_factories AS (
    SELECT f.id AS factory_id, f.commissioned_on, CASE WHEN f.is_demo THEN 1 ELSE 0 END AS is_demo,
           {row_key} AS row_key, {label_en} AS label_en, {label_ko} AS label_ko
    FROM {factory} f
    JOIN {county} c ON c.id = f.county_id
    JOIN {province} p ON p.id = c.province_id
    LEFT JOIN {slot} s ON s.id = f.programme_slot_id
    LEFT JOIN {round} pr ON pr.id = s.programme_round_id
    WHERE f.id IN ({scoped_factories})
),
valid_splits AS ({valid_splits}
),
factory_months AS (
    SELECT sf.factory_id, sf.row_key, sf.label_en, sf.label_ko, sf.is_demo, m.y, m.m, m.q, m.is_selected,
           CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS is_counted,
           CASE WHEN r.first_submitted_at < m.deadline_at THEN 1 ELSE 0 END AS is_on_time,
           {r_output} AS output_hundredths, r.varieties_produced,
           {r_own} AS own_hundredths, {r_used} AS used_hundredths
    FROM scoped_factories sf
    JOIN months m ON m.is_closed = 1 AND sf.commissioned_on < m.next_month_start
    LEFT JOIN {report} r ON r.factory_id = sf.factory_id AND r.month = m.month_start AND r.status = %s
),
selected AS (
    SELECT fm.factory_id, fm.row_key, fm.label_en, fm.label_ko, fm.is_demo, fm.y, fm.m, fm.q,
           fm.is_counted, fm.is_on_time, fm.output_hundredths, fm.varieties_produced,
           fm.own_hundredths, fm.used_hundredths,
           {planned} AS planned_twelfth_hundredths,
           ap.planned_varieties,
           prev.output_hundredths AS previous_output_hundredths
    FROM factory_months fm{plan_joins}
    LEFT JOIN factory_months prev
           ON prev.factory_id = fm.factory_id AND prev.y = fm.y - 1 AND prev.m = fm.m AND prev.is_counted = 1
    WHERE fm.is_selected = 1
),
-- Product range: each factory's most varieties in one counted month of the period (of the year, for a row's
-- total), against its planned varieties of that year; factories without a positive plan are left out of both.
best_in_cell AS (
    SELECT row_key, {cell_period}, factory_id, y AS plan_year,
           MAX(varieties_produced) AS most_varieties, MAX(planned_varieties) AS planned
    FROM selected WHERE is_counted = 1 GROUP BY row_key, {cell_period}, factory_id, y
),
best_in_row AS (
    SELECT row_key, factory_id, y AS plan_year,
           MAX(varieties_produced) AS most_varieties, MAX(planned_varieties) AS planned
    FROM selected WHERE is_counted = 1 GROUP BY row_key, factory_id, y
),
range_cells AS (
    SELECT row_key, {cell_period}, SUM(most_varieties) AS best_varieties, SUM(planned) AS planned_varieties
    FROM best_in_cell WHERE planned > 0 GROUP BY row_key, {cell_period}
),
range_rows AS (
    SELECT row_key, SUM(most_varieties) AS best_varieties, SUM(planned) AS planned_varieties
    FROM best_in_row WHERE planned > 0 GROUP BY row_key
),
cells AS (
    SELECT row_key, MAX(label_en) AS label_en, MAX(label_ko) AS label_ko, {cell_period}, {sums}
    FROM selected GROUP BY row_key, {cell_period}
),
totals AS (
    SELECT row_key, MAX(label_en) AS label_en, MAX(label_ko) AS label_ko, {sums}
    FROM selected GROUP BY row_key
)
SELECT 1 AS is_cell, cells.row_key, cells.label_en, cells.label_ko, {period_a}, {period_b},
       {sum_columns_cells}, rc.best_varieties, rc.planned_varieties
FROM cells LEFT JOIN range_cells rc ON rc.row_key = cells.row_key AND {period_join}
UNION ALL
SELECT 0, totals.row_key, totals.label_en, totals.label_ko, NULL, NULL,
       {sum_columns_totals}, rr.best_varieties, rr.planned_varieties
FROM totals LEFT JOIN range_rows rr ON rr.row_key = totals.row_key
"""


def _scoped_factories(user, query):
    """The factories whose months the measures count: the reader's operational scope (`regional.scoping`), the
    programme's cities and counties, in operation at some time, and the page's filters."""
    factories = scoping.visible_factories(user).filter(
        county__in=scoping.operational_counties(user),
        county__kind__in=County.PROGRAMME_KINDS,
        status__in=[Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION],
        commissioned_on__isnull=False,
    )
    if query.province:
        factories = factories.filter(county__province__code=query.province)
    if query.kind:
        factories = factories.filter(kind=query.kind)
    if query.round:
        factories = factories.filter(programme_slot__programme_round__year=query.round)
    return factories


def _years(factories, query) -> tuple[int, int]:
    """The years shown: the chosen one, else from the first commissioning to this year."""
    this_year = timezone.localdate().year
    if query.year:
        return query.year, query.year
    first = factories.aggregate(first=Min("commissioned_on"))["first"]
    return (first.year if first else this_year), this_year


def months_cte(first_year: int, last_year: int, params: list) -> str:
    ops = connection.ops
    now = timezone.now()
    selects = []
    # The year before the first is there for growth's "same month of the previous year", never shown.
    for year in range(first_year - 1, last_year + 1):
        for month in months_of_year(year=year, cutoff_at=now):
            params += [
                ops.adapt_datefield_value(month.start),
                ops.adapt_datefield_value(month.next_start),
                ops.adapt_datetimefield_value(month.deadline_exclusive_at),
            ]
            selects.append(
                f"SELECT %s AS month_start, %s AS next_month_start, %s AS deadline_at, {month.year} AS y, "
                f"{month.number} AS m, {(month.number - 1) // 3 + 1} AS q, {int(month.is_closed)} AS is_closed, "
                f"{int(year >= first_year)} AS is_selected"
            )
    return "\n        UNION ALL ".join(selects)


def indicator_cells(*, user, query) -> tuple[list[dict], dict, dict]:
    """Rows as (key, English name, Korean name) in key order, cells by (row key, column key), totals by row key."""
    factories = _scoped_factories(user, query)
    first_year, last_year = _years(factories, query)
    params: list = []
    months = months_cte(first_year, last_year, params)
    scoped_sql, scoped_params = factories.values("id").query.sql_with_params()
    params += scoped_params
    params += [first_year - 1, last_year, MonthlyReport.Status.APPROVED]
    row_key, label_en, label_ko = ROW_SQL[query.rows]
    period = PERIOD_SQL[query.columns]
    statement = _STATEMENT.format(
        months=months,
        scoped_factories=scoped_sql,
        **TABLES,
        valid_splits=valid_splits_sql("ap.year >= %s AND ap.year <= %s"),
        plan_joins=plan_joins_sql(factory_id="fm.factory_id", year="fm.y", month_number="fm.m"),
        planned=PLANNED_TWELFTH_HUNDREDTHS_SQL,
        row_key=row_key,
        label_en=label_en,
        label_ko=label_ko,
        r_output=hundredths_sql("r.output_value_thousand_won"),
        r_own=hundredths_sql("r.raw_material_from_own_bases_tonnes"),
        r_used=hundredths_sql("r.raw_material_used_tonnes"),
        cell_period=", ".join(period),
        sums=_SUMS_SQL,
        period_a=f"cells.{period[0]}",
        period_b=f"cells.{period[1]}" if len(period) > 1 else "NULL",
        period_join=" AND ".join(f"rc.{name} = cells.{name}" for name in period),
        sum_columns_cells=", ".join(f"cells.{name}" for name in _SUM_NAMES[:-2]),
        sum_columns_totals=", ".join(f"totals.{name}" for name in _SUM_NAMES[:-2]),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        fetched = cursor.fetchall()
    rows: dict = {}
    cells: dict = {}
    totals: dict = {}
    for is_cell, key, name_en, name_ko, period_a, period_b, *sums in fetched:
        key = None if query.rows == "round" and not key else key
        rows.setdefault(key, (name_en, name_ko))
        cell = IndicatorCell(*(None if value is None else int(value) for value in sums))
        if is_cell:
            column_key = (int(period_a),) if period_b is None else (int(period_a), int(period_b))
            cells[(key, column_key)] = cell
        else:
            totals[key] = cell
    ordered = sorted(rows, key=lambda key: (key is None, key if key is not None else 0))
    return [(key, *rows[key]) for key in ordered], cells, totals
