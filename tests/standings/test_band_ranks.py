"""The rank bands rank every draw like SQL's RANK(): ties share the best rank and the next rank skips. Checked
against a plain-Python count over the same drawn weights, with many ties and counties missing an indicator."""

import random
from decimal import Decimal

from standings.computation.bands import DRAW_ORDER, HIGH_POSITION, LOW_POSITION, drawn_weights, rank_bands
from standings.models import Indicator
from tests.standings.data import BAND_WEIGHTS as WEIGHTS

INPUT_HASH = "fedcba9876543210" * 4


def _bands_by_counting(scores):
    draws = drawn_weights(input_hash=INPUT_HASH, weights=WEIGHTS)
    ranks = {county: [] for county in scores}
    for weights in draws:
        composites = {}
        for county, county_scores in scores.items():
            present = [
                (weight, int(county_scores[indicator] * 100))
                for weight, indicator in zip(weights, DRAW_ORDER, strict=True)
                if county_scores[indicator] is not None
            ]
            numerator = sum(weight * score for weight, score in present)
            denominator = sum(weight for weight, _score in present)
            composites[county] = (2 * numerator + denominator) // (2 * denominator)
        for county, composite in composites.items():
            ranks[county].append(1 + sum(other > composite for other in composites.values()))
    return {
        county: (sorted(values)[LOW_POSITION - 1], sorted(values)[HIGH_POSITION - 1])
        for county, values in ranks.items()
    }


def test_bands_rank_ties_like_sql_rank_and_match_a_plain_count():
    # Given 60 counties whose scores come from only four values (so most draws have ties), some missing one
    generator = random.Random(7)
    values = [Decimal("0"), Decimal("50.5"), Decimal("77.25"), Decimal("100")]
    scores = {
        county: {indicator: None if generator.random() < 0.1 else generator.choice(values) for indicator in DRAW_ORDER}
        for county in range(1, 61)
    }
    for county_scores in scores.values():  # a ranked county has at least one indicator
        county_scores[Indicator.PLAN_FULFILMENT] = county_scores[Indicator.PLAN_FULFILMENT] or values[1]

    # When the bands are computed
    bands = rank_bands(input_hash=INPUT_HASH, weights=WEIGHTS, scores=scores)

    # Then each is what counting the strictly better counties of every draw gives
    assert bands == _bands_by_counting(scores)
    # and tied counties (the same scores) share their band
    first, second = 101, 102
    scores[first] = scores[second] = dict.fromkeys(DRAW_ORDER, values[2])
    bands = rank_bands(input_hash=INPUT_HASH, weights=WEIGHTS, scores=scores)
    assert bands[first] == bands[second]
