"""`make run` uses SQLite: the pivot explorer's statements run there too and give the exact figures (SQLite may hold
the decimals as doubles; every figure is summed as whole hundredths)."""

import datetime
import zoneinfo
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings

from factories.analysis.pivot import PivotQuery, pivot
from tests.builders import AnnualPlanBuilder, CountyBuilder, FactoryBuilder, MonthlyReportBuilder, UserBuilder

pytestmark = pytest.mark.django_db
ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def test_the_pivot_gives_exact_figures_on_sqlite():
    analyst = UserBuilder(username="analyst-on-sqlite", role="analyst")
    county = CountyBuilder(slug="kp-sqlite-alpha", name_en="Alpha")
    factory = FactoryBuilder(county=county, commissioned_on=datetime.date(2024, 1, 1))
    AnnualPlanBuilder(
        factory=factory, year=2025, planned_output_value_thousand_won=Decimal("120000.10"), planned_varieties=20
    )
    for number, first_submitted in [(1, datetime.datetime(2025, 2, 5, tzinfo=ZONE)), (2, None)]:
        report = MonthlyReportBuilder(
            factory=factory,
            month=datetime.date(2025, number, 1),
            approved=True,
            output_value_thousand_won=Decimal("10000.01"),
            raw_material_used_tonnes=Decimal("80.10"),
            raw_material_from_own_bases_tonnes=Decimal("60.07"),
            varieties_produced=10 + number,
        )
        if first_submitted:  # January on time; February first submitted today, late
            type(report).objects.filter(pk=report.pk).update(first_submitted_at=first_submitted)

    def total(measure):
        table = pivot(user=analyst, query=PivotQuery(measure=measure, rows="county", columns="year", year=2025))
        return table.row_total("kp-sqlite-alpha")

    assert total("output_value") == Decimal("20000.02")
    assert total("against_plan") == Fraction("20000.02") / (2 * Fraction("120000.10") / 12)
    assert total("own_share") == Fraction("120.14") / Fraction("160.20")
    # Every month of 2025 has closed: twelve due, two approved, one on time.
    assert total("completeness") == Fraction(2, 12)
    assert total("reporting_discipline") == Fraction(1, 12)
    assert total("plan_fulfilment") == Fraction("20000.02") / (2 * Fraction("120000.10") / 12)
    assert total("product_range") == Fraction(12, 20)
    assert total("local_raw_materials") == Fraction("120.14") / Fraction("160.20")
    monthly = pivot(user=analyst, query=PivotQuery(measure="output_value", rows="county", columns="quarter"))
    assert monthly.column_keys == [(2025, 1)]
