"""The rank bands of a 3,000-county year fit a worker: a hundred draws at a time, not all 1,000 at once (the
bench's stress scale peaked at 367 MiB in the worker recomputing every year)."""

import random
import tracemalloc
from decimal import Decimal

from standings.computation.bands import rank_bands
from tests.standings.data import BAND_WEIGHTS as WEIGHTS


def test_the_bands_of_three_thousand_counties_need_less_than_80_mib_at_once():
    # Given 3,000 ranked counties with scores from 0 to 100 (one indicator missing here and there)
    generator = random.Random(18)
    scores = {
        county: {
            indicator: None if generator.random() < 0.02 else Decimal(generator.randrange(0, 10001)) / 100
            for indicator in WEIGHTS
        }
        for county in range(1, 3001)
    }

    # When their bands are computed, with Python's allocator (numpy's arrays included) traced
    tracemalloc.start()
    try:
        bands = rank_bands(input_hash="0123456789abcdef" * 4, weights=WEIGHTS, scores=scores)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # Then every county has a band, best rank first, and the work never held 80 MiB at once
    assert len(bands) == 3000
    assert all(1 <= low <= high <= 3000 for low, high in bands.values())
    assert peak < 80 * 1024 * 1024
