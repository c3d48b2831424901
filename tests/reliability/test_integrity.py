"""`manage.py integrity_check`: each check finds the row that breaks its rule, and the demo data is clean."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.authtoken.models import Token

from config.celery import app as celery_app
from factories.models import Factory, MonthlyPlan
from factories.selectors import submission_opens_at
from regional.integrity import CHECKS, integrity_check_names, integrity_checks_run
from regional.models import County, ProgrammeRound, User
from regional.tasks import integrity_check_task
from standings.models import CountyStanding, Methodology, RecomputeRequest, StandingsRun
from tests.builders import (
    AnnualPlanBuilder,
    CountyBuilder,
    FactoryBuilder,
    MonthlyReportBuilder,
    RoundBuilder,
    SlotBuilder,
    UserBuilder,
)


def _run(year: int, *, listed: int = 0, ranked: int = 0) -> StandingsRun:
    methodology, _created = Methodology.objects.get_or_create(version=1)
    return StandingsRun.objects.create(
        year=year,
        methodology=methodology,
        weights={},
        cutoff_at=timezone.now(),
        inputs_hash="0" * 64,
        trigger=StandingsRun.Trigger.MANUAL,
        listed_count=listed,
        ranked_count=ranked,
    )


def _ranked(run, county, *, composite: str, rank: int) -> CountyStanding:
    return CountyStanding.objects.create(
        run=run, county=county, is_ranked=True, composite=Decimal(composite), rank=rank
    )


def report_of_a_planned_factory():
    factory = FactoryBuilder(status=Factory.Status.PLANNED, commissioned_on=None)
    MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 3, 1))


def report_before_commissioning():
    factory = FactoryBuilder(commissioned_on=datetime.date(2025, 6, 15))
    MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 5, 1))


def approved_report_without_events():
    MonthlyReportBuilder(approved=True)


def submitted_report_without_events():
    MonthlyReportBuilder(submitted=True)


def report_approved_before_submission():
    now = timezone.now()
    MonthlyReportBuilder(
        status="approved", first_submitted_at=now, submitted_at=now, approved_at=now - datetime.timedelta(hours=2)
    )


def report_approved_in_the_future():
    now = timezone.now()
    MonthlyReportBuilder(
        status="approved", first_submitted_at=now, submitted_at=now, approved_at=now + datetime.timedelta(hours=5)
    )


def report_submitted_before_its_month_ended():
    # A second before midnight at the start of April in the programme's time zone: March had not ended yet.
    submitted = submission_opens_at(datetime.date(2025, 3, 1)) - datetime.timedelta(seconds=1)
    MonthlyReportBuilder(month=datetime.date(2025, 3, 1), submitted=True, first_submitted_at=submitted)


def test_a_report_submitted_as_its_month_ended_is_in_order(db):
    opens = submission_opens_at(datetime.date(2025, 3, 1))
    assert opens.isoformat() == "2025-04-01T00:00:00+09:00"
    MonthlyReportBuilder(month=datetime.date(2025, 3, 1), submitted=True, first_submitted_at=opens, submitted_at=opens)

    (result,) = integrity_checks_run(names=["report_workflow_times_out_of_order"])

    assert result.count == 0
    assert "submitted before their month ended" in result.check.title


def reopened_report_without_event():
    MonthlyReportBuilder(is_reopened=True)


def approval_after_the_latest_run():
    _run(2025)
    MonthlyReportBuilder(approved=True, month=datetime.date(2025, 3, 1))


def run_missing_its_rows():
    _run(2025, listed=2, ranked=1)


def two_first_ranks_for_different_composites():
    run = _run(2025, listed=2, ranked=2)
    _ranked(run, CountyBuilder(), composite="90.00", rank=1)
    _ranked(run, CountyBuilder(), composite="80.00", rank=1)


def locality_in_the_model_round():
    SlotBuilder(programme_round=RoundBuilder(year=2022, kind=ProgrammeRound.Kind.MODEL))


def factory_of_another_countys_slot():
    FactoryBuilder(programme_slot=SlotBuilder(), county=CountyBuilder())


def round_with_more_localities_than_its_target():
    programme_round = RoundBuilder(year=2027, target_localities=1)
    SlotBuilder.create_batch(2, programme_round=programme_round)


def slot_inaugurated_before_its_round():
    SlotBuilder(
        programme_round=RoundBuilder(year=2025),
        inauguration_date=datetime.date(2024, 5, 1),
        inauguration_precision="day",
    )


def monthly_split_not_adding_up():
    plan = AnnualPlanBuilder(planned_output_value_thousand_won=Decimal("120000"))
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(
            annual_plan=plan,
            month_number=number,
            planned_output_value_thousand_won=Decimal("1000"),
            planned_physical_output=Decimal("100"),
        )
        for number in range(1, 13)
    )


def plan_before_commissioning():
    AnnualPlanBuilder(factory=FactoryBuilder(commissioned_on=datetime.date(2024, 3, 1)), year=2023)


def standing_of_a_ward():
    run = _run(2025, listed=1)
    ward = CountyBuilder(kind=County.Kind.WARD)
    CountyStanding.objects.create(run=run, county=ward, is_ranked=False, not_ranked_reason="no_operating_months")


def token_of_an_inactive_user():
    Token.objects.create(user=UserBuilder(is_active=False))


def county_official_of_a_ward():
    UserBuilder(role=User.Role.COUNTY_OFFICIAL, county=CountyBuilder(kind=County.Kind.WARD))


def request_pending_for_two_hours():
    RecomputeRequest.objects.create(year=2025, requested_at=timezone.now() - datetime.timedelta(hours=2))


VIOLATIONS = {
    "reports_outside_operating_period": [report_of_a_planned_factory, report_before_commissioning],
    "approved_reports_without_approval_event": [approved_report_without_events],
    "submitted_reports_without_submission_event": [submitted_report_without_events],
    "report_workflow_times_out_of_order": [
        report_approved_before_submission,
        report_submitted_before_its_month_ended,
        report_approved_in_the_future,
    ],
    "reopened_reports_without_reopening_event": [reopened_report_without_event],
    "standings_older_than_latest_approval": [approval_after_the_latest_run],
    "standings_runs_incomplete": [run_missing_its_rows],
    "standings_ranks_inconsistent": [two_first_ranks_for_different_composites],
    "slot_kind_not_matching_round": [locality_in_the_model_round],
    "factories_in_another_county_than_their_slot": [factory_of_another_countys_slot],
    "rounds_over_target": [round_with_more_localities_than_its_target],
    "slot_dates_outside_their_round": [slot_inaugurated_before_its_round],
    "monthly_split_not_matching_annual_plan": [monthly_split_not_adding_up],
    "plans_for_years_before_operation": [plan_before_commissioning],
    "standings_for_counties_outside_programme": [standing_of_a_ward],
    "api_tokens_of_inactive_users": [token_of_an_inactive_user],
    "officials_without_a_programme_unit": [county_official_of_a_ward],
    "recompute_requests_stuck": [request_pending_for_two_hours],
}


def test_there_are_at_least_ten_checks_and_each_has_a_test_that_breaks_its_rule():
    assert len(CHECKS) >= 10
    assert sorted(VIOLATIONS) == sorted(integrity_check_names())


@pytest.mark.parametrize(
    "check_name,make_violation",
    [(name, make) for name, makers in VIOLATIONS.items() for make in makers],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_each_check_finds_exactly_the_row_that_breaks_its_rule(db, check_name, make_violation):
    # Given a clean database, the check finds nothing
    (before,) = integrity_checks_run(names=[check_name])
    assert before.count == 0

    # When one row breaks the check's rule
    make_violation()

    # Then the check counts it once, names it, and says what to do
    (after,) = integrity_checks_run(names=[check_name])
    assert after.count == 1
    assert len(after.details) == 1
    assert after.details[0].startswith("#")
    assert after.check.recommendation


def test_the_command_prints_count_details_and_recommendation_and_fails_on_request(db):
    token_of_an_inactive_user()
    output = io.StringIO()

    with pytest.raises(CommandError, match=r"^1 integrity findings\.$"):
        call_command("integrity_check", "--fail-on-findings", stdout=output)

    text = output.getvalue()
    assert "FAIL  api_tokens_of_inactive_users (severe): 1" in text
    assert "is inactive but has a token created" in text
    assert "Recommendation: Delete the tokens" in text
    assert f"{len(CHECKS)} checks, 1 findings." in text
    assert "ok    recompute_requests_stuck: 0" in text


def test_beat_runs_the_integrity_check_every_night_through_a_registered_task(db):
    entry = settings.CELERY_BEAT_SCHEDULE["integrity-check-nightly"]
    assert entry["task"] == "regional.tasks.integrity_check_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks

    token_of_an_inactive_user()
    counts = integrity_check_task()

    assert counts["api_tokens_of_inactive_users"] == 1
    assert sum(counts.values()) == 1


@pytest.mark.integration
def test_the_demo_data_passes_every_integrity_check(db):
    # Given the real reference data and the demo data with its standings, as `make run` builds them
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    # When every integrity check runs
    results = integrity_checks_run()

    # Then none finds anything
    assert {result.check.name: result.details for result in results if result.count} == {}
    call_command("integrity_check", "--fail-on-findings", stdout=io.StringIO())
