"""Fuzz the live API from its own OpenAPI schema with schemathesis (gunicorn on 127.0.0.1, the test database).

Checks: no 5xx, responses (codes, content types, headers, bodies) as documented, invalid input refused and
valid input accepted, authentication enforced, and object-level authorization between two county officials
(`alice` and `bob`, peers who must not see each other's reports or plans). Every phase runs: the schema's
examples, coverage (boundary and invalid values of every parameter, unexpected methods), fuzzing and stateful
sequences; the operations on one report, plan or run are given an existing one so they reach their logic.
Bounded to stay within minutes.
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

from tests.api.conftest import reporting_month, standings_run
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
    objects = {}
    for county in (alpha_county, beta_county, gamma_county):
        factory = FactoryBuilder(code=f"{county.name_en.lower()}-foodstuff", county=county)
        objects.setdefault("plan", AnnualPlanBuilder(factory=factory, year=2025).pk)
        MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 3, 1), approved=True)
        objects.setdefault("draft", MonthlyReportBuilder(factory=factory, month=reporting_month()).pk)
    objects["run"] = standings_run(year=2025, counties=[alpha_county, beta_county, gamma_county]).pk
    tokens = {user.username: Token.objects.get_or_create(user=user)[0].key for user in (alice, bob)}
    return {"tokens": tokens, "objects": objects}


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
        deadline = time.monotonic() + 120  # generous: gunicorn's start on a busy machine, not a measurement
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
                    for name, key in programme["tokens"].items()
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

# Objects that exist, so that the operations on one object reach their logic (and the peers' check has Alice's
# draft to try as Bob) instead of answering 404 to every generated id.
[[operations]]
include-path-regex = '^/api/v1/reports/[{{]id[}}]/'
parameters = {{ "path.id" = "{programme["objects"]["draft"]}" }}

[[operations]]
include-path = "/api/v1/annual-plans/{{id}}/"
parameters = {{ "path.id" = "{programme["objects"]["plan"]}" }}

[[operations]]
include-path-regex = "^/api/v1/standings/runs/"
parameters = {{ "path.id" = "{programme["objects"]["run"]}", "path.run_id" = {programme["objects"]["run"]} }}

# A schema cannot state every business rule (a closed month, a factory of another county, figures that
# contradict each other): schema-valid writes may be refused with 400 and the service's message.
[[operations]]
include-method-regex = "^(POST|PATCH)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
"""
    )
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(config_file),
            "run",
            f"{live_api}/api/schema/",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
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

    output = run.stdout + run.stderr
    summary = re.search(r"Test cases:\s*\n\s*(.+)", output)
    print(f"schemathesis: {summary.group(1) if summary else '?'}")
    assert run.returncode == 0, output[-20_000:]
    assert "Selected: 39/39" in output
    assert "object_level_authorization` will not run" not in output
