"""Database integrity checks in the spirit of DHIS2's data-integrity checks: each is one SQL query that
lists the rows breaking a rule the constraints cannot express (they span tables or time), with how many,
which, and what to do about it.

The queries are PostgreSQL (the production database); table names come from the models' metadata.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from factories.models import AnnualPlan, Factory, MonthlyPlan, MonthlyReport, ReportEvent
from regional.models import County, ProgrammeRound, ProgrammeSlot, User
from standings.models import CountyStanding, RecomputeRequest, StandingsRun

# A recompute request still pending after this long means the worker or the beat sweep is not running.
STUCK_REQUEST_AFTER = datetime.timedelta(hours=1)

TABLES = {
    "report": MonthlyReport._meta.db_table,
    "event": ReportEvent._meta.db_table,
    "factory": Factory._meta.db_table,
    "plan": AnnualPlan._meta.db_table,
    "monthly_plan": MonthlyPlan._meta.db_table,
    "county": County._meta.db_table,
    "round": ProgrammeRound._meta.db_table,
    "slot": ProgrammeSlot._meta.db_table,
    "run": StandingsRun._meta.db_table,
    "standing": CountyStanding._meta.db_table,
    "request": RecomputeRequest._meta.db_table,
    "user": User._meta.db_table,
    "token": Token._meta.db_table,
}


class Severity:
    SEVERE = "severe"  # wrong figures reach users (standings, approvals)
    WARNING = "warning"  # a gap in the record or a process that stalled


@dataclass(frozen=True)
class IntegrityCheck:
    name: str
    title: str
    severity: str
    recommendation: str
    # Returns (object id, one line of detail) per finding; may use %(now)s, %(stuck_before)s and %(time_zone)s
    # (the programme's, settings.TIME_ZONE).
    sql: str


@dataclass
class IntegrityResult:
    check: IntegrityCheck
    count: int
    details: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return self.count == 0


CHECKS: tuple[IntegrityCheck, ...] = (
    IntegrityCheck(
        name="reports_outside_operating_period",
        title="Monthly reports for a month in which their factory was not in operation",
        severity=Severity.SEVERE,
        recommendation="Correct the factory's status or commissioning date in the admin, or delete the "
        "report if it was entered against the wrong factory.",
        sql="""
            SELECT r.id, f.code || ' ' || to_char(r.month, 'YYYY-MM') || ': factory is ' || f.status
                   || COALESCE(', commissioned ' || f.commissioned_on::text, '')
            FROM {report} r JOIN {factory} f ON f.id = r.factory_id
            WHERE f.status NOT IN ('commissioned', 'in_operation')
               OR (f.commissioned_on IS NOT NULL AND r.month < date_trunc('month', f.commissioned_on)::date)
        """,
    ),
    IntegrityCheck(
        name="approved_reports_without_approval_event",
        title="Approved reports with no recorded approval event",
        severity=Severity.SEVERE,
        recommendation="Find who approved it from the report's history and record it, or reopen the report "
        "so that it is approved again through the workflow.",
        sql="""
            SELECT r.id, 'report ' || r.id || ' approved at ' || COALESCE(r.approved_at::text, '?')
            FROM {report} r
            WHERE r.status = 'approved'
              AND NOT EXISTS (SELECT 1 FROM {event} e WHERE e.report_id = r.id AND e.kind = 'approved')
        """,
    ),
    IntegrityCheck(
        name="submitted_reports_without_submission_event",
        title="Submitted, returned or approved reports with no recorded submission",
        severity=Severity.WARNING,
        recommendation="Reconstruct the submission from the report's history; reporting discipline "
        "depends on the first submission time.",
        sql="""
            SELECT r.id, 'report ' || r.id || ' is ' || r.status || ' but was never recorded as submitted'
            FROM {report} r
            WHERE r.status IN ('submitted', 'returned', 'approved')
              AND NOT EXISTS (SELECT 1 FROM {event} e WHERE e.report_id = r.id AND e.kind = 'submitted')
        """,
    ),
    IntegrityCheck(
        name="report_workflow_times_out_of_order",
        title="Reports approved before they were first submitted, submitted before their month ended, or "
        "with a submission or approval time in the future",
        severity=Severity.SEVERE,
        recommendation="Check the server clock and the import that wrote these times; correct them from the "
        "report events.",
        sql="""
            SELECT r.id, 'report ' || r.id || ': month ' || to_char(r.month, 'YYYY-MM')
                   || ', first submitted ' || COALESCE(r.first_submitted_at::text, '-')
                   || ', approved ' || COALESCE(r.approved_at::text, '-')
            FROM {report} r
            WHERE (r.approved_at IS NOT NULL AND r.first_submitted_at IS NOT NULL
                   AND r.approved_at < r.first_submitted_at)
               -- A month's report can be submitted from midnight at the start of the next month, in the
               -- programme's time zone (DESIGN.md, reporting periods).
               OR (r.first_submitted_at IS NOT NULL
                   AND r.first_submitted_at < (r.month + interval '1 month')::timestamp AT TIME ZONE %(time_zone)s)
               OR r.first_submitted_at > %(now)s OR r.approved_at > %(now)s
        """,
    ),
    IntegrityCheck(
        name="reopened_reports_without_reopening_event",
        title="Reports marked as reopened with no audited reopening",
        severity=Severity.SEVERE,
        recommendation="A closed report was opened for editing without the audited service: find out who "
        "did it and record the reason, or close it again.",
        sql="""
            SELECT r.id, 'report ' || r.id || ' is open for editing without a recorded reason'
            FROM {report} r
            WHERE r.is_reopened
              AND NOT EXISTS (SELECT 1 FROM {event} e WHERE e.report_id = r.id AND e.kind = 'reopened')
        """,
    ),
    IntegrityCheck(
        name="standings_older_than_latest_approval",
        title="Years whose standings were last computed before their latest approval",
        severity=Severity.SEVERE,
        recommendation="Run `manage.py recompute_standings` for the year (or check that the Celery worker "
        "and beat are running: the recompute should have followed the approval).",
        sql="""
            WITH approvals AS (
                SELECT EXTRACT(YEAR FROM r.month)::int AS year, MAX(r.approved_at) AS last_approved_at
                FROM {report} r WHERE r.status = 'approved' GROUP BY 1
            ), computed AS (
                SELECT year, MAX(cutoff_at) AS computed_at FROM {run} GROUP BY year
            )
            SELECT a.year, a.year || ': last approval ' || a.last_approved_at::text || ', standings as of '
                   || COALESCE(GREATEST(c.computed_at, q.last_started_at)::text, 'never')
            FROM approvals a
            LEFT JOIN computed c ON c.year = a.year
            LEFT JOIN {request} q ON q.year = a.year AND NOT q.is_pending
            WHERE COALESCE(GREATEST(c.computed_at, q.last_started_at), '-infinity') < a.last_approved_at
        """,
    ),
    IntegrityCheck(
        name="standings_runs_incomplete",
        title="Standings runs whose rows do not match their own summary (a partial run)",
        severity=Severity.SEVERE,
        recommendation="Runs are written in one transaction; a mismatch means rows were deleted or edited "
        "by hand. Recompute the year; never edit a run.",
        sql="""
            SELECT run.id, 'run ' || run.id || ' (' || run.year || '): says ' || run.listed_count
                   || ' listed and ' || run.ranked_count || ' ranked, has ' || COUNT(s.id) || ' and '
                   || COUNT(s.id) FILTER (WHERE s.is_ranked)
            FROM {run} run LEFT JOIN {standing} s ON s.run_id = run.id
            GROUP BY run.id
            HAVING COUNT(s.id) <> run.listed_count OR COUNT(s.id) FILTER (WHERE s.is_ranked) <> run.ranked_count
        """,
    ),
    IntegrityCheck(
        name="standings_ranks_inconsistent",
        title="Ranked counties whose rank disagrees with their composite score",
        severity=Severity.SEVERE,
        recommendation="Ranks must be RANK() over the rounded composite; recompute the year and report the "
        "run to the developers.",
        sql="""
            SELECT s.id, 'run ' || s.run_id || ': county ' || s.county_id || ' has rank ' || COALESCE(s.rank, 0)
                   || ' with composite ' || COALESCE(s.composite::text, '-')
            FROM {standing} s
            WHERE s.is_ranked AND s.rank IS DISTINCT FROM 1 + (
                SELECT COUNT(*) FROM {standing} better
                WHERE better.run_id = s.run_id AND better.is_ranked AND better.composite > s.composite
            )
        """,
    ),
    IntegrityCheck(
        name="slot_kind_not_matching_round",
        title="Model slots in annual rounds, or annual localities in the model round",
        severity=Severity.WARNING,
        recommendation="Set the slot's kind to match its round: the model (Kimhwa) is not one of the "
        "annual 20, and an annual round's slots are localities or separate projects.",
        sql="""
            SELECT s.id, c.name_en || ': ' || s.kind || ' slot in the ' || rd.kind || ' round ' || rd.year
            FROM {slot} s JOIN {county} c ON c.id = s.county_id JOIN {round} rd ON rd.id = s.programme_round_id
            WHERE (rd.kind = 'annual' AND s.kind = 'model') OR (rd.kind = 'model' AND s.kind <> 'model')
        """,
    ),
    IntegrityCheck(
        name="factories_in_another_county_than_their_slot",
        title="Factories built by a programme slot of another county",
        severity=Severity.SEVERE,
        recommendation="Correct the factory's county or its slot; the county's standings count its factories.",
        sql="""
            SELECT f.id, f.code || ' is in county ' || f.county_id || ', its slot in county ' || s.county_id
            FROM {factory} f JOIN {slot} s ON s.id = f.programme_slot_id
            WHERE f.county_id <> s.county_id
        """,
    ),
    IntegrityCheck(
        name="rounds_over_target",
        title="Annual rounds with more localities than their target",
        severity=Severity.WARNING,
        recommendation="Mark extra projects (e.g. a paper mill) as 'separate project', or raise the round's "
        "target if the programme announced more localities.",
        sql="""
            SELECT rd.id, rd.year || ': ' || COUNT(s.id) || ' localities, target ' || rd.target_localities
            FROM {round} rd JOIN {slot} s ON s.programme_round_id = rd.id AND s.kind = 'locality'
            WHERE rd.kind = 'annual'
            GROUP BY rd.id HAVING COUNT(s.id) > rd.target_localities
        """,
    ),
    IntegrityCheck(
        name="slot_dates_outside_their_round",
        title="Slots inaugurated before their round's year or broken ground more than a year before it",
        severity=Severity.WARNING,
        recommendation="Check the slot's round and dates against its sources; a county is built in the "
        "round that inaugurates it.",
        sql="""
            SELECT s.id, c.name_en || ': round ' || rd.year
                   || ', groundbreaking ' || COALESCE(s.groundbreaking_date::text, '-')
                   || ', inauguration ' || COALESCE(s.inauguration_date::text, '-')
            FROM {slot} s JOIN {county} c ON c.id = s.county_id JOIN {round} rd ON rd.id = s.programme_round_id
            WHERE rd.kind = 'annual' AND (
                EXTRACT(YEAR FROM s.inauguration_date) < rd.year
                OR EXTRACT(YEAR FROM s.groundbreaking_date) < rd.year - 1
            )
        """,
    ),
    IntegrityCheck(
        name="monthly_split_not_matching_annual_plan",
        title="Annual plans whose twelve entered monthly plans do not add up to the year",
        severity=Severity.WARNING,
        recommendation="Correct the monthly split or the annual figure so that they agree; plan fulfilment "
        "uses the monthly figures.",
        sql="""
            SELECT p.id, 'plan ' || p.id || ' (' || p.year || '): year ' || p.planned_output_value_thousand_won
                   || ', months add up to ' || SUM(m.planned_output_value_thousand_won)
            FROM {plan} p JOIN {monthly_plan} m ON m.annual_plan_id = p.id
            GROUP BY p.id
            HAVING COUNT(m.id) = 12 AND (
                SUM(m.planned_output_value_thousand_won) <> p.planned_output_value_thousand_won
                OR SUM(m.planned_physical_output) <> p.planned_physical_output
            )
        """,
    ),
    IntegrityCheck(
        name="plans_for_years_before_operation",
        title="Annual plans for a year before their factory was commissioned (orphan plans)",
        severity=Severity.WARNING,
        recommendation="Delete the plan, or correct the factory's commissioning date.",
        sql="""
            SELECT p.id, f.code || ': plan for ' || p.year || ', commissioned '
                   || COALESCE(f.commissioned_on::text, 'never')
            FROM {plan} p JOIN {factory} f ON f.id = p.factory_id
            WHERE f.commissioned_on IS NULL OR p.year < EXTRACT(YEAR FROM f.commissioned_on)
        """,
    ),
    IntegrityCheck(
        name="standings_for_counties_outside_programme",
        title="Standings rows for wards, districts or areas",
        severity=Severity.WARNING,
        recommendation="Only cities and counties are ranked; recompute the year and report the run to the developers.",
        sql="""
            SELECT s.id, 'run ' || s.run_id || ': ' || c.name_en || ' (' || c.kind || ')'
            FROM {standing} s JOIN {county} c ON c.id = s.county_id
            WHERE c.kind NOT IN ('city', 'county')
        """,
    ),
    IntegrityCheck(
        name="api_tokens_of_inactive_users",
        title="API tokens that still exist for deactivated users",
        severity=Severity.SEVERE,
        recommendation="Delete the tokens (Auth Token → Tokens in the admin); deactivation should have revoked them.",
        sql="""
            SELECT u.id, u.username || ' is inactive but has a token created ' || t.created::text
            FROM {token} t JOIN {user} u ON u.id = t.user_id
            WHERE NOT u.is_active
        """,
    ),
    IntegrityCheck(
        name="officials_without_a_programme_unit",
        title="Active county officials assigned to a ward, district or area",
        severity=Severity.WARNING,
        recommendation="Assign the official to the city or county whose reports they enter.",
        sql="""
            SELECT u.id, u.username || ' is a county official of ' || c.name_en || ' (' || c.kind || ')'
            FROM {user} u JOIN {county} c ON c.id = u.county_id
            WHERE u.is_active AND u.role = 'county' AND c.kind NOT IN ('city', 'county')
        """,
    ),
    IntegrityCheck(
        name="recompute_requests_stuck",
        title="Standings recompute requests pending for more than an hour",
        severity=Severity.WARNING,
        recommendation="Check that the Celery worker and beat are running (the sweep serves pending requests "
        "every minute), then run `manage.py recompute_standings` for the year.",
        sql="""
            SELECT q.id, q.year || ': pending since ' || COALESCE(q.requested_at::text, '?')
            FROM {request} q
            WHERE q.is_pending AND q.requested_at < %(stuck_before)s
        """,
    ),
)


def integrity_check_names() -> list[str]:
    return [check.name for check in CHECKS]


def integrity_checks_run(*, names: list[str] | None = None, detail_limit: int = 20) -> list[IntegrityResult]:
    """Run the named checks (all by default) read-only; each gives its count and up to `detail_limit` rows."""
    unknown = sorted(set(names or []) - set(integrity_check_names()))
    if unknown:
        raise ValueError(f"Unknown checks: {', '.join(unknown)}")
    now = timezone.now()
    params = {"now": now, "stuck_before": now - STUCK_REQUEST_AFTER, "time_zone": settings.TIME_ZONE}
    results = []
    with connection.cursor() as cursor:
        for check in CHECKS:
            if names and check.name not in names:
                continue
            sql = check.sql.format(**TABLES)
            query_params = {key: value for key, value in params.items() if f"%({key})s" in sql}
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS findings", query_params or None)
            count = cursor.fetchone()[0]
            details = []
            if count:
                cursor.execute(f"{sql} ORDER BY 1 LIMIT {int(detail_limit)}", query_params or None)
                details = [f"#{object_id}: {detail}" for object_id, detail in cursor.fetchall()]
            results.append(IntegrityResult(check=check, count=count, details=details))
    return results
