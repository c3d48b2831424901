"""The pivot's standings measures (reporting discipline, completeness and the five v1.1 indicators): each figure
equals the same ratio worked out here, by hand, from the reports and plans the test made (DESIGN.md's rules, written
again independently of the SQL); scope refusals on the page and in the API; the API agrees with the page; exports
carry the shown figures; a constant number of queries at two sizes for each measure."""

import csv
import datetime
import io
import zoneinfo
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from factories.models import Factory, FactoryKind, MonthlyReport
from regional.models import County
from tests.builders import (
    AnnualPlanBuilder,
    CountyBuilder,
    FactoryBuilder,
    MonthlyReportBuilder,
    RoundBuilder,
    SlotBuilder,
)
from tests.conftest import client_for

YEAR = 2025
ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
NEW_MEASURES = [
    "reporting_discipline",
    "completeness",
    "plan_fulfilment",
    "growth",
    "product_range",
    "local_raw_materials",
]


def _on_time(month: datetime.date) -> datetime.datetime:
    """The 5th of the next month: inside the ten days of the entry period."""
    return datetime.datetime(month.year + (month.month == 12), month.month % 12 + 1, 5, 12, tzinfo=ZONE)


def _late(month: datetime.date) -> datetime.datetime:
    return datetime.datetime(month.year + (month.month == 12), month.month % 12 + 1, 25, 12, tzinfo=ZONE)


def _report(factory, month, *, status="approved", on_time=True, **values):
    first_submitted = _on_time(month) if on_time else _late(month)
    fields = {
        "factory": factory,
        "month": month,
        "status": status,
        "first_submitted_at": None if status == "draft" else first_submitted,
        "submitted_at": None if status == "draft" else first_submitted,
        "approved_at": first_submitted if status == "approved" else None,
    }
    return MonthlyReportBuilder(**fields, **values)


@pytest.fixture
def programme(alpha_county, beta_county, gamma_county):
    """Factories of three counties in two provinces over 2024-2025, with on-time, late, missing, unapproved and
    draft reports, plans with and without a monthly split, and factories that never count."""
    alpha_food = FactoryBuilder(
        county=alpha_county, kind=FactoryKind.FOODSTUFF, commissioned_on=datetime.date(2023, 6, 1)
    )
    # Commissioned in the middle of March 2025: in operation from March.
    alpha_garment = FactoryBuilder(
        county=alpha_county,
        kind=FactoryKind.GARMENT,
        commissioned_on=datetime.date(2025, 3, 15),
        programme_slot=SlotBuilder(county=alpha_county, programme_round=RoundBuilder(year=2025)),
    )
    beta_food = FactoryBuilder(
        county=beta_county, kind=FactoryKind.FOODSTUFF, commissioned_on=datetime.date(2022, 1, 1)
    )
    gamma_food = FactoryBuilder(
        county=gamma_county, kind=FactoryKind.FOODSTUFF, commissioned_on=datetime.date(2024, 1, 1)
    )
    # Never counted: under construction; and a factory of a ward (not in the programme's scope).
    FactoryBuilder(
        county=alpha_county, kind=FactoryKind.PAPER, status=Factory.Status.UNDER_CONSTRUCTION, commissioned_on=None
    )
    ward = CountyBuilder(province=alpha_county.province, slug="kp-northland-ward", kind=County.Kind.WARD)
    ward_food = FactoryBuilder(county=ward, commissioned_on=datetime.date(2020, 1, 1))

    AnnualPlanBuilder(
        factory=alpha_food, year=YEAR, planned_output_value_thousand_won=Decimal("120000.10"), planned_varieties=20
    )
    split_plan = AnnualPlanBuilder(
        factory=beta_food, year=YEAR, planned_output_value_thousand_won=Decimal("60000"), planned_varieties=0
    )
    for number in range(1, 13):
        split_plan.monthly_plans.create(
            month_number=number,
            planned_output_value_thousand_won=Decimal("2000") if number <= 6 else Decimal("8000"),
            planned_physical_output=Decimal("10"),
        )
    AnnualPlanBuilder(
        factory=gamma_food, year=YEAR, planned_output_value_thousand_won=Decimal("0"), planned_varieties=12
    )
    AnnualPlanBuilder(
        factory=alpha_garment, year=YEAR, planned_output_value_thousand_won=Decimal("90000"), planned_varieties=8
    )

    for number in range(1, 13):
        month = datetime.date(YEAR, number, 1)
        previous = datetime.date(YEAR - 1, number, 1)
        # Alpha's food factory: every month, late in even months; last year's only from July.
        _report(
            alpha_food,
            month,
            on_time=number % 2 == 1,
            output_value_thousand_won=Decimal(9000 + 100 * number),
            varieties_produced=10 + number % 5,
            raw_material_used_tonnes=Decimal("80.25"),
            raw_material_from_own_bases_tonnes=Decimal("60.10"),
        )
        if number >= 7:
            _report(alpha_food, previous, output_value_thousand_won=Decimal("8000.33"))
        # Alpha's garment factory: from March; May only submitted (not approved), June missing.
        if number >= 3 and number != 6:
            _report(
                alpha_garment,
                month,
                status="submitted" if number == 5 else "approved",
                output_value_thousand_won=Decimal("7000.5"),
                varieties_produced=5 + number,
                raw_material_used_tonnes=Decimal("30"),
                raw_material_from_own_bases_tonnes=Decimal("3"),
            )
        # Beta: the first half of the year only; all of last year.
        if number <= 6:
            _report(
                beta_food,
                month,
                output_value_thousand_won=Decimal("2100"),
                varieties_produced=7,
                raw_material_used_tonnes=Decimal("0"),
                raw_material_from_own_bases_tonnes=Decimal("0"),
            )
        _report(beta_food, previous, output_value_thousand_won=Decimal("2500"))
        # Gamma: all months, a zero plan; last year's reports never approved.
        _report(gamma_food, month, on_time=number > 3, output_value_thousand_won=Decimal("4000"), varieties_produced=9)
        _report(gamma_food, previous, status="submitted", output_value_thousand_won=Decimal("3900"))
        _report(ward_food, month, output_value_thousand_won=Decimal("1"))
    return [alpha_food, alpha_garment, beta_food, gamma_food]


# --- the same figures, worked out directly -----------------------------------------------------------------------


def _deadline_end(month: datetime.date) -> datetime.datetime:
    last_day = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1) - datetime.timedelta(days=1)
    day_after = last_day + datetime.timedelta(days=settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END + 1)
    return datetime.datetime.combine(day_after, datetime.time.min, tzinfo=ZONE)


def _operating(factory: Factory, month: datetime.date) -> bool:
    next_month = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return (
        factory.status in ("commissioned", "in_operation")
        and factory.commissioned_on is not None
        and factory.commissioned_on < next_month
        and factory.county.kind in ("city", "county")
    )


def _month_plan(factory: Factory, month: datetime.date) -> Fraction | None:
    plan = factory.annual_plans.filter(year=month.year).first()
    if plan is None:
        return None
    split = {row.month_number: row.planned_output_value_thousand_won for row in plan.monthly_plans.all()}
    if len(split) == 12 and sum(split.values()) == plan.planned_output_value_thousand_won:
        return Fraction(split[month.month])
    return Fraction(plan.planned_output_value_thousand_won) / 12


def _approved(factory: Factory, month: datetime.date) -> MonthlyReport | None:
    return factory.reports.filter(month=month, status="approved").first()


def _direct(measure: str, factory_months: list[tuple[Factory, datetime.date]]) -> Fraction | None:
    """The measure over these factory-months, by DESIGN.md's words."""
    operating = [
        (f, m) for f, m in factory_months if _operating(f, m) and datetime.datetime.now(ZONE) >= _deadline_end(m)
    ]
    counted = [(f, m, r) for f, m in operating if (r := _approved(f, m)) is not None]
    if measure == "reporting_discipline":
        on_time = [r for _f, m, r in counted if r.first_submitted_at < _deadline_end(m)]
        return Fraction(len(on_time), len(operating)) if operating else None
    if measure == "completeness":
        return Fraction(len(counted), len(operating)) if operating else None
    if measure == "plan_fulfilment":
        pairs = [(Fraction(r.output_value_thousand_won), _month_plan(f, m)) for f, m, r in counted]
        pairs = [(output, plan) for output, plan in pairs if plan]
        planned = sum(plan for _o, plan in pairs)
        return sum(output for output, _p in pairs) / planned if planned else None
    if measure == "growth":
        pairs = []
        for factory, month, report in counted:
            previous_month = month.replace(year=month.year - 1)
            previous = _approved(factory, previous_month)
            if previous is not None and _operating(factory, previous_month):
                pairs.append((report.output_value_thousand_won, previous.output_value_thousand_won))
        before = sum(Fraction(p) for _c, p in pairs)
        return sum(Fraction(c) for c, _p in pairs) / before - 1 if before else None
    if measure == "product_range":
        best: dict = defaultdict(int)
        for factory, month, report in counted:
            best[(factory, month.year)] = max(best[(factory, month.year)], report.varieties_produced)
        planned = {key: factory.annual_plans.filter(year=key[1]).first() for key in best for factory in [key[0]]}
        keys = [key for key in best if planned[key] is not None and planned[key].planned_varieties > 0]
        denominator = sum(planned[key].planned_varieties for key in keys)
        return Fraction(sum(best[key] for key in keys), denominator) if denominator else None
    assert measure == "local_raw_materials"
    used = sum(Fraction(r.raw_material_used_tonnes) for _f, _m, r in counted)
    own = sum(Fraction(r.raw_material_from_own_bases_tonnes) for _f, _m, r in counted)
    return own / used if used else None


def _months(columns: str, key) -> list[datetime.date]:
    if columns == "month":
        return [datetime.date(key[0], key[1], 1)]
    if columns == "quarter":
        return [datetime.date(key[0], 3 * (key[1] - 1) + number, 1) for number in (1, 2, 3)]
    return [datetime.date(key[0], number, 1) for number in range(1, 13)]


def _factories_of(row_key, rows: str) -> list[Factory]:
    factories = Factory.objects.select_related("county__province")
    if rows == "province":
        return list(factories.filter(county__province__code=row_key))
    if rows == "county":
        return list(factories.filter(county__slug=row_key))
    if rows == "kind":
        return list(factories.filter(kind=row_key))
    return list(factories.filter(programme_slot__programme_round__year=row_key))


# --- the figures --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", NEW_MEASURES)
@pytest.mark.parametrize(
    ("rows", "columns"), [("province", "month"), ("county", "quarter"), ("kind", "year"), ("round", "month")]
)
def test_each_figure_equals_the_ratio_worked_out_from_the_reports(client, frank, programme, measure, rows, columns):
    client_for(client, frank)
    response = client.get(reverse("pivot"), {"measure": measure, "rows": rows, "columns": columns, "year": YEAR})
    table = response.context["table"]
    expected_rows = {
        "province": ["KP-61", "KP-62"],
        "county": ["kp-northland-alpha", "kp-northland-beta", "kp-southland-gamma"],
        "kind": ["foodstuff", "garment"],
        "round": [2025, None],  # the garment factory was built in the 2025 round, the others not by the programme
    }[rows]
    assert table.row_keys == expected_rows  # the ward's factory and the factory under construction never count
    assert len(table.column_keys) == {"month": 12, "quarter": 4, "year": 1}[columns]
    for row_key in table.row_keys:
        factories = _factories_of(row_key, rows)
        for column_key in table.column_keys:
            expected = _direct(measure, [(f, m) for f in factories for m in _months(columns, column_key)])
            assert table.value(row_key, column_key) == expected, (row_key, column_key)
        year_months = [(f, m) for f in factories for m in _months("year", (YEAR,))]
        assert table.row_total(row_key) == _direct(measure, year_months), row_key


def test_the_figures_by_hand(client, frank, programme):
    """A few of them spelled out, so that a reader can check the rules without the helper above."""
    client_for(client, frank)

    def total(measure, row_key, rows="county"):
        query = {"measure": measure, "rows": rows, "columns": "year", "year": YEAR}
        return client.get(reverse("pivot"), query).context["table"].row_total(row_key)

    # Alpha: 12 food + 10 garment factory-months due; approved: 12 + 8 (May submitted, June missing); on time:
    # 6 odd food months + 8 garment months.
    assert total("completeness", "kp-northland-alpha") == Fraction(20, 22)
    assert total("reporting_discipline", "kp-northland-alpha") == Fraction(14, 22)
    # Beta: six months of twelve; its split plan (2,000 a month to June) is used: 6 × 2,100 ÷ 6 × 2,000.
    assert total("completeness", "kp-northland-beta") == Fraction(1, 2)
    assert total("plan_fulfilment", "kp-northland-beta") == Fraction(12600, 12000)
    # Beta's raw material: nothing used, so unknown, never 0; gamma's zero plan leaves plan fulfilment unknown.
    assert total("local_raw_materials", "kp-northland-beta") is None
    assert total("plan_fulfilment", "kp-southland-gamma") is None
    # Gamma's 2024 reports were never approved: no growth.
    assert total("growth", "kp-southland-gamma") is None
    # Beta's growth: January-June 2025 against the same months of 2024, 6 × 2,100 ÷ 6 × 2,500 − 1 = −16 %.
    assert total("growth", "kp-northland-beta") == Fraction(-4, 25)
    response = client.get(reverse("pivot"), {"measure": "growth", "rows": "county", "columns": "year", "year": YEAR})
    assert "-16.0 %" in response.content.decode()
    # The province is the ratio of its counties' sums, not the mean of their ratios: (20 + 6) ÷ (22 + 12).
    assert total("completeness", "KP-61", rows="province") == Fraction(26, 34)


def test_an_open_month_and_unknown_figures_are_shown_as_unknown_not_zero(client, frank, alpha_county):
    """This month's entry period is open: no factory-month is due yet, so the measure is unknown, not 0 %."""
    FactoryBuilder(county=alpha_county, commissioned_on=datetime.date(2020, 1, 1))
    client_for(client, frank)
    this_year = datetime.date.today().year
    response = client.get(
        reverse("pivot"), {"measure": "local_raw_materials", "rows": "county", "columns": "month", "year": this_year}
    )
    table = response.context["table"]
    assert table.row_keys == ["kp-northland-alpha"]
    assert all(table.value("kp-northland-alpha", key) is None for key in table.column_keys)
    assert datetime.date.today().month not in [key[1] for key in table.column_keys]
    assert "0.0 %" not in response.content.decode()


# --- scope --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", NEW_MEASURES)
def test_a_county_official_sees_only_the_own_county_on_the_page_and_in_the_api(client, alice, programme, measure):
    client_for(client, alice)
    table = client.get(
        reverse("pivot"), {"measure": measure, "rows": "county", "columns": "year", "year": YEAR}
    ).context["table"]
    assert table.row_keys == ["kp-northland-alpha"]
    api = APIClient()
    api.force_authenticate(alice)
    data = api.get(reverse("api:analytics"), {"dx": measure, "rows": "province", "pe": "year", "year": YEAR}).json()
    # The province row is only the county's own factories: alpha's figure, not Northland's.
    assert [row["key"] for row in data["rows"]] == ["KP-61"]
    alpha = table.row_total("kp-northland-alpha")
    total = data["rows"][0]["total"]
    assert (total is None) == (alpha is None)
    if alpha is not None:
        assert abs(Fraction(Decimal(total)) - alpha) <= Fraction(1, 2 * 10**12)


def test_a_provincial_official_sees_the_own_province_only(client, carol, dave, programme):
    for user, expected in [(carol, ["kp-northland-alpha", "kp-northland-beta"]), (dave, ["kp-southland-gamma"])]:
        client_for(client, user)
        table = client.get(
            reverse("pivot"), {"measure": "completeness", "rows": "county", "columns": "month", "year": YEAR}
        ).context["table"]
        assert table.row_keys == expected
    # Another province chosen in the filter shows nothing, not that province's figures.
    client_for(client, carol)
    response = client.get(
        reverse("pivot"), {"measure": "completeness", "rows": "county", "province": "KP-62", "year": YEAR}
    )
    assert response.context["table"].row_keys == []
    api = APIClient()
    api.force_authenticate(carol)
    data = api.get(reverse("api:analytics"), {"dx": "completeness", "rows": "county", "province": "KP-62"}).json()
    assert data["rows"] == []


def test_an_analyst_counts_approved_reports_only(client, erin, frank, programme):
    """Submitted reports never enter a figure: an analyst sees the same as the administrator."""
    for measure in NEW_MEASURES:
        query = {"measure": measure, "rows": "county", "columns": "month", "year": YEAR}
        client_for(client, erin)
        seen = client.get(reverse("pivot"), query).context["table"]
        client_for(client, frank)
        full = client.get(reverse("pivot"), query).context["table"]
        assert [seen.row_total(key) for key in seen.row_keys] == [full.row_total(key) for key in full.row_keys]
        assert seen.cells == full.cells


# --- the API, the exports, the form ------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", NEW_MEASURES)
def test_the_api_agrees_with_the_page(client, erin, programme, measure):
    client_for(client, erin)
    table = client.get(
        reverse("pivot"), {"measure": measure, "rows": "county", "columns": "quarter", "year": YEAR}
    ).context["table"]
    api = APIClient()
    api.force_authenticate(erin)
    data = api.get(reverse("api:analytics"), {"dx": measure, "rows": "county", "pe": "quarter", "year": YEAR}).json()
    assert data["columns"] == [f"{YEAR} Q{number}" for number in (1, 2, 3, 4)]
    assert [row["key"] for row in data["rows"]] == table.row_keys
    for row, key in zip(data["rows"], table.row_keys, strict=True):
        shown = [table.value(key, column) for column in table.column_keys] + [table.row_total(key)]
        given = [*row["values"], row["total"]]
        for exact, text in zip(shown, given, strict=True):
            if exact is None:
                assert text is None
            else:
                # Twelve decimals, half-up, of the exact ratio.
                assert abs(Fraction(Decimal(text)) - exact) <= Fraction(1, 2 * 10**12)


def test_the_exports_carry_the_figures_shown(client, erin, programme):
    client_for(client, erin)
    query = {"measure": "completeness", "rows": "county", "columns": "year", "year": YEAR}
    rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get(reverse("pivot"), query | {"format": "csv"}).streaming_content).decode())
        )
    )
    assert rows[0] == ["Row", "2025", "Total"]
    # Alpha: 20 of 22 due reports approved, exactly 0.909090… (twelve places, half-up).
    assert rows[1] == ["Alpha", "0.909090909091", "0.909090909091"]
    workbook = load_workbook(io.BytesIO(client.get(reverse("pivot"), query | {"format": "xlsx"}).content))
    assert [cell.value for cell in workbook.active[3]] == ["Beta", 0.5, 0.5]
    page = client.get(reverse("pivot"), query).content.decode()
    assert "90.9 %" in page and "50.0 %" in page


def test_the_openapi_schema_lists_the_new_measures(erin):
    api = APIClient()
    api.force_authenticate(erin)
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/analytics/"]["get"]["parameters"]
    measure = next(parameter for parameter in parameters if parameter["name"] == "dx")
    assert set(NEW_MEASURES) <= set(measure["schema"]["enum"])


# --- queries ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", NEW_MEASURES)
@pytest.mark.parametrize("counties", [2, 12])
def test_the_same_queries_at_2_and_12_counties(
    client, erin, north_province, django_assert_num_queries, measure, counties
):
    for index in range(counties):
        county = CountyBuilder(province=north_province, slug=f"kp-northland-unit-{index}", name_en=f"Unit {index:02d}")
        factory = FactoryBuilder(county=county, commissioned_on=datetime.date(2024, 1, 1))
        AnnualPlanBuilder(factory=factory, year=YEAR)
        for number in (1, 2):
            _report(factory, datetime.date(YEAR, number, 1))
            _report(factory, datetime.date(YEAR - 1, number, 1))
    client_for(client, erin)
    with django_assert_num_queries(4):  # session, user, provinces for the filter, the statement
        response = client.get(
            reverse("pivot"), {"measure": measure, "rows": "county", "columns": "month", "year": YEAR}
        )
    assert len(response.context["table"].row_keys) == counties
    # Without a year: one more, for the first commissioning (where the columns start).
    with django_assert_num_queries(5):
        response = client.get(reverse("pivot"), {"measure": measure, "rows": "province", "columns": "year", "year": ""})
    assert response.context["table"].column_keys[0] == (2024,)


@pytest.mark.parametrize("measure", NEW_MEASURES)
def test_a_year_with_no_closed_month_is_an_empty_table_not_an_error(alice, programme, measure):
    """Found by the API fuzzing: a future year has no month whose entry period has closed."""
    api = APIClient()
    api.force_authenticate(alice)
    response = api.get(reverse("api:analytics"), {"dx": measure, "kind": "paper", "year": 2091, "province": "KP-61"})
    assert response.status_code == 200 and response.json()["rows"] == []
    response = api.get(reverse("api:analytics"), {"dx": measure, "year": datetime.date.today().year + 1})
    assert response.status_code == 200 and response.json()["rows"] == []
