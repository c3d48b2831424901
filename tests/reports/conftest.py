"""Shared fixtures of the report tests: one operating factory per persona county, and months relative to
today so deadlines behave as they will in production."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from factories.selectors import add_months, first_of_month
from tests.builders import AnnualPlanBuilder, FactoryBuilder


@pytest.fixture
def open_month(settings):
    """Last month: ended, so its reports can be submitted, and still open for entry. The entry period is
    lengthened to 40 days so that this holds on whatever day of the month the suite runs."""
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = 40
    return add_months(first_of_month(timezone.localdate()), -1)


@pytest.fixture
def month_in_progress():
    """The current month: drafts can be saved, nothing can be submitted before it ends."""
    return first_of_month(timezone.localdate())


@pytest.fixture
def closed_month():
    """Three months ago: its entry period ended at least seven weeks ago."""
    return add_months(first_of_month(timezone.localdate()), -3)


@pytest.fixture
def alpha_factory(alpha_county):
    return FactoryBuilder(
        code="alpha-foodstuff", county=alpha_county, name="Alpha Foodstuff Factory", design_capacity=Decimal(6000)
    )


@pytest.fixture
def beta_factory(beta_county):
    return FactoryBuilder(
        code="beta-garment", county=beta_county, name="Beta Garment Factory", kind="garment", design_capacity=6000
    )


@pytest.fixture
def gamma_factory(gamma_county):
    return FactoryBuilder(
        code="gamma-paper", county=gamma_county, name="Gamma Paper Mill", kind="paper", design_capacity=6000
    )


@pytest.fixture
def alpha_plan(alpha_factory, open_month):
    return AnnualPlanBuilder(factory=alpha_factory, year=open_month.year)


def figures(**overrides):
    """A plausible month's figures, as a county official types them."""
    data = {
        "output_value_thousand_won": "10000",
        "physical_output": "100",
        "varieties_produced": 15,
        "raw_material_used_tonnes": "80",
        "raw_material_from_own_bases_tonnes": "60",
        "days_worked": 24,
        "workers_on_roll": 120,
        "comment": "",
    }
    data.update(overrides)
    return data


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
