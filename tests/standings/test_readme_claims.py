"""What the README promises about the standings, each shown: scores and composites are rounded half-up (a
.xx5 goes up, where Python's round() and banker's rounding go to the even digit), beat's schedule sweeps
pending requests every minute and recomputes the current and previous year every night at 02:15 Pyongyang time,
and a late entry an administrator allowed counts as late in the reporting discipline."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings

from config.celery import app as celery_app
from factories import services
from standings.models import RecomputeRequest, StandingsRun
from standings.services import standings_recompute, standings_recompute_requested
from tests.builders import CountyBuilder
from tests.clock import frozen_at
from tests.reports.conftest import figures
from tests.standings.data import CUTOFF, operating_factory, plan, reports

PYONGYANG = ZoneInfo("Asia/Pyongyang")


@pytest.mark.django_db
def test_scores_and_composites_are_rounded_half_up_to_the_cent(north_province):
    """Four counties, one factory each, 2025 plan 120,000 (10,000 a month); every indicator but plan fulfilment
    is the same everywhere (all equal → 100) and none has a 2024 report (growth missing: the remaining
    weights 35 + 15 + 15 + 15 = 80 are rescaled). Monthly output and so plan fulfilment:

        Low    8,000.00   0.800000   score 0               composite 4,500 ÷ 80                 = 56.25
        Half   8,246.90   0.824690   score 12.345 → 12.35  composite (35 × 12.35 + 4,500) ÷ 80 = 61.653125 → 61.65
        Even   8,200.00   0.820000   score 10.00           composite (35 × 10 + 4,500) ÷ 80    = 60.625 → 60.63
        High  10,000.00   1.000000   score 100             composite (3,500 + 4,500) ÷ 80      = 100.00

    Half-even rounding would give 12.34 and 60.62."""
    outputs = {"low": "8000", "half": "8246.90", "even": "8200", "high": "10000"}
    for name, output in outputs.items():
        county = CountyBuilder(slug=f"kp-northland-{name}", name_en=name.title(), province=north_province)
        factory = operating_factory(county)
        plan(factory)
        reports(factory, output=output)

    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    rows = {
        standing.county.slug.removeprefix("kp-northland-"): (
            standing.plan_fulfilment,
            standing.score_plan_fulfilment,
            standing.score_growth,
            standing.composite,
            standing.rank,
        )
        for standing in run.county_standings.select_related("county")
    }

    assert rows == {
        "low": (Decimal("0.800000"), Decimal("0.00"), None, Decimal("56.25"), 4),
        "half": (Decimal("0.824690"), Decimal("12.35"), None, Decimal("61.65"), 2),
        "even": (Decimal("0.820000"), Decimal("10.00"), None, Decimal("60.63"), 3),
        "high": (Decimal("1.000000"), Decimal("100.00"), None, Decimal("100.00"), 1),
    }


def test_beat_sweeps_pending_recomputes_every_minute_and_recomputes_two_years_every_night():
    celery_app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    sweep, nightly = schedule["standings-pending-requests"], schedule["standings-nightly"]

    assert sweep["task"] in celery_app.tasks and nightly["task"] in celery_app.tasks
    assert sweep["schedule"] == 60.0
    assert nightly["schedule"] == crontab(hour=2, minute=15)
    # Beat reads crontabs in the programme's time zone: 02:15 in Pyongyang, 17:15 UTC the day before.
    assert celery_app.timezone == PYONGYANG
    last_night = datetime.datetime(2025, 6, 1, 2, 15, tzinfo=PYONGYANG)
    is_due, _next = nightly["schedule"].is_due(last_night - datetime.timedelta(days=1))
    assert is_due is True


@pytest.mark.django_db
def test_the_tasks_beat_sends_serve_a_pending_request_and_recompute_this_and_last_year(alpha_county):
    factory = operating_factory(alpha_county)
    for year in (2024, 2025):
        plan(factory, year=year)
        reports(factory, year=year)
    standings_recompute_requested(year=2024, trigger=StandingsRun.Trigger.MANUAL)
    celery_app.loader.import_default_modules()
    sweep = celery_app.tasks[settings.CELERY_BEAT_SCHEDULE["standings-pending-requests"]["task"]]
    nightly = celery_app.tasks[settings.CELERY_BEAT_SCHEDULE["standings-nightly"]["task"]]

    sweep.apply().get()
    with frozen_at(datetime.datetime(2025, 6, 2, 2, 15, tzinfo=PYONGYANG)):
        nightly.apply().get()

    runs = list(StandingsRun.objects.order_by("pk").values_list("year", "trigger"))
    assert runs == [(2024, "manual"), (2025, "schedule")]  # 2024 unchanged since the sweep: nothing new
    assert RecomputeRequest.objects.get(year=2024).is_pending is False


@pytest.mark.django_db
def test_a_late_entry_counts_as_late_in_the_reporting_discipline(alice, carol, frank, alpha_county):
    """On 20 May 2025 January to April have closed (April's deadline was 10 May). January to March were
    submitted on time; April closed with no report, an administrator allowed a late entry, the county entered
    and submitted it that day and the province approved it: 4 operating months, all counted, 3 on time."""
    factory = operating_factory(alpha_county)
    plan(factory)
    reports(factory, months=range(1, 4))
    april = datetime.date(2025, 4, 1)

    with frozen_at(datetime.datetime(2025, 5, 20, 10, 0, tzinfo=PYONGYANG)):
        services.late_entry_allow(factory=factory, month=april, user=frank, reason="Figures were on paper.")
        report = services.report_save_draft(
            factory=factory, month=april, data=figures(comment="From the register."), user=alice
        )
        report = services.report_submit(report=report, user=alice)
        services.report_approve(report=report, user=carol)
        standing = standings_recompute(year=2025).run.county_standings.get()

    assert (standing.operating_months, standing.counted_months, standing.is_ranked) == (4, 4, True)
    assert standing.reporting_discipline == Decimal("0.750000")
