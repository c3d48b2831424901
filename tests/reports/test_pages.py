"""The report pages as a user meets them: the form's errors next to fields, the deadline in words,
read-only reports, and query counts that do not grow with the number of rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import selectors
from factories.models import MonthlyReport
from factories.selectors import add_months
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for
from tests.reports.conftest import figures

pytestmark = pytest.mark.django_db


def entry_url(factory, month):
    return reverse("reports:report_entry", args=[factory.code, month])


def test_the_form_shows_an_error_next_to_the_field_and_keeps_what_was_typed(client, alice, alpha_factory, open_month):
    client_for(client, alice)

    response = client.post(
        entry_url(alpha_factory, open_month),
        figures(raw_material_used_tonnes="50", raw_material_from_own_bases_tonnes="60", action="save"),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "raw_material_from_own_bases_tonnes": [
            "Raw material from own bases (60 t) cannot exceed the raw material used (50 t)."
        ]
    }
    html = response.content.decode()
    assert 'id="id_raw_material_from_own_bases_tonnes_errors"' in html
    assert 'value="50"' in html
    assert MonthlyReport.objects.count() == 0


def test_saving_then_submitting_from_the_form(client, alice, alpha_factory, open_month, alpha_plan):
    client_for(client, alice)
    client.post(entry_url(alpha_factory, open_month), figures(action="save"))
    report = MonthlyReport.objects.get()
    assert report.status == "draft"

    response = client.post(
        entry_url(alpha_factory, open_month), figures(action="submit", version=report.version), follow=True
    )

    report.refresh_from_db()
    assert report.status == "submitted"
    assert response.redirect_chain[-1][0] == reverse("reports:report_detail", args=[report.pk])
    assert "submitted to the province for review" in response.content.decode()


def test_the_form_shows_the_months_plan_and_last_years_figure(client, alice, alpha_factory, open_month, alpha_plan):
    MonthlyReportBuilder(
        factory=alpha_factory, month=add_months(open_month, -12), approved=True, output_value_thousand_won=9876
    )
    client_for(client, alice)

    rows = client.get(entry_url(alpha_factory, open_month)).context["rows"]

    output = rows[0]
    assert output["field"].name == "output_value_thousand_won"
    assert output["plan"] == Decimal("10000.00")  # 120,000 a year, evenly split
    assert output["last_year"] == Decimal("9876.00")


def test_a_flagged_report_cannot_be_submitted_without_a_comment(client, alice, alpha_factory, open_month):
    client_for(client, alice)

    response = client.post(entry_url(alpha_factory, open_month), figures(physical_output="900", action="submit"))

    assert response.context["form"].errors == {
        "comment": ["Explain the figures flagged above in the comment before submitting."]
    }
    assert response.context["warnings"] == [
        "Physical output 900.00 is above the factory's design capacity of 500.00 a month (6,000.00 a year)."
    ]
    # The figures were kept as a draft: nothing typed is lost.
    assert MonthlyReport.objects.get().status == "draft"


def test_a_closed_month_says_exactly_why_it_is_closed(client, alice, alpha_factory, closed_month):
    client_for(client, alice)

    response = client.get(entry_url(alpha_factory, closed_month))

    deadline = selectors.day_label(selectors.entry_deadline(closed_month))
    expected = f"The entry period for {selectors.month_label(closed_month)} ended on {deadline}."
    assert response.context["locked_reason"] == expected
    assert expected in response.content.decode()
    assert 'name="action"' not in response.content.decode()


def test_an_approved_report_says_who_approved_it_and_when(client, alice, carol, alpha_factory, open_month):
    report = MonthlyReportBuilder(factory=alpha_factory, month=open_month, approved=True, approved_by=carol)
    client_for(client, alice)

    response = client.post(entry_url(alpha_factory, open_month), figures(days_worked=1, action="save"), follow=True)

    day = selectors.day_label(report.approved_at.astimezone().date())
    assert f"Approved by carol on {day}" in response.content.decode()
    assert MonthlyReport.objects.get().days_worked == 24


def test_this_month_lists_every_factory_with_its_state_and_the_return_reason(
    client, alice, carol, alpha_county, alpha_factory, open_month
):
    garment = FactoryBuilder(county=alpha_county, kind="garment", name="Alpha Garment Factory")
    MonthlyReportBuilder(
        factory=garment,
        month=open_month,
        status="returned",
        return_reason="Workers on roll missing.",
        first_submitted_at="2020-01-01T00:00Z",
    )
    client_for(client, alice)

    response = client.get(reverse("reports:this_month"))

    month = next(entry for entry in response.context["entry_months"] if entry.month == open_month)
    assert [(row.factory.name, row.state) for row in month.rows] == [
        ("Alpha Foodstuff Factory", "missing"),
        ("Alpha Garment Factory", "returned"),
    ]
    assert "Workers on roll missing." in response.content.decode()


def test_completeness_counts_expected_submitted_on_time_and_approved(
    client, carol, alpha_factory, beta_factory, alpha_county, closed_month
):
    late = FactoryBuilder(county=alpha_county, kind="garment", name="Alpha Garment Factory")
    FactoryBuilder(county=alpha_county, kind="paper", name="Alpha Paper Mill")
    deadline = selectors.entry_deadline(closed_month)
    MonthlyReportBuilder(factory=alpha_factory, month=closed_month, approved=True)
    # The last second of the deadline day in Pyongyang is on time; midnight after it is late.
    MonthlyReport.objects.filter(factory=alpha_factory).update(first_submitted_at=f"{deadline}T23:59:59+09:00")
    MonthlyReportBuilder(factory=late, month=closed_month, submitted=True)
    day_after = deadline + datetime.timedelta(days=1)
    MonthlyReport.objects.filter(factory=late).update(first_submitted_at=f"{day_after}T00:00:00+09:00")
    client_for(client, carol)

    response = client.get(reverse("reports:completeness"), {"month": closed_month.strftime("%Y-%m")})

    rows = {row.county_name: row for row in response.context["rows"]}
    alpha, beta = rows["Alpha county"], rows["Beta county"]
    assert (alpha.expected, alpha.submitted, alpha.on_time, alpha.approved) == (3, 2, 1, 1)
    assert [str(missing) for missing in alpha.missing_factories] == ["Alpha Paper Mill"]
    assert (beta.expected, beta.submitted, [str(missing) for missing in beta.missing_factories]) == (
        1,
        0,
        ["Beta Garment Factory"],
    )


def test_the_report_page_shows_history_and_events(client, alice, carol, alpha_factory, open_month):
    from factories import services

    report = services.report_save_draft(factory=alpha_factory, month=open_month, data=figures(), user=alice)
    services.report_save_draft(factory=alpha_factory, month=open_month, data={"days_worked": 20}, user=alice)
    report = services.report_submit(report=report, user=alice)
    services.report_return(report=report, user=carol, reason="Check raw material.")
    client_for(client, carol)

    html = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert "Check raw material." in html
    assert "Days worked" in html and ">24<" in html and ">20<" in html


# --- query counts -------------------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def make_submitted(factories, month):
    for factory in factories:
        MonthlyReportBuilder(factory=factory, month=month, submitted=True)


def test_review_queue_query_count_does_not_grow_with_rows(client, carol, alpha_county, open_month):
    factories = [FactoryBuilder(county=alpha_county, kind="other") for _ in range(20)]
    # History for the warnings: one approved month per factory.
    for factory in factories:
        MonthlyReportBuilder(factory=factory, month=add_months(open_month, -1), approved=True)
    make_submitted(factories[:2], open_month)
    client_for(client, carol)
    at_two = count_queries(client, reverse("reports:review_queue"))
    make_submitted(factories[2:], open_month)

    at_twenty = count_queries(client, reverse("reports:review_queue"))

    # Expect 7 queries: session, user, every waiting report's figures (its flag), their medians, the page's
    # reports (with factory, county, submitter), the reviewer's province (header), the county filter.
    assert (at_two, at_twenty) == (7, 7)


def test_report_list_query_count_does_not_grow_with_rows(client, frank, alpha_county, open_month):
    factories = [FactoryBuilder(county=alpha_county, kind="other") for _ in range(20)]
    make_submitted(factories[:2], open_month)
    client_for(client, frank)
    at_two = count_queries(client, reverse("reports:report_list"))
    make_submitted(factories[2:], open_month)

    at_twenty = count_queries(client, reverse("reports:report_list"))

    # Expect 6 queries: session, user, count, page (with factory, county, province), and the filter form's
    # province and county choices.
    assert (at_two, at_twenty) == (6, 6)


def test_this_month_query_count_does_not_grow_with_factories(client, alice, alpha_county, open_month):
    factories = [FactoryBuilder(county=alpha_county, kind="other") for _ in range(20)]
    make_submitted(factories[:2], open_month)
    client_for(client, alice)
    at_two = count_queries(client, reverse("reports:this_month"))
    make_submitted(factories[2:], open_month)

    at_twenty = count_queries(client, reverse("reports:this_month"))

    # Expect 7 queries: session, user, the county (header), factories, their reports, reopened reports, late
    # entries allowed.
    assert (at_two, at_twenty) == (7, 7)


def test_completeness_query_count_does_not_grow_with_counties(client, erin, north_province, closed_month):
    from tests.builders import CountyBuilder

    counties = [CountyBuilder(province=north_province) for _ in range(20)]
    for county in counties[:2]:
        MonthlyReportBuilder(factory=FactoryBuilder(county=county), month=closed_month, approved=True)
    client_for(client, erin)
    at_two = count_queries(client, reverse("reports:completeness"), {"month": closed_month.strftime("%Y-%m")})
    for county in counties[2:]:
        MonthlyReportBuilder(factory=FactoryBuilder(county=county), month=closed_month, approved=True)

    at_twenty = count_queries(client, reverse("reports:completeness"), {"month": closed_month.strftime("%Y-%m")})

    # Expect 8 queries: session, user, provinces for the filter, factories per county, report counts; and
    # the twelve-month grid: its counties, their factories, their report counts per month.
    assert (at_two, at_twenty) == (8, 8)


def test_the_live_check_returns_the_warnings_of_the_figures_typed_so_far_and_saves_nothing(
    client, alice, alpha_factory, open_month
):
    url = reverse("reports:report_entry_check", args=[alpha_factory.code, open_month])
    client = client_for(client, alice)

    above_capacity = client.post(url, {"physical_output": "800", "days_worked": "not a number"})
    plausible = client.post(url, {"physical_output": "95"})

    assert above_capacity.status_code == plausible.status_code == 200
    assert "above the factory&#x27;s design capacity of 500.00 a month" in above_capacity.content.decode()
    assert b'data-testid="warnings"' not in plausible.content
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("bob", 404), ("carol", 403), ("erin", 403)])
def test_only_the_countys_officials_use_the_live_check(client, request, persona, status, alpha_factory, open_month):
    url = reverse("reports:report_entry_check", args=[alpha_factory.code, open_month])

    response = client_for(client, request.getfixturevalue(persona)).post(url, {"physical_output": "800"})

    assert response.status_code == status


def test_completeness_can_show_only_the_counties_with_reports_missing_or_returned(
    client, carol, alice, alpha_factory, beta_factory, closed_month
):
    MonthlyReportBuilder(factory=beta_factory, month=closed_month, approved=True)
    url = reverse("reports:completeness")
    client = client_for(client, carol)

    everything = client.get(url, {"month": f"{closed_month:%Y-%m}"})
    gaps = client.get(url, {"month": f"{closed_month:%Y-%m}", "gaps": "1"})

    assert [row.county_name for row in everything.context["rows"]] == ["Alpha county", "Beta county"]
    assert [row.county_name for row in gaps.context["rows"]] == ["Alpha county"]  # Beta has reported
    # The totals still count the whole province, and the month links keep the filter
    assert gaps.context["totals"] == everything.context["totals"]
    assert "gaps=1" in gaps.content.decode().split('class="month-nav"')[1].split("</nav>")[0]
