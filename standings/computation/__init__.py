"""Methodology v1.1 (docs/DESIGN.md): exact sums in one set-based SQL statement, then exact rational arithmetic.

The split is what makes a run reproducible to the cent on every backend. SQL only adds whole numbers (money and
tonnes as integer hundredths, plans as integer twelfths of hundredths, counts), which PostgreSQL and SQLite add
exactly; everything that divides (ratios, goalposts, scores, composites) is done in Python on `Fraction`s, with
no intermediate rounding and no binary floating point, and rounded half-up once, where DESIGN.md says so.
"""

from factories.selectors import entry_deadline
from standings.computation.arithmetic import exact_text, parse_exact, round_half_up
from standings.computation.bands import BAND_DRAWS, rank_bands
from standings.computation.months import Month, months_of_year
from standings.computation.scores import CountyResult, YearResult, compute_year
from standings.computation.sums import INPUT_COLUMNS, CountyInputs, inputs_rows

__all__ = [
    "BAND_DRAWS",
    "INPUT_COLUMNS",
    "CountyInputs",
    "CountyResult",
    "Month",
    "YearResult",
    "compute_year",
    "entry_deadline",
    "exact_text",
    "inputs_rows",
    "months_of_year",
    "parse_exact",
    "rank_bands",
    "round_half_up",
]
