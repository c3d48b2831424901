"""Hand-worked standings on SQLite too: the deadline's last second, a cut-off exactly on a deadline and half-up
rounding at .xx5 (SQLite computes in binary floating point where PostgreSQL has exact numerics, so these are
the cases where the two could part). The same tests run on PostgreSQL in the main suite."""

from tests.standings.test_deadline_boundary import (  # noqa: F401 (collected here as well)
    alpha_2025,
    test_a_cutoff_exactly_at_the_end_of_a_deadline_day_closes_that_month,
    test_the_last_second_of_the_deadline_day_is_on_time_and_midnight_after_it_is_late,
)
from tests.standings.test_readme_claims import (  # noqa: F401
    test_a_late_entry_counts_as_late_in_the_reporting_discipline,
    test_scores_and_composites_are_rounded_half_up_to_the_cent,
)
