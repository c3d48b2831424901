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
product range (each factory's best month) cannot be added up from the cells. One statement, whatever the size, that
returns money and tonnes as whole hundredths and monthly plans as whole twelfths of hundredths, so nothing is
rounded before the exact division in Python; it joins only what the measure needs (plans for plan fulfilment and
product range, the year before for growth).
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from factories.models import Factory, MonthlyReport
from factories.selectors.plans import PLANNED_TWELFTHS_SQL, plan_joins_sql, sum_hundredths_sql, valid_splits_sql
from regional import scoping
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province
from standings.computation.months import months_of_year
from standings.computation.scores import county_ratios
from standings.computation.sums import CountyInputs
from standings.models import Indicator

COMPLETENESS = "completeness"
INDICATOR_MEASURES = (*Indicator.values, COMPLETENESS)

# The columns of a factory-month that make a period's key.
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

    def __add__(self, other: "IndicatorCell") -> "IndicatorCell":
        """The sums of both (unknown plus unknown stays unknown); not for product range, whose best month is
        not a sum."""

        def plus(a, b):
            return b if a is None else a if b is None else a + b

        return IndicatorCell(*(plus(getattr(self, name), getattr(other, name)) for name in _SUM_NAMES))

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


def _sums_sql() -> str:
    """A cell's sums over its factory-months (`selected`), in whole numbers."""
    return f"""
    COUNT(*) AS operating,
    SUM(is_counted) AS counted,
    SUM(CASE WHEN is_counted = 1 AND is_on_time = 1 THEN 1 ELSE 0 END) AS on_time,
    -- A factory-month without a plan, or with a zero plan, is left out of both sums.
    {sum_hundredths_sql("CASE WHEN is_counted = 1 AND planned_twelfths > 0 THEN output END")} AS plan_output,
    {sum_hundredths_sql("CASE WHEN is_counted = 1 AND planned_twelfths > 0 THEN planned_twelfths END")}
        AS plan_planned,
    -- Growth over the counted factory-months whose same month of the previous year was counted too.
    {sum_hundredths_sql("CASE WHEN is_counted = 1 AND previous_output IS NOT NULL THEN output END")}
        AS growth_current,
    {sum_hundredths_sql("CASE WHEN is_counted = 1 THEN previous_output END")} AS growth_previous,
    {sum_hundredths_sql("CASE WHEN is_counted = 1 THEN own END")} AS own,
    {sum_hundredths_sql("CASE WHEN is_counted = 1 THEN used END")} AS used,
    MAX(is_demo) AS demo"""


_HEAD = """
WITH months AS (
        {months}
),
scoped_factories AS {materialized}(
    SELECT f.id AS factory_id, f.commissioned_on, CASE WHEN f.is_demo THEN 1 ELSE 0 END AS is_demo,
           {group_key} AS row_key
    FROM {factory} f{group_joins}
    WHERE f.id IN ({scoped_factories})
),
valid_splits AS ({valid_splits}
),
-- The factory-months in operation in closed months, each with its approved report if any, and the approved output
-- of the same month a year earlier when that month counted too (the factory was in operation then; a month a year
-- earlier than a closed month is closed).
factory_months AS (
    SELECT sf.factory_id, sf.row_key, sf.is_demo, m.y, m.m, m.q,
           CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS is_counted,
           CASE WHEN r.first_submitted_at < m.deadline_at THEN 1 ELSE 0 END AS is_on_time,
           r.output_value_thousand_won AS output, r.varieties_produced,
           r.raw_material_from_own_bases_tonnes AS own, r.raw_material_used_tonnes AS used,
           {previous_output} AS previous_output
    FROM scoped_factories sf
    JOIN months m ON sf.commissioned_on < m.next_month_start
    LEFT JOIN {report} r
           ON r.factory_id = sf.factory_id AND r.month = m.month_start AND r.status = %s
          AND r.month >= %s AND r.month <= %s{previous_join}
),
selected AS (
    SELECT fm.factory_id, fm.row_key, fm.is_demo, fm.y, fm.m, fm.q,
           fm.is_counted, fm.is_on_time, fm.output, fm.varieties_produced, fm.own, fm.used, fm.previous_output,
           {planned} AS planned_twelfths,
           {planned_varieties} AS planned_varieties
    FROM factory_months fm{plan_joins}
),
"""

# Product range: each factory's most varieties in one counted month of the period (of the year, for a row's
# total: a best month is not added up from the cells), against its planned varieties of that year; factories
# without a positive plan are left out of both sums. Only these two sums are taken.
_RANGE_TAIL = """
best_in_cell AS (
    SELECT row_key, {cell_period}, factory_id, y AS plan_year, MAX(is_demo) AS demo,
           MAX(varieties_produced) AS most_varieties, MAX(planned_varieties) AS planned
    FROM selected WHERE is_counted = 1 GROUP BY row_key, {cell_period}, factory_id, y
),
best_in_row AS (
    SELECT row_key, factory_id, plan_year, MAX(demo) AS demo,
           MAX(most_varieties) AS most_varieties, MAX(planned) AS planned
    FROM best_in_cell GROUP BY row_key, factory_id, plan_year
)
SELECT g.is_cell, {row_key}, {label_en}, {label_ko}, g.period_a, g.period_b,
       0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, g.demo, g.best_varieties, g.planned_varieties
FROM (
    SELECT 1 AS is_cell, row_key AS group_key, {range_period_a} AS period_a, {range_period_b} AS period_b,
           MAX(demo) AS demo, SUM(CASE WHEN planned > 0 THEN most_varieties END) AS best_varieties,
           SUM(CASE WHEN planned > 0 THEN planned END) AS planned_varieties
    FROM best_in_cell GROUP BY row_key, {cell_period}
    UNION ALL
    SELECT 0, row_key, NULL, NULL, MAX(demo), SUM(CASE WHEN planned > 0 THEN most_varieties END),
           SUM(CASE WHEN planned > 0 THEN planned END)
    FROM best_in_row GROUP BY row_key
) g{label_joins}
"""


# The other measures: sums that add up, so a row's total is the sum of its cells (added in Python), and the
# factory-months are aggregated once.
_ADDITIVE_TAIL = """
cells AS (
    SELECT row_key, {cell_period}, {sums}
    FROM selected GROUP BY row_key, {cell_period}
)
SELECT 1, {row_key}, {label_en}, {label_ko}, g.period_a, g.period_b, {sum_columns_groups}, NULL, NULL
FROM (
    SELECT cells.row_key AS group_key, {period_a} AS period_a, {period_b} AS period_b, {sum_columns_cells}
    FROM cells
) g{label_joins}
"""


def row_grouping(rows: str) -> dict:
    """How factory-months or reports are grouped for a row dimension (`group_key` over the factory `f`, its county
    `c` when `group_joins` are added, its programme round `pr`), and how each group `g` is named afterwards: a
    handful of labels joined to the groups, not to every row."""
    if rows == "province":
        return {
            "group_key": "c.province_id",
            "group_joins": f"\n    JOIN {TABLES['county']} c ON c.id = f.county_id",
            "label_joins": f"\nJOIN {TABLES['province']} p ON p.id = g.group_key",
            "row_key": "p.code",
            "label_en": "p.name_en",
            "label_ko": "p.name_ko",
        }
    if rows == "county":
        return {
            "group_key": "f.county_id",
            "group_joins": "",
            "label_joins": f"\nJOIN {TABLES['county']} c ON c.id = g.group_key",
            "row_key": "c.slug",
            "label_en": "c.name_en",
            "label_ko": "c.name_ko",
        }
    joins = ""
    if rows == "round":
        joins = (
            f"\n    LEFT JOIN {TABLES['slot']} s ON s.id = f.programme_slot_id"
            f"\n    LEFT JOIN {TABLES['round']} pr ON pr.id = s.programme_round_id"
        )
    return {
        # A factory not built by the programme is in round 0 ("not built by the programme").
        "group_key": "f.kind" if rows == "kind" else "COALESCE(pr.year, 0)",
        "group_joins": joins,
        "label_joins": "",
        "row_key": "g.group_key",
        "label_en": "NULL",
        "label_ko": "NULL",
    }


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


def _closed_months_cte(first_year: int, last_year: int, params: list) -> str:
    """The closed months of the years shown, with their deadline and the same month a year earlier."""
    ops = connection.ops
    now = timezone.now()
    selects = []
    for year in range(first_year, last_year + 1):
        for month in months_of_year(year=year, cutoff_at=now):
            if not month.is_closed:
                continue
            params += [
                ops.adapt_datefield_value(month.start),
                ops.adapt_datefield_value(month.next_start),
                ops.adapt_datetimefield_value(month.deadline_exclusive_at),
                ops.adapt_datefield_value(month.start.replace(year=year - 1)),
                ops.adapt_datefield_value(month.next_start.replace(year=month.next_start.year - 1)),
            ]
            selects.append(
                f"SELECT %s AS month_start, %s AS next_month_start, %s AS deadline_at, "
                f"%s AS previous_month_start, %s AS previous_next_month_start, {month.year} AS y, "
                f"{month.number} AS m, {(month.number - 1) // 3 + 1} AS q"
            )
    if not selects:  # nothing closed yet (a future year): an empty table of the same shape and types
        return (
            "SELECT CAST(NULL AS DATE) AS month_start, CAST(NULL AS DATE) AS next_month_start, "
            "CAST(NULL AS TIMESTAMP) AS deadline_at, CAST(NULL AS DATE) AS previous_month_start, "
            "CAST(NULL AS DATE) AS previous_next_month_start, 0 AS y, 0 AS m, 0 AS q WHERE 1 = 0"
        )
    return "\n        UNION ALL ".join(selects)


def indicator_cells(*, user, query) -> tuple[list[tuple], dict, dict]:
    """Rows as (key, English name, Korean name) in key order, cells by (row key, column key), totals by row key."""
    factories = _scoped_factories(user, query)
    first_year, last_year = _years(factories, query)
    # Only what the measure needs: the plans for plan fulfilment and product range, a year earlier for growth.
    needs_plan = query.measure in (Indicator.PLAN_FULFILMENT, Indicator.PRODUCT_RANGE)
    needs_previous = query.measure == Indicator.GROWTH
    approved = MonthlyReport.Status.APPROVED
    first_month, last_month = datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 1)
    plan_years = "year >= %s AND year <= %s"
    params: list = []
    months = _closed_months_cte(first_year, last_year, params)  # the months' dates
    scoped_sql, scoped_params = factories.order_by().values("id").query.sql_with_params()
    params += scoped_params  # scoped_factories
    params += [first_year, last_year]  # valid_splits
    params += [approved, first_month, last_month]  # the month's report
    if needs_previous:
        params += [approved, first_month.replace(year=first_year - 1), last_month.replace(year=last_year - 1)]
    if needs_plan:
        params += [first_year, last_year]  # the annual plans
    period = PERIOD_SQL[query.columns]
    sum_names = _SUM_NAMES[:-2]
    is_range = query.measure == Indicator.PRODUCT_RANGE
    statement = (_HEAD + (_RANGE_TAIL if is_range else _ADDITIVE_TAIL)).format(
        months=months,
        scoped_factories=scoped_sql,
        # Once, not per factory-month: PostgreSQL would otherwise test each factory-month against the scope.
        materialized="MATERIALIZED " if connection.vendor == "postgresql" else "",
        **TABLES,
        **row_grouping(query.rows),
        valid_splits=valid_splits_sql(plan_years),
        previous_output=(
            "CASE WHEN sf.commissioned_on < m.previous_next_month_start THEN previous.output_value_thousand_won END"
            if needs_previous
            else "CAST(NULL AS NUMERIC)"
        ),
        previous_join=(
            f"\n    LEFT JOIN {TABLES['report']} previous"
            "\n           ON previous.factory_id = sf.factory_id AND previous.month = m.previous_month_start"
            "\n          AND previous.status = %s AND previous.month >= %s AND previous.month <= %s"
            if needs_previous
            else ""
        ),
        plan_joins=(
            plan_joins_sql(factory_id="fm.factory_id", year="fm.y", month_number="fm.m", plan_years=plan_years)
            if needs_plan
            else ""
        ),
        planned=PLANNED_TWELFTHS_SQL if needs_plan else "CAST(NULL AS NUMERIC)",
        planned_varieties="ap.planned_varieties" if needs_plan else "CAST(NULL AS INTEGER)",
        cell_period=", ".join(period),
        sums=_sums_sql(),
        range_period_a=period[0],
        range_period_b=period[1] if len(period) > 1 else "NULL",
        period_a=f"cells.{period[0]}",
        period_b=f"cells.{period[1]}" if len(period) > 1 else "NULL",
        sum_columns_groups=", ".join(f"g.{name}" for name in sum_names),
        sum_columns_cells=", ".join(f"cells.{name}" for name in sum_names),
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
    if not is_range:
        for (key, _column), cell in cells.items():
            totals[key] = cell if key not in totals else totals[key] + cell
    ordered = sorted(rows, key=lambda key: (key is None, key if key is not None else 0))
    return [(key, *rows[key]) for key in ordered], cells, totals
