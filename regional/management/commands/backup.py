from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regional.backups import backups_list, database_backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database: a custom-format pg_dump in BACKUP_DIRECTORY, checked readable, then the "
        "retention (the newest backup of each of the last BACKUP_KEEP_DAILY days, the oldest of each of the last "
        "BACKUP_KEEP_MONTHLY months). --list shows the backups kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=None, help="Default: BACKUP_DIRECTORY.")
        parser.add_argument("--list", action="store_true", dest="list_only", help="List the backups; write none.")

    def handle(self, *args, directory, list_only, **options):
        directory = directory or Path(settings.BACKUP_DIRECTORY)
        if list_only:
            for backup in backups_list(directory=directory):
                self.stdout.write(
                    f"{backup.taken_at:%Y-%m-%d %H:%M:%S} UTC  {backup.size_bytes:>12,} bytes  {backup.path}"
                )
            return
        try:
            backup = database_backup(directory=directory)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        kept = len(backups_list(directory=directory))
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {backup.path} ({backup.size_bytes:,} bytes); {kept} backup(s) kept.")
        )
