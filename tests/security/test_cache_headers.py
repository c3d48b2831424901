"""Private answers stay out of browser and proxy caches: every page, export and API response shown to a
signed-in user or an API token says `Cache-Control: no-store`."""

import datetime

import pytest
from django.urls import reverse

from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for
from tests.security.conftest import token_client


@pytest.fixture
def approved_report(alpha_county):
    factory = FactoryBuilder(code="alpha-foodstuff", county=alpha_county)
    return MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 3, 1), approved=True)


def _is_not_stored(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "url_name",
    ["reports:report_detail", "reports:report_list", "reports:report_export_csv", "reports:report_export_xlsx"],
)
def test_report_pages_and_exports_are_never_stored(client, carol, approved_report, url_name):
    client_for(client, carol)
    args = [approved_report.pk] if url_name == "reports:report_detail" else []

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert _is_not_stored(response)


@pytest.mark.parametrize("url_name", ["api:report-list", "api:report-detail", "api:me"])
def test_api_answers_to_a_token_are_never_stored(alice, approved_report, url_name):
    client, _token = token_client(alice)
    args = [approved_report.pk] if url_name == "api:report-detail" else []

    for fmt in ({}, {"format": "csv"}) if url_name == "api:report-list" else ({},):
        response = client.get(reverse(url_name, args=args), fmt)
        assert response.status_code == 200
        assert _is_not_stored(response)


def test_a_refusal_to_a_signed_in_user_is_not_stored_either(client, bob, approved_report):
    client_for(client, bob)

    response = client.get(reverse("reports:report_detail", args=[approved_report.pk]))

    assert response.status_code == 404
    assert _is_not_stored(response)
