"""Methodology v1.1, one hand-worked case per rule (docs/DESIGN.md "Standings, methodology v1.1")."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factories.models import Factory, MonthlyReport
from standings.computation import compute_year, inputs_rows
from standings.models import NotRankedReason
from standings.services import RecomputeOutcome, standings_recompute
from tests.builders import CountyBuilder, FactoryBuilder
from tests.standings.data import CUTOFF, LOCAL, operating_factory, plan, reports

D = Decimal


def standing_of(run, county):
    return run.county_standings.get(county=county)


@pytest.mark.django_db
def test_an_approved_report_of_a_month_still_open_is_ignored(alpha_county):
    # Given a factory with January to October 2025 approved at plan, and November approved on 2 December with an
    # outlier of 50 times the plan while November's entry period is still open (its deadline is 10 December)
    factory = operating_factory(alpha_county)
    plan(factory)
    reports(factory, months=range(1, 11), output="10000")
    reports(factory, months=[11], output="500000", approved_at=datetime.datetime(2025, 12, 2, 10, tzinfo=LOCAL))

    # When the year is computed on 5 December
    run = standings_recompute(year=2025, cutoff_at=datetime.datetime(2025, 12, 5, 9, tzinfo=LOCAL)).run

    # Then November is neither an operating month nor in any sum: 100,000 / 100,000 over ten months
    standing = standing_of(run, alpha_county)
    assert (standing.operating_months, standing.counted_months) == (10, 10)
    assert standing.plan_fulfilment == D("1")
    assert standing.sums["plan_fulfilment"] == {"numerator": "100000", "denominator": "100000"}
    assert standing.reporting_discipline == D("1")


@pytest.mark.django_db
def test_a_factory_in_operation_without_a_commissioning_date_is_refused(alpha_county):
    factory = Factory(
        code="undated", county=alpha_county, name="Undated", kind="foodstuff", status=Factory.Status.IN_OPERATION
    )

    # The model's validation says why, in words
    with pytest.raises(ValidationError, match="needs its commissioning date"):
        factory.full_clean()
    # and the database refuses the row whatever writes it
    with pytest.raises(IntegrityError), transaction.atomic():
        Factory.objects.bulk_create([factory])
    # A factory under construction needs none
    FactoryBuilder(county=alpha_county, status=Factory.Status.UNDER_CONSTRUCTION, commissioned_on=None)


@pytest.mark.django_db
def test_a_zero_plan_factory_month_is_left_out_of_both_sums(alpha_county):
    # Given a factory whose split plans March at zero (11 × 12,000 = 132,000, the annual plan) and produces
    # 10,000 every month, and a second factory with an annual plan of zero producing 5,000 a month
    first = operating_factory(alpha_county)
    plan(first, annual_value="132000", monthly={number: ("0" if number == 3 else "12000") for number in range(1, 13)})
    reports(first, output="10000")
    second = operating_factory(alpha_county)
    plan(second, annual_value="0")
    reports(second, output="5000")

    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run

    # Then plan fulfilment is 11 × 10,000 / 11 × 12,000 = 5/6 (March and the zero plan in neither sum; with
    # March's output in the numerator it would be 120,000 / 132,000 = 0.909091)
    standing = standing_of(run, alpha_county)
    assert standing.sums["plan_fulfilment"] == {"numerator": "110000", "denominator": "132000"}
    assert standing.plan_fulfilment == D("0.833333")


@pytest.mark.django_db
def test_ratios_equal_to_six_decimals_still_score_0_and_100_and_equal_composites_tie(
    alpha_county, beta_county, gamma_county
):
    # Given three counties alike in everything but raw materials: Alpha and Gamma 100,000 of 300,000 t own every
    # month (exactly 1/3), Beta the same except January's 300,000.01 t used (1,200,000 / 3,600,000.01)
    for county in (alpha_county, gamma_county):
        factory = operating_factory(county)
        plan(factory)
        reports(factory, own="100000", used="300000")
    beta = operating_factory(beta_county)
    plan(beta)
    reports(beta, months=[1], own="100000", used="300000.01")
    reports(beta, months=range(2, 13), own="100000", used="300000")

    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    alpha, beta, gamma = (standing_of(run, county) for county in (alpha_county, beta_county, gamma_county))

    # Then both ratios show as 0.333333, but the goalposts are the exact ratios: Beta scores 0, Alpha 100
    assert alpha.local_raw_materials == beta.local_raw_materials == D("0.333333")
    assert (alpha.score_local_raw_materials, beta.score_local_raw_materials) == (D("100.00"), D("0.00"))
    assert run.goalposts["local_raw_materials"] == {"min": "120000000/360000001", "max": "1/3"}
    # No 2024 reports: growth is missing for all, weights rescaled over 80; every other indicator is all equal
    # (→ 100). Alpha (35 + 15 + 15 + 15) × 100 / 80 = 100.00; Beta (35 + 15 + 15) × 100 / 80 = 81.25.
    assert (alpha.composite, gamma.composite, beta.composite) == (D("100.00"), D("100.00"), D("81.25"))
    # The tie shares rank 1, and the next county is third
    assert (alpha.rank, gamma.rank, beta.rank) == (1, 1, 3)


@pytest.mark.django_db
def test_nine_complete_months_of_twelve_rank_and_eight_do_not(alpha_county, beta_county, gamma_county):
    # Given Alpha with 9 of 12 months approved, Beta with 8, and Gamma commissioned on 20 May (in operation
    # May to December: 8 operating months) with 6 approved, 6 ≥ 0.75 × 8
    for county, months in ((alpha_county, range(1, 10)), (beta_county, range(1, 9))):
        factory = operating_factory(county)
        plan(factory)
        reports(factory, months=months)
    gamma = operating_factory(gamma_county, commissioned_on=datetime.date(2025, 5, 20))
    plan(gamma)
    reports(gamma, months=range(5, 11))

    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run

    alpha, beta, gamma = (standing_of(run, county) for county in (alpha_county, beta_county, gamma_county))
    assert (alpha.is_ranked, alpha.counted_months, alpha.operating_months) == (True, 9, 12)
    assert (beta.is_ranked, beta.not_ranked_reason) == (False, NotRankedReason.TOO_FEW_COUNTED_MONTHS)
    assert beta.not_ranked_explanation == "8 of 12 operating months fully approved; 9 needed"
    assert (gamma.is_ranked, gamma.counted_months, gamma.operating_months) == (True, 6, 8)


@pytest.mark.django_db
def test_growth_counts_only_months_counted_in_both_years(alpha_county):
    # Given a factory commissioned on 10 April 2024 with 2024 reports approved for January to June (January to
    # March before it was in operation, entered by mistake) at 10,000, and 2025 at 20,000 in January to March,
    # 11,000 in April to June and 50,000 from July
    factory = operating_factory(alpha_county, commissioned_on=datetime.date(2024, 4, 10))
    plan(factory)
    reports(factory, year=2024, months=range(1, 7), output="10000")
    reports(factory, months=range(1, 4), output="20000")
    reports(factory, months=range(4, 7), output="11000")
    reports(factory, months=range(7, 13), output="50000")

    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run

    # Then growth is over April to June only: 33,000 / 30,000 − 1 = 0.1
    standing = standing_of(run, alpha_county)
    assert standing.sums["growth"] == {"numerator": "33000", "denominator": "30000"}
    assert standing.growth == D("0.1")


@pytest.mark.django_db
def test_the_standings_do_not_depend_on_the_order_of_the_rows(north_province, south_province):
    # Given twelve counties with varied figures
    rng = random.Random(7)
    for number in range(12):
        county = CountyBuilder(province=north_province if number % 2 else south_province, name_en=f"County {number}")
        factory = operating_factory(county)
        plan(factory, annual_value=str(rng.randint(90_000, 150_000)), varieties=rng.randint(10, 30))
        for month in range(1, 13):
            reports(
                factory,
                months=[month],
                output=str(rng.randint(8_000, 14_000)),
                varieties=rng.randint(5, 30),
                own=str(rng.randint(10, 70)),
                used="80",
                late_months=(month,) if rng.random() < 0.2 else (),
            )
        reports(factory, year=2024, output=str(rng.randint(8_000, 12_000)))
    first = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    rows = inputs_rows(year=2025, cutoff_at=CUTOFF)
    weights = first.methodology.weights
    expected = compute_year(rows, weights=weights, minimum_share=D("0.75"))

    # When the same sums come in shuffled order, the results are the same
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        again = compute_year(shuffled, weights=weights, minimum_share=D("0.75"))
        assert [(c.inputs, c.scores, c.composite, c.rank) for c in again.counties] == [
            (c.inputs, c.scores, c.composite, c.rank) for c in expected.counties
        ]
    # and the same reports written again in reverse order (other primary keys) give the same inputs: no new run
    saved = list(MonthlyReport.objects.order_by("pk"))
    MonthlyReport.objects.all().delete()
    for report in reversed(saved):
        report.pk = None
    MonthlyReport.objects.bulk_create(reversed(saved))
    assert standings_recompute(year=2025, cutoff_at=CUTOFF).status == RecomputeOutcome.UNCHANGED
