"""Two rank changes per county and run, explained by indicator; overtaken and passed; rank bands."""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from django.urls import reverse

from factories.models import AnnualPlan, MonthlyReport
from standings.selectors import rank_change_explanation
from standings.services import standings_recompute
from tests.conftest import client_for
from tests.standings.data import CUTOFF, operating_factory, plan, reports

D = Decimal


@pytest.fixture
def four_counties(alpha_county, beta_county, gamma_county, south_province):
    """Plan fulfilment alone differs (120,000 planned): Alpha 1.2, Gamma 1.0, Beta 0.9, Delta 0.8; all other
    indicators are equal (→ 100) and there is no 2024 (growth missing, weights over 80)."""
    from tests.builders import CountyBuilder

    delta = CountyBuilder(slug="kp-southland-delta", name_en="Delta", province=south_province)
    for county, output in ((alpha_county, "12000"), (gamma_county, "10000"), (beta_county, "9000"), (delta, "8000")):
        factory = operating_factory(county)
        plan(factory)
        reports(factory, output=output)
    return delta


def set_output(county, output: str) -> None:
    MonthlyReport.objects.filter(factory__county=county).update(output_value_thousand_won=D(output))


@pytest.mark.django_db
def test_a_county_whose_composite_did_not_move_is_said_to_be_overtaken_and_then_to_have_passed(
    client, erin, four_counties, beta_county, gamma_county
):
    # Run 1: Gamma (1.0 → 50.00; (35·50 + 45·100) / 80 = 78.125 → 78.13) is 2nd, Beta (25.00 → 67.19) 3rd
    first = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    # Run 2: Beta's output rises to 11,000 (1.1 → 75.00 → 89.06): Gamma's composite stays 78.13, its rank falls
    set_output(beta_county, "11000")
    second = standings_recompute(year=2025, cutoff_at=CUTOFF).run

    gamma_then = first.county_standings.get(county=gamma_county)
    gamma_now = second.county_standings.get(county=gamma_county)
    assert (gamma_then.composite, gamma_now.composite) == (D("78.13"), D("78.13"))
    assert (gamma_now.previous_rank, gamma_now.rank, gamma_now.rank_change) == (2, 3, -1)
    explanation = rank_change_explanation(standing=gamma_now, earlier=gamma_then)
    assert explanation.was_overtaken and not explanation.passed_others
    page = client_for(client, erin).get(reverse("standings:county", args=[gamma_county.slug]), {"year": 2025})
    assert "The composite did not move: other counties overtook it." in page.content.decode()
    compare = client.get(reverse("standings:run_compare"), {"earlier": first.pk, "later": second.pk})
    assert "overtaken: its composite did not move, other counties went past it" in compare.content.decode()

    # Run 3: Beta falls back: Gamma passes it without its composite moving
    set_output(beta_county, "9000")
    third = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    gamma_last = third.county_standings.get(county=gamma_county)
    assert (gamma_last.composite, gamma_last.rank, gamma_last.rank_change) == (D("78.13"), 2, 1)
    assert rank_change_explanation(standing=gamma_last, earlier=gamma_now).passed_others
    page = client.get(reverse("standings:county", args=[gamma_county.slug]), {"year": 2025})
    assert "The composite did not move: it passed counties whose composite fell." in page.content.decode()


@pytest.mark.django_db
def test_the_change_since_last_year_is_against_the_previous_years_latest_run_and_adds_up_by_indicator(
    client, erin, four_counties, alpha_county, beta_county
):
    # Given 2024 computed from the same figures one year earlier (Beta 3rd)
    for report in MonthlyReport.objects.all():
        report.pk = None
        report.month = report.month.replace(year=2024)
        report.first_submitted_at -= datetime.timedelta(days=366)
        report.approved_at -= datetime.timedelta(days=366)
        report.save()
    for annual in AnnualPlan.objects.filter(year=2025):
        annual.pk = None
        annual.year = 2024
        annual.save()
    last_year = standings_recompute(year=2024, cutoff_at=CUTOFF).run
    # and in 2025 Beta's output at 11,500 (growth 11,500 / 9,000 − 1) and a second 2025 run minutes later
    set_output_2025 = MonthlyReport.objects.filter(factory__county=beta_county, month__year=2025)
    set_output_2025.update(output_value_thousand_won=D("11500"))
    first = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    MonthlyReport.objects.filter(factory__county=alpha_county, month=datetime.date(2025, 1, 1)).update(
        output_value_thousand_won=D("12001")
    )
    latest = standings_recompute(year=2025, cutoff_at=CUTOFF).run

    beta = latest.county_standings.get(county=beta_county)
    beta_last_year = last_year.county_standings.get(county=beta_county)
    assert (latest.last_year_run, latest.previous_run) == (last_year, first)
    # Since last year: from 3rd to 1st, against 2024's latest run; since the last run: unchanged
    assert (beta.last_year_rank, beta.rank, beta.rank_change_since_last_year) == (3, 1, 2)
    assert beta.rank_change == 0
    # The contributions, shown to 2 decimals, and the rounding remainder add up to the composite's change
    explanation = rank_change_explanation(standing=beta, earlier=beta_last_year)
    assert explanation.composite_change == beta.composite - beta_last_year.composite
    assert (
        sum(line.change for line in explanation.lines) + explanation.rounding_remainder == explanation.composite_change
    )
    # biggest mover first: growth, absent in 2024 (no 2023 data), now present
    assert explanation.lines[0].indicator == "growth"
    changes = [abs(line.change) for line in explanation.lines]
    assert changes == sorted(changes, reverse=True)

    html = client_for(client, erin).get(reverse("standings:county", args=[beta_county.slug]), {"year": 2025}).content
    html = html.decode()
    assert f"Rank 3 → 1 against run {last_year.pk} (2024)" in html
    assert f"Rank 1 → 1 against run {first.pk} (2025)" in html
    national = client.get(reverse("standings:national"), {"year": 2025}).content.decode()
    assert "up 2 from 3 last year" in national


def independent_bands(*, input_hash: str, weights: list[Decimal], scores: dict[int, list[Decimal | None]]):
    """DESIGN.md's rank band, re-implemented literally with Decimal(r) in a 100-digit context."""
    generator = random.Random(int(input_hash[:16], 16))
    ranks: dict[int, list[int]] = {county: [] for county in scores}
    with localcontext() as context:
        context.prec = 100
        for _draw in range(1000):
            drawn = []
            for weight in weights:
                r = generator.random()
                value = weight * (D("0.75") + D("0.5") * D(r)) * 100
                drawn.append(value.quantize(D(1), rounding=ROUND_HALF_UP))
            composites = {}
            for county, county_scores in scores.items():
                present = [(w, s) for w, s in zip(drawn, county_scores, strict=True) if s is not None]
                total = sum(w * s for w, s in present) / sum(w for w, _s in present)
                composites[county] = total.quantize(D("0.01"), rounding=ROUND_HALF_UP)
            for county, value in composites.items():
                ranks[county].append(1 + sum(1 for other in composites.values() if other > value))
    return {county: (sorted(values)[49], sorted(values)[949]) for county, values in ranks.items()}


@pytest.mark.django_db
def test_rank_bands_are_reproducible_from_the_input_hash_by_an_independent_calculation(north_province, client, erin):
    from tests.builders import CountyBuilder

    rng = random.Random(3)
    # Forty counties with close figures, so that their ranks depend on the weights
    for number in range(40):
        county = CountyBuilder(province=north_province, name_en=f"Banded {number}", slug=f"kp-banded-{number}")
        factory = operating_factory(county)
        plan(factory, varieties=rng.randint(10, 30))
        reports(
            factory, output=str(rng.randint(8000, 13000)), varieties=rng.randint(5, 30), own=str(rng.randint(10, 80))
        )
        if number % 3:
            reports(factory, year=2024, output=str(rng.randint(8000, 12000)))
    run = standings_recompute(year=2025, cutoff_at=CUTOFF).run
    standings = list(run.county_standings.filter(is_ranked=True).select_related("county"))
    indicators = ["plan_fulfilment", "growth", "product_range", "local_raw_materials", "reporting_discipline"]

    expected = independent_bands(
        input_hash=run.inputs_hash,
        weights=[D(run.weights[indicator]) for indicator in indicators],
        scores={s.county_id: [s.score(indicator) for indicator in indicators] for s in standings},
    )

    assert {s.county_id: (s.rank_band_low, s.rank_band_high) for s in standings} == expected
    assert any(low != high for low, high in expected.values())
    assert all(low <= s.rank <= high for s in standings for low, high in [expected[s.county_id]])
    shown = client_for(client, erin).get(reverse("standings:county", args=[standings[0].county.slug]), {"year": 2025})
    assert f"{standings[0].rank} (likely {standings[0].rank_band_low}–{standings[0].rank_band_high})" in (
        shown.content.decode()
    )
    # and the API gives the same band, as numbers and as the page writes it
    rows = client.get(f"/api/v1/standings/runs/{run.pk}/standings/").json()["results"]
    first = next(row for row in rows if row["county"] == standings[0].county.slug)
    assert (first["rank_band_low"], first["rank_band_high"]) == (
        standings[0].rank_band_low,
        standings[0].rank_band_high,
    )
    assert (
        first["rank_with_band"]
        == f"{standings[0].rank} (likely {standings[0].rank_band_low}–{standings[0].rank_band_high})"
    )
