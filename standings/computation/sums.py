"""Statement 1 of a run: the exact sums of every in-scope county's counted factory-months, in one query.

Portable SQL (PostgreSQL, and SQLite for `make run`): CTEs, aggregates, `CASE`. Money and tonnes are summed as
integer hundredths (`CAST(ROUND(x * 100) AS BIGINT)`: exact whether the backend stores the decimal as NUMERIC or,
like SQLite, as a double holding two decimals), monthly plans as integer twelfths of hundredths (an annual plan
÷ 12 needs no rounding then), so both backends return the same whole numbers. Nothing here divides.
"""

import datetime
from dataclasses import dataclass

from django.db import connection

from factories.selectors.plans import PLANNED_TWELFTH_HUNDREDTHS_SQL, hundredths_sql, plan_joins_sql, valid_splits_sql
from standings.computation.months import Month, months_of_year

# Columns of a county's inputs, in order; the inputs hash is taken over exactly these.
INPUT_COLUMNS = (
    "county_id",
    "province_id",
    "operating_months",
    "complete_months",
    "operating_factory_months",
    "counted_factory_months",
    "on_time_factory_months",
    "plan_output_hundredths",
    "plan_planned_twelfth_hundredths",
    "growth_current_hundredths",
    "growth_previous_hundredths",
    "best_varieties",
    "planned_varieties",
    "raw_material_own_hundredths",
    "raw_material_used_hundredths",
)


@dataclass(frozen=True)
class CountyInputs:
    """One county's exact sums (whole numbers; None where no factory-month entered the sum)."""

    county_id: int
    province_id: int
    operating_months: int
    complete_months: int
    operating_factory_months: int
    counted_factory_months: int
    on_time_factory_months: int
    plan_output_hundredths: int | None
    plan_planned_twelfth_hundredths: int | None
    growth_current_hundredths: int | None
    growth_previous_hundredths: int | None
    best_varieties: int | None
    planned_varieties: int | None
    raw_material_own_hundredths: int | None
    raw_material_used_hundredths: int | None

    def as_row(self) -> tuple:
        return tuple(getattr(self, column) for column in INPUT_COLUMNS)


SUMS_SQL = """
WITH months AS (
        {months}
),
in_scope_counties AS (
    SELECT id AS county_id, province_id FROM regional_county WHERE kind IN ('city', 'county')
),
-- A monthly split is used only when it covers all twelve months and sums to the annual plan; a run treats any
-- other split as absent (the app refuses to save one).
valid_splits AS ({valid_splits}
),
-- Factory-months in operation (status commissioned or in operation, commissioning date known and on or before
-- the month's last day) whose entry deadline had passed by the cut-off, in this year and the previous one;
-- each with its report when that report was approved by the cut-off (a counted factory-month).
factory_months AS (
    SELECT f.id AS factory_id, f.county_id, m.month_start, m.month_number, m.is_current_year,
           CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS is_counted,
           CASE WHEN r.first_submitted_at < m.deadline_at THEN 1 ELSE 0 END AS is_on_time,
           {r_output} AS output_hundredths, r.varieties_produced,
           {r_own} AS own_hundredths, {r_used} AS used_hundredths
    FROM factories_factory f
    JOIN in_scope_counties c ON c.county_id = f.county_id
    JOIN months m ON m.is_closed = 1 AND f.commissioned_on < m.next_month_start
    LEFT JOIN factories_monthlyreport r
           ON r.factory_id = f.id AND r.month = m.month_start
          AND r.status = 'approved' AND r.approved_at <= %(cutoff_at)s
    WHERE f.status IN ('commissioned', 'in_operation') AND f.commissioned_on IS NOT NULL
),
previous_counted AS (
    SELECT factory_id, month_number, output_hundredths
    FROM factory_months WHERE is_current_year = 0 AND is_counted = 1
),
current_rows AS (
    SELECT fm.county_id, fm.factory_id, fm.month_start, fm.is_counted, fm.is_on_time,
           fm.output_hundredths, fm.varieties_produced, fm.own_hundredths, fm.used_hundredths,
           {planned} AS planned_twelfth_hundredths,
           ap.planned_varieties,
           p.output_hundredths AS previous_output_hundredths
    FROM factory_months fm{plan_joins}
    LEFT JOIN previous_counted p ON p.factory_id = fm.factory_id AND p.month_number = fm.month_number
    WHERE fm.is_current_year = 1
),
county_months AS (
    SELECT county_id, month_start, COUNT(*) AS factories_operating, SUM(is_counted) AS factories_counted
    FROM current_rows GROUP BY county_id, month_start
),
months_per_county AS (
    SELECT county_id, COUNT(*) AS operating_months,
           SUM(CASE WHEN factories_counted = factories_operating THEN 1 ELSE 0 END) AS complete_months
    FROM county_months GROUP BY county_id
),
-- Product range: each factory's most varieties in one counted month, against its planned varieties; factories
-- without a plan or with zero planned varieties are left out of both sums.
factory_best AS (
    SELECT county_id, factory_id, MAX(varieties_produced) AS most_varieties, MAX(planned_varieties) AS planned
    FROM current_rows WHERE is_counted = 1 GROUP BY county_id, factory_id
),
range_sums AS (
    SELECT county_id, SUM(most_varieties) AS best_varieties, SUM(planned) AS planned_varieties
    FROM factory_best WHERE planned > 0 GROUP BY county_id
),
factory_month_sums AS (
    SELECT county_id,
           COUNT(*) AS operating_factory_months,
           SUM(is_counted) AS counted_factory_months,
           SUM(CASE WHEN is_counted = 1 AND is_on_time = 1 THEN 1 ELSE 0 END) AS on_time_factory_months,
           -- A factory-month without a plan, or with a zero plan, is left out of both sums.
           SUM(CASE WHEN is_counted = 1 AND planned_twelfth_hundredths > 0 THEN output_hundredths END)
               AS plan_output_hundredths,
           SUM(CASE WHEN is_counted = 1 AND planned_twelfth_hundredths > 0 THEN planned_twelfth_hundredths END)
               AS plan_planned_twelfth_hundredths,
           -- Growth over the counted factory-months whose same month of the previous year was counted too.
           SUM(CASE WHEN is_counted = 1 AND previous_output_hundredths IS NOT NULL THEN output_hundredths END)
               AS growth_current_hundredths,
           SUM(CASE WHEN is_counted = 1 THEN previous_output_hundredths END) AS growth_previous_hundredths,
           SUM(CASE WHEN is_counted = 1 THEN own_hundredths END) AS raw_material_own_hundredths,
           SUM(CASE WHEN is_counted = 1 THEN used_hundredths END) AS raw_material_used_hundredths
    FROM current_rows GROUP BY county_id
)
SELECT c.county_id, c.province_id,
       COALESCE(m.operating_months, 0), COALESCE(m.complete_months, 0),
       COALESCE(s.operating_factory_months, 0), COALESCE(s.counted_factory_months, 0),
       COALESCE(s.on_time_factory_months, 0),
       s.plan_output_hundredths, s.plan_planned_twelfth_hundredths,
       s.growth_current_hundredths, s.growth_previous_hundredths,
       r.best_varieties, r.planned_varieties,
       s.raw_material_own_hundredths, s.raw_material_used_hundredths
FROM in_scope_counties c
LEFT JOIN months_per_county m ON m.county_id = c.county_id
LEFT JOIN factory_month_sums s ON s.county_id = c.county_id
LEFT JOIN range_sums r ON r.county_id = c.county_id
ORDER BY c.county_id
""".format(
    months="{months}",
    valid_splits=valid_splits_sql("ap.year = %(year)s"),
    plan_joins=plan_joins_sql(factory_id="fm.factory_id", year="%(year)s", month_number="fm.month_number"),
    planned=PLANNED_TWELFTH_HUNDREDTHS_SQL,
    r_output=hundredths_sql("r.output_value_thousand_won"),
    r_own=hundredths_sql("r.raw_material_from_own_bases_tonnes"),
    r_used=hundredths_sql("r.raw_material_used_tonnes"),
)


def _months_cte(months: list[Month], year: int, params: dict) -> str:
    ops = connection.ops
    selects = []
    for month in months:
        key = f"m{month.year}_{month.number}"
        params[f"{key}_start"] = ops.adapt_datefield_value(month.start)
        params[f"{key}_next"] = ops.adapt_datefield_value(month.next_start)
        params[f"{key}_deadline"] = ops.adapt_datetimefield_value(month.deadline_exclusive_at)
        selects.append(
            f"SELECT {month.number} AS month_number, {int(month.year == year)} AS is_current_year, "
            f"%({key}_start)s AS month_start, %({key}_next)s AS next_month_start, "
            f"%({key}_deadline)s AS deadline_at, {int(month.is_closed)} AS is_closed"
        )
    return "\n        UNION ALL ".join(selects)


def sums_statement(*, year: int, cutoff_at: datetime.datetime) -> tuple[str, dict]:
    """The statement with its parameters for `year` at `cutoff_at`."""
    params: dict = {"year": year, "cutoff_at": connection.ops.adapt_datetimefield_value(cutoff_at)}
    months = months_of_year(year=year - 1, cutoff_at=cutoff_at) + months_of_year(year=year, cutoff_at=cutoff_at)
    return SUMS_SQL.replace("{months}", _months_cte(months, year, params)), params


def _whole(value) -> int | None:
    # PostgreSQL returns SUM(bigint) as an exact NUMERIC (Decimal) and SQLite as an int: both are whole numbers.
    return None if value is None else int(value)


def inputs_rows(*, year: int, cutoff_at: datetime.datetime) -> list[CountyInputs]:
    """Every in-scope county's exact sums for `year` at `cutoff_at`, by county id."""
    statement, params = sums_statement(year=year, cutoff_at=cutoff_at)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Right after a bulk load the statistics are stale and CTE estimates say "1 row", which turns the
            # joins into nested loops over thousands of rows (measured: 28 s instead of 0.3 s on the demo
            # data). Hash and merge joins are right at every volume here; JIT only adds compile time.
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(statement, params)
        return [CountyInputs(*(_whole(value) for value in row)) for row in cursor.fetchall()]
