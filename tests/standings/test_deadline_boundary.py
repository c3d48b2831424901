"""The deadline's edge in the programme's time zone (Asia/Pyongyang, UTC+9): a report first submitted at
23:59:59 on the deadline day is on time and one at 00:00:00 the next day is late, and a cut-off that falls
exactly on the end of a deadline day closes that month. Every instant below is written out by hand, not derived
from the code under test: a deadline taken at UTC midnight (nine hours late) fails these tests."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from factories.models import MonthlyReport
from standings.services import standings_recompute
from tests.standings.data import operating_factory, plan

PYONGYANG = ZoneInfo("Asia/Pyongyang")

pytestmark = pytest.mark.django_db


def at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=PYONGYANG)


def approved_report(factory, month_number: int, *, first_submitted_at, approved_at) -> MonthlyReport:
    return MonthlyReport.objects.create(
        factory=factory,
        month=datetime.date(2025, month_number, 1),
        status=MonthlyReport.Status.APPROVED,
        output_value_thousand_won=Decimal(10000),
        physical_output=Decimal(100),
        varieties_produced=15,
        raw_material_used_tonnes=Decimal(80),
        raw_material_from_own_bases_tonnes=Decimal(60),
        days_worked=24,
        workers_on_roll=100,
        first_submitted_at=first_submitted_at,
        submitted_at=first_submitted_at,
        approved_at=approved_at,
    )


@pytest.fixture
def alpha_2025(alpha_county):
    """Alpha's one factory reports all of 2025. January's deadline is 10 February: its report arrives at
    23:59:59 that day (on time). February's deadline is 10 March: its report arrives at 00:00:00 on 11 March
    (late). Every other month arrives on the 5th of the next month. December's report is approved on
    9 January 2026; its deadline is 10 January 2026."""
    factory = operating_factory(alpha_county)
    plan(factory)
    approved_report(factory, 1, first_submitted_at=at(2025, 2, 10, 23, 59, 59), approved_at=at(2025, 2, 12, 9))
    approved_report(factory, 2, first_submitted_at=at(2025, 3, 11, 0, 0, 0), approved_at=at(2025, 3, 12, 9))
    for number in range(3, 13):
        submitted = at(2025 + (number == 12), number % 12 + 1, 5, 9)
        approved_report(factory, number, first_submitted_at=submitted, approved_at=submitted + datetime.timedelta(4))
    return factory


def test_the_last_second_of_the_deadline_day_is_on_time_and_midnight_after_it_is_late(alpha_2025):
    standing = standings_recompute(year=2025, cutoff_at=at(2026, 6, 1, 12)).run.county_standings.get()

    # 12 operating months, 11 of them first submitted by the deadline (February's was one second late).
    assert standing.operating_months == 12
    assert standing.reporting_discipline == Decimal("0.916667")


def test_a_cutoff_exactly_at_the_end_of_a_deadline_day_closes_that_month(alpha_2025):
    # December 2025's entry period ends with 10 January 2026, at 00:00:00 on 11 January in Pyongyang.
    at_the_end = standings_recompute(year=2025, cutoff_at=at(2026, 1, 11, 0, 0, 0)).run.county_standings.get()
    one_second_before = standings_recompute(year=2025, cutoff_at=at(2026, 1, 10, 23, 59, 59)).run.county_standings.get()

    assert (at_the_end.operating_months, at_the_end.counted_months) == (12, 12)
    assert (one_second_before.operating_months, one_second_before.counted_months) == (11, 11)
    # Discipline over the months closed by the cut-off: 11 of 12, then 10 of 11 (February late in both).
    assert at_the_end.reporting_discipline == Decimal("0.916667")
    assert one_second_before.reporting_discipline == Decimal("0.909091")
