"""`make run` uses SQLite: the loader, the demo data, the CSV import's ORM path, entry, the year lock and the
inputs hash run there too, and a year's standings come out equal to PostgreSQL's to the cent."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from factories import copy_writes, selectors, services
from factories.models import Factory, MonthlyReport, ReportEvent
from factories.selectors import add_months, first_of_month
from regional.models import County, Province, User
from standings.models import StandingsRun
from standings.services import RecomputeOutcome, standings_recompute
from tests.builders import CountyBuilder, FactoryBuilder, MonthlyReportBuilder, ProvinceBuilder, UserBuilder
from tests.sqlite.snapshot import standings_snapshot

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# A small demo set (two years of reports, ~10,000) with a full previous year, so growth has data.
SEED = 7
TODAY = datetime.date(2024, 1, 20)
YEAR = 2023

HEADER = (
    "factory_code,month,output_value_thousand_won,physical_output,varieties_produced,raw_material_used_tonnes,"
    "raw_material_from_own_bases_tonnes,days_worked,workers_on_roll,comment,status"
)


def test_this_run_is_on_sqlite():
    assert connection.vendor == "sqlite"


def test_the_reference_data_loads_and_reloads_in_place():
    call_command("load_reference_data", verbosity=0)
    call_command("load_reference_data", verbosity=0)

    assert Province.objects.count() == 13
    assert County.objects.count() == 215
    assert County.objects.filter(kind__in=County.PROGRAMME_KINDS).count() == 175


@pytest.fixture
def north():
    return ProvinceBuilder(code="KP-61", name_en="Northland")


@pytest.fixture
def alpha_factory(north):
    county = CountyBuilder(slug="kp-northland-alpha", name_en="Alpha", province=north)
    return FactoryBuilder(code="alpha-foodstuff", county=county, design_capacity=6000)


def test_an_import_writes_new_reports_through_the_orm_with_history_and_events(north, alpha_factory):
    carol = UserBuilder(username="carol", role=User.Role.PROVINCIAL_OFFICIAL, province=north)
    MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 1, 1), status="draft", days_worked=3)
    content = "\n".join(
        [
            HEADER,
            "alpha-foodstuff,2025-01,10000,100,15,80,60,20,120,,",
            "alpha-foodstuff,2025-02,10000.5,100,15,80,60,24,120,paper form,approved",
            "alpha-foodstuff,2025-03,9000,100,15,80,60,24,120,,",
        ]
    )

    report_import, parsed = services.report_import_preview(user=carol, file_name="q1.csv", content=content)
    services.report_import_commit(report_import=report_import, user=carol)

    assert copy_writes.is_available() is False
    assert parsed.errors == []
    reports = {report.month.month: report for report in MonthlyReport.objects.all()}
    statuses = {month: report.status for month, report in reports.items()}
    assert statuses == {1: "submitted", 2: "approved", 3: "submitted"}
    assert reports[1].days_worked == 20
    assert str(reports[2].output_value_thousand_won) == "10000.50"
    assert reports[2].comment == "paper form"
    assert reports[3].history.latest().history_change_reason == "CSV import q1.csv"
    # An approved row is recorded as submitted and approved, as in the workflow and on PostgreSQL.
    assert ReportEvent.objects.filter(kind="submitted", actor=carol).count() == 3
    assert ReportEvent.objects.filter(kind="approved", actor=carol, reason="CSV import q1.csv").count() == 1


def test_a_county_official_enters_submits_and_the_province_approves(
    settings, django_capture_on_commit_callbacks, north, alpha_factory
):
    # The previous month has ended; a long entry period keeps it open whatever today's date.
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = 40
    month = add_months(first_of_month(datetime.date.today()), -1)
    alice = UserBuilder(username="alice", role=User.Role.COUNTY_OFFICIAL, county=alpha_factory.county)
    carol = UserBuilder(username="carol", role=User.Role.PROVINCIAL_OFFICIAL, province=north)
    figures = {
        "output_value_thousand_won": "10000",
        "physical_output": "100",
        "varieties_produced": 15,
        "raw_material_used_tonnes": "80",
        "raw_material_from_own_bases_tonnes": "60",
        "days_worked": 20,
        "workers_on_roll": 120,
        "comment": "",
    }

    draft = services.report_save_draft(factory=alpha_factory, month=month, data=figures, user=alice)
    draft = services.report_save_draft(
        factory=alpha_factory, month=month, data={**figures, "days_worked": 21}, user=alice, expected_version=1
    )
    submitted = services.report_submit(report=draft, user=alice, expected_version=draft.version)
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.report_approve(report=submitted, user=carol, expected_version=submitted.version)

    stored = MonthlyReport.objects.get()
    assert (stored.status, stored.days_worked, stored.version) == ("approved", 21, approved.version)
    assert list(stored.events.values_list("kind", flat=True)) == ["submitted", "approved"]
    assert stored.history.count() == 4
    # Celery runs in-process without a broker: the approval's recompute published the year.
    assert StandingsRun.objects.filter(year=month.year).count() == 1


def _comparison_database_url() -> str:
    url = os.environ.get("COMPARISON_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.fail("COMPARISON_DATABASE_URL must name a scratch PostgreSQL database (make test sets it).")
    return url


def _postgresql_maintenance(url: str, statement: str) -> None:
    parts = urlsplit(url)
    server = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(statement)
    finally:
        server.close()


POSTGRESQL_SIDE = f"""
import datetime
from django.core.management import call_command
from tests.sqlite.snapshot import print_standings_snapshot
call_command("migrate", verbosity=0)
call_command("load_reference_data", verbosity=0)
call_command("seed_demo", seed={SEED}, today=datetime.date.fromisoformat("{TODAY}"), no_standings=True, verbosity=0)
call_command("recompute_standings", year=[{YEAR}], verbosity=0)
print_standings_snapshot({YEAR})
"""


@pytest.fixture
def postgresql_standings():
    """Starts the same seed and year on a scratch PostgreSQL database in another process (it works while the
    SQLite side does); calling the result waits for its snapshot."""
    url = _comparison_database_url()
    name = urlsplit(url).path.lstrip("/")
    _postgresql_maintenance(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgresql_maintenance(url, f'CREATE DATABASE "{name}"')
    environment = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "", "CELERY_TASK_ALWAYS_EAGER": "true"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", POSTGRESQL_SIDE],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def snapshot() -> dict:
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
        return json.loads(stdout.strip().splitlines()[-1])

    yield snapshot
    if process.poll() is None:
        process.kill()
        process.wait()
    _postgresql_maintenance(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_demo_year_ranks_exactly_as_on_postgresql_and_an_unchanged_recompute_publishes_nothing(
    postgresql_standings,
):
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo", seed=SEED, today=TODAY, no_standings=True, verbosity=0)
    call_command("recompute_standings", year=[YEAR], verbosity=0)

    # The SQLite branches of the year lock and the inputs hash: the same inputs hash the same, so nothing new.
    again = standings_recompute(year=YEAR, wait_for_lock=False)
    assert again.status == RecomputeOutcome.UNCHANGED
    assert StandingsRun.objects.filter(year=YEAR).count() == 1
    assert Factory.objects.filter(is_demo=True).exists()

    on_sqlite = standings_snapshot(YEAR)
    on_postgresql = postgresql_standings()

    assert on_sqlite["run"]["ranked_count"] > 100
    # The inputs hash is compared within one database only, and SQLite sums decimals as binary floating point
    # (469.86999999999995 where PostgreSQL has 469.87): the hashes differ while every stored figure is equal.
    on_sqlite["run"].pop("inputs_hash")
    on_postgresql["run"].pop("inputs_hash")
    assert on_sqlite["run"] == on_postgresql["run"]
    assert sorted(on_sqlite["counties"]) == sorted(on_postgresql["counties"])
    differences = [
        (slug, field, value, on_postgresql["counties"][slug][field])
        for slug, row in on_sqlite["counties"].items()
        for field, value in row.items()
        if value != on_postgresql["counties"][slug].get(field)
    ]
    assert differences == []
    assert on_sqlite["other_parts"] == on_postgresql["other_parts"]


def test_the_review_queue_measures_each_report_against_its_own_twelve_months_on_sqlite(north, alpha_factory):
    # Given 14 approved months of 10,000 with one of 90,000 thirteen months back (outside the window), and the
    # next month waiting at 40,000 (4 times the usual month), beside a plausible one of another factory
    carol = UserBuilder(username="carol", role=User.Role.PROVINCIAL_OFFICIAL, province=north)
    month = datetime.date(2025, 6, 1)
    for back in range(1, 15):
        value = 90000 if back == 13 else 10000
        MonthlyReportBuilder(
            factory=alpha_factory, month=add_months(month, -back), approved=True, output_value_thousand_won=value
        )
    flagged = MonthlyReportBuilder(factory=alpha_factory, month=month, submitted=True, output_value_thousand_won=40000)
    plain = MonthlyReportBuilder(
        factory=FactoryBuilder(county=alpha_factory.county, design_capacity=6000), month=month, submitted=True
    )

    # When the queue is read on SQLite
    queue = selectors.ReviewQueue(reports=selectors.review_queue(user=carol))
    rows = {row.report.pk: row for row in queue.rows(queue.entries)}

    # Then the flagged report is measured against exactly the 12 months before it, as on its review page
    assert {entry.pk: entry.is_flagged for entry in queue.entries} == {flagged.pk: True, plain.pk: False}
    assert rows[flagged.pk].warnings == selectors.report_warnings(report=flagged)
    assert "last 12 approved months" in rows[flagged.pk].warnings[0]
    assert rows[flagged.pk].median_output == 10000
