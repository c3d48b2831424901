"""The province's review: bulk approval never takes a flagged report unseen, the review page says one thing,
the queue filters and acts on rows, and a flagged figure is shown against the factory's last months."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from factories import selectors, services
from factories.models import MonthlyReport
from factories.selectors import add_months
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for
from tests.reports.test_browser import log_in

pytestmark = pytest.mark.django_db


def with_history(factory, month, value=Decimal("10000"), months=3):
    """`months` approved months of `value` before `month`: the factory's usual month."""
    for back in range(1, months + 1):
        MonthlyReportBuilder(
            factory=factory, month=add_months(month, -back), approved=True, output_value_thousand_won=value
        )


@pytest.fixture
def queue(alpha_county, beta_county, open_month):
    """Two plausible reports and one flagged as unusual (40,000 against a usual 10,000), all submitted."""
    capacity = Decimal(6000)  # 500 a month: the builders' 100 is well within it
    plain_one = FactoryBuilder(
        county=alpha_county, name="Alpha Daily Necessities Factory No. 2", kind="other", design_capacity=capacity
    )
    plain_two = FactoryBuilder(
        county=beta_county, name="Beta Garment Factory", kind="garment", design_capacity=capacity
    )
    unusual = FactoryBuilder(county=alpha_county, name="Alpha Foodstuff Factory", design_capacity=capacity)
    for factory in (plain_one, plain_two, unusual):
        with_history(factory, open_month)
    return {
        "plain_one": MonthlyReportBuilder(factory=plain_one, month=open_month, submitted=True),
        "plain_two": MonthlyReportBuilder(factory=plain_two, month=open_month, submitted=True),
        "flagged": MonthlyReportBuilder(
            factory=unusual, month=open_month, submitted=True, output_value_thousand_won=Decimal("40000")
        ),
    }


def status_of(report) -> str:
    return MonthlyReport.objects.get(pk=report.pk).status


# --- bulk approval -------------------------------------------------------------------------------------


def test_bulk_approval_holding_an_unacknowledged_flagged_report_approves_nothing(carol, queue):
    with pytest.raises(Exception) as refusal:
        services.reports_approve_bulk(reports=MonthlyReport.objects.filter(status="submitted"), user=carol)

    assert "Alpha Foodstuff Factory" in str(refusal.value)
    assert {status_of(report) for report in queue.values()} == {"submitted"}


def test_bulk_approval_takes_a_flagged_report_acknowledged_on_its_row(carol, queue):
    count = services.reports_approve_bulk(
        reports=MonthlyReport.objects.filter(status="submitted"), user=carol, acknowledged_ids=[queue["flagged"].pk]
    )

    assert count == 3
    assert {status_of(report) for report in queue.values()} == {"approved"}


def test_a_forged_bulk_approval_of_a_flagged_report_is_refused_with_a_message(client, carol, queue):
    client_for(client, carol)

    response = client.post(
        reverse("reports:review_bulk_approve"),
        {"report": [queue["plain_one"].pk, queue["flagged"].pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Nothing was approved" in response.text
    assert status_of(queue["plain_one"]) == "submitted"
    assert status_of(queue["flagged"]) == "submitted"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_select_all_without_warnings_leaves_the_flagged_report_out(live_server, page, carol, queue):
    # Given Carol's queue holds two plausible reports and one flagged as unusual
    log_in(page, live_server, "carol")
    page.goto(f"{live_server.url}{reverse('reports:review_queue')}")
    page.on("dialog", lambda dialog: dialog.accept())

    # When she ticks "select all reports without warnings" and approves the selection
    page.get_by_label("Select all reports without warnings").check()
    flagged_row = page.get_by_test_id(f"queue-row-{queue['flagged'].pk}")
    expect(flagged_row.get_by_label("I have read the warnings")).not_to_be_checked()
    page.get_by_role("button", name="Approve selected").click()

    # Then only the two plausible reports are approved; the flagged one waits, alone in the queue
    expect(page.locator(".messages")).to_contain_text("2 reports approved.")
    assert status_of(queue["plain_one"]) == status_of(queue["plain_two"]) == "approved"
    assert status_of(queue["flagged"]) == "submitted"
    expect(page.locator(".queue-table tbody tr")).to_have_count(1)

    # When she acknowledges its warnings on its row and approves
    page.get_by_test_id(f"queue-row-{queue['flagged'].pk}").get_by_label("I have read the warnings").check()
    page.get_by_role("button", name="Approve selected").click()

    # Then it is approved too
    expect(page.locator(".messages")).to_contain_text("1 reports approved.")
    assert status_of(queue["flagged"]) == "approved"


# --- the review page ------------------------------------------------------------------------------------


def test_a_flagged_report_is_never_called_plausible_and_shows_its_factorys_last_months(client, carol, queue):
    client_for(client, carol)

    response = client.get(reverse("reports:report_detail", args=[queue["flagged"].pk]))

    assert "Flagged as unusual" in response.text
    assert "complete and plausible" not in response.text
    assert "Approve despite the warnings" in response.text
    history = response.context["figure_history"]
    assert [month.output_value_thousand_won for month in history.months] == [Decimal("10000")] * 3
    assert history.median_output == Decimal("10000")
    assert 'data-testid="figure-history"' in response.text


def test_the_queue_measures_a_report_against_the_same_twelve_months_as_its_review_page(
    client, carol, alpha_county, beta_county, open_month
):
    # Given a factory whose only approved months are two years old, and its report of this month (40,000)
    capacity = Decimal(6000)
    lapsed = FactoryBuilder(county=alpha_county, name="Alpha Lapsed Factory", design_capacity=capacity)
    with_history(lapsed, add_months(open_month, -24))
    current = MonthlyReportBuilder(
        factory=lapsed, month=open_month, submitted=True, output_value_thousand_won=Decimal("40000")
    )
    # And in the same queue a report of two years ago, of another factory
    other = FactoryBuilder(county=beta_county, name="Beta Old Factory", design_capacity=capacity)
    MonthlyReportBuilder(factory=other, month=add_months(open_month, -25), submitted=True)
    client_for(client, carol)

    # When Carol opens the queue and the report's review page
    queue_page = client.get(reverse("reports:review_queue"))
    review_page = client.get(reverse("reports:report_detail", args=[current.pk]))

    # Then neither flags it: its factory approved no month in the twelve before it (the queue once measured it
    # against every month since the oldest report waiting, here the two-year-old ones)
    row = next(row for row in queue_page.context["rows"] if row.report.pk == current.pk)
    assert row.warnings == []
    assert row.warnings == selectors.report_warnings(report=current)
    assert "Flagged as unusual" not in review_page.text


def test_a_plausible_report_says_so_and_shows_no_warning(client, carol, queue):
    client_for(client, carol)

    response = client.get(reverse("reports:report_detail", args=[queue["plain_one"].pk]))

    assert "The figures are complete and plausible." in response.text
    assert "Flagged as unusual" not in response.text


def test_the_review_page_links_to_the_next_report_in_the_queue(client, carol, queue):
    client_for(client, carol)
    order = list(selectors.review_queue(user=carol))

    first = client.get(reverse("reports:report_detail", args=[order[0].pk]))
    last = client.get(reverse("reports:report_detail", args=[order[-1].pk]))

    assert first.context["next_report"] == order[1]
    assert last.context["next_report"] == order[0]  # after the last, back to the oldest still waiting


def test_ready_made_return_reasons_fit_the_figures(client, carol, alpha_county, open_month):
    factory = FactoryBuilder(county=alpha_county, design_capacity=Decimal(1200))
    report = MonthlyReportBuilder(
        factory=factory,
        month=open_month,
        submitted=True,
        physical_output=Decimal("150"),  # a month's capacity is 100
        raw_material_from_own_bases_tonnes=Decimal("0"),
    )
    client_for(client, carol)

    reasons = client.get(reverse("reports:report_detail", args=[report.pk])).context["return_reasons"]

    assert reasons[0].startswith("Raw material from own bases is 0 t of the 80.00 t used")
    assert reasons[1].startswith("Physical output 150.00 is above the design capacity of 100.00 a month")
    assert not any("Output value" in reason for reason in reasons)  # no history, no claim about it


def test_own_bases_are_never_called_missing_when_they_delivered(carol, alpha_county, open_month):
    report = MonthlyReportBuilder(
        factory=FactoryBuilder(county=alpha_county),
        month=open_month,
        raw_material_from_own_bases_tonnes=Decimal("163.38"),
        raw_material_used_tonnes=Decimal("200"),
    )

    assert selectors.figure_problems(report, median_output=None, monthly_capacity=None) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_ready_made_reason_is_edited_and_the_report_returned_from_its_queue_row(live_server, page, carol, queue):
    # Given Carol opens the Return box on the flagged report's row
    log_in(page, live_server, "carol")
    page.goto(f"{live_server.url}{reverse('reports:review_queue')}?kind=foodstuff")
    row = page.get_by_test_id(f"queue-row-{queue['flagged'].pk}")
    row.locator("summary", has_text="Return").click()

    # When she starts from the ready-made reason about the output value, adds a sentence and returns it
    row.locator("button.chip", has_text="Output value").click()
    reason = row.get_by_label("Reason (the county sees it)")
    expect(reason).to_have_value(
        "Output value 40,000.00 is more than 3 times the factory's usual month (median 10,000.00); "
        "check the figure and the unit price, or explain it in the comment."
    )
    reason.press("End")
    reason.type(" Was it 4,000?")
    row.get_by_role("button", name="Return for correction").click()

    # Then she is back on the filtered queue and the county has her edited reason
    expect(page.locator(".messages")).to_contain_text("Report returned")
    assert page.url.endswith("?kind=foodstuff")
    returned = MonthlyReport.objects.get(pk=queue["flagged"].pk)
    assert returned.status == "returned"
    assert returned.return_reason.endswith("explain it in the comment. Was it 4,000?")


def test_a_plausible_report_is_approved_from_its_queue_row_and_the_filters_stay(client, carol, queue):
    client_for(client, carol)
    queue_url = f"{reverse('reports:review_queue')}?kind=other"

    response = client.post(
        reverse("reports:report_approve", args=[queue["plain_one"].pk]),
        {"version": queue["plain_one"].version, "next": queue_url},
    )

    assert response.status_code == 302 and response.url == queue_url
    assert status_of(queue["plain_one"]) == "approved"


def test_a_review_action_never_redirects_off_the_site(client, carol, queue):
    client_for(client, carol)

    response = client.post(
        reverse("reports:report_approve", args=[queue["plain_one"].pk]),
        {"version": queue["plain_one"].version, "next": "https://evil.example/reports/review/"},
    )

    assert response.url == reverse("reports:review_queue")


# --- filters and query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"flagged": "yes"}, ["flagged"]),
        ({"flagged": "no"}, ["plain_one", "plain_two"]),
        ({"county": "kp-northland-beta"}, ["plain_two"]),
        ({"kind": "foodstuff"}, ["flagged"]),
        ({"kind": "other", "flagged": "yes"}, []),
    ],
)
def test_the_queue_filters_by_county_kind_month_and_warnings(client, carol, queue, query, expected):
    client_for(client, carol)

    response = client.get(reverse("reports:review_queue"), query)

    shown = {row.report.pk for row in response.context["rows"]}
    assert shown == {queue[name].pk for name in expected}


def test_the_queue_filters_by_month(client, carol, queue, alpha_county, open_month):
    earlier = MonthlyReportBuilder(
        factory=FactoryBuilder(county=alpha_county), month=add_months(open_month, -1), submitted=True
    )
    client_for(client, carol)

    response = client.get(reverse("reports:review_queue"), {"month": f"{earlier.month:%Y-%m}"})

    assert [row.report.pk for row in response.context["rows"]] == [earlier.pk]


def test_a_bad_filter_value_is_explained_not_a_500(client, carol, queue):
    client_for(client, carol)

    response = client.get(reverse("reports:review_queue"), {"month": "2025-13", "county": "nowhere"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_filtered_queue_query_count_does_not_grow_with_rows(client, carol, alpha_county, open_month):
    factories = [FactoryBuilder(county=alpha_county, kind="other", design_capacity=6000) for _ in range(20)]
    for factory in factories:
        with_history(factory, open_month, months=2)
    for factory in factories[:2]:
        MonthlyReportBuilder(factory=factory, month=open_month, submitted=True, output_value_thousand_won=40000)
    client_for(client, carol)
    url = f"{reverse('reports:review_queue')}?kind=other&flagged=yes&month={open_month:%Y-%m}"
    at_two = count_queries(client, url)
    for factory in factories[2:]:
        MonthlyReportBuilder(factory=factory, month=open_month, submitted=True, output_value_thousand_won=40000)

    at_twenty = count_queries(client, url)

    # Expect 7 queries: session, user, every waiting report's figures (its flag), their factories' approved
    # history, the page's reports (with factories, counties, submitters), the reviewer's province (header),
    # the county filter's choices.
    assert (at_two, at_twenty) == (7, 7)


def test_a_queue_longer_than_a_page_costs_the_same_queries_and_counts_every_flag(
    client, carol, alpha_county, beta_county, open_month
):
    # Given a queue of 2 reports, one flagged
    factories = [FactoryBuilder(county=alpha_county, design_capacity=6000) for _ in range(60)]
    for factory in factories:
        with_history(factory, open_month, months=1)

    def waiting(factory, index):
        value = 40000 if index % 4 == 0 else 10000  # every fourth is 4 times its usual month
        return MonthlyReportBuilder(factory=factory, month=open_month, submitted=True, output_value_thousand_won=value)

    for index, factory in enumerate(factories[:2]):
        waiting(factory, index)
    client_for(client, carol)
    at_two = count_queries(client, reverse("reports:review_queue"))

    # When 58 more wait, more than a page (50)
    for index, factory in enumerate(factories[2:], start=2):
        waiting(factory, index)
    at_sixty = count_queries(client, reverse("reports:review_queue"))
    first_page = client.get(reverse("reports:review_queue"))
    second_page = client.get(reverse("reports:review_queue"), {"page": 2})
    only_flagged = client.get(reverse("reports:review_queue"), {"flagged": "yes"})

    # Then the page costs the same queries, shows 50 rows then 10, and counts the flags of the whole queue
    assert at_two == at_sixty == 7
    assert len(first_page.context["rows"]) == 50 and len(second_page.context["rows"]) == 10
    assert first_page.context["flagged_count"] == 15
    assert "60 reports of" in first_page.text and "15 flagged as unusual" in first_page.text
    assert len(only_flagged.context["rows"]) == 15
    assert all(row.is_flagged for row in only_flagged.context["rows"])
    # And every row is in queue order (oldest submission first), whichever page it is on
    shown = [row.report.pk for row in first_page.context["rows"] + second_page.context["rows"]]
    assert shown == [report.pk for report in selectors.review_queue(user=carol)]


def test_the_queue_flags_exactly_the_reports_their_own_review_page_flags(
    client, carol, alpha_county, beta_county, open_month
):
    # Given waiting reports against a usual month of 10,000 (three approved months) and a capacity of 100 a
    # month: far above, far below, just inside either limit, over capacity, at capacity, without history
    capacity = Decimal(1200)
    cases = {
        "four times": {"output_value_thousand_won": Decimal("40000")},
        "exactly three times": {"output_value_thousand_won": Decimal("30000")},
        "just over three times": {"output_value_thousand_won": Decimal("30000.01")},
        "a quarter": {"output_value_thousand_won": Decimal("2500")},
        "exactly a third": {"output_value_thousand_won": Decimal("3333.34")},
        "over capacity": {"physical_output": Decimal("100.01")},
        "at capacity": {"physical_output": Decimal("100")},
        "usual": {},
    }
    reports = {}
    for index, (name, figures) in enumerate(cases.items()):
        factory = FactoryBuilder(county=alpha_county if index % 2 else beta_county, design_capacity=capacity)
        with_history(factory, open_month)
        reports[name] = MonthlyReportBuilder(factory=factory, month=open_month, submitted=True, **figures)
    newcomer = FactoryBuilder(county=alpha_county, design_capacity=None)
    reports["without history or capacity"] = MonthlyReportBuilder(
        factory=newcomer, month=open_month, submitted=True, output_value_thousand_won=Decimal("99999")
    )
    # a median of an even count of months: 10,000 and 20,000 give 15,000, and 45,000.03 is just over 3 times
    even = FactoryBuilder(county=beta_county, design_capacity=capacity)
    with_history(even, open_month, months=1)
    MonthlyReportBuilder(factory=even, month=add_months(open_month, -2), approved=True, output_value_thousand_won=20000)
    reports["over three times an even median"] = MonthlyReportBuilder(
        factory=even, month=open_month, submitted=True, output_value_thousand_won=Decimal("45000.03")
    )
    client_for(client, carol)

    # When Carol opens the queue, its flagged-only view, and each report's review page
    queue_page = client.get(reverse("reports:review_queue"))
    flagged_only = client.get(reverse("reports:review_queue"), {"flagged": "yes"})

    # Then the queue flags a report exactly when its review page (and bulk approval) does, with the same words
    rows = {row.report.pk: row for row in queue_page.context["rows"]}
    flagged_on_queue = {name for name, report in reports.items() if rows[report.pk].is_flagged}
    for name, report in reports.items():
        review_page = client.get(reverse("reports:report_detail", args=[report.pk]))
        assert rows[report.pk].warnings == selectors.report_warnings(report=report), name
        assert ("Flagged as unusual" in review_page.text) == (name in flagged_on_queue), name
    bulk_flags = selectors.warnings_for_reports(list(selectors.review_queue(user=carol)))
    assert {name for name, report in reports.items() if bulk_flags[report.pk]} == flagged_on_queue
    assert flagged_on_queue == {
        "four times",
        "just over three times",
        "a quarter",
        "over capacity",
        "over three times an even median",
    }
    assert {row.report.pk for row in flagged_only.context["rows"]} == {reports[name].pk for name in flagged_on_queue}
    assert queue_page.context["flagged_count"] == len(flagged_on_queue)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_review_pages_fit_a_phone_without_sideways_scrolling(live_server, browser, carol, queue, language):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "carol")
    flagged = reverse("reports:report_detail", args=[queue["flagged"].pk])

    for url in ("/", reverse("reports:review_queue"), flagged, reverse("reports:completeness")):
        page.goto(f"{live_server.url}{url}")

        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    # The queue's row actions are on screen, not hidden to the right of the table's own scroll box.
    page.goto(f"{live_server.url}{reverse('reports:review_queue')}")
    approve = page.get_by_test_id(f"queue-row-{queue['plain_one'].pk}").locator(".row-actions button").first
    box = approve.bounding_box()
    assert box["x"] + box["width"] <= 390
    context.close()


def test_a_rows_return_box_is_loaded_when_opened_with_reasons_for_that_report(client, carol, queue):
    client_for(client, carol)
    queue_url = f"{reverse('reports:review_queue')}?kind=foodstuff"

    page = client.get(queue_url)
    box = client.get(reverse("reports:review_return_form", args=[queue["flagged"].pk]), {"next": queue_url})
    off_site = client.get(
        reverse("reports:review_return_form", args=[queue["flagged"].pk]), {"next": "https://evil.example/"}
    )

    # The queue carries no return form of its own: each row's box loads its form when opened
    assert 'name="return-reason"' not in page.text
    assert reverse("reports:review_return_form", args=[queue["flagged"].pk]) in page.text
    assert box.status_code == 200
    assert f'action="{reverse("reports:report_return", args=[queue["flagged"].pk])}"' in box.text
    assert "more than 3 times the factory&#x27;s usual month (median 10,000.00)" in box.text
    assert f'name="next" value="{queue_url}"' in box.text
    assert f'name="next" value="{reverse("reports:review_queue")}"' in off_site.text
