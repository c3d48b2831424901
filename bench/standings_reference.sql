-- Standings methodology v1.1, written independently of standings/computation.py as ONE plain PostgreSQL
-- statement over the base tables. Used as an oracle (tests/standings/test_reference.py compares a published
-- run with it, county by county) and as the hand-written baseline the benchmarks time the service against.
--
-- Parameters (psycopg2 "pyformat"; with psql replace them by literals):
--   %(year)s                   integer      the year to rank, e.g. 2025
--   %(cutoff_at)s              timestamptz  approved data up to this instant; a month counts only when its
--                                           entry deadline (a local calendar day) ended before it
--   %(entry_days)s             integer      settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END (10)
--   %(time_zone)s              text         settings.TIME_ZONE ('Asia/Pyongyang'); deadlines are local days
--   %(minimum_counted_share)s  numeric      methodology.minimum_counted_share (0.75)
--   %(w_plan)s %(w_growth)s %(w_range)s %(w_local)s %(w_discipline)s
--                              numeric      methodology weights (35, 20, 15, 15, 15)
--
-- Result: one row per city or county (County.kind in city/county), ordered by county_id:
--   county_id, province_id, operating_months, counted_months, is_ranked,
--   plan_fulfilment, growth, product_range, local_raw_materials, reporting_discipline   (rounded half-up, 6 dp)
--   score_plan_fulfilment .. score_reporting_discipline                                   (0-100, 2 dp)
--   composite (2 dp), rank, province_rank                                                 (NULL if not ranked)
--
-- Run ANALYZE after a bulk load before timing it: with stale statistics PostgreSQL picks nested loops
-- (measured on the demo data: 28 s before ANALYZE, 0.06 s after).
--
-- Definitions (DESIGN.md "Standings, methodology v1.1"). A factory is in operation in a month when its status is
-- commissioned/in operation, its commissioning date is known and on or before the month's last day; operating
-- factory-months are those whose entry deadline (month end + entry_days, a local day) ended before the cut-off;
-- a counted factory-month is an operating one with a report approved by the cut-off. Every indicator sums over
-- counted factory-months only:
--   plan fulfilment  = sum(output) / sum(monthly plan) over counted factory-months whose monthly plan > 0
--                      (monthly plan = annual / 12 unless a split covering all 12 months and summing to the
--                      annual plan exists; computed as sum(12 x output) / sum(12 x monthly plan): no division)
--   growth           = sum(output) / sum(output a year before) - 1 over counted factory-months whose month a
--                      year before was counted too
--   product range    = sum over factories (with planned varieties > 0) of their best counted month's varieties
--                      / sum of their planned varieties
--   local materials  = sum(own) / sum(used) over counted factory-months
--   discipline       = operating factory-months approved and first submitted by the deadline day / operating
-- Ranked when months with every operating factory counted >= share x operating months. Goalposts over ranked
-- counties from the unrounded ratios (numeric with 40 decimals: exact for every ratio whose decimals end, and
-- within 1e-38 otherwise); scores and composite rounded half away from zero to 2 dp; RANK() on the composite.
WITH
months AS (
    SELECT gs::date AS month, date_part('month', gs)::int AS month_number,
           ((gs + interval '1 month')::date - 1) AS last_day,
           ((gs + interval '1 month')::date - 1) + %(entry_days)s AS deadline_day
    FROM generate_series(make_date(%(year)s - 1, 1, 1), make_date(%(year)s, 12, 1), interval '1 month') AS gs
),
closed AS (
    SELECT * FROM months
    WHERE (%(cutoff_at)s::timestamptz AT TIME ZONE %(time_zone)s)::date > deadline_day
),
units AS (
    SELECT id AS county_id, province_id FROM regional_county WHERE kind IN ('city', 'county')
),
operating AS (
    SELECT f.id AS factory_id, f.county_id, cm.month, cm.month_number, cm.deadline_day,
           r.id AS report_id, r.output_value_thousand_won AS output, r.varieties_produced AS varieties,
           r.raw_material_from_own_bases_tonnes AS own, r.raw_material_used_tonnes AS used, r.first_submitted_at
    FROM factories_factory f
    JOIN units u ON u.county_id = f.county_id
    JOIN closed cm ON f.commissioned_on <= cm.last_day
    LEFT JOIN factories_monthlyreport r
           ON r.factory_id = f.id AND r.month = cm.month AND r.status = 'approved'
          AND r.approved_at <= %(cutoff_at)s::timestamptz
    WHERE f.status IN ('commissioned', 'in_operation') AND f.commissioned_on IS NOT NULL
),
this_year AS (
    SELECT * FROM operating WHERE date_part('year', month) = %(year)s
),
counted AS (
    SELECT * FROM this_year WHERE report_id IS NOT NULL
),
splits AS (
    SELECT ap.id AS plan_id
    FROM factories_annualplan ap JOIN factories_monthlyplan mp ON mp.annual_plan_id = ap.id
    WHERE ap.year = %(year)s
    GROUP BY ap.id
    HAVING count(*) = 12 AND sum(mp.planned_output_value_thousand_won) = min(ap.planned_output_value_thousand_won)
),
monthly_plan AS (
    SELECT c.factory_id, c.month,
           CASE WHEN s.plan_id IS NOT NULL THEN 12 * mp.planned_output_value_thousand_won
                ELSE ap.planned_output_value_thousand_won END AS plan_times_12
    FROM counted c
    JOIN factories_annualplan ap ON ap.factory_id = c.factory_id AND ap.year = %(year)s
    LEFT JOIN splits s ON s.plan_id = ap.id
    LEFT JOIN factories_monthlyplan mp ON mp.annual_plan_id = s.plan_id AND mp.month_number = c.month_number
),
per_month AS (
    SELECT county_id, month, count(*) AS factories, count(report_id) AS reported
    FROM this_year GROUP BY county_id, month
),
eligibility AS (
    SELECT county_id, count(*) AS operating_months, count(*) FILTER (WHERE reported = factories) AS counted_months
    FROM per_month GROUP BY county_id
),
discipline AS (
    SELECT county_id,
           count(*) FILTER (WHERE report_id IS NOT NULL
                            AND (first_submitted_at AT TIME ZONE %(time_zone)s)::date <= deadline_day)::numeric(80, 40)
               / count(*) AS ratio
    FROM this_year GROUP BY county_id
),
planned AS (
    SELECT c.county_id, sum(12 * c.output) AS done, sum(p.plan_times_12) AS due
    FROM counted c JOIN monthly_plan p ON p.factory_id = c.factory_id AND p.month = c.month
    WHERE p.plan_times_12 > 0
    GROUP BY c.county_id
),
grown AS (
    SELECT c.county_id, sum(c.output) AS now_value, sum(b.output) AS then_value
    FROM counted c
    JOIN operating b ON b.factory_id = c.factory_id AND b.month = (c.month - interval '1 year')::date
                    AND b.report_id IS NOT NULL
    GROUP BY c.county_id
),
ranges AS (
    SELECT best.county_id, sum(best.top) AS top, sum(ap.planned_varieties) AS planned
    FROM (SELECT county_id, factory_id, max(varieties) AS top FROM counted GROUP BY 1, 2) AS best
    JOIN factories_annualplan ap ON ap.factory_id = best.factory_id AND ap.year = %(year)s
    WHERE ap.planned_varieties > 0
    GROUP BY best.county_id
),
materials AS (
    SELECT county_id, sum(own) AS own, sum(used) AS used FROM counted GROUP BY county_id
),
exact AS (
    SELECT u.county_id, u.province_id,
           coalesce(e.operating_months, 0) AS operating_months,
           coalesce(e.counted_months, 0) AS counted_months,
           coalesce(e.operating_months, 0) > 0
               AND coalesce(e.counted_months, 0) >= %(minimum_counted_share)s::numeric * e.operating_months
               AS is_eligible,
           p.done::numeric(80, 40) / nullif(p.due, 0) AS v1,
           g.now_value::numeric(80, 40) / nullif(g.then_value, 0) - 1 AS v2,
           r.top::numeric(80, 40) / nullif(r.planned, 0) AS v3,
           m.own::numeric(80, 40) / nullif(m.used, 0) AS v4,
           d.ratio AS v5
    FROM units u
    LEFT JOIN eligibility e ON e.county_id = u.county_id
    LEFT JOIN discipline d ON d.county_id = u.county_id
    LEFT JOIN planned p ON p.county_id = u.county_id
    LEFT JOIN grown g ON g.county_id = u.county_id
    LEFT JOIN ranges r ON r.county_id = u.county_id
    LEFT JOIN materials m ON m.county_id = u.county_id
),
goalposts AS (
    SELECT exact.*,
           min(v1) FILTER (WHERE is_eligible) OVER () AS lo1, max(v1) FILTER (WHERE is_eligible) OVER () AS hi1,
           min(v2) FILTER (WHERE is_eligible) OVER () AS lo2, max(v2) FILTER (WHERE is_eligible) OVER () AS hi2,
           min(v3) FILTER (WHERE is_eligible) OVER () AS lo3, max(v3) FILTER (WHERE is_eligible) OVER () AS hi3,
           min(v4) FILTER (WHERE is_eligible) OVER () AS lo4, max(v4) FILTER (WHERE is_eligible) OVER () AS hi4,
           min(v5) FILTER (WHERE is_eligible) OVER () AS lo5, max(v5) FILTER (WHERE is_eligible) OVER () AS hi5
    FROM exact
),
scored AS (
    SELECT goalposts.*,
           CASE WHEN is_eligible AND v1 IS NOT NULL
                THEN CASE WHEN hi1 = lo1 THEN 100 ELSE round(100 * (v1 - lo1) / (hi1 - lo1), 2) END END AS s1,
           CASE WHEN is_eligible AND v2 IS NOT NULL
                THEN CASE WHEN hi2 = lo2 THEN 100 ELSE round(100 * (v2 - lo2) / (hi2 - lo2), 2) END END AS s2,
           CASE WHEN is_eligible AND v3 IS NOT NULL
                THEN CASE WHEN hi3 = lo3 THEN 100 ELSE round(100 * (v3 - lo3) / (hi3 - lo3), 2) END END AS s3,
           CASE WHEN is_eligible AND v4 IS NOT NULL
                THEN CASE WHEN hi4 = lo4 THEN 100 ELSE round(100 * (v4 - lo4) / (hi4 - lo4), 2) END END AS s4,
           CASE WHEN is_eligible AND v5 IS NOT NULL
                THEN CASE WHEN hi5 = lo5 THEN 100 ELSE round(100 * (v5 - lo5) / (hi5 - lo5), 2) END END AS s5
    FROM goalposts
),
composed AS (
    SELECT scored.*,
           round(
               (coalesce(%(w_plan)s * s1, 0) + coalesce(%(w_growth)s * s2, 0) + coalesce(%(w_range)s * s3, 0)
                + coalesce(%(w_local)s * s4, 0) + coalesce(%(w_discipline)s * s5, 0))
               / nullif(
                   (CASE WHEN s1 IS NULL THEN 0 ELSE %(w_plan)s END) + (CASE WHEN s2 IS NULL THEN 0 ELSE %(w_growth)s END)
                   + (CASE WHEN s3 IS NULL THEN 0 ELSE %(w_range)s END) + (CASE WHEN s4 IS NULL THEN 0 ELSE %(w_local)s END)
                   + (CASE WHEN s5 IS NULL THEN 0 ELSE %(w_discipline)s END), 0),
               2) AS composite_if_present
    FROM scored
),
ranked AS (
    SELECT county_id,
           rank() OVER (ORDER BY composite_if_present DESC) AS rank,
           rank() OVER (PARTITION BY province_id ORDER BY composite_if_present DESC) AS province_rank
    FROM composed
    WHERE is_eligible AND composite_if_present IS NOT NULL
)
SELECT c.county_id, c.province_id, c.operating_months, c.counted_months, (k.county_id IS NOT NULL) AS is_ranked,
       round(c.v1, 6) AS plan_fulfilment, round(c.v2, 6) AS growth, round(c.v3, 6) AS product_range,
       round(c.v4, 6) AS local_raw_materials, round(c.v5, 6) AS reporting_discipline,
       c.s1 AS score_plan_fulfilment, c.s2 AS score_growth, c.s3 AS score_product_range,
       c.s4 AS score_local_raw_materials, c.s5 AS score_reporting_discipline,
       CASE WHEN k.county_id IS NOT NULL THEN c.composite_if_present END AS composite,
       k.rank, k.province_rank
FROM composed c
LEFT JOIN ranked k ON k.county_id = c.county_id
ORDER BY c.county_id
