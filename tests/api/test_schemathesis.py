"""Fuzz the live API from its own OpenAPI schema with schemathesis (gunicorn on 127.0.0.1, the test database).

Checks: no 5xx, responses (codes, content types, headers, bodies) as documented, invalid input refused and
valid input accepted, authentication enforced, and object-level authorization between two county officials
(`alice` and `bob`, peers who must not see each other's reports or plans). Bounded to stay within minutes.
"""

import datetime
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.api.conftest import standings_run, this_month
from tests.builders import AnnualPlanBuilder, FactoryBuilder, MonthlyReportBuilder

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MAX_EXAMPLES_PER_OPERATION = 10
SEED = 20_241_010


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def programme(alice, bob, carol, alpha_county, beta_county, gamma_county):
    """Committed data the fuzzer can find: each county's factory, plan and reports, and a standings run."""
    for county in (alpha_county, beta_county, gamma_county):
        factory = FactoryBuilder(code=f"{county.name_en.lower()}-foodstuff", county=county)
        AnnualPlanBuilder(factory=factory, year=2025)
        MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 3, 1), approved=True)
        MonthlyReportBuilder(factory=factory, month=this_month())
    standings_run(year=2025, counties=[alpha_county, beta_county, gamma_county])
    return {user.username: Token.objects.get_or_create(user=user)[0].key for user in (alice, bob)}


@pytest.fixture
def live_api(programme, tmp_path):
    database = connection.settings_dict
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        # The fuzzer sends thousands of requests a minute; the throttle has its own test.
        "API_THROTTLE_RATE": "1000000/minute",
    }
    # The server's log goes to a file: an unread pipe fills up and blocks the workers mid-request.
    server_log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/api/schema/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server_log.close()


def test_the_live_api_survives_fuzzing_and_keeps_each_countys_reports_to_itself(live_api, programme, tmp_path):
    auth_file = tmp_path / "auth.json"
    auth_file.write_text(
        json.dumps(
            {
                "auth": [
                    {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Token {key}"}]}
                    for name, key in programme.items()
                ]
            }
        )
    )
    config_file = tmp_path / "schemathesis.toml"
    config_file.write_text(
        f"""
[auth.wfc]
path = "{auth_file}"
peers = ["alice", "bob"]

[generation]
allow-x00 = false

# A schema cannot state every business rule (a closed month, a factory of another county, figures that
# contradict each other): schema-valid writes may be refused with 400 and the service's message.
[[operations]]
include-method-regex = "^(POST|PATCH)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
"""
    )
    started = time.monotonic()

    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(config_file),
            "run",
            f"{live_api}/api/schema/",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES_PER_OPERATION),
            "--seed",
            str(SEED),
            "--workers",
            "2",
            "--request-timeout",
            "30",
        ],
        cwd=tmp_path,  # .schemathesis/ and .hypothesis/ stay out of the checkout
        capture_output=True,
        text=True,
        timeout=600,
    )

    elapsed_seconds = time.monotonic() - started
    output = run.stdout + run.stderr
    summary = re.search(r"Test cases:\s*\n\s*(.+)", output)
    print(f"schemathesis: {elapsed_seconds:.0f} s; {summary.group(1) if summary else '?'}")
    assert run.returncode == 0, output[-20_000:]
    assert "Selected: 36/36" in output
    assert "object_level_authorization` will not run" not in output
