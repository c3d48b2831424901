"""The v1.1 migrations on existing rows: undated factories "in operation", and the methodology versions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("factories", "0004_late_entry_grant")]
AFTER = [("factories", "0005_factory_in_operation_has_commissioning_date")]


@pytest.fixture
def latest_schema_afterwards():
    """The test leaves `factories` at AFTER, behind the later migrations: migrate everything forward again, or
    every test after it in the run would meet a schema without their tables (factories_facility, …)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_factory_in_operation_without_a_date_goes_back_to_under_construction_and_no_date_is_guessed(
    alpha_county, latest_schema_afterwards
):
    # Given the schema before v1.1 and two factories in operation, one without a commissioning date
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Factory = executor.loader.project_state(BEFORE).apps.get_model("factories", "Factory")
    Factory.objects.create(
        code="dated",
        county_id=alpha_county.pk,
        name="Dated",
        kind="foodstuff",
        status="in_operation",
        commissioned_on="2024-05-01",
    )
    Factory.objects.create(
        code="undated",
        county_id=alpha_county.pk,
        name="Undated",
        kind="garment",
        status="in_operation",
        commissioned_on=None,
    )

    # When the v1.1 migration runs
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    # Then the undated one is under construction (it never operated under v1.1), still without a date
    from factories.models import Factory as CurrentFactory

    rows = dict(CurrentFactory.objects.filter(code__in=["dated", "undated"]).values_list("code", "status"))
    assert rows == {"dated": "in_operation", "undated": "under_construction"}
    assert CurrentFactory.objects.get(code="undated").commissioned_on is None


@pytest.mark.django_db
def test_existing_methodology_versions_stay_v1_and_v1_1_is_the_newest():
    from standings.models import Methodology

    assert list(Methodology.objects.order_by("version").values_list("version", "rules")) == [(1, "1"), (2, "1.1")]
