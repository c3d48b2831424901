"""Each role's home page: a county official's tasks, a provincial official's queue and missing counties, the
programme overview for analysts and administrators (and for everyone at /programme/)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories.selectors import add_months
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_a_county_officials_home_lists_reports_due_returned_and_drafts(client, alice, alpha_county, open_month):
    due = FactoryBuilder(county=alpha_county, name="Alpha Soap Factory")
    returned = FactoryBuilder(county=alpha_county, name="Alpha Shoe Factory")
    drafted = FactoryBuilder(county=alpha_county, name="Alpha Paper Mill")
    MonthlyReportBuilder(factory=returned, month=open_month, status="returned", return_reason="Own bases are 0 t.")
    MonthlyReportBuilder(factory=drafted, month=open_month)
    client_for(client, alice)

    response = client.get(reverse("home"))

    tasks = response.context["tasks"]
    assert [row.factory for row in tasks.due if row.month == open_month] == [due]
    assert [row.factory for row in tasks.returned] == [returned]
    assert [row.factory for row in tasks.drafts] == [drafted]
    assert "Own bases are 0 t." in response.text
    assert "Tasks of Alpha" in response.text


def test_a_provincial_officials_home_shows_the_queue_and_the_counties_still_missing(
    client, carol, alpha_county, beta_county, open_month
):
    month_due = open_month  # the month now being reported: last month, ended and still open for entry
    alpha = FactoryBuilder(county=alpha_county, name="Alpha Foodstuff Factory", design_capacity=Decimal(6000))
    FactoryBuilder(county=beta_county, name="Beta Garment Factory")
    MonthlyReportBuilder(factory=alpha, month=month_due, submitted=True)
    client_for(client, carol)

    response = client.get(reverse("home"))

    desk = response.context["desk"]
    assert desk.queue_count == 1 and desk.oldest[0].report.factory == alpha
    assert [county.county_name for county in desk.missing_counties] == ["Beta county"]
    assert "Beta Garment Factory" in response.text


@pytest.mark.parametrize("persona", ["erin", "frank"])
def test_analysts_and_administrators_keep_the_programme_overview(client, request, persona):
    client_for(client, request.getfixturevalue(persona))

    response = client.get(reverse("home"))

    assert "overview" in response.context
    assert response.context["nav_items"][0]["url"] == reverse("home")
    assert str(response.context["nav_items"][0]["label"]) == "Programme"


@pytest.mark.parametrize("persona", ["alice", "carol", "erin"])
def test_the_programme_overview_is_a_page_of_its_own_for_everyone(client, request, persona):
    client_for(client, request.getfixturevalue(persona))

    response = client.get(reverse("programme"))

    assert response.status_code == 200
    assert "Regional Development 20×10" in response.text


def test_the_county_home_query_count_does_not_grow_with_factories(client, alice, alpha_county, open_month):
    factories = [FactoryBuilder(county=alpha_county) for _ in range(20)]
    for factory in factories[:2]:
        MonthlyReportBuilder(factory=factory, month=open_month, status="returned", return_reason="Check.")
    client_for(client, alice)
    at_two = count_queries(client, reverse("home"))
    for factory in factories[2:]:
        MonthlyReportBuilder(factory=factory, month=open_month, status="returned", return_reason="Check.")

    at_twenty = count_queries(client, reverse("home"))

    # Expect 7 queries: session, user, the county (header), late entries, the factories and the reports of
    # the open months, reopened reports.
    assert (at_two, at_twenty) == (7, 7)


def test_the_province_home_query_count_does_not_grow_with_reports(client, carol, alpha_county, open_month):
    month_due = add_months(open_month, -1)
    factories = [FactoryBuilder(county=alpha_county, design_capacity=Decimal(6000)) for _ in range(20)]
    for factory in factories[:2]:
        MonthlyReportBuilder(factory=factory, month=month_due, submitted=True)
    client_for(client, carol)
    at_two = count_queries(client, reverse("home"))
    for factory in factories[2:]:
        MonthlyReportBuilder(factory=factory, month=month_due, submitted=True)

    at_twenty = count_queries(client, reverse("home"))

    # Expect 8 queries: session, user, the province (header), the queue's figures, their approved history, the
    # five oldest reports in full, the month's factories per county and their report counts.
    assert (at_two, at_twenty) == (8, 8)
