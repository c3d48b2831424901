"""A factory's page: its figures equal sums of its approved reports, month by month against the plan."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from factories.models import MonthlyPlan
from tests.builders import AnnualPlanBuilder, FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for


@pytest.fixture
def factory(alpha_county):
    factory = FactoryBuilder(
        county=alpha_county, name="Alpha Foodstuff", code="alpha-foodstuff", design_capacity=Decimal("1200")
    )
    AnnualPlanBuilder(factory=factory, year=2025, planned_output_value_thousand_won=Decimal("120000"))
    # January: 9,000 of a 10,000 plan; February: 11,500, above its capacity (101 > 1,200 / 12 = 100).
    MonthlyReportBuilder(
        factory=factory,
        month=datetime.date(2025, 1, 1),
        approved=True,
        output_value_thousand_won=Decimal("9000"),
        raw_material_used_tonnes=Decimal("80"),
        raw_material_from_own_bases_tonnes=Decimal("60"),
    )
    MonthlyReportBuilder(
        factory=factory,
        month=datetime.date(2025, 2, 1),
        approved=True,
        output_value_thousand_won=Decimal("11500"),
        physical_output=Decimal("101"),
        raw_material_used_tonnes=Decimal("20"),
        raw_material_from_own_bases_tonnes=Decimal("20"),
    )
    # March is submitted, not approved: in no figure.
    MonthlyReportBuilder(
        factory=factory, month=datetime.date(2025, 3, 1), submitted=True, output_value_thousand_won=Decimal("99999")
    )
    return factory


def test_the_page_shows_output_against_plan_from_approved_reports_only(client, erin, factory):
    client_for(client, erin)
    page = client.get(reverse("factory_detail", args=[factory.code])).content.decode()
    # (9,000 + 11,500) ÷ (10,000 + 10,000) = 102.5 %; own bases (60 + 20) ÷ (80 + 20) = 80.0 %
    assert 'data-testid="factory-against-plan">102.5 %<' in page
    assert "80.0 %" in page
    assert "99,999" not in page
    assert page.count("above capacity") == 1


def test_a_monthly_split_is_the_months_plan(client, erin, factory):
    plan = factory.annual_plans.get()
    # January 20,000, the other months 9,090.91 (December 9,090.90): twelve months summing to the 120,000 of the
    # year, so the split counts (one that does not is treated as absent, see test_pivot).
    for number in range(1, 13):
        value = Decimal("20000") if number == 1 else Decimal("9090.90" if number == 12 else "9090.91")
        MonthlyPlan.objects.create(
            annual_plan=plan,
            month_number=number,
            planned_output_value_thousand_won=value,
            planned_physical_output=Decimal("100"),
        )
    client_for(client, erin)
    page = client.get(reverse("factory_detail", args=[factory.code])).content.decode()
    # January 9,000 ÷ 20,000 = 45.0 %
    assert "45.0 %" in page


def test_a_county_official_sees_another_countys_factory_without_its_reports(client, bob, factory):
    client_for(client, bob)
    response = client.get(reverse("factory_detail", args=[factory.code]))
    assert response.status_code == 200  # factories are programme-wide reference data
    page = response.content.decode()
    assert "No report you may see." in page
    assert 'data-testid="factory-against-plan">—<' in page


def test_an_unknown_factory_is_404(client, erin):
    client_for(client, erin)
    assert client.get(reverse("factory_detail", args=["no-such-factory"])).status_code == 404


@pytest.mark.parametrize("months", [2, 12])
def test_the_page_costs_the_same_queries_whatever_the_history(
    client, erin, alpha_county, django_assert_num_queries, months
):
    factory = FactoryBuilder(county=alpha_county, code="beta-garment")
    AnnualPlanBuilder(factory=factory, year=2025)
    for number in range(1, months + 1):
        MonthlyReportBuilder(factory=factory, month=datetime.date(2025, number, 1), approved=True)
    client_for(client, erin)
    with django_assert_num_queries(9):
        page = client.get(reverse("factory_detail", args=[factory.code])).content.decode()
    assert page.count("/reports/") >= months
