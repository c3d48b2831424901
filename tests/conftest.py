"""Personas and shared fixtures. Tests run against the real PostgreSQL (see the Makefile's `test` target)."""

import os

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import sync_playwright

from regional.models import User
from regional.reference_data import load_reference_data
from tests.builders import PASSWORD, CountyBuilder, ProvinceBuilder, UserBuilder
from tests.reliability.processes import RedisServer, free_port

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Debian's Chromium, never a downloaded browser; without the networking flags it keeps calling hosts it
# cannot reach from here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run, started by the first test that needs it: starting Playwright and a browser
    for each test cost 2 to 4 s a test. Each test still gets fresh contexts (`browser` closes them after it).

    Service-worker network events are switched on for this browser (read once, when Playwright's driver starts):
    tests/offline needs them to cut a service worker's own requests; a test that routes no requests sees no
    difference."""
    previous = os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS")
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    try:
        playwright = sync_playwright().start()
    finally:
        # The driver took its copy of the environment; the processes tests start do not need the switch.
        if previous is None:
            os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)
        else:
            os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = previous
    shared = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
    yield shared
    shared.close()
    playwright.stop()


@pytest.fixture
def browser(chromium):
    """The shared Chromium; every context a test opened (and left open) is closed after it, so no page of one
    test keeps running into the next."""
    yield chromium
    for context in list(chromium.contexts):
        context.close()


@pytest.fixture
def page(browser):
    """A laptop-sized page in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session", autouse=True)
def required_database():
    """The suite tests what production runs: PostgreSQL. Without a DATABASE_URL the settings fall back to SQLite,
    and a run that silently tested SQLite would pass the PostgreSQL-only code unseen; tests/sqlite overrides this
    fixture with the opposite demand."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        pytest.exit(
            f"The test suite runs on PostgreSQL only, not {engine}: set DATABASE_URL (make test does), and run "
            "tests/sqlite separately (make test runs it second).",
            returncode=4,
        )


@pytest.fixture(scope="session", autouse=True)
def end_stray_database_sessions(required_database, django_db_setup, django_db_blocker):
    """Threads of live servers and concurrency tests can still hold a connection when the session ends, and
    PostgreSQL refuses to drop a database somebody is connected to; the test database is ours alone."""
    yield
    # A run in which no test uses the database (tests/bench alone) creates no test database: nothing to end.
    is_test_database = connection.settings_dict["NAME"].startswith("test_")
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql" and is_test_database:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(scope="session", autouse=True)
def transactional_tests_emptied_by_delete():
    """After a transactional test (live server, worker processes) every table is emptied. Django's `flush` does
    it with one TRUNCATE of all its tables, which on PostgreSQL swaps every table's and index's files and took
    1.5 to 3 s a test here; DELETE of the few rows such a test writes leaves the same empty tables in a fraction
    of that. (Django's foreign keys are deferrable: one transaction deletes the tables in any order.)"""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED"] + [f"DELETE FROM {self.quote_name(table)}" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.OneIterationPBKDF2PasswordHasher"]


@pytest.fixture
def reference_data(db):
    """The real provinces, counties and programme schedule, as `make run` loads them."""
    load_reference_data()


@pytest.fixture
def north_province(db):
    return ProvinceBuilder(code="KP-61", name_en="Northland")


@pytest.fixture
def south_province(db):
    return ProvinceBuilder(code="KP-62", name_en="Southland")


@pytest.fixture
def alpha_county(north_province):
    return CountyBuilder(slug="kp-northland-alpha", name_en="Alpha", province=north_province)


@pytest.fixture
def beta_county(north_province):
    return CountyBuilder(slug="kp-northland-beta", name_en="Beta", province=north_province)


@pytest.fixture
def gamma_county(south_province):
    return CountyBuilder(slug="kp-southland-gamma", name_en="Gamma", province=south_province)


# Personas: Alice and Bob are county officials of two counties of the same province, Carol reviews that
# province, Dave reviews another, Erin is an analyst, Frank administers the programme.
@pytest.fixture
def alice(alpha_county):
    return UserBuilder(username="alice", role=User.Role.COUNTY_OFFICIAL, county=alpha_county)


@pytest.fixture
def bob(beta_county):
    return UserBuilder(username="bob", role=User.Role.COUNTY_OFFICIAL, county=beta_county)


@pytest.fixture
def carol(north_province):
    return UserBuilder(username="carol", role=User.Role.PROVINCIAL_OFFICIAL, province=north_province)


@pytest.fixture
def dave(south_province):
    return UserBuilder(username="dave", role=User.Role.PROVINCIAL_OFFICIAL, province=south_province)


@pytest.fixture
def erin(db):
    return UserBuilder(username="erin", role=User.Role.ANALYST)


@pytest.fixture
def frank(db):
    return UserBuilder(username="frank", role=User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def password():
    return PASSWORD


def client_for(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def redis_server():
    """A throw-away redis-server of the test's own, on a free port: stopped and started by tests of outages."""
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()
