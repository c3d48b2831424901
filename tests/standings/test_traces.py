"""Traces: every figure of a v1.1 run can be redone by hand from its trace page, to the cent."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from factories.models import MonthlyReport
from standings.computation import round_half_up
from standings.models import Indicator
from standings.selectors import figure_trace
from standings.services import standings_recompute
from tests.builders import CountyBuilder
from tests.conftest import client_for
from tests.standings.data import operating_factory, plan, reports

D = Decimal


def trace_url(run, county_slug: str, target: str) -> str:
    return reverse("standings:trace", args=[run.pk, county_slug, target])


@pytest.fixture
def traced_year(alpha_county, beta_county, gamma_county):
    """Three counties with two factories each, 2024 and 2025 recorded with history; a zero plan, a valid split, a
    late month and a missing month among them; the run's cut-off is now (after every 2025 deadline)."""
    figures = {
        alpha_county: ("12000", "18", "60"),
        beta_county: ("9500", "15", "40"),
        gamma_county: ("10700", "12", "75"),
    }
    for number, (county, (output, varieties, own)) in enumerate(figures.items()):
        first = operating_factory(county)
        plan(first, annual_value="120000", varieties=20)
        reports(first, output=output, varieties=int(varieties), own=own, late_months=(3,), with_history=True)
        reports(first, year=2024, months=range(1, 12), output="10000", with_history=True)
        second = operating_factory(county)
        if number == 0:
            plan(second, annual_value="0", varieties=0)
        else:
            plan(
                second, annual_value="60000", monthly={m: ("0" if m == 2 else "6000") for m in range(1, 12)} | {12: "0"}
            )
        reports(
            second,
            months=[m for m in range(1, 13) if m != 5 + number],
            output="4100",
            own="10",
            used="50",
            with_history=True,
        )
    return standings_recompute(year=2025, cutoff_at=timezone.now()).run


def redo_composite(traces: dict) -> Decimal:
    """What a reader does with the five trace pages: ratio from the sums, score from the goalposts, composite."""
    weights, scores = {}, {}
    for indicator, trace in traces.items():
        if trace.denominator:
            ratio = trace.numerator / trace.denominator - (1 if indicator == Indicator.GROWTH else 0)
            low, high = trace.goalpost_min, trace.goalpost_max
            score = D(100) if high == low else round_half_up((ratio - low) * 100 / (high - low), 2)
            assert score == trace.score, indicator
            scores[indicator] = score
            weights[indicator] = trace.weight
    total = sum(Fraction(weights[i]) * Fraction(scores[i]) for i in scores) / sum(Fraction(weights[i]) for i in scores)
    return round_half_up(total, 2)


@pytest.mark.django_db
def test_a_published_runs_composite_is_redone_from_its_traces_alone_to_the_cent(traced_year, erin):
    for standing in traced_year.county_standings.select_related("county"):
        traces = {
            indicator: figure_trace(
                user=erin, run_id=traced_year.pk, county_slug=standing.county.slug, target=indicator
            )
            for indicator in Indicator.values
        }
        # The composite, from nothing but what the traces show
        assert redo_composite(traces) == standing.composite
        # and each trace's rows add up to the sums the run used
        for indicator, trace in traces.items():
            assert trace.rows_visible and trace.rows_not_recorded == 0
            assert Fraction(trace.included_numerator) == (trace.numerator or 0), indicator
            assert Fraction(trace.included_denominator) == (trace.denominator or 0), indicator


@pytest.mark.django_db
def test_the_trace_shows_the_reports_as_they_stood_at_the_cutoff_not_as_they_are_today(traced_year, erin, alpha_county):
    # Given a report changed after the run (recorded in its history)
    report = MonthlyReport.objects.get(
        factory__county=alpha_county,
        factory__annual_plans__planned_output_value_thousand_won=120000,
        month__year=2025,
        month__month=4,
    )
    report.output_value_thousand_won = D("99999")
    report.save()

    trace = figure_trace(user=erin, run_id=traced_year.pk, county_slug=alpha_county.slug, target="plan_fulfilment")

    april = [row for row in trace.rows if row.month == report.month and row.numerator != D("4100")]
    assert [row.numerator for row in april] == [D("12000.00")]
    assert Fraction(trace.included_numerator) == trace.numerator


@pytest.mark.django_db
def test_the_trace_page_walks_from_the_sums_to_the_score(client, traced_year, erin, alpha_county):
    url = reverse("standings:trace", args=[traced_year.pk, alpha_county.slug, "plan_fulfilment"])

    html = client_for(client, erin).get(url).content.decode()

    standing = traced_year.county_standings.get(county=alpha_county)
    # Alpha: the zero-plan factory is out of both sums: 12 × 12,000 over 12 × 10,000
    assert standing.sums["plan_fulfilment"] == {"numerator": "144000", "denominator": "120000"}
    assert 'data-figure="numerator">144000<' in html
    assert 'data-figure="ratio">1.200000000<' in html
    assert f"<strong>{standing.score_plan_fulfilment}</strong>" in html
    assert "zero plan: left out of both sums" in html
    composite = client_for(client, erin).get(
        reverse("standings:trace", args=[traced_year.pk, alpha_county.slug, "composite"])
    )
    assert f"<strong>{standing.composite}</strong>" in composite.content.decode()


@pytest.mark.django_db
def test_a_county_official_sees_another_countys_sums_but_not_its_reports(client, traced_year, alice, beta_county):
    # Alice (Alpha's official) follows a figure of Beta
    response = client_for(client, alice).get(
        reverse("standings:trace", args=[traced_year.pk, beta_county.slug, "local_raw_materials"])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" not in html
    assert 'data-figure="numerator">' in html
    assert "outside your reporting scope" in html
    assert 'id="trace-rows"' not in html
    # Her own county's trace lists its reports
    own = client_for(client, alice).get(
        reverse("standings:trace", args=[traced_year.pk, "kp-northland-alpha", "local_raw_materials"])
    )
    assert 'id="trace-rows"' in own.content.decode()


@pytest.mark.django_db
def test_an_unknown_figure_or_county_is_not_found(client, traced_year, erin):
    client = client_for(client, erin)
    assert (
        client.get(reverse("standings:trace", args=[traced_year.pk, "kp-northland-alpha", "happiness"])).status_code
        == 404
    )
    assert client.get(reverse("standings:trace", args=[traced_year.pk, "kp-nowhere", "composite"])).status_code == 404
    CountyBuilder(slug="kp-unlisted")
    assert (
        client.get(reverse("standings:trace", args=[traced_year.pk + 1, "kp-northland-alpha", "composite"])).status_code
        == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize("factory_count", [2, 20])
def test_a_trace_costs_the_same_number_of_queries_for_2_and_20_factories(
    client, erin, alpha_county, django_assert_num_queries, factory_count
):
    for _number in range(factory_count):
        factory = operating_factory(alpha_county)
        plan(factory, monthly=dict.fromkeys(range(1, 13), "10000"))
        reports(factory, with_history=True)
        reports(factory, year=2024, with_history=True)
    run = standings_recompute(year=2025, cutoff_at=timezone.now()).run
    client_for(client, erin)

    for target in ("plan_fulfilment", "growth", "reporting_discipline"):
        url = trace_url(run, alpha_county.slug, target)
        # Expect 9 queries: session, user, the standing (with run, methodology, county, province), whether the
        # county's reports are in scope, its factories, their reports' history up to the cut-off, reports recorded
        # without history, the annual plans and their monthly splits; none per factory-month.
        with django_assert_num_queries(9, info=target):
            response = client.get(url)
        assert response.content.decode().count("<td>2025-") == 12 * factory_count
