"""Backups of the PostgreSQL database: custom-format `pg_dump` files, pruned by a documented retention, and a
restore into a new database that is then checked (`migrate --check`, `integrity_check`).

The PostgreSQL client tools (`pg_dump`, `pg_restore`, `createdb`) do the work; this module names the files,
keeps a half-written dump from ever looking like a backup, applies the retention and runs the checks.
"""

import datetime
import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

BACKUP_PREFIX = "regional-"
BACKUP_SUFFIX = ".dump"
BACKUP_NAME = re.compile(r"^regional-(\d{8}T\d{6}Z)\.dump$")
BACKUP_TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# Restoring into these would overwrite something nobody meant to overwrite.
RESERVED_DATABASE_NAMES = {"postgres", "template0", "template1"}
DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime.datetime

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class RestoreResult:
    database_name: str
    migrations_complete: bool
    migrate_check_output: str
    integrity_findings: int
    integrity_output: str


def _database_settings(alias: str = "default") -> dict:
    database = connections[alias].settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ValidationError("Backups need PostgreSQL (DATABASE_URL=postgres://…); with SQLite, copy db.sqlite3.")
    return database


def _client_environment(database: dict) -> dict[str, str]:
    """libpq reads the connection from the environment, so no password ever appears on a command line."""
    environment = dict(os.environ)
    environment.update(
        {
            "PGHOST": database["HOST"] or "127.0.0.1",
            "PGPORT": str(database["PORT"] or 5432),
            "PGUSER": database["USER"] or "postgres",
        }
    )
    if database["PASSWORD"]:
        environment["PGPASSWORD"] = database["PASSWORD"]
    return environment


def _run(command: list[str], *, environment: dict[str, str], timeout_seconds: int) -> subprocess.CompletedProcess:
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=timeout_seconds)
    if completed.returncode != 0:
        raise ValidationError(f"{command[0]} failed: {completed.stderr.strip() or completed.stdout.strip()}")
    return completed


def backups_list(*, directory: Path) -> list[Backup]:
    """The backups in `directory`, oldest first; files not named like a backup are not ours and are ignored."""
    if not directory.is_dir():
        return []
    backups = []
    for path in directory.iterdir():
        match = BACKUP_NAME.match(path.name)
        if match and path.is_file():
            taken_at = datetime.datetime.strptime(match[1], BACKUP_TIMESTAMP_FORMAT).replace(tzinfo=datetime.UTC)
            backups.append(Backup(path=path, taken_at=taken_at))
    return sorted(backups, key=lambda backup: backup.taken_at)


def backups_to_keep(backups: list[Backup], *, keep_daily: int, keep_monthly: int) -> set[Path]:
    """The retention: the newest backup of each of the last `keep_daily` days that have one, and the oldest
    backup of each of the last `keep_monthly` months that have one (days and months in UTC)."""
    newest_of_day: dict[datetime.date, Backup] = {}
    oldest_of_month: dict[tuple[int, int], Backup] = {}
    for backup in sorted(backups, key=lambda backup: backup.taken_at):
        newest_of_day[backup.taken_at.date()] = backup
        oldest_of_month.setdefault((backup.taken_at.year, backup.taken_at.month), backup)
    days = sorted(newest_of_day, reverse=True)[:keep_daily]
    months = sorted(oldest_of_month, reverse=True)[:keep_monthly]
    return {newest_of_day[day].path for day in days} | {oldest_of_month[month].path for month in months}


def backups_prune(*, directory: Path, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Delete the backups the retention does not keep; returns what was deleted."""
    backups = backups_list(directory=directory)
    kept = backups_to_keep(backups, keep_daily=keep_daily, keep_monthly=keep_monthly)
    deleted = [backup.path for backup in backups if backup.path not in kept]
    for path in deleted:
        path.unlink()
    return deleted


def database_backup(*, directory: Path, now: datetime.datetime | None = None) -> Backup:
    """Write a custom-format `pg_dump` of the database to `directory`, readable by `pg_restore` (checked),
    under its final name only once complete; then prune by the retention in settings."""
    database = _database_settings()
    environment = _client_environment(database)
    directory.mkdir(parents=True, exist_ok=True)
    taken_at = (now or timezone.now()).astimezone(datetime.UTC)
    path = directory / f"{BACKUP_PREFIX}{taken_at.strftime(BACKUP_TIMESTAMP_FORMAT)}{BACKUP_SUFFIX}"
    if path.exists():
        raise ValidationError(f"A backup named {path.name} exists already; try again in a second.")
    # A dump that dies half-way stays a ".partial" file: it never counts as a backup and is never restored.
    partial = path.with_name(path.name + ".partial")
    try:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", database["NAME"]],
            environment=environment,
            timeout_seconds=settings.BACKUP_TIMEOUT_SECONDS,
        )
        _run(["pg_restore", "--list", str(partial)], environment=environment, timeout_seconds=300)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    deleted = backups_prune(
        directory=directory, keep_daily=settings.BACKUP_KEEP_DAILY, keep_monthly=settings.BACKUP_KEEP_MONTHLY
    )
    backup = Backup(path=path, taken_at=taken_at)
    logger.info("Backup %s written (%s bytes); %s old backup(s) pruned", path, backup.size_bytes, len(deleted))
    return backup


def database_restore(*, backup_path: Path, database_name: str) -> RestoreResult:
    """Restore a backup into a new database `database_name` (refuses an existing one: a restore never
    overwrites), then check it: every migration applied (`migrate --check`) and `integrity_check`."""
    database = _database_settings()
    if not DATABASE_NAME.match(database_name) or database_name in RESERVED_DATABASE_NAMES:
        raise ValidationError(f"{database_name!r} is not a name for a new database (lower-case letters, digits, _).")
    if not backup_path.is_file():
        raise ValidationError(f"No backup at {backup_path}.")
    environment = _client_environment(database)
    _run(["pg_restore", "--list", str(backup_path)], environment=environment, timeout_seconds=300)
    # createdb refuses a database that exists, so a typo can never restore over the live one.
    _run(["createdb", "--template=template0", database_name], environment=environment, timeout_seconds=120)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={database_name}",
            str(backup_path),
        ],
        environment=environment,
        timeout_seconds=settings.BACKUP_TIMEOUT_SECONDS,
    )
    # The checks run as separate processes pointed at the restored database, as an operator would run them.
    check_environment = environment | {
        "DATABASE_URL": f"postgres://{environment['PGHOST']}:{environment['PGPORT']}/{database_name}",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    migrate = subprocess.run(
        [*manage, "migrate", "--check", "--plan"],
        env=check_environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    integrity = subprocess.run(
        [*manage, "integrity_check", "--json"],
        env=check_environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if integrity.returncode != 0:
        raise ValidationError(f"integrity_check failed on {database_name}: {integrity.stderr.strip()}")
    findings = sum(check["count"] for check in json.loads(integrity.stdout))
    return RestoreResult(
        database_name=database_name,
        migrations_complete=migrate.returncode == 0,
        migrate_check_output=(migrate.stdout + migrate.stderr).strip(),
        integrity_findings=findings,
        integrity_output=integrity.stdout,
    )
