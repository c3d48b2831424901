"""Methodology v1.1 on a hand-made dataset whose standings are worked out by hand below."""

import datetime
from decimal import Decimal

import pytest

from factories.models import MonthlyReport
from regional.models import County
from standings.models import CountyStanding, NotRankedReason, StandingsRun
from standings.services import RecomputeOutcome, methodology_create, standings_recompute
from tests.builders import CountyBuilder
from tests.standings.data import CUTOFF, operating_factory, plan, reports

D = Decimal


@pytest.fixture
def hand_made_year(alpha_county, beta_county, gamma_county, north_province, south_province):
    """Five counties with one factory each, 2025 plan 120,000 (10,000 a month), 20 planned varieties.

    Alpha   12 approved months at 12,000; best month 18 varieties; 60 of 80 t own; 2024 at 10,000; Oct-Dec late.
    Beta    9 approved months (Jan-Sep) at 9,000, Oct-Dec only submitted; 20 varieties; 40 of 80 t own;
            2024 at 9,000.
    Gamma   12 approved months at 10,500 with only January's plan split entered (21,000): a split that does not
            cover the twelve months is treated as absent; 16 varieties; 80 of 80 t own;
            no 2024 reports (growth missing); Jul-Dec late.
    Delta   exactly Alpha's figures (a tie), in the other province.
    Epsilon 8 approved months only.
    Zeta    no factory.  A ward with a factory is not listed at all.
    """
    delta = CountyBuilder(slug="kp-southland-delta", name_en="Delta", province=south_province)
    epsilon = CountyBuilder(slug="kp-northland-epsilon", name_en="Epsilon", province=north_province)
    CountyBuilder(slug="kp-northland-zeta", name_en="Zeta", province=north_province)
    ward = CountyBuilder(slug="kp-northland-ward", name_en="Ward", province=north_province, kind=County.Kind.WARD)

    for county in (alpha_county, delta):
        factory = operating_factory(county)
        plan(factory)
        reports(factory, output="12000", varieties=18, own="60", used="80", late_months=(10, 11, 12))
        reports(factory, year=2024, output="10000")
    beta = operating_factory(beta_county)
    plan(beta)
    reports(beta, months=range(1, 10), output="9000", varieties=20, own="40", used="80")
    reports(beta, months=range(10, 13), output="9000", status=MonthlyReport.Status.SUBMITTED)
    reports(beta, year=2024, output="9000")
    gamma = operating_factory(gamma_county)
    plan(gamma, monthly={1: "21000"})
    reports(gamma, output="10500", varieties=16, own="80", used="80", late_months=range(7, 13))
    epsilon_factory = operating_factory(epsilon)
    plan(epsilon_factory)
    reports(epsilon_factory, months=range(1, 9))
    ward_factory = operating_factory(ward)
    reports(ward_factory)
    return {"delta": delta, "epsilon": epsilon}


def standings_by_slug(run: StandingsRun) -> dict[str, CountyStanding]:
    return {standing.county.slug: standing for standing in run.county_standings.select_related("county")}


@pytest.mark.django_db
def test_every_indicator_score_composite_and_rank_matches_the_hand_calculation(hand_made_year):
    # Given the hand-made year, when 2025 is computed at a cut-off after every 2025 deadline
    outcome = standings_recompute(year=2025, cutoff_at=CUTOFF)

    # Then the run is published with the methodology's weights, and every figure is the hand-worked one
    assert outcome.status == RecomputeOutcome.PUBLISHED
    run = outcome.run
    assert run.weights["plan_fulfilment"] == "35.00"
    assert (run.ranked_count, run.listed_count) == (4, 6)
    by_slug = standings_by_slug(run)
    alpha, beta = by_slug["kp-northland-alpha"], by_slug["kp-northland-beta"]
    gamma, delta = by_slug["kp-southland-gamma"], by_slug["kp-southland-delta"]

    # Raw indicators. Alpha: 144,000/120,000; 144,000/120,000 − 1; 18/20; 60/80; 9 on time of 12.
    assert (alpha.plan_fulfilment, alpha.growth, alpha.product_range) == (D("1.2"), D("0.2"), D("0.9"))
    assert (alpha.local_raw_materials, alpha.reporting_discipline) == (D("0.75"), D("0.75"))
    # Beta: 81,000/90,000 over its 9 approved months; growth over the 9 months approved in both years = 0;
    # 20/20; 40/80; 9 approved on time of 12 operating factory-months.
    assert (beta.plan_fulfilment, beta.growth, beta.product_range) == (D("0.9"), D("0"), D("1"))
    assert (beta.local_raw_materials, beta.reporting_discipline) == (D("0.5"), D("0.75"))
    assert (beta.operating_months, beta.counted_months) == (12, 9)
    # Gamma: its one-month split is absent, so 126,000 / 120,000 = 1.05; no 2024 → growth missing.
    assert (gamma.plan_fulfilment, gamma.growth, gamma.product_range) == (D("1.05"), None, D("0.8"))
    assert (gamma.local_raw_materials, gamma.reporting_discipline) == (D("1"), D("0.5"))

    # Goalposts over the four ranked counties. Plan: 0.9 → 0, 1.2 → 100, Gamma (0.15/0.3) → 50.
    assert [alpha.score_plan_fulfilment, beta.score_plan_fulfilment, gamma.score_plan_fulfilment] == [
        D("100.00"),
        D("0.00"),
        D("50.00"),
    ]
    assert run.goalposts["plan_fulfilment"] == {"min": "0.9", "max": "1.2"}
    assert [alpha.score_growth, beta.score_growth, gamma.score_growth] == [D("100.00"), D("0.00"), None]
    assert [alpha.score_product_range, beta.score_product_range, gamma.score_product_range] == [
        D("50.00"),
        D("100.00"),
        D("0.00"),
    ]
    assert [alpha.score_local_raw_materials, beta.score_local_raw_materials, gamma.score_local_raw_materials] == [
        D("50.00"),
        D("0.00"),
        D("100.00"),
    ]
    assert [alpha.score_reporting_discipline, beta.score_reporting_discipline, gamma.score_reporting_discipline] == [
        D("100.00"),
        D("100.00"),
        D("0.00"),
    ]

    # Composite. Alpha: (35·100 + 20·100 + 15·50 + 15·50 + 15·100) / 100 = 85.00; Beta: (15·100 + 15·100)/100
    # = 30.00; Gamma without growth, weights rescaled over 80: (35·50 + 15·100) / 80 = 40.625 → 40.63 (half-up).
    assert (alpha.composite, beta.composite, gamma.composite, delta.composite) == (
        D("85.00"),
        D("30.00"),
        D("40.63"),
        D("85.00"),
    )
    # The tie shares rank 1 and the next county is third; each leads its province.
    assert [(s.rank, s.province_rank) for s in (alpha, delta, beta, gamma)] == [(1, 1), (1, 1), (4, 2), (3, 2)]
    assert run.notes == [
        {"county": "kp-southland-gamma", "missing": ["growth"], "note": "weights rescaled over the indicators present"}
    ]
    assert gamma.missing_indicators == ["growth"]
    assert {key: round(value, 4) for key, value in gamma.contributions().items()} == {
        "plan_fulfilment": D("21.875"),
        "product_range": D("0"),
        "local_raw_materials": D("18.75"),
        "reporting_discipline": D("0"),
    }


@pytest.mark.django_db
def test_a_county_below_nine_approved_months_is_listed_as_not_ranked_with_its_reason(hand_made_year):
    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    by_slug = standings_by_slug(run)

    epsilon = by_slug["kp-northland-epsilon"]
    assert (epsilon.is_ranked, epsilon.rank, epsilon.composite) == (False, None, None)
    assert epsilon.not_ranked_reason == NotRankedReason.TOO_FEW_COUNTED_MONTHS
    assert epsilon.not_ranked_explanation == "8 of 12 operating months fully approved; 9 needed"
    # Its raw figures are still shown; it does not move anyone's goalposts.
    assert epsilon.plan_fulfilment == D("1")
    zeta = by_slug["kp-northland-zeta"]
    assert (zeta.is_ranked, zeta.not_ranked_reason) == (False, NotRankedReason.NO_OPERATING_MONTHS)
    assert "kp-northland-ward" not in by_slug


@pytest.mark.django_db
def test_a_month_counts_only_when_every_factory_in_operation_that_month_has_an_approved_report(alpha_county):
    # Given a factory all year and a second one commissioned on 15 July (in operation from July)
    first = operating_factory(alpha_county)
    second = operating_factory(alpha_county, commissioned_on=datetime.date(2025, 7, 15))
    reports(first)
    # and the second factory approved for July to November only
    reports(second, months=range(7, 12))

    standing = standings_recompute(year=2025, cutoff_at=CUTOFF).run.county_standings.get()

    # Then December is operating but not counted: 11 of 12; 17 of 18 factory-months approved on time
    assert (standing.operating_months, standing.counted_months) == (12, 11)
    assert standing.reporting_discipline == D("0.944444")
    assert standing.is_ranked is True


@pytest.mark.django_db
def test_only_reports_approved_by_the_cutoff_and_months_closed_by_it_are_used(alpha_county):
    factory = operating_factory(alpha_county)
    plan(factory)
    reports(factory, months=range(1, 10), output="10000")
    late_approval = datetime.datetime(2025, 12, 20, tzinfo=CUTOFF.tzinfo)
    reports(factory, months=range(10, 12), output="40000", approved_at=late_approval)

    # At 15 December 2025 October's deadline (10 November) has passed, November's (10 December) too;
    # December is still open; the October and November reports were approved only on 20 December.
    standing = standings_recompute(
        year=2025, cutoff_at=datetime.datetime(2025, 12, 15, tzinfo=CUTOFF.tzinfo)
    ).run.county_standings.get()

    assert (standing.operating_months, standing.counted_months) == (11, 9)
    assert standing.plan_fulfilment == D("1")


@pytest.mark.django_db
def test_recomputing_unchanged_inputs_publishes_nothing_and_says_so(hand_made_year):
    first = standings_recompute(year=2025, cutoff_at=CUTOFF)

    second = standings_recompute(year=2025, cutoff_at=CUTOFF + datetime.timedelta(days=1))

    assert second.status == RecomputeOutcome.UNCHANGED
    assert second.run == first.run
    assert "nothing changed since run" in second.message
    assert StandingsRun.objects.filter(year=2025).count() == 1


@pytest.mark.django_db
def test_a_changed_report_publishes_a_new_run_with_rank_changes_against_the_previous_one(hand_made_year):
    first = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    # Gamma's plan fulfilment jumps above Alpha's and Delta's
    MonthlyReport.objects.filter(factory__county__slug="kp-southland-gamma", month__month=3).update(
        output_value_thousand_won=D("100000")
    )

    second = standings_recompute(year=2025, cutoff_at=CUTOFF).run

    assert second.previous_run == first
    assert second.inputs_hash != first.inputs_hash
    by_slug = standings_by_slug(second)
    gamma = by_slug["kp-southland-gamma"]
    # Gamma 215,500 / 120,000 sets the plan's top goalpost: (35·100 + 15·100) / 80 = 62.50, above Alpha's
    # (35·33.49 + 20·100 + 15·50 + 15·50 + 15·100) / 100 = 61.7215 → 61.72
    assert (gamma.composite, by_slug["kp-northland-alpha"].composite) == (D("62.50"), D("61.72"))
    assert (gamma.previous_rank, gamma.rank, gamma.rank_change) == (3, 1, 2)
    # The first run's figures are untouched
    assert standings_by_slug(first)["kp-southland-gamma"].rank == 3


@pytest.mark.django_db
def test_a_new_methodology_version_is_used_by_the_next_run_and_earlier_runs_keep_theirs(hand_made_year, frank):
    first = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    methodology = methodology_create(
        weights={
            "plan_fulfilment": D(100),
            "growth": D(0),
            "product_range": D(0),
            "local_raw_materials": D(0),
            "reporting_discipline": D(0),
        },
        minimum_counted_share=D("0.5"),
        created_by=frank,
    )

    second = standings_recompute(year=2025, cutoff_at=CUTOFF).run

    # Version 1 (v1 rules) and 2 (v1.1) come with the database; the new weights are version 3, still v1.1.
    assert (methodology.version, second.methodology, second.weights["plan_fulfilment"]) == (3, methodology, "100.00")
    assert (first.methodology.label, second.methodology.label) == ("v1.1", "v1.1")
    by_slug = standings_by_slug(second)
    # Ranked on plan fulfilment alone; Epsilon's 8 of 12 now passes a 50 % share and sets the top goalpost
    assert [by_slug[slug].composite for slug in ("kp-northland-alpha", "kp-northland-epsilon")] == [
        D("100.00"),
        D("33.33"),
    ]
    assert first.weights["plan_fulfilment"] == "35.00"
    assert standings_by_slug(first)["kp-northland-alpha"].composite == D("85.00")
