from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regional.backups import database_restore


class Command(BaseCommand):
    help = (
        "Restore a backup into a NEW database (an existing one is refused), then check it: every migration "
        "applied (migrate --check) and the integrity checks. Point DATABASE_URL at it once satisfied."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="A file written by `manage.py backup`.")
        parser.add_argument("--database", required=True, help="Name of the database to create and restore into.")
        parser.add_argument("--fail-on-findings", action="store_true", help="Exit with status 1 on integrity findings.")

    def handle(self, *args, backup, database, fail_on_findings, **options):
        try:
            result = database_restore(backup_path=backup, database_name=database)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Restored {backup} into the new database {result.database_name}.")
        if not result.migrations_complete:
            raise CommandError(f"migrate --check: migrations missing in {database}:\n{result.migrate_check_output}")
        self.stdout.write(self.style.SUCCESS("migrate --check: every migration is applied."))
        style = self.style.SUCCESS if result.integrity_findings == 0 else self.style.WARNING
        self.stdout.write(style(f"integrity_check: {result.integrity_findings} findings."))
        if fail_on_findings and result.integrity_findings:
            raise CommandError(f"{result.integrity_findings} integrity findings in {database}.", returncode=1)
