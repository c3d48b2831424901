"""The SQL of methodology v1: two set-based statements that compute a whole year for every county at once.

Portable SQL (PostgreSQL in production and tests, SQLite ≥ 3.25 for `make run`): CTEs, aggregates and
window functions, `* 1.0` wherever SQLite would otherwise divide integers, parameters adapted by the
backend's own `adapt_*field_value`. Nothing here loops over counties in Python.

Statement 1 (`INPUTS_SQL`) aggregates the approved reports, plans and factories into one row per in-scope
county: the exact sums every figure derives from. Their hash decides whether anything changed.
Statement 2 (`STANDINGS_INSERT_SQL`) turns those sums into indicators, goalpost scores, the composite and
the national and provincial ranks, and inserts the run's CountyStanding rows.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from factories.selectors import entry_deadline
from standings.models import Indicator

INPUTS_TABLE = "standings_inputs"

# Columns of the inputs table, in order; the inputs hash is taken over exactly these.
INPUT_COLUMNS = (
    "county_id",
    "province_id",
    "operating_months",
    "counted_months",
    "operating_factory_months",
    "on_time_factory_months",
    "output_value_sum",
    "planned_value_sum",
    "growth_current_sum",
    "growth_previous_sum",
    "best_varieties_sum",
    "planned_varieties_sum",
    "raw_material_own_sum",
    "raw_material_used_sum",
)


@dataclass(frozen=True)
class Month:
    number: int
    start: datetime.date
    next_start: datetime.date
    previous_year_start: datetime.date
    # Reports first submitted before this instant were on time: the end of the entry deadline's day.
    deadline_exclusive_at: datetime.datetime
    is_closed: bool


def months_of_year(*, year: int, cutoff_at: datetime.datetime) -> list[Month]:
    """The twelve months of `year`, each with its deadline and whether its entry period closed by the cut-off."""
    zone = timezone.get_default_timezone()
    months = []
    for number in range(1, 13):
        start = datetime.date(year, number, 1)
        next_start = datetime.date(year + (number == 12), number % 12 + 1, 1)
        deadline_end = datetime.datetime.combine(
            entry_deadline(start) + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        months.append(
            Month(
                number=number,
                start=start,
                next_start=next_start,
                previous_year_start=datetime.date(year - 1, number, 1),
                deadline_exclusive_at=deadline_end,
                is_closed=cutoff_at >= deadline_end,
            )
        )
    return months


def _months_cte(months: list[Month], params: dict) -> str:
    ops = connection.ops
    selects = []
    for month in months:
        key = f"m{month.number}"
        params[f"{key}_number"] = month.number
        params[f"{key}_start"] = ops.adapt_datefield_value(month.start)
        params[f"{key}_next"] = ops.adapt_datefield_value(month.next_start)
        params[f"{key}_previous"] = ops.adapt_datefield_value(month.previous_year_start)
        params[f"{key}_deadline"] = ops.adapt_datetimefield_value(month.deadline_exclusive_at)
        params[f"{key}_closed"] = int(month.is_closed)
        selects.append(
            f"SELECT %({key}_number)s AS month_number, %({key}_start)s AS month_start, "
            f"%({key}_next)s AS next_month_start, %({key}_previous)s AS previous_year_month_start, "
            f"%({key}_deadline)s AS deadline_at, %({key}_closed)s AS is_closed"
        )
    return "\n        UNION ALL ".join(selects)


INPUTS_SQL = """
CREATE TEMPORARY TABLE standings_inputs AS
WITH months AS (
        {months}
),
in_scope_counties AS (
    SELECT id AS county_id, province_id FROM regional_county WHERE kind IN ('city', 'county')
),
-- Approved reports of the year (by the cut-off) of factories in in-scope counties.
approved AS (
    SELECT r.factory_id, f.county_id, m.month_number, r.month, m.previous_year_month_start,
           r.output_value_thousand_won AS output_value, r.varieties_produced,
           r.raw_material_used_tonnes AS raw_used, r.raw_material_from_own_bases_tonnes AS raw_own,
           r.first_submitted_at
    FROM factories_monthlyreport r
    JOIN months m ON m.month_start = r.month
    JOIN factories_factory f ON f.id = r.factory_id
    JOIN in_scope_counties c ON c.county_id = f.county_id
    WHERE r.status = 'approved' AND r.approved_at <= %(cutoff_at)s
      AND r.month >= %(year_start)s AND r.month < %(next_year_start)s
),
previous_approved AS (
    SELECT r.factory_id, r.month, r.output_value_thousand_won AS output_value
    FROM factories_monthlyreport r
    WHERE r.status = 'approved' AND r.approved_at <= %(cutoff_at)s
      AND r.month >= %(previous_year_start)s AND r.month < %(year_start)s
),
-- Factory-months in operation (commissioning month on) whose entry period closed by the cut-off.
operating_factory_months AS (
    SELECT f.id AS factory_id, f.county_id, m.month_start, m.deadline_at
    FROM factories_factory f
    JOIN in_scope_counties c ON c.county_id = f.county_id
    JOIN months m ON m.is_closed = 1 AND f.commissioned_on < m.next_month_start
    WHERE f.status IN ('commissioned', 'in_operation') AND f.commissioned_on IS NOT NULL
),
operating_county_months AS (
    SELECT o.county_id, o.month_start, COUNT(*) AS factories_operating, COUNT(a.factory_id) AS factories_approved,
           SUM(CASE WHEN a.first_submitted_at < o.deadline_at THEN 1 ELSE 0 END) AS factories_on_time
    FROM operating_factory_months o
    LEFT JOIN approved a ON a.factory_id = o.factory_id AND a.month = o.month_start
    GROUP BY o.county_id, o.month_start
),
operating AS (
    SELECT county_id, COUNT(*) AS operating_months,
           SUM(CASE WHEN factories_approved = factories_operating THEN 1 ELSE 0 END) AS counted_months,
           SUM(factories_operating) AS operating_factory_months,
           SUM(factories_on_time) AS on_time_factory_months
    FROM operating_county_months
    GROUP BY county_id
),
-- Factory-months without an annual plan have no planned value: left out of both sums.
plan_fulfilment AS (
    SELECT a.county_id, SUM(a.output_value) AS output_value_sum,
           SUM(COALESCE(mp.planned_output_value_thousand_won, ap.planned_output_value_thousand_won / 12.0))
               AS planned_value_sum
    FROM approved a
    JOIN factories_annualplan ap ON ap.factory_id = a.factory_id AND ap.year = %(year)s
    LEFT JOIN factories_monthlyplan mp ON mp.annual_plan_id = ap.id AND mp.month_number = a.month_number
    GROUP BY a.county_id
),
growth AS (
    SELECT a.county_id, SUM(a.output_value) AS growth_current_sum, SUM(p.output_value) AS growth_previous_sum
    FROM approved a
    JOIN previous_approved p ON p.factory_id = a.factory_id AND p.month = a.previous_year_month_start
    GROUP BY a.county_id
),
product_range AS (
    SELECT best.county_id, SUM(best.most_varieties) AS best_varieties_sum,
           SUM(ap.planned_varieties) AS planned_varieties_sum
    FROM (
        SELECT factory_id, county_id, MAX(varieties_produced) AS most_varieties
        FROM approved GROUP BY factory_id, county_id
    ) best
    JOIN factories_annualplan ap ON ap.factory_id = best.factory_id AND ap.year = %(year)s
    GROUP BY best.county_id
),
raw_materials AS (
    SELECT county_id, SUM(raw_own) AS raw_material_own_sum, SUM(raw_used) AS raw_material_used_sum
    FROM approved GROUP BY county_id
)
SELECT c.county_id, c.province_id,
       COALESCE(o.operating_months, 0) AS operating_months,
       COALESCE(o.counted_months, 0) AS counted_months,
       COALESCE(o.operating_factory_months, 0) AS operating_factory_months,
       COALESCE(o.on_time_factory_months, 0) AS on_time_factory_months,
       pf.output_value_sum, pf.planned_value_sum,
       g.growth_current_sum, g.growth_previous_sum,
       pr.best_varieties_sum, pr.planned_varieties_sum,
       rm.raw_material_own_sum, rm.raw_material_used_sum
FROM in_scope_counties c
LEFT JOIN operating o ON o.county_id = c.county_id
LEFT JOIN plan_fulfilment pf ON pf.county_id = c.county_id
LEFT JOIN growth g ON g.county_id = c.county_id
LEFT JOIN product_range pr ON pr.county_id = c.county_id
LEFT JOIN raw_materials rm ON rm.county_id = c.county_id
"""


def _score_sql(indicator: str) -> str:
    return (
        f"CASE WHEN i.is_eligible = 1 AND i.{indicator} IS NOT NULL THEN "
        f"CASE WHEN b.{indicator}_max = b.{indicator}_min THEN 100.00 "
        f"ELSE ROUND((i.{indicator} - b.{indicator}_min) * 100.0 / (b.{indicator}_max - b.{indicator}_min), 2) END "
        f"END AS score_{indicator}"
    )


_INDICATORS = Indicator.values
STANDINGS_INSERT_SQL = """
INSERT INTO standings_countystanding (
    run_id, county_id, operating_months, counted_months, is_ranked, not_ranked_reason,
    {indicator_columns}, {score_columns},
    composite, rank, province_rank, previous_rank, rank_change
)
WITH indicators AS (
    SELECT county_id, province_id, operating_months, counted_months,
           CASE WHEN planned_value_sum > 0
                THEN ROUND(output_value_sum * 1.0 / planned_value_sum, 6) END AS plan_fulfilment,
           CASE WHEN growth_previous_sum > 0
                THEN ROUND(growth_current_sum * 1.0 / growth_previous_sum - 1, 6) END AS growth,
           CASE WHEN planned_varieties_sum > 0
                THEN ROUND(best_varieties_sum * 1.0 / planned_varieties_sum, 6) END AS product_range,
           CASE WHEN raw_material_used_sum > 0
                THEN ROUND(raw_material_own_sum * 1.0 / raw_material_used_sum, 6) END AS local_raw_materials,
           CASE WHEN operating_factory_months > 0
                THEN ROUND(on_time_factory_months * 1.0 / operating_factory_months, 6) END AS reporting_discipline,
           -- Integer arithmetic on thousandths keeps "9 of 12 at 75 %%" exact on every backend.
           CASE WHEN operating_months > 0
                 AND counted_months * 1000 >= %(minimum_share_thousandths)s * operating_months
                THEN 1 ELSE 0 END AS is_eligible
    FROM standings_inputs
),
bounds AS (
    SELECT {bounds}
    FROM indicators WHERE is_eligible = 1
),
scores AS (
    SELECT i.*, {scores}
    FROM indicators i CROSS JOIN bounds b
),
weighted AS (
    SELECT s.*,
           {weighted_sum} AS weighted_sum,
           {weight_sum} AS weight_sum
    FROM scores s
),
composites AS (
    SELECT w.*,
           CASE WHEN w.is_eligible = 1 AND w.weight_sum > 0
                THEN ROUND(w.weighted_sum * 1.0 / w.weight_sum, 2) END AS composite,
           CASE WHEN w.is_eligible = 1 AND w.weight_sum > 0 THEN 1 ELSE 0 END AS is_ranked_flag
    FROM weighted w
),
ranked AS (
    SELECT c.*,
           CASE WHEN c.is_ranked_flag = 1
                THEN RANK() OVER (PARTITION BY c.is_ranked_flag ORDER BY c.composite DESC) END AS national_rank,
           CASE WHEN c.is_ranked_flag = 1
                THEN RANK() OVER (PARTITION BY c.is_ranked_flag, c.province_id ORDER BY c.composite DESC) END
               AS rank_in_province
    FROM composites c
)
SELECT %(run_id)s, r.county_id, r.operating_months, r.counted_months, (r.is_ranked_flag = 1),
       CASE WHEN r.is_ranked_flag = 1 THEN ''
            WHEN r.operating_months = 0 THEN 'no_operating_months'
            WHEN r.is_eligible = 0 THEN 'too_few_counted_months'
            ELSE 'no_weighted_indicator' END,
       {indicator_values}, {score_values},
       r.composite, r.national_rank, r.rank_in_province, previous.rank,
       CASE WHEN r.national_rank IS NOT NULL AND previous.rank IS NOT NULL
            THEN previous.rank - r.national_rank END
FROM ranked r
LEFT JOIN standings_countystanding previous
       ON previous.run_id = %(previous_run_id)s AND previous.county_id = r.county_id
""".format(
    indicator_columns=", ".join(_INDICATORS),
    score_columns=", ".join(f"score_{indicator}" for indicator in _INDICATORS),
    bounds=",\n           ".join(
        f"MIN({indicator}) AS {indicator}_min, MAX({indicator}) AS {indicator}_max" for indicator in _INDICATORS
    ),
    scores=",\n           ".join(_score_sql(indicator) for indicator in _INDICATORS),
    weighted_sum=" + ".join(f"COALESCE(s.score_{indicator} * %(weight_{indicator})s, 0)" for indicator in _INDICATORS),
    weight_sum=" + ".join(
        f"CASE WHEN s.score_{indicator} IS NOT NULL THEN %(weight_{indicator})s ELSE 0 END" for indicator in _INDICATORS
    ),
    indicator_values=", ".join(f"r.{indicator}" for indicator in _INDICATORS),
    score_values=", ".join(f"r.score_{indicator}" for indicator in _INDICATORS),
)


def inputs_params(*, year: int, cutoff_at: datetime.datetime) -> tuple[str, dict]:
    """The first statement with its parameters for `year` at `cutoff_at`."""
    ops = connection.ops
    params: dict = {
        "year": year,
        "cutoff_at": ops.adapt_datetimefield_value(cutoff_at),
        "year_start": ops.adapt_datefield_value(datetime.date(year, 1, 1)),
        "next_year_start": ops.adapt_datefield_value(datetime.date(year + 1, 1, 1)),
        "previous_year_start": ops.adapt_datefield_value(datetime.date(year - 1, 1, 1)),
    }
    months_sql = _months_cte(months_of_year(year=year, cutoff_at=cutoff_at), params)
    return INPUTS_SQL.replace("{months}", months_sql), params


def standings_params(
    *, run_id: int, previous_run_id: int | None, weights: dict[str, Decimal], minimum_share: Decimal
) -> dict:
    """The second statement's parameters. Weights travel as integer hundredths: the ratio is the same."""
    params: dict = {
        "run_id": run_id,
        "previous_run_id": previous_run_id,
        "minimum_share_thousandths": int(minimum_share * 1000),
    }
    for indicator in _INDICATORS:
        params[f"weight_{indicator}"] = int(weights[indicator] * 100)
    return params
