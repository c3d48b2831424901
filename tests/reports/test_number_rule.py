"""One number rule on every surface (form, API, CSV import; docs/api.md and the README say the same): figures are
written with the digits 0-9 and a decimal point. Thousands separators, full-width or other scripts' digits,
decimal commas and exponents are refused with a sentence that says how to write the number."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories.models import MonthlyReport
from tests.api.conftest import token_client
from tests.conftest import client_for
from tests.reports.conftest import figures
from tests.reports.test_import_export import csv_of

pytestmark = pytest.mark.django_db

# What the county typed in "output value" → what every surface answers.
ADVICE = [
    ("9,500", "Write the number without thousands separators: 9500."),
    ("9 500", "Write the number without thousands separators: 9500."),
    ("９５００", "Write the number with the digits 0-9: 9500."),
    ("٩٥٠٠", "Write the number with the digits 0-9: 9500."),
    ("12,5", "Use a point for decimals: 12.5."),
    ("1e1500000", "Write the number in full, without an exponent (e)."),
    ("ten", "Enter a number."),
    ("12.345", "Enter at most two decimal places."),
]
# A count (workers on roll) → what every surface answers.
COUNT_ADVICE = [
    ("1,200", "Write the number without thousands separators: 1200."),
    ("１２０", "Write the number with the digits 0-9: 120."),
    ("120.5", "Enter a whole number."),
]


@pytest.mark.parametrize(("typed", "advice"), ADVICE)
def test_the_form_says_how_to_write_an_output_value(client, alice, alpha_factory, open_month, typed, advice):
    client_for(client, alice)
    url = reverse("reports:report_entry", args=[alpha_factory.code, f"{open_month:%Y-%m}"])

    response = client.post(url, {**figures(output_value_thousand_won=typed), "action": "save"})

    assert response.status_code == 400
    assert response.context["form"].errors["output_value_thousand_won"] == [advice]
    assert MonthlyReport.objects.count() == 0


@pytest.mark.parametrize(("typed", "advice"), COUNT_ADVICE)
def test_the_form_says_how_to_write_a_count(client, alice, alpha_factory, open_month, typed, advice):
    client_for(client, alice)
    url = reverse("reports:report_entry", args=[alpha_factory.code, f"{open_month:%Y-%m}"])

    response = client.post(url, {**figures(workers_on_roll=typed), "action": "save"})

    assert response.context["form"].errors["workers_on_roll"] == [advice]


def test_the_form_keeps_what_was_typed_so_it_can_be_corrected(client, alice, alpha_factory, open_month):
    client_for(client, alice)
    url = reverse("reports:report_entry", args=[alpha_factory.code, f"{open_month:%Y-%m}"])

    page = client.post(url, {**figures(output_value_thousand_won="9,500"), "action": "save"}).content.decode()

    # A text input with a numeric keyboard: the browser sends "9,500" as typed instead of dropping it.
    assert 'type="text" name="output_value_thousand_won" value="9,500" inputmode="decimal"' in page


@pytest.mark.parametrize(("typed", "advice"), ADVICE)
def test_the_api_says_the_same(alice, alpha_factory, open_month, typed, advice):
    body = {"factory": alpha_factory.code, "month": f"{open_month:%Y-%m}", **figures(output_value_thousand_won=typed)}

    response = token_client(alice).post("/api/v1/reports/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"output_value_thousand_won": [advice]}


@pytest.mark.parametrize(("typed", "advice"), COUNT_ADVICE)
def test_the_api_says_the_same_of_counts(alice, alpha_factory, open_month, typed, advice):
    body = {"factory": alpha_factory.code, "month": f"{open_month:%Y-%m}", **figures(workers_on_roll=typed)}

    response = token_client(alice).post("/api/v1/reports/", body, format="json")

    assert response.json() == {"workers_on_roll": [advice]}


def test_the_api_takes_json_numbers_and_plain_strings_alike(alice, alpha_factory, open_month):
    body = {
        "factory": alpha_factory.code,
        "month": f"{open_month:%Y-%m}",
        **figures(output_value_thousand_won=9500.5, physical_output="100.25", workers_on_roll="120"),
    }

    response = token_client(alice).post("/api/v1/reports/", body, format="json")

    assert response.status_code == 201
    assert response.json()["output_value_thousand_won"] == "9500.50"
    assert response.json()["workers_on_roll"] == 120


def test_the_api_bounds_the_comment_like_the_form(alice, alpha_factory, open_month):
    body = {"factory": alpha_factory.code, "month": f"{open_month:%Y-%m}", **figures(comment="x" * 4001)}

    response = token_client(alice).post("/api/v1/reports/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"comment": ["Keep the comment within 4000 characters."]}


def test_the_form_bounds_the_comment_at_the_same_length(client, alice, alpha_factory, open_month):
    client_for(client, alice)
    url = reverse("reports:report_entry", args=[alpha_factory.code, f"{open_month:%Y-%m}"])

    response = client.post(url, {**figures(comment="x" * 4001), "action": "save"})

    assert response.context["form"].errors["comment"] == ["Keep the comment within 4000 characters; this one has 4001."]


@pytest.mark.parametrize(("typed", "advice"), ADVICE)
def test_the_import_says_the_same(client, carol, alpha_factory, typed, advice):
    client_for(client, carol)
    line = f'alpha-foodstuff,2025-03,"{typed}",100,15,80,60,24,120,,'

    response = client.post(
        reverse("reports:report_import"), {"file": SimpleUploadedFile("x.csv", csv_of(line).encode())}
    )

    errors = [(error.line, error.message) for error in response.context["parsed"].errors]
    assert errors == [(2, f"output_value_thousand_won: {advice}")]
