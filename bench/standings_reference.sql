-- Standings methodology v1, written independently of standings/computation.py as ONE plain PostgreSQL
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
--   plan_fulfilment, growth, product_range, local_raw_materials, reporting_discipline   (rounded to 6 dp)
--   score_plan_fulfilment .. score_reporting_discipline                                   (0-100, 2 dp)
--   composite (2 dp), rank, province_rank                                                 (NULL if not ranked)
--
-- Run ANALYZE after a bulk load before timing it: with stale statistics PostgreSQL picks nested loops
-- (measured on the demo data: 28 s before ANALYZE, 0.06 s after).
--
-- Definitions (DESIGN.md "Standings, methodology v1"): only approved reports (approved_at <= cut-off);
-- operating factory-months = factory commissioned/in operation, from its commissioning month, month closed;
-- a month is counted when every operating factory of the county has an approved report for it; ranked when
-- counted >= share x operating (and operating > 0); monthly plan = annual / 12 unless a monthly split exists,
-- factory-months without an annual plan are left out of plan fulfilment; growth over factory-months approved
-- in both years; product range = sum over factories of their best month's varieties / their planned varieties;
-- reporting discipline = operating factory-months whose approved report was first submitted on or before the
-- deadline day / operating factory-months; goalposts over ranked counties (all equal -> 100); missing
-- indicators drop out and the weights are rescaled; RANK() on the composite, best first.
WITH
year_months AS (
    SELECT gs::date AS month,
           ((gs + interval '1 month')::date - 1) + %(entry_days)s AS deadline_day
    FROM generate_series(make_date(%(year)s, 1, 1), make_date(%(year)s, 12, 1), interval '1 month') AS gs
),
closed_months AS (
    SELECT month, deadline_day FROM year_months
    WHERE (%(cutoff_at)s::timestamptz AT TIME ZONE %(time_zone)s)::date > deadline_day
),
units AS (
    SELECT id AS county_id, province_id FROM regional_county WHERE kind IN ('city', 'county')
),
good AS (
    SELECT r.factory_id, f.county_id, r.month, r.output_value_thousand_won, r.varieties_produced,
           r.raw_material_used_tonnes, r.raw_material_from_own_bases_tonnes, r.first_submitted_at
    FROM factories_monthlyreport r
    JOIN factories_factory f ON f.id = r.factory_id
    JOIN units u ON u.county_id = f.county_id
    WHERE r.status = 'approved' AND r.approved_at <= %(cutoff_at)s::timestamptz
      AND r.month BETWEEN make_date(%(year)s - 1, 1, 1) AND make_date(%(year)s, 12, 1)
),
this_year AS (
    SELECT * FROM good WHERE date_part('year', month) = %(year)s
),
factory_months AS (
    SELECT f.county_id, cm.month, cm.deadline_day, g.factory_id AS approved_factory, g.first_submitted_at
    FROM factories_factory f
    JOIN units u ON u.county_id = f.county_id
    JOIN closed_months cm ON date_trunc('month', f.commissioned_on)::date <= cm.month
    LEFT JOIN this_year g ON g.factory_id = f.id AND g.month = cm.month
    WHERE f.status IN ('commissioned', 'in_operation') AND f.commissioned_on IS NOT NULL
),
months_per_county AS (
    SELECT county_id,
           count(DISTINCT month) AS operating_months,
           count(DISTINCT month) - count(DISTINCT month) FILTER (WHERE approved_factory IS NULL) AS counted_months,
           count(*) FILTER (WHERE approved_factory IS NOT NULL
                            AND (first_submitted_at AT TIME ZONE %(time_zone)s)::date <= deadline_day)::numeric
               / count(*) AS discipline
    FROM factory_months
    GROUP BY county_id
),
planned AS (
    SELECT t.county_id, sum(t.output_value_thousand_won) AS done,
           sum(coalesce(mp.planned_output_value_thousand_won, ap.planned_output_value_thousand_won / 12)) AS due
    FROM this_year t
    JOIN factories_annualplan ap ON ap.factory_id = t.factory_id AND ap.year = %(year)s
    LEFT JOIN factories_monthlyplan mp
           ON mp.annual_plan_id = ap.id AND mp.month_number = date_part('month', t.month)
    GROUP BY t.county_id
),
grown AS (
    SELECT t.county_id, sum(t.output_value_thousand_won) AS now_value, sum(p.output_value_thousand_won) AS then_value
    FROM this_year t
    JOIN good p ON p.factory_id = t.factory_id AND p.month = (t.month - interval '1 year')::date
    GROUP BY t.county_id
),
ranges AS (
    SELECT best.county_id, sum(best.top) AS top, sum(ap.planned_varieties) AS planned
    FROM (SELECT county_id, factory_id, max(varieties_produced) AS top FROM this_year GROUP BY 1, 2) AS best
    JOIN factories_annualplan ap ON ap.factory_id = best.factory_id AND ap.year = %(year)s
    GROUP BY best.county_id
),
materials AS (
    SELECT county_id, sum(raw_material_from_own_bases_tonnes) AS own, sum(raw_material_used_tonnes) AS used
    FROM this_year GROUP BY county_id
),
raw AS (
    SELECT u.county_id, u.province_id,
           coalesce(m.operating_months, 0) AS operating_months,
           coalesce(m.counted_months, 0) AS counted_months,
           coalesce(m.operating_months, 0) > 0
               AND coalesce(m.counted_months, 0) >= %(minimum_counted_share)s::numeric * m.operating_months
               AS is_eligible,
           round(p.done / nullif(p.due, 0), 6) AS plan_fulfilment,
           round(g.now_value / nullif(g.then_value, 0) - 1, 6) AS growth,
           round(r.top::numeric / nullif(r.planned, 0), 6) AS product_range,
           round(mt.own / nullif(mt.used, 0), 6) AS local_raw_materials,
           round(m.discipline, 6) AS reporting_discipline
    FROM units u
    LEFT JOIN months_per_county m ON m.county_id = u.county_id
    LEFT JOIN planned p ON p.county_id = u.county_id
    LEFT JOIN grown g ON g.county_id = u.county_id
    LEFT JOIN ranges r ON r.county_id = u.county_id
    LEFT JOIN materials mt ON mt.county_id = u.county_id
),
goalposts AS (
    SELECT raw.*,
           min(plan_fulfilment) FILTER (WHERE is_eligible) OVER () AS lo1,
           max(plan_fulfilment) FILTER (WHERE is_eligible) OVER () AS hi1,
           min(growth) FILTER (WHERE is_eligible) OVER () AS lo2,
           max(growth) FILTER (WHERE is_eligible) OVER () AS hi2,
           min(product_range) FILTER (WHERE is_eligible) OVER () AS lo3,
           max(product_range) FILTER (WHERE is_eligible) OVER () AS hi3,
           min(local_raw_materials) FILTER (WHERE is_eligible) OVER () AS lo4,
           max(local_raw_materials) FILTER (WHERE is_eligible) OVER () AS hi4,
           min(reporting_discipline) FILTER (WHERE is_eligible) OVER () AS lo5,
           max(reporting_discipline) FILTER (WHERE is_eligible) OVER () AS hi5
    FROM raw
),
scored AS (
    SELECT goalposts.*,
           CASE WHEN is_eligible AND plan_fulfilment IS NOT NULL
                THEN CASE WHEN hi1 = lo1 THEN 100 ELSE round(100 * (plan_fulfilment - lo1) / (hi1 - lo1), 2) END
           END AS s1,
           CASE WHEN is_eligible AND growth IS NOT NULL
                THEN CASE WHEN hi2 = lo2 THEN 100 ELSE round(100 * (growth - lo2) / (hi2 - lo2), 2) END
           END AS s2,
           CASE WHEN is_eligible AND product_range IS NOT NULL
                THEN CASE WHEN hi3 = lo3 THEN 100 ELSE round(100 * (product_range - lo3) / (hi3 - lo3), 2) END
           END AS s3,
           CASE WHEN is_eligible AND local_raw_materials IS NOT NULL
                THEN CASE WHEN hi4 = lo4 THEN 100 ELSE round(100 * (local_raw_materials - lo4) / (hi4 - lo4), 2) END
           END AS s4,
           CASE WHEN is_eligible AND reporting_discipline IS NOT NULL
                THEN CASE WHEN hi5 = lo5 THEN 100 ELSE round(100 * (reporting_discipline - lo5) / (hi5 - lo5), 2) END
           END AS s5
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
       c.plan_fulfilment, c.growth, c.product_range, c.local_raw_materials, c.reporting_discipline,
       c.s1 AS score_plan_fulfilment, c.s2 AS score_growth, c.s3 AS score_product_range,
       c.s4 AS score_local_raw_materials, c.s5 AS score_reporting_discipline,
       CASE WHEN k.county_id IS NOT NULL THEN c.composite_if_present END AS composite,
       k.rank, k.province_rank
FROM composed c
LEFT JOIN ranked k ON k.county_id = c.county_id
ORDER BY c.county_id
