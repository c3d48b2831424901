"""A month's planned output value: one rule for every figure that compares output with plan (DESIGN.md).

The monthly plan is the annual plan ÷ 12, unless a monthly split was entered; a split counts only when it covers
all twelve months and sums to the annual plan (the app refuses any other split, and every figure treats one as
absent). A factory-year without an annual plan has no monthly plan.

The same rule twice: in Python for one factory-year (the entry form, the factory page), and as SQL fragments for the
set-based statements (the standings' sums, the pivot explorer). In SQL, money is in integer hundredths and the
monthly plan in integer twelfths of hundredths, so that an annual plan ÷ 12 needs no rounding and PostgreSQL and
SQLite add the same whole numbers.
"""

from decimal import Decimal

from django.db import connection

from factories.models import AnnualPlan, MonthlyPlan

ANNUAL_PLAN_TABLE = AnnualPlan._meta.db_table
MONTHLY_PLAN_TABLE = MonthlyPlan._meta.db_table


def hundredths_sql(column: str) -> str:
    """`column` (money or tonnes) as whole hundredths: exact whether the backend stores the decimal as NUMERIC or,
    like SQLite, as a double holding two decimals."""
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def sum_hundredths_sql(expression: str) -> str:
    """SUM(`expression`) (money or tonnes with two decimals) as whole hundredths. PostgreSQL adds NUMERICs exactly,
    so it converts once, after the sum (converting each row first costs more than the rest of a pivot's
    aggregate); SQLite may hold the decimals as doubles, so each row is made whole before the sum."""
    if connection.vendor == "postgresql":
        return f"CAST(SUM({expression}) * 100 AS BIGINT)"
    return f"SUM({hundredths_sql(expression)})"


def valid_splits_sql(where: str) -> str:
    """The ids of the annual plans (`ap`, restricted by `where`) whose monthly split (`mp`) counts: all twelve
    months, summing to the annual plan. For a CTE named `valid_splits`."""
    return f"""
    SELECT mp.annual_plan_id
    FROM {MONTHLY_PLAN_TABLE} mp
    JOIN {ANNUAL_PLAN_TABLE} ap ON ap.id = mp.annual_plan_id
    WHERE {where}
    GROUP BY mp.annual_plan_id, ap.planned_output_value_thousand_won
    HAVING COUNT(*) = 12
       AND SUM({hundredths_sql("mp.planned_output_value_thousand_won")})
           = MAX({hundredths_sql("ap.planned_output_value_thousand_won")})"""


def plan_joins_sql(*, factory_id: str, year: str, month_number: str, plan_years: str = "") -> str:
    """LEFT JOINs that bring the factory-month's annual plan (`ap`) and, when its split counts, the month's part of
    it (`mp`), for `PLANNED_TWELFTH_HUNDREDTHS_SQL`. Needs the `valid_splits` CTE. `plan_years`, a condition on
    `year`, lets PostgreSQL hash the plans of the years shown instead of looking each report's plan up."""
    annual_plans = ANNUAL_PLAN_TABLE
    if plan_years:
        annual_plans = (
            "(SELECT id, factory_id, year, planned_output_value_thousand_won, planned_varieties "
            f"FROM {ANNUAL_PLAN_TABLE} WHERE {plan_years})"
        )
    return f"""
    LEFT JOIN {annual_plans} ap ON ap.factory_id = {factory_id} AND ap.year = {year}
    LEFT JOIN valid_splits vs ON vs.annual_plan_id = ap.id
    LEFT JOIN {MONTHLY_PLAN_TABLE} mp ON mp.annual_plan_id = vs.annual_plan_id AND mp.month_number = {month_number}"""


# The month's plan in twelfths of thousand won (a decimal); NULL without an annual plan. Sum it with
# `sum_hundredths_sql` for whole twelfths of hundredths.
PLANNED_TWELFTHS_SQL = (
    "CASE WHEN vs.annual_plan_id IS NOT NULL THEN 12 * mp.planned_output_value_thousand_won "
    "ELSE ap.planned_output_value_thousand_won END"
)
# The month's plan in twelfths of hundredths of thousand won, row by row; NULL without an annual plan.
PLANNED_TWELFTH_HUNDREDTHS_SQL = (
    f"CASE WHEN vs.annual_plan_id IS NOT NULL THEN 12 * {hundredths_sql('mp.planned_output_value_thousand_won')} "
    f"ELSE {hundredths_sql('ap.planned_output_value_thousand_won')} END"
)


def split_counts(annual_value: Decimal, split: dict[int, Decimal]) -> bool:
    """Whether an entered split is used: it covers all twelve months and sums to the annual plan."""
    return len(split) == 12 and sum(split.values()) == annual_value


def planned_month_value(annual_value: Decimal, split: dict[int, Decimal], month_number: int) -> Decimal:
    """The month's planned output value, exactly (a twelfth of the annual plan is not rounded here)."""
    if split_counts(annual_value, split):
        return split[month_number]
    return annual_value / 12
