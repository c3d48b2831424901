"""docker-compose.yml is validated by a Compose-spec parser: there is no Docker engine on these machines.

The parser does not resolve YAML merge keys (`<<: *django`), so the file is first loaded as YAML (which
resolves them, as Docker Compose does) and the effective configuration is validated.
"""

import json
from pathlib import Path

import pytest
import yaml
from compose_spec import PyCompose

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def validate_compose(text: str) -> PyCompose:
    return PyCompose.from_json(json.dumps(yaml.safe_load(text)))


def test_compose_file_is_valid_compose_spec():
    compose = validate_compose(COMPOSE_FILE.read_text())

    assert sorted(compose.service_names()) == ["beat", "db", "redis", "web", "worker"]


def test_compose_runs_the_production_shape_with_health_checks():
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]

    assert all("healthcheck" in service for service in services.values())
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DJANGO_DEBUG"] == "false"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_every_service_is_started_again_by_docker_when_its_process_exits():
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]

    assert {name: service.get("restart") for name, service in services.items()} == dict.fromkeys(
        ("db", "redis", "web", "worker", "beat"), "unless-stopped"
    )


@pytest.mark.parametrize(
    ("original", "broken", "complaint"),
    [
        ("restart: unless-stopped", "restart: sometimes", "unknown variant `sometimes`"),
        ("interval: 5s", "interval: soon", "duration `soon`"),
        ("condition: service_healthy", "condition: whenever", "unknown variant `whenever`"),
    ],
)
def test_a_broken_compose_file_is_rejected_with_the_reason(original, broken, complaint):
    text = COMPOSE_FILE.read_text().replace(original, broken, 1)

    with pytest.raises(ValueError, match=complaint):
        validate_compose(text)


def test_health_endpoint_answers_for_the_container_health_check(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
