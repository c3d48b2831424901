"""API fixtures: token clients for the personas and a small, exactly known data set."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from factories.selectors import add_months
from standings.models import CountyStanding, Methodology, StandingsRun
from tests.builders import AnnualPlanBuilder, FactoryBuilder, MonthlyReportBuilder


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    # The throttle counts live in the cache; one test's requests must not spend the next test's budget.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous():
    return APIClient()


def token_client(user) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_user():
    return token_client


def reporting_month() -> datetime.date:
    """Last month: ended, so its reports can be submitted, and open for entry with `long_entry_period`."""
    return add_months(timezone.localdate().replace(day=1), -1)


@pytest.fixture(autouse=True)
def long_entry_period(settings):
    """40 days after the month ends, so that last month is open for entry on any day the suite runs."""
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = 40


@pytest.fixture
def world(alpha_county, beta_county, gamma_county):
    """One factory per county with an annual plan and two reports each (March 2025 approved, April 2025 draft)."""
    factories = {
        county.name_en: FactoryBuilder(code=f"{county.name_en.lower()}-foodstuff", county=county)
        for county in (alpha_county, beta_county, gamma_county)
    }
    reports = {}
    for name, factory in factories.items():
        AnnualPlanBuilder(factory=factory, year=2025)
        march, april = datetime.date(2025, 3, 1), datetime.date(2025, 4, 1)
        reports[(name, "approved")] = MonthlyReportBuilder(factory=factory, month=march, approved=True)
        reports[(name, "draft")] = MonthlyReportBuilder(factory=factory, month=april)
    return {"factories": factories, "reports": reports}


def standings_run(*, year: int, counties, previous_run=None) -> StandingsRun:
    """A run with the counties ranked in the order given (composite 90, 89, …)."""
    methodology, _ = Methodology.objects.get_or_create(version=1)
    run = StandingsRun.objects.create(
        year=year,
        methodology=methodology,
        weights={"plan_fulfilment": "35.00", "growth": "20.00"},
        cutoff_at=timezone.now(),
        inputs_hash="0" * 64,
        trigger=StandingsRun.Trigger.MANUAL,
        previous_run=previous_run,
        ranked_count=len(counties),
        listed_count=len(counties),
    )
    CountyStanding.objects.bulk_create(
        CountyStanding(
            run=run,
            county=county,
            operating_months=12,
            counted_months=12,
            is_ranked=True,
            plan_fulfilment=Decimal("0.95"),
            score_plan_fulfilment=Decimal(100 - position),
            composite=Decimal(90 - position),
            rank=position + 1,
            province_rank=position + 1,
        )
        for position, county in enumerate(counties)
    )
    return run


class PlainDecimalsSerializer(serializers.ModelSerializer):
    """DRF's own DecimalFields of every decimal column of a county's standing: what the API must write."""

    class Meta:
        model = CountyStanding
        fields = [field.name for field in CountyStanding._meta.fields if field.get_internal_type() == "DecimalField"]
