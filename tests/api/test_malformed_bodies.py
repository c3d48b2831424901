"""Bodies no client should send: deeply nested JSON and bodies over the size limit. Each gets a JSON 400 with a
message, on the anonymous token endpoint as on the report workflow, never a 500 or the site's HTML page."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from factories.models import MonthlyReport
from tests.builders import FactoryBuilder, MonthlyReportBuilder

NESTED_BRACKETS = b"[" * 2048 + b"]" * 2048  # 4 KB


@pytest.fixture
def submitted_report(alpha_county):
    factory = FactoryBuilder(code="alpha-foodstuff", county=alpha_county)
    report = MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 3, 1))
    MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.SUBMITTED)
    return report


def _assert_json_400(response, *, mentions: str) -> None:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert mentions in response.json()["detail"]


def test_nested_brackets_on_the_anonymous_token_endpoint_get_a_json_400(anonymous):
    response = anonymous.post(reverse("api:token-obtain"), NESTED_BRACKETS, content_type="application/json")

    _assert_json_400(response, mentions="nested too deeply")


@pytest.mark.parametrize(("action", "persona"), [("submit", "alice"), ("approve", "carol")])
def test_nested_brackets_on_the_report_workflow_get_a_json_400_and_change_nothing(
    as_user, submitted_report, action, persona, request
):
    client = as_user(request.getfixturevalue(persona))

    response = client.post(
        reverse(f"api:report-{action}", args=[submitted_report.pk]), NESTED_BRACKETS, content_type="application/json"
    )

    _assert_json_400(response, mentions="nested too deeply")
    submitted_report.refresh_from_db()
    assert submitted_report.status == MonthlyReport.Status.SUBMITTED


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_body_over_the_size_limit_gets_a_json_400_saying_so(anonymous, content_type):
    body = b'{"username": "' + b"a" * 2000 + b'", "password": "x"}'
    if content_type != "application/json":
        body = b"username=" + b"a" * 2000 + b"&password=x"

    response = anonymous.post(reverse("api:token-obtain"), body, content_type=content_type)

    _assert_json_400(response, mentions="too large")
