from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regional.reference_data import DEFAULT_DIRECTORY, ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Load provinces, counties and the programme schedule from the bundled CSV files (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=DEFAULT_DIRECTORY)

    def handle(self, *args, directory: Path, **options):
        try:
            summary = load_reference_data(directory=directory)
        except ReferenceDataError as error:
            for row_error in error.errors:
                self.stderr.write(str(row_error))
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {summary.provinces} provinces, {summary.counties} counties, "
                f"{summary.rounds} programme rounds and {summary.slots} scheduled localities."
            )
        )
