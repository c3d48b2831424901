"""An analyst's day in a real Chromium: builds a view in the explorer, switches its chart, exports it, opens it on
the map, clicks a county and finds a factory from the header search. Screenshots go to $SCREENSHOT_DIR when set."""

import csv
import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.builders import PASSWORD, AnnualPlanBuilder, FactoryBuilder, MonthlyReportBuilder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where each test county sits (latitude, longitude): far enough apart for cells a finger can hit.
PLACES = {
    "kp-northland-alpha": (Decimal("39.030"), Decimal("125.750")),
    "kp-northland-beta": (Decimal("40.700"), Decimal("127.600")),
    "kp-southland-gamma": (Decimal("38.400"), Decimal("126.200")),
}


def _shot(page, name: str) -> None:
    directory = os.environ.get("SCREENSHOT_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{directory}/journey-{name}.png", full_page=True)


def _point_inside(page, area_key: str) -> None:
    """Move the mouse to a point inside the county's cell (an irregular cell's box centre may lie in the sea)."""
    point = page.evaluate(
        """(key) => {
          const path = document.querySelector(`a.map-area[data-area="${key}"] path`);
          path.scrollIntoView({block: "center"});
          const box = path.getBBox();
          const matrix = path.getScreenCTM();
          for (let step = 1; step < 400; step++) {
            const x = box.x + box.width * ((step * 37) % 100) / 100;
            const y = box.y + box.height * ((step * 61) % 100) / 100;
            if (path.isPointInFill(new DOMPoint(x, y)) && path.isPointInStroke(new DOMPoint(x, y)) === false) {
              return {x: matrix.a * x + matrix.c * y + matrix.e, y: matrix.b * x + matrix.d * y + matrix.f};
            }
          }
          return null;
        }""",
        area_key,
    )
    assert point is not None
    page.mouse.move(point["x"], point["y"])


def test_an_analyst_builds_a_view_charts_exports_maps_it_opens_a_county_and_finds_a_factory(
    live_server, page, erin, alpha_county, beta_county, gamma_county
):
    # Given approved 2025 reports of three located counties, one factory each
    for county, values in [
        (alpha_county, ["9000", "11000"]),
        (beta_county, ["5000", "7000"]),
        (gamma_county, ["3000", "4000"]),
    ]:
        county.latitude, county.longitude = PLACES[county.slug]
        county.save()
        factory = FactoryBuilder(county=county, name=f"{county.name_en} Foodstuff Factory", code=f"{county.slug}-food")
        AnnualPlanBuilder(factory=factory, year=2025, planned_output_value_thousand_won=Decimal("120000"))
        for number, value in enumerate(values, start=1):
            MonthlyReportBuilder(
                factory=factory, month=datetime.date(2025, number, 1), approved=True, output_value_thousand_won=value
            )
    script_errors, failed_responses = [], []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.on("response", lambda response: failed_responses.append(response.url) if response.status >= 400 else None)

    # Given Erin logs in and opens the explorer from the menu
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")
    page.get_by_role("link", name="Explore", exact=True).first.click()

    # When she builds a view: output value, counties by month, 2025, as bars
    form = page.get_by_test_id("pivot-form")
    form.locator("select[name=measure]").select_option("output_value")
    form.locator("select[name=rows]").select_option("county")
    form.locator("select[name=columns]").select_option("month")
    form.locator("input[name=year]").fill("2025")
    form.locator("select[name=chart]").select_option("bar")
    form.get_by_role("button", name="Show").click()
    table = page.get_by_test_id("pivot-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(page.locator("#pivot-chart")).to_have_attribute("data-ready", "true")
    assert page.evaluate("Chart.getChart(document.getElementById('pivot-chart')).config.type") == "bar"
    _shot(page, "1-explorer-bars")

    # and changes the chart to lines
    page.get_by_test_id("pivot-form").locator("select[name=chart]").select_option("line")
    page.get_by_test_id("pivot-form").get_by_role("button", name="Show").click()
    expect(page.locator("#pivot-chart")).to_have_attribute("data-ready", "true")
    assert page.evaluate("Chart.getChart(document.getElementById('pivot-chart')).config.type") == "line"
    assert "chart=line" in page.url
    _shot(page, "2-explorer-lines")

    # and exports it: the CSV holds exactly the table's figures
    shown = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in table.locator("tbody tr").all()
    ]
    with page.expect_download() as download_info:
        page.get_by_test_id("pivot-csv").click()
    download = download_info.value
    assert download.suggested_filename == "regional-pivot-output_value-county-month.csv"
    exported = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert exported[0] == ["Row", "2025-01", "2025-02", "Total"]
    assert [row[0] for row in exported[1:]] == [row[0] for row in shown]
    for exported_row, shown_row in zip(exported[1:], shown, strict=True):
        assert [f"{Decimal(value):,.2f}" for value in exported_row[1:]] == shown_row[1:]
    assert exported[1] == ["Alpha", "9000.00", "11000.00", "20000.00"]

    # Then she opens the same view on the map: every county shaded, the figures as in the explorer
    page.get_by_test_id("pivot-map").click()
    expect(page.locator("h1")).to_have_text("Map")
    expect(page.locator("a.map-area")).to_have_count(3)
    expect(page.get_by_test_id("map-table").locator("tbody tr").first).to_contain_text("20,000.00")
    expect(page.locator(".map-caption")).to_contain_text("Approximate boundaries")

    # When she points at Alpha, the box tells its value; a click opens Alpha's page
    _point_inside(page, "kp-northland-alpha")
    expect(page.get_by_test_id("map-info")).to_contain_text("Alpha")
    expect(page.get_by_test_id("map-info")).to_contain_text("20,000.00")
    _shot(page, "3-map")
    page.mouse.down()
    page.mouse.up()
    expect(page).to_have_url(f"{live_server.url}/counties/kp-northland-alpha/")
    expect(page.locator("h1")).to_contain_text("Alpha")
    _shot(page, "4-county")

    # And she finds Gamma's factory from the header search
    page.fill("#header-search-q", "Gamma Foodstuff")
    results = page.locator("#header-search-results")
    expect(results).to_contain_text("Gamma Foodstuff Factory")
    _shot(page, "5-search")
    results.get_by_role("link", name="Gamma Foodstuff Factory").click()
    expect(page).to_have_url(f"{live_server.url}/factories/kp-southland-gamma-food/")
    expect(page.locator("h1")).to_contain_text("Gamma Foodstuff Factory")
    _shot(page, "6-factory")
    assert script_errors == []
    assert failed_responses == []
