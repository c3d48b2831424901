"""Small builders for standings tests: a factory's year of reports in one call, with exact figures."""

import datetime
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from factories.models import AnnualPlan, Factory, MonthlyPlan, MonthlyReport
from standings.computation import entry_deadline
from standings.models import Indicator
from tests.builders import AnnualPlanBuilder, FactoryBuilder

LOCAL = timezone.get_default_timezone()
# The methodology's default weights, for the rank band tests that call the computation directly.
BAND_WEIGHTS = {
    Indicator.PLAN_FULFILMENT: Decimal("35"),
    Indicator.GROWTH: Decimal("20"),
    Indicator.PRODUCT_RANGE: Decimal("15"),
    Indicator.LOCAL_RAW_MATERIALS: Decimal("15"),
    Indicator.REPORTING_DISCIPLINE: Decimal("15"),
}
# Every month of 2024 and 2025 has closed by then; nothing is approved after it unless a test says so.
CUTOFF = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=LOCAL)


def on_time(month: datetime.date) -> datetime.datetime:
    """The last second of the deadline day in the programme's time zone: still on time."""
    return datetime.datetime.combine(entry_deadline(month), datetime.time(23, 59, 59), tzinfo=LOCAL)


def late(month: datetime.date) -> datetime.datetime:
    """Midnight after the deadline day in the programme's time zone: one second too late. (A deadline taken at
    UTC midnight, nine hours later, would count it on time.)"""
    return datetime.datetime.combine(entry_deadline(month) + datetime.timedelta(days=1), datetime.time(0), tzinfo=LOCAL)


def operating_factory(county, *, commissioned_on=datetime.date(2020, 1, 1), **kwargs) -> Factory:
    return FactoryBuilder(county=county, status=Factory.Status.IN_OPERATION, commissioned_on=commissioned_on, **kwargs)


def plan(factory, *, year=2025, annual_value="120000", varieties=20, monthly: dict | None = None) -> AnnualPlan:
    annual = AnnualPlanBuilder(
        factory=factory, year=year, planned_output_value_thousand_won=Decimal(annual_value), planned_varieties=varieties
    )
    for month_number, value in (monthly or {}).items():
        MonthlyPlan.objects.create(
            annual_plan=annual,
            month_number=month_number,
            planned_output_value_thousand_won=Decimal(value),
            planned_physical_output=Decimal(1),
        )
    return annual


def reports(
    factory,
    *,
    year=2025,
    months=range(1, 13),
    output="10000",
    varieties=15,
    own="60",
    used="80",
    late_months=(),
    status=MonthlyReport.Status.APPROVED,
    approved_at: datetime.datetime | None = None,
    with_history: bool = False,
) -> list[MonthlyReport]:
    """One report per month in `months`, first submitted on time unless the month is in `late_months`."""
    rows = []
    for number in months:
        month = datetime.date(year, number, 1)
        submitted = late(month) if number in late_months else on_time(month)
        is_approved = status == MonthlyReport.Status.APPROVED
        rows.append(
            MonthlyReport(
                factory=factory,
                month=month,
                status=status,
                output_value_thousand_won=Decimal(output),
                physical_output=Decimal(100),
                varieties_produced=varieties,
                raw_material_used_tonnes=Decimal(used),
                raw_material_from_own_bases_tonnes=Decimal(own),
                days_worked=24,
                workers_on_roll=100,
                first_submitted_at=submitted if status != MonthlyReport.Status.DRAFT else None,
                submitted_at=submitted if status != MonthlyReport.Status.DRAFT else None,
                approved_at=(approved_at or submitted + datetime.timedelta(days=2)) if is_approved else None,
            )
        )
    if with_history:
        return bulk_create_with_history(rows, MonthlyReport)
    return MonthlyReport.objects.bulk_create(rows)
