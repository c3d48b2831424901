"""`manage.py backup` and `manage.py restore`: a custom-format pg_dump restored into a fresh database holds
every row of every table and the same latest standings, passes `migrate --check` and `integrity_check`; a
restore never overwrites an existing database; the retention keeps exactly what docs/reliability.md says."""

import datetime
import subprocess
from io import StringIO

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from factories.models import ReportEvent
from regional.backups import BACKUP_TIMESTAMP_FORMAT, backups_list, backups_prune
from regional.tasks import database_backup_task
from standings.services import standings_recompute
from tests.standings.data import operating_factory, plan, reports

LATEST_RUN_SQL = (
    "SELECT id, year, trigger, inputs_hash, cutoff_at, weights::text, listed_count, ranked_count "
    "FROM standings_standingsrun "
    "ORDER BY id DESC LIMIT 1"
)
LATEST_RUN_STANDINGS_SQL = (
    "SELECT county_id, composite, rank, counted_months FROM standings_countystanding "
    "WHERE run_id = (SELECT max(id) FROM standings_standingsrun) ORDER BY county_id"
)


@pytest.fixture
def programme_with_standings(alpha_county, beta_county, alice, carol):
    """A year of approved reports of two counties, with their workflow events, and the year's standings:
    data that passes every integrity check."""
    for county, monthly_output in ((alpha_county, "10000"), (beta_county, "5000")):
        factory = operating_factory(county)
        plan(factory)
        for report in reports(factory, output=monthly_output):
            ReportEvent.objects.create(
                report=report, kind=ReportEvent.Kind.SUBMITTED, actor=alice, at=report.first_submitted_at
            )
            ReportEvent.objects.create(
                report=report, kind=ReportEvent.Kind.APPROVED, actor=carol, at=report.approved_at
            )
    return standings_recompute(year=2025).run


@pytest.fixture
def restored_database_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    _drop(name)
    yield name
    _drop(name)


def _client_arguments() -> list[str]:
    database = connection.settings_dict
    return ["-h", database["HOST"] or "127.0.0.1", "-p", str(database["PORT"] or 5432), "-U", database["USER"]]


def _drop(name: str) -> None:
    subprocess.run(["dropdb", *_client_arguments(), "--if-exists", "--force", name], check=True, timeout=60)


def _row_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _snapshot(cursor) -> dict:
    cursor.execute(LATEST_RUN_SQL)
    run = cursor.fetchone()
    cursor.execute(LATEST_RUN_STANDINGS_SQL)
    standings = cursor.fetchall()
    return {"row_counts": _row_counts(cursor), "latest_run": run, "latest_standings": standings}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_has_every_row_and_the_same_latest_standings(
    programme_with_standings, restored_database_name, tmp_path
):
    # Given a database with reports, users and published standings
    with connection.cursor() as cursor:
        source = _snapshot(cursor)
    assert source["row_counts"]["factories_monthlyreport"] == 24
    assert len(source["latest_standings"]) == 2

    # When it is backed up
    output = StringIO()
    call_command("backup", directory=tmp_path, stdout=output)
    (backup,) = backups_list(directory=tmp_path)
    assert f"Backup written: {backup.path}" in output.getvalue()
    assert backup.path.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    listing = StringIO()
    call_command("backup", directory=tmp_path, list_only=True, stdout=listing)
    assert f"{backup.size_bytes:>12,} bytes  {backup.path}" in listing.getvalue()

    # And restored into a new database
    output = StringIO()
    call_command("restore", str(backup.path), database=restored_database_name, fail_on_findings=True, stdout=output)

    # Then the checks passed on the restored database
    assert "migrate --check: every migration is applied." in output.getvalue()
    assert "integrity_check: 0 findings." in output.getvalue()
    # And it holds the same number of rows in every table, and the same latest standings run, figure by figure
    database = connection.settings_dict
    restored = psycopg2.connect(
        dbname=restored_database_name,
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
    )
    try:
        with restored.cursor() as cursor:
            copy = _snapshot(cursor)
    finally:
        restored.close()
    assert copy["row_counts"] == source["row_counts"]
    # every table of every app, the migrations table included
    assert {"django_migrations", "factories_monthlyreport", "standings_countystanding"} <= set(copy["row_counts"])
    assert copy["latest_run"] == source["latest_run"]
    assert copy["latest_standings"] == source["latest_standings"]


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_an_existing_database_and_leaves_it_as_it_was(programme_with_standings, tmp_path):
    call_command("backup", directory=tmp_path, stdout=StringIO())
    (backup,) = backups_list(directory=tmp_path)
    with connection.cursor() as cursor:
        before = _row_counts(cursor)

    with pytest.raises(CommandError, match="already exists"):
        call_command("restore", str(backup.path), database=connection.settings_dict["NAME"], stdout=StringIO())

    with connection.cursor() as cursor:
        assert _row_counts(cursor) == before


def test_a_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "regional-20260101T000000Z.dump"
    not_a_backup.write_text("hello")

    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore", str(not_a_backup), database="regional_never_created", stdout=StringIO())


def _backup_file(directory, taken_at: datetime.datetime) -> str:
    name = f"regional-{taken_at.strftime(BACKUP_TIMESTAMP_FORMAT)}.dump"
    (directory / name).write_bytes(b"PGDMP")
    return name


def test_the_retention_keeps_the_newest_of_the_last_14_days_and_the_oldest_of_the_last_12_months(tmp_path):
    # Given two backups a day (01:30 and a manual one at 15:00) from 1 January 2025 to 10 March 2026
    day = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    while day.date() <= datetime.date(2026, 3, 10):
        _backup_file(tmp_path, day.replace(hour=1, minute=30))
        _backup_file(tmp_path, day.replace(hour=15))
        day += datetime.timedelta(days=1)
    someone_elses_file = tmp_path / "notes.txt"
    someone_elses_file.write_text("not a backup")

    backups_prune(directory=tmp_path, keep_daily=14, keep_monthly=12)

    kept = sorted(path.name for path in tmp_path.iterdir())
    daily = [f"regional-202603{day:02d}T150000Z.dump" for day in range(1, 11)] + [
        f"regional-202602{day:02d}T150000Z.dump" for day in range(25, 29)
    ]
    monthly = [f"regional-2025{month:02d}01T013000Z.dump" for month in range(4, 13)] + [
        f"regional-2026{month:02d}01T013000Z.dump" for month in range(1, 4)
    ]
    assert kept == sorted([*daily, *monthly, "notes.txt"])
    assert len(kept) == 14 + 12 + 1


@pytest.mark.django_db(transaction=True)
def test_beat_backs_up_every_night_through_a_registered_task_that_writes_a_backup(settings, tmp_path):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["database-backup-nightly"]
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {30})

    settings.BACKUP_DIRECTORY = tmp_path
    written = database_backup_task()

    assert [backup.path for backup in backups_list(directory=tmp_path)] == [tmp_path / written.split("/")[-1]]


def test_production_keeps_backups_on_their_own_volume_written_by_the_worker():
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    worker = compose["services"]["worker"]
    assert worker["environment"]["BACKUP_DIRECTORY"] == "/backups"
    assert "backups:/backups" in worker["volumes"]
    assert "backups" in compose["volumes"]
