"""Analysts read approved figures and counts; a report's past before approval (earlier figures, return reasons,
which factories were returned or have not reported) stays with the county, its province and administrators.
One rule (`regional.scoping.sees_report_workflow`), proved here on the report page, completeness, the exports
and the API."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from factories import services
from factories.selectors import add_months, first_of_month
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for
from tests.reports.conftest import figures
from tests.security.conftest import token_client

RETURN_REASON = "Output value looks doubled: check the register."


@pytest.fixture
def alpha_factory(alpha_county):
    return FactoryBuilder(
        code="alpha-foodstuff", county=alpha_county, name="Alpha Foodstuff Factory", design_capacity=6000
    )


@pytest.fixture
def last_month():
    """Ended, and open for entry for at least the first ten days of this month."""
    return add_months(first_of_month(timezone.localdate()), -1)


@pytest.fixture
def closed_month():
    return add_months(first_of_month(timezone.localdate()), -3)


@pytest.fixture
def approved_after_a_return(alice, carol, alpha_factory, last_month):
    """Alice first reported 20,000 thousand won; Carol returned it; Alice corrected it to 10,000; Carol approved."""
    report = services.report_save_draft(
        factory=alpha_factory,
        month=last_month,
        data=figures(output_value_thousand_won="20000", comment="From the register."),
        user=alice,
    )
    report = services.report_submit(report=report, user=alice)
    report = services.report_return(report=report, user=carol, reason=RETURN_REASON)
    report = services.report_save_draft(
        factory=alpha_factory, month=last_month, data={"output_value_thousand_won": "10000"}, user=alice
    )
    report = services.report_submit(report=report, user=alice)
    return services.report_approve(report=report, user=carol)


@pytest.mark.parametrize(
    ("persona", "sees_the_past"), [("erin", False), ("alice", True), ("carol", True), ("frank", True)]
)
def test_the_report_page_shows_earlier_figures_and_return_reasons_only_to_the_workflow(
    client, approved_after_a_return, persona, sees_the_past, request
):
    client_for(client, request.getfixturevalue(persona))

    response = client.get(reverse("reports:report_detail", args=[approved_after_a_return.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "10,000" in html  # the approved figure, for everyone
    assert (RETURN_REASON in html) is sees_the_past
    assert ("20000" in html) is sees_the_past  # the first figure, in the history of changes
    assert ('data-testid="history"' in html) is sees_the_past
    assert ('data-testid="approved-figures-only"' in html) is not sees_the_past


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_analysts_export_holds_the_approved_figures_and_nothing_from_before(
    client, erin, approved_after_a_return, file_format
):
    client_for(client, erin)

    response = client.get(reverse(f"reports:report_export_{file_format}"))

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        rows = [
            [str(cell) if cell is not None else "" for cell in row]
            for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)
        ]
    header, *data = rows
    (row,) = data
    assert Decimal(dict(zip(header, row, strict=True))["output_value_thousand_won"]) == Decimal("10000")
    assert not any(RETURN_REASON in cell or "20000" in cell for cell in row)


def test_the_api_gives_the_analyst_the_approved_report_without_its_return_reason(erin, approved_after_a_return):
    client, _token = token_client(erin)

    report = client.get(reverse("api:report-detail", args=[approved_after_a_return.pk])).json()

    assert (report["status"], report["output_value_thousand_won"], report["return_reason"]) == (
        "approved",
        "10000.00",
        "",
    )
    assert RETURN_REASON not in str(report)


@pytest.fixture
def a_returned_and_a_missing_factory(alice, carol, alpha_county, closed_month):
    returned = FactoryBuilder(county=alpha_county, kind="garment", name="Alpha Garment Factory")
    FactoryBuilder(county=alpha_county, kind="paper", name="Alpha Paper Mill")
    MonthlyReportBuilder(
        factory=returned,
        month=closed_month,
        status="returned",
        return_reason=RETURN_REASON,
        first_submitted_at="2020-01-01T00:00Z",
    )
    return closed_month


@pytest.mark.parametrize(("persona", "names_factories"), [("erin", False), ("carol", True), ("frank", True)])
def test_completeness_names_returned_and_missing_factories_only_to_the_workflow(
    client, a_returned_and_a_missing_factory, persona, names_factories, request
):
    client_for(client, request.getfixturevalue(persona))

    response = client.get(
        reverse("reports:completeness"), {"month": a_returned_and_a_missing_factory.strftime("%Y-%m"), "gaps": "1"}
    )

    html = response.content.decode()
    (alpha,) = [row for row in response.context["rows"] if row.county_name == "Alpha county"]
    assert (alpha.expected, alpha.submitted, alpha.missing_count, alpha.returned_count) == (2, 1, 1, 1)
    assert ("Alpha Garment Factory" in html) is names_factories
    assert ("Alpha Paper Mill" in html) is names_factories
    # Everyone reads that one report was returned; only the workflow reads which factory's
    assert "returned for correction" in html
