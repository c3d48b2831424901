"""The request budget per token, and the OpenAPI schema the clients and CI rely on."""

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from regional.api_support import csv_renderer_classes

pytestmark = pytest.mark.django_db

THREE_A_MINUTE = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/minute"}}


@override_settings(REST_FRAMEWORK=THREE_A_MINUTE)
def test_a_token_over_its_budget_gets_429_with_retry_after_and_another_token_does_not(alice, bob, as_user):
    alices = as_user(alice)
    statuses = [alices.get("/api/v1/provinces/").status_code for _ in range(4)]

    refused = alices.get("/api/v1/provinces/")

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert as_user(bob).get("/api/v1/provinces/").status_code == 200


@pytest.fixture
def schema(tmp_path):
    path = tmp_path / "schema.yaml"
    # The CI check: any warning (an undocumented view, an ambiguous enum) fails the build.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_the_schema_validates_and_documents_every_error_code_of_every_operation(schema):
    operations = {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }

    assert len(operations) == 39
    for (method, path), operation in operations.items():
        codes = set(operation["responses"])
        # 414: gunicorn refuses an over-long address before the app sees it
        assert {"400", "401", "403", "404", "414", "429"} <= codes, (method, path)
        if path.startswith("/api/v1/reports/") and method in ("POST", "PATCH"):
            assert "409" in codes, (method, path)


def test_the_report_inputs_have_no_field_that_moves_a_report_out_of_scope(schema):
    components = schema["components"]["schemas"]

    def writable(name):
        return {field for field, spec in components[name]["properties"].items() if not spec.get("readOnly")}

    figures = {
        "output_value_thousand_won",
        "physical_output",
        "varieties_produced",
        "raw_material_used_tonnes",
        "raw_material_from_own_bases_tonnes",
        "days_worked",
        "workers_on_roll",
        "comment",
    }
    assert writable("MonthlyReportUpdate") == figures | {"version"}
    assert writable("MonthlyReportCreate") == figures | {"factory", "month"}
    assert writable("ReportReturn") == {"reason", "version"}
    assert writable("MonthlyReport") == set()


def test_the_documentation_pages_load_only_from_our_own_host(client):
    swagger = client.get("/api/docs/")
    redoc = client.get("/api/redoc/")

    for page in (swagger, redoc):
        html = page.content.decode()
        assert page.status_code == 200
        assert "/static/drf_spectacular_sidecar/" in html
        assert "https://" not in html
        assert "<script>" not in html
    assert "script-src 'self'" in swagger["Content-Security-Policy"]


# --- the schema says what the API does ------------------------------------------------------------------------


def test_a_change_without_its_version_is_refused_as_the_schema_says(schema, as_user, alice, world):
    draft = world["reports"][("Alpha", "draft")]

    response = as_user(alice).patch(f"/api/v1/reports/{draft.pk}/", {"comment": "No version."}, format="json")

    assert "PatchedMonthlyReportUpdate" not in schema["components"]["schemas"]
    patch = schema["paths"]["/api/v1/reports/{id}/"]["patch"]["requestBody"]["content"]["application/json"]
    assert patch["schema"]["$ref"] == "#/components/schemas/MonthlyReportUpdate"
    assert schema["components"]["schemas"]["MonthlyReportUpdate"]["required"] == ["version"]
    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize("credentials", [{"username": "", "password": "x"}, {"username": "alice", "password": ""}])
def test_blank_credentials_are_refused_as_the_schema_says(schema, anonymous, alice, credentials):
    response = anonymous.post("/api/v1/auth/token/", credentials, format="json")

    token_request = schema["components"]["schemas"]["TokenRequest"]["properties"]
    assert token_request["username"]["minLength"] == token_request["password"]["minLength"] == 1
    assert response.status_code == 400
    assert set(response.json()) == {key for key, value in credentials.items() if not value}


@pytest.mark.parametrize("value", ["", "xml", "CSV"])
def test_a_format_the_endpoint_does_not_offer_is_a_400_that_lists_the_formats(as_user, alice, value):
    response = as_user(alice).get("/api/v1/reports/", {"format": value})

    # The formats this deployment offers: JSON, the browsable API when DEBUG is on, CSV
    offered = ", ".join(renderer.format for renderer in csv_renderer_classes())
    assert response.status_code == 400
    assert response.json() == {"format": [f"Choose one of: {offered}."]}
    assert offered.startswith("json") and offered.endswith("csv")


def test_the_formats_the_endpoint_offers_still_answer(as_user, alice):
    client = as_user(alice)

    assert client.get("/api/v1/reports/", {"format": "csv"})["Content-Type"].startswith("text/csv")
    assert client.get("/api/v1/reports/", {"format": "json"})["Content-Type"] == "application/json"
