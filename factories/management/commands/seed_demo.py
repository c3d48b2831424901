import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from factories.demo import demo_data_delete, demo_data_exists, demo_data_seed
from regional.models import County


class Command(BaseCommand):
    help = "Generate clearly labelled demo data (factories, plans, bases, reports, one user per role)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Same seed and day, same data.")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--reset", action="store_true", help="Delete existing demo data first.")
        parser.add_argument("--no-standings", action="store_true", help="Do not compute standings afterwards.")

    def handle(self, *args, seed, today, reset, no_standings, **options):
        if not County.objects.exists():
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        if demo_data_exists():
            if not reset:
                self.stdout.write("Demo data is already present; nothing to do (use --reset to regenerate).")
                return
            demo_data_delete()
        started = time.perf_counter()
        summary = demo_data_seed(seed=seed, today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {summary.factories} factories, {summary.plans} annual plans, {summary.reports} monthly "
                f"reports, {summary.bases} raw-material bases, {summary.milestones} milestones, {summary.users} users "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
        if not no_standings:
            self._compute_standings(summary)

    def _compute_standings(self, summary):
        try:
            from standings.services import standings_recompute
        except ImportError:
            return
        from standings.models import StandingsRun

        started = time.perf_counter()
        for year in summary.report_years:
            standings_recompute(year=year, trigger=StandingsRun.Trigger.MANUAL)
        self.stdout.write(
            f"Standings computed for {len(summary.report_years)} years in {time.perf_counter() - started:.1f} s."
        )
