"""PostgreSQL restarts under a running gunicorn (persistent connections, as docker-compose configures them):
nobody restarts gunicorn, requests during the outage fail fast, and every request after it succeeds.

Runs its own PostgreSQL cluster on its own port (a copy of the test database), so stopping it disturbs no one.
"""

import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.reliability.processes import PostgresServer, WebServer, free_port, wait_until

REQUESTS = 20
# A request during the outage must be answered, not held: connecting to a stopped server is refused at once.
SLOWEST_ACCEPTABLE_OUTAGE_ANSWER_SECONDS = 10

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alices_token(alice):
    token, _created = Token.objects.get_or_create(user=alice)
    return token


@pytest.fixture
def postgres_server(alices_token):
    """Its own cluster holding a copy of the test database, Alice and her token included."""
    server = PostgresServer(free_port())
    server.create()
    database = connection.settings_dict
    dump = subprocess.run(
        [
            *("pg_dump", "--no-owner", "--no-privileges", "-h", database["HOST"] or "127.0.0.1"),
            *("-p", str(database["PORT"] or 5432), "-U", database["USER"], "-d", database["NAME"]),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [
            "psql",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            str(server.port),
            "-U",
            "postgres",
            "regional",
        ],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=120,
    )
    yield server
    server.destroy()


@pytest.fixture
def web(postgres_server, tmp_path):
    server = WebServer(
        port=free_port(),
        redis_url="redis://127.0.0.1:6379/15",
        log_path=tmp_path / "web.log",
        environment={"DATABASE_URL": postgres_server.url, "DJANGO_CONN_MAX_AGE": "60"},
    )
    server.start()
    yield server
    server.stop()


def _get(web, token: Token) -> tuple[int, float]:
    request = urllib.request.Request(f"{web.url}/api/v1/provinces/", headers={"Authorization": f"Token {token.key}"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            json.loads(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def _statuses(web, token: Token, count: int = REQUESTS) -> list[int]:
    return [_get(web, token)[0] for _ in range(count)]


def test_gunicorn_survives_postgresql_restarts_without_a_restart_and_without_failing_after_them(
    alices_token, postgres_server, web
):
    # Given both gunicorn workers holding a persistent database connection
    assert _statuses(web, alices_token) == [200] * REQUESTS
    workers_booted = web.log().count("Booting worker")

    # When PostgreSQL restarts while nobody is asking (every held connection is now dead)
    postgres_server.stop()
    postgres_server.start()

    # Then not one request fails afterwards: a dead connection is noticed and replaced before it is used
    assert _statuses(web, alices_token) == [200] * REQUESTS, web.log()

    # When PostgreSQL is down while requests arrive
    postgres_server.stop()
    answers = [_get(web, alices_token) for _ in range(5)]

    # Then each is answered at once with a server error, none is held
    assert {status for status, _seconds in answers} == {500}, answers
    assert max(seconds for _status, seconds in answers) < SLOWEST_ACCEPTABLE_OUTAGE_ANSWER_SECONDS, answers
    print(f"PostgreSQL down: slowest answer {max(seconds for _status, seconds in answers):.2f} s")  # for the docs

    # And once it is back, every request succeeds again, served by the same gunicorn and the same workers
    postgres_server.start()
    wait_until(lambda: _get(web, alices_token)[0] == 200, timeout_seconds=60, message="never recovered")
    assert _statuses(web, alices_token) == [200] * REQUESTS
    assert web.process.poll() is None
    assert web.log().count("Booting worker") == workers_booted
