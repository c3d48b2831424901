"""`manage.py recompute_standings --year 2025` or `--all`: recompute now, printing each year as it goes."""

import time

from django.core.management.base import BaseCommand, CommandError

from standings.models import StandingsRun
from standings.services import RecomputeOutcome, standings_recompute, standings_years_with_data


class Command(BaseCommand):
    help = "Recompute the standings of one year or of every year with data, and publish a run where inputs changed."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--year", type=int, action="append", help="A year to recompute (may be repeated).")
        group.add_argument("--all", action="store_true", help="Every year that has reports or a programme round.")

    def handle(self, *args, year, all, **options):
        years = standings_years_with_data() if all else sorted(set(year))
        if not years:
            raise CommandError("There is no year with reports or a programme round to recompute.")
        if any(not 2000 <= value <= 2100 for value in years):
            raise CommandError("Years must lie between 2000 and 2100.")
        started = time.monotonic()
        published = 0
        for position, value in enumerate(years, start=1):
            is_terminal = self.stdout.isatty()
            if is_terminal:
                self.stdout.write(f"[{position}/{len(years)}] {value}: computing…", ending="")
                self.stdout.flush()
            # Waits for a worker that is computing the same year instead of skipping it.
            outcome = standings_recompute(year=value, trigger=StandingsRun.Trigger.MANUAL, wait_for_lock=True)
            published += outcome.status == RecomputeOutcome.PUBLISHED
            style = self.style.SUCCESS if outcome.status == RecomputeOutcome.PUBLISHED else self.style.WARNING
            self.stdout.write(("\r" if is_terminal else "") + style(f"[{position}/{len(years)}] {outcome.message}"))
        self.stdout.write(
            f"Done: {len(years)} year(s), {published} new run(s) published in {time.monotonic() - started:.2f} s."
        )
