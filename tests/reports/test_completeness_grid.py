"""The completeness grid: months × counties for a province, months × provinces for the nation, each cell a
state (symbol and colour, explained by a legend) linking to the reports behind it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from factories.selectors import add_months
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for
from tests.reports.test_browser import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(closed_month):
    return closed_month


@pytest.fixture
def reported(alpha_county, beta_county, gamma_county, month):
    """Alpha: one report approved, one returned. Beta: one approved, one never reported. Gamma (another
    province): one approved."""
    alpha_one, alpha_two = FactoryBuilder(county=alpha_county), FactoryBuilder(county=alpha_county)
    beta_one, _beta_silent = FactoryBuilder(county=beta_county), FactoryBuilder(county=beta_county, name="Beta Mill")
    gamma = FactoryBuilder(county=gamma_county)
    MonthlyReportBuilder(factory=alpha_one, month=month, approved=True)
    MonthlyReportBuilder(
        factory=alpha_two, month=month, submitted=True, status="returned", return_reason="Own bases are 0 t."
    )
    MonthlyReportBuilder(factory=beta_one, month=month, approved=True)
    MonthlyReportBuilder(factory=gamma, month=month, approved=True)


def grid_of(client, user, **query):
    client_for(client, user)
    return client.get(reverse("reports:completeness"), query).context["grid"]


def cell(grid, name, month):
    row = next(row for row in grid.rows if row.place.name_en == name)
    return next(cell for cell in row.cells if cell.month == month)


def test_a_province_sees_months_by_county_with_the_state_of_each_cell(client, carol, reported, month):
    grid = grid_of(client, carol, month=f"{month:%Y-%m}")

    assert not grid.is_national
    assert [row.place.name_en for row in grid.rows] == ["Alpha", "Beta"]
    assert grid.months[0] == month and grid.months[-1] == add_months(month, -11)
    alpha, beta = cell(grid, "Alpha", month), cell(grid, "Beta", month)
    assert (alpha.state, alpha.reported, alpha.approved, alpha.returned, alpha.expected) == ("returned", 2, 1, 1, 2)
    assert (beta.state, beta.reported, beta.missing) == ("missing", 1, 1)


def test_the_nation_sees_months_by_province_and_a_province_drills_down(client, erin, reported, month):
    national = grid_of(client, erin, month=f"{month:%Y-%m}")
    northland = cell(national, "Northland", month)
    southland = cell(national, "Southland", month)

    assert national.is_national
    assert (northland.expected, northland.reported, northland.approved, northland.state) == (4, 3, 2, "missing")
    assert (southland.expected, southland.approved, southland.state) == (1, 1, "approved")
    drilled = grid_of(client, erin, month=f"{month:%Y-%m}", province="KP-61")
    assert [row.place.name_en for row in drilled.rows] == ["Alpha", "Beta"]


def test_each_cell_links_to_the_reports_behind_it_and_the_legend_names_every_state(client, carol, reported, month):
    client_for(client, carol)

    page = client.get(reverse("reports:completeness"), {"month": f"{month:%Y-%m}"}).text

    assert f'href="{reverse("reports:report_list")}?county=kp-northland-alpha&amp;month={month:%Y-%m}"' in page
    for words in ("all approved", "returned for correction", "not reported by the deadline", "still due"):
        assert words in page
    linked = client.get(reverse("reports:report_list"), {"county": "kp-northland-alpha", "month": f"{month:%Y-%m}"})
    assert linked.context["page"].paginator.count == 2


def test_analysts_get_counts_of_returned_reports_not_whose_they_are(client, erin, carol, reported, month):
    client_for(client, erin)
    analyst_page = client.get(reverse("reports:completeness"), {"month": f"{month:%Y-%m}"}).text
    client_for(client, carol)
    province_page = client.get(reverse("reports:completeness"), {"month": f"{month:%Y-%m}"}).text

    assert "1 returned for correction" in analyst_page
    # The province reads whose (each name linking to its factory's page); the analyst only how many.
    named = re.compile(r'returned for correction: <a class="factory-link" href="/factories/[\w-]+/">Alpha')
    assert not named.search(analyst_page)
    assert named.search(province_page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_not_reported_stays_on_screen_and_the_page_does_not_scroll_sideways(
    live_server, browser, carol, reported, month
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server, "carol")

    page.goto(f"{live_server.url}{reverse('reports:completeness')}?month={month:%Y-%m}")

    header = page.get_by_role("columnheader", name="Not reported")
    expect(header).to_be_visible()
    box = header.bounding_box()
    assert box["x"] + box["width"] <= 390
    expect(page.get_by_test_id("completeness")).to_contain_text("Beta Mill")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
