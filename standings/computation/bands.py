"""Rank bands (DESIGN.md): how far each ranked county's rank depends on the choice of weights.

1,000 draws from `random.Random(int(input_hash[:16], 16))`; in each draw, for the indicators in DESIGN.md's order,
r = random() and the drawn weight in hundredths is round_half_up(w × (0.75 + 0.5·r) × 100), computed exactly from
r's binary value. A county's draw composite is round_half_up(Σ drawn w × score ÷ Σ drawn w over its present
indicators) to the cent, from the run's rounded scores; RANK() over the ranked counties; the band is the 50th and
950th smallest of the county's 1,000 ranks.

Everything is integer arithmetic (scores and weights in hundredths), vectorised over counties and draws with numpy
int64 arrays: at 3,000 counties that is 3 million composites, a fraction of a second.
"""

import random
from decimal import Decimal

import numpy

from standings.models import Indicator

BAND_DRAWS = 1000
BAND_DRAWS_AT_ONCE = 100
# Nearest-rank 5th and 95th percentiles of 1,000 ranks: the 50th and the 950th smallest (1-based).
LOW_POSITION, HIGH_POSITION = 50, 950
# DESIGN.md's order of the indicators in each draw.
DRAW_ORDER = (
    Indicator.PLAN_FULFILMENT,
    Indicator.GROWTH,
    Indicator.PRODUCT_RANGE,
    Indicator.LOCAL_RAW_MATERIALS,
    Indicator.REPORTING_DISCIPLINE,
)


def drawn_weights(*, input_hash: str, weights: dict[str, Decimal], draws: int = BAND_DRAWS) -> list[list[int]]:
    """Each draw's weights in hundredths, in DRAW_ORDER: round_half_up(w × (0.75 + 0.5·r) × 100), exactly."""
    generator = random.Random(int(input_hash[:16], 16))
    hundredths = [int(weights[indicator] * 100) for indicator in DRAW_ORDER]
    result = []
    for _draw in range(draws):
        row = []
        for weight in hundredths:
            # r = numerator / denominator exactly (a power of two); weight × (3/4 + r/2), rounded half up, is
            # floor((2·weight·(3·denominator + 2·numerator) + 4·denominator) / (8·denominator)).
            numerator, denominator = generator.random().as_integer_ratio()
            row.append((2 * weight * (3 * denominator + 2 * numerator) + 4 * denominator) // (8 * denominator))
        result.append(row)
    return result


def rank_bands(
    *, input_hash: str, weights: dict[str, Decimal], scores: dict[int, dict[str, Decimal | None]]
) -> dict[int, tuple[int, int]]:
    """Per ranked county id (keys of `scores`, each with its rounded scores), its band (best, worst)."""
    if not scores:
        return {}
    county_ids = sorted(scores)
    score_hundredths = numpy.array(
        [[int((scores[county][indicator] or 0) * 100) for indicator in DRAW_ORDER] for county in county_ids],
        dtype=numpy.int64,
    )
    present = numpy.array(
        [[int(scores[county][indicator] is not None) for indicator in DRAW_ORDER] for county in county_ids],
        dtype=numpy.int64,
    )
    drawn = numpy.array(drawn_weights(input_hash=input_hash, weights=weights), dtype=numpy.int64).T  # 5 × draws
    ranks = numpy.empty((len(county_ids), drawn.shape[1]), dtype=numpy.int64)
    # A hundred draws at a time: every draw is ranked on its own, so the ranks are the same, but the arrays of
    # one step stay small. All 1,000 at once held several counties × draws arrays and a draws × 10,000 count
    # table at the same moment: a worker recomputing a 3,000-county year peaked at 367 MiB (bench, memory).
    for start in range(0, drawn.shape[1], BAND_DRAWS_AT_ONCE):
        part = drawn[:, start : start + BAND_DRAWS_AT_ONCE]
        numerators = score_hundredths @ part  # counties × draws: Σ drawn w × score, in hundredths²
        denominators = present @ part  # Σ drawn w over present indicators, in hundredths (> 0 for a ranked county)
        # Half-up to the cent, in hundredths: floor((2·n + d) / (2·d)), all values non-negative.
        composites = (2 * numerators + denominators) // (2 * denominators)
        ranks[:, start : start + BAND_DRAWS_AT_ONCE] = _ranks_per_draw(composites)
    ranks = numpy.partition(ranks, [LOW_POSITION - 1, HIGH_POSITION - 1], axis=1)
    low, high = ranks[:, LOW_POSITION - 1], ranks[:, HIGH_POSITION - 1]
    return {county: (int(low[index]), int(high[index])) for index, county in enumerate(county_ids)}


def _ranks_per_draw(composites: numpy.ndarray) -> numpy.ndarray:
    """RANK(), best first, of every county in every draw: 1 + the number of counties of the draw with a strictly
    higher composite. One sort for all the draws at once: each draw's composites are moved into a key range of
    their own (composite + draw × span), so after sorting every draw occupies its own block of `counties`
    positions, and the counties of draw d above a key are the end of d's block minus the key's right-hand
    insertion point. Cost grows with counties × draws only: the counting sort this replaced built a draws ×
    10,001 table whatever the number of counties, most of a 175-county year's band time (bench, standings)."""
    counties, draws = composites.shape
    span = int(composites.max()) + 1
    keys = composites + numpy.arange(draws, dtype=numpy.int64) * span
    ordered = numpy.sort(keys, axis=None)
    block_ends = (numpy.arange(draws, dtype=numpy.int64) + 1) * counties
    return 1 + block_ends - numpy.searchsorted(ordered, keys, side="right")
