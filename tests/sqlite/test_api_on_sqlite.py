"""`make run` uses SQLite: a run's standings come out of the API there with every decimal written as on
PostgreSQL (SQLite keeps decimals as doubles, so the database prints them with the field's places)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from standings.models import CountyStanding
from tests.api.conftest import PlainDecimalsSerializer, standings_run
from tests.builders import CountyBuilder, UserBuilder

pytestmark = pytest.mark.django_db


def test_a_runs_standings_carry_every_decimal_as_drf_writes_it_on_sqlite():
    counties = [CountyBuilder(slug=f"kp-sqlite-{name}", name_en=name.title()) for name in ("alpha", "beta")]
    run = standings_run(year=2025, counties=counties)
    run.county_standings.filter(county=counties[0]).update(
        growth=Decimal("-0.123456"),
        product_range=Decimal("0.1"),
        local_raw_materials=Decimal("123456.5"),
        score_growth=Decimal("0.01"),
        composite=Decimal("100"),
    )
    client = APIClient()
    client.force_authenticate(UserBuilder(username="analyst-api-sqlite", role="analyst"))

    rows = client.get(f"/api/v1/standings/runs/{run.pk}/standings/").json()["results"]

    expected = {
        standing.county.slug: PlainDecimalsSerializer(standing).data
        for standing in CountyStanding.objects.filter(run=run).select_related("county")
    }
    assert [{name: row[name] for name in expected[row["county"]]} for row in rows] == [
        expected[row["county"]] for row in rows
    ]
    assert (rows[0]["growth"], rows[0]["product_range"], rows[0]["composite"]) == ("-0.123456", "0.100000", "100.00")


def test_a_run_id_beyond_any_key_answers_404_on_sqlite():
    # SQLite's driver refuses an integer past 64 bits outright: it must never reach it as a parameter (a 500)
    client = APIClient()
    client.force_authenticate(UserBuilder(username="analyst-api-sqlite-huge", role="analyst"))

    response = client.get(f"/api/v1/standings/runs/{'9' * 20}/standings/")

    assert response.status_code == 404
