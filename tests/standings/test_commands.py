"""The recompute_standings command and the nightly schedule."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from standings.models import StandingsRun
from standings.tasks import standings_nightly_task
from tests.standings.data import operating_factory, plan, reports


@pytest.fixture
def alpha_2024_and_2025(alpha_county):
    factory = operating_factory(alpha_county)
    for year in (2024, 2025):
        plan(factory, year=year)
        reports(factory, year=year)


@pytest.mark.django_db
def test_recompute_standings_for_a_year_prints_its_progress_and_publishes_a_manual_run(alpha_2024_and_2025):
    out = io.StringIO()

    call_command("recompute_standings", "--year", "2025", stdout=out)

    run = StandingsRun.objects.get(year=2025)
    assert run.trigger == StandingsRun.Trigger.MANUAL
    assert f"[1/1] 2025: published run {run.pk} (1 ranked of 1)" in out.getvalue()
    assert "Done: 1 year(s), 1 new run(s) published" in out.getvalue()


@pytest.mark.django_db
def test_recompute_standings_all_covers_every_year_with_reports_and_reports_unchanged_years(alpha_2024_and_2025):
    call_command("recompute_standings", "--year", "2024", stdout=io.StringIO())
    out = io.StringIO()

    call_command("recompute_standings", "--all", stdout=out)

    assert "2024: nothing changed since run" in out.getvalue()
    assert "2025: published run" in out.getvalue()
    assert sorted(StandingsRun.objects.values_list("year", flat=True)) == [2024, 2025]


@pytest.mark.django_db
def test_recompute_standings_refuses_an_implausible_year():
    with pytest.raises(CommandError, match="between 2000 and 2100"):
        call_command("recompute_standings", "--year", "1999", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_nightly_task_recomputes_the_current_and_the_previous_year(alpha_2024_and_2025):
    messages = standings_nightly_task()

    this_year = datetime.date.today().year
    assert [message.split(":")[0] for message in messages] == [str(this_year - 1), str(this_year)]
    assert set(StandingsRun.objects.values_list("trigger", flat=True)) == {StandingsRun.Trigger.SCHEDULE}
