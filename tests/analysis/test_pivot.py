"""The pivot explorer and /api/v1/analytics/: its figures equal sums computed directly from the reports, within the
reader's scope, with a constant number of queries; CSV and XLSX carry exactly what is shown."""

import csv
import datetime
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from factories.models import MonthlyReport
from factories.selectors import month_plan
from tests.builders import AnnualPlanBuilder, CountyBuilder, FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for


@pytest.fixture
def reports(alpha_county, beta_county, gamma_county):
    """Approved reports in two provinces, a submitted one (never counted) and plans of 120,000 a year."""
    made = []
    for county, values in [
        (alpha_county, ["9000", "11000"]),
        (beta_county, ["5000", "7000"]),
        (gamma_county, ["3000", "4000"]),
    ]:
        factory = FactoryBuilder(county=county)
        AnnualPlanBuilder(factory=factory, year=2025, planned_output_value_thousand_won=Decimal("120000"))
        for number, value in enumerate(values, start=1):
            made.append(
                MonthlyReportBuilder(
                    factory=factory,
                    month=datetime.date(2025, number, 1),
                    approved=True,
                    output_value_thousand_won=Decimal(value),
                )
            )
        MonthlyReportBuilder(
            factory=factory,
            month=datetime.date(2025, 3, 1),
            submitted=True,
            output_value_thousand_won=Decimal("999999"),
        )
    return made


def _direct_sum(reports, province_code, month_number):
    return sum(
        (
            r.output_value_thousand_won
            for r in reports
            if r.factory.county.province.code == province_code and r.month.month == month_number
        ),
        Decimal(0),
    )


def test_the_table_equals_the_sums_of_approved_reports(client, erin, reports):
    client_for(client, erin)
    response = client.get(
        reverse("pivot"), {"measure": "output_value", "rows": "province", "columns": "month", "year": 2025}
    )
    table = response.context["table"]
    for province_code in ("KP-61", "KP-62"):
        for number in (1, 2):
            assert table.value(province_code, (2025, number)) == _direct_sum(reports, province_code, number)
    assert (2025, 3) not in table.column_keys  # March has only a submitted report
    # Northland, January and February: (9,000 + 5,000 + 11,000 + 7,000) ÷ (4 × 10,000) = 80.0 %
    response = client.get(
        reverse("pivot"), {"measure": "against_plan", "rows": "province", "columns": "year", "year": 2025}
    )
    assert response.context["table"].row_total("KP-61") == Decimal("32000") / Decimal("40000")
    assert "80.0 %" in response.content.decode()


def test_a_county_official_sees_only_the_own_county_on_the_page_and_in_the_api(client, alice, reports):
    client_for(client, alice)
    table = client.get(reverse("pivot"), {"rows": "county", "columns": "year", "year": 2025}).context["table"]
    assert table.row_keys == ["kp-northland-alpha"]
    api = APIClient()
    api.force_authenticate(alice)
    data = api.get(reverse("api:analytics"), {"rows": "county", "pe": "year", "year": 2025}).json()
    assert [row["key"] for row in data["rows"]] == ["kp-northland-alpha"]
    assert data["rows"][0]["total"] == "20000.000000000000"


def test_a_province_sees_its_province_and_the_api_agrees_with_the_page(client, carol, reports):
    client_for(client, carol)
    table = client.get(reverse("pivot"), {"rows": "county", "columns": "month", "year": 2025}).context["table"]
    assert table.row_keys == ["kp-northland-alpha", "kp-northland-beta"]
    api = APIClient()
    api.force_authenticate(carol)
    data = api.get(reverse("api:analytics"), {"rows": "county", "pe": "month", "year": 2025}).json()
    assert data["columns"] == ["2025-01", "2025-02"]
    assert [Decimal(value) for value in data["rows"][1]["values"]] == [Decimal("5000"), Decimal("7000")]


def test_bad_choices_are_a_clear_400_in_the_api_and_a_form_error_on_the_page(client, erin):
    api = APIClient()
    api.force_authenticate(erin)
    response = api.get(reverse("api:analytics"), {"dx": "profit"})
    assert response.status_code == 400 and "dx" in response.json()
    client_for(client, erin)
    response = client.get(reverse("pivot"), {"measure": "profit"})
    assert response.status_code == 200 and response.context["table"] is None
    assert "Select a valid choice" in response.content.decode()


def test_exports_carry_exactly_the_table_shown(client, erin, reports):
    client_for(client, erin)
    query = {"measure": "output_value", "rows": "province", "columns": "month", "year": 2025}
    rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get(reverse("pivot"), query | {"format": "csv"}).streaming_content).decode())
        )
    )
    assert rows[0] == ["Row", "2025-01", "2025-02", "Total"]
    assert rows[1] == ["Northland", "14000.00", "18000.00", "32000.00"]
    workbook = load_workbook(io.BytesIO(client.get(reverse("pivot"), query | {"format": "xlsx"}).content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[2]] == ["Northland", 14000, 18000, 32000]


@pytest.mark.parametrize("counties", [2, 20])
def test_the_pivot_costs_the_same_queries_at_2_and_20_rows(
    client, erin, north_province, django_assert_num_queries, counties
):
    for index in range(counties):
        county = CountyBuilder(province=north_province, slug=f"kp-northland-unit-{index}", name_en=f"Unit {index:02d}")
        MonthlyReportBuilder(factory=FactoryBuilder(county=county), month=datetime.date(2025, 1, 1), approved=True)
    client_for(client, erin)
    with django_assert_num_queries(4):  # session, user, provinces for the filter, the aggregate
        response = client.get(reverse("pivot"), {"rows": "county", "columns": "month", "year": 2025})
    assert len(response.context["table"].row_keys) == counties
    assert MonthlyReport.objects.count() == counties


def test_an_empty_dimension_is_refused_not_defaulted(erin):
    api = APIClient()
    api.force_authenticate(erin)
    response = api.get(reverse("api:analytics"), {"rows": ""})
    assert response.status_code == 400 and "rows" in response.json()


def test_one_monthly_plan_rule_for_the_pivot_the_factory_page_and_the_entry_form(client, frank, alpha_county):
    """A split that does not cover the year counts as absent everywhere (DESIGN.md): January's plan is a twelfth
    of 120,000, not the 50,000 entered for January alone."""
    factory = FactoryBuilder(county=alpha_county, code="alpha-food")
    plan = AnnualPlanBuilder(factory=factory, year=2025, planned_output_value_thousand_won=Decimal("120000"))
    plan.monthly_plans.create(
        month_number=1, planned_output_value_thousand_won=Decimal("50000"), planned_physical_output=Decimal("500")
    )
    january = datetime.date(2025, 1, 1)
    MonthlyReportBuilder(factory=factory, month=january, approved=True, output_value_thousand_won=Decimal("9000"))
    client_for(client, frank)

    table = client.get(
        reverse("pivot"), {"measure": "against_plan", "rows": "county", "columns": "month", "year": 2025}
    ).context["table"]
    assert table.value("kp-northland-alpha", (2025, 1)) == Fraction(9000, 10000)
    page = client.get(reverse("factory_detail", args=["alpha-food"]), {"year": 2025}).context["page"]
    assert page.months[0].planned_output_value == Decimal("10000")
    assert month_plan(factory=factory, month=january)["output_value_thousand_won"] == Decimal("10000.00")

    # Completed to twelve months that sum to the year, the split is used everywhere.
    for number in range(2, 13):
        plan.monthly_plans.create(
            month_number=number, planned_output_value_thousand_won=Decimal("6363.64"), planned_physical_output=1
        )
    plan.monthly_plans.filter(month_number=12).update(planned_output_value_thousand_won=Decimal("6363.60"))
    table = client.get(
        reverse("pivot"), {"measure": "against_plan", "rows": "county", "columns": "month", "year": 2025}
    ).context["table"]
    assert table.value("kp-northland-alpha", (2025, 1)) == Fraction(9000, 50000)
    assert month_plan(factory=factory, month=january)["output_value_thousand_won"] == Decimal("50000.00")


def test_without_a_year_the_columns_span_the_reports(erin, reports):
    api = APIClient()
    api.force_authenticate(erin)
    data = api.get(reverse("api:analytics"), {"rows": "province", "pe": "year"}).json()
    assert data["columns"] == ["2025"]
    assert [row["total"] for row in data["rows"]] == ["32000.000000000000", "7000.000000000000"]


def test_rows_by_factory_kind_and_programme_round(client, erin, reports):
    client_for(client, erin)
    query = {"measure": "output_value", "columns": "quarter", "year": 2025}
    by_kind = client.get(reverse("pivot"), query | {"rows": "kind"}).context["table"]
    assert by_kind.row_keys == ["foodstuff"] and by_kind.row_total("foodstuff") == Decimal("39000")
    assert by_kind.column_keys == [(2025, 1)]
    by_round = client.get(reverse("pivot"), query | {"rows": "round"})
    assert by_round.context["table"].row_keys == [None]
    assert "not built by the programme" in by_round.content.decode()
