"""Demo data is labelled DEMO wherever a decision is made, and the demo's return reasons fit its figures."""

import datetime
import statistics
from decimal import Decimal

import pytest
from django.urls import reverse

from factories.demo import demo_data_seed
from factories.models import MonthlyReport
from factories.selectors import MEDIAN_WINDOW_MONTHS, figure_problems
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_report(alpha_county, open_month):
    factory = FactoryBuilder(county=alpha_county, design_capacity=Decimal(6000), is_demo=True)
    return MonthlyReportBuilder(factory=factory, month=open_month, submitted=True, is_demo=True)


@pytest.mark.parametrize("page", ["reports:report_list", "reports:review_queue"])
def test_demo_reports_carry_the_demo_badge_on_lists(client, carol, demo_report, page):
    client_for(client, carol)

    response = client.get(reverse(page))

    assert 'class="badge demo"' in response.text


def test_a_demo_report_page_carries_the_demo_badge(client, carol, demo_report):
    client_for(client, carol)

    response = client.get(reverse("reports:report_detail", args=[demo_report.pk]))

    assert 'class="badge demo"' in response.text


def test_a_real_report_carries_no_demo_badge(client, carol, alpha_county, open_month):
    report = MonthlyReportBuilder(factory=FactoryBuilder(county=alpha_county), month=open_month, submitted=True)
    client_for(client, carol)

    for url in (reverse("reports:report_list"), reverse("reports:report_detail", args=[report.pk])):
        assert 'class="badge demo"' not in client.get(url).text


def test_every_demo_return_reason_describes_what_is_wrong_with_its_figures(reference_data):
    demo_data_seed(seed=7, today=datetime.date(2026, 3, 15))
    returned = list(MonthlyReport.objects.filter(status="returned").select_related("factory"))
    assert len(returned) > 10
    for report in returned:
        earlier = list(
            MonthlyReport.objects.filter(factory=report.factory, status="approved", month__lt=report.month)
            .order_by("-month")
            .values_list("output_value_thousand_won", flat=True)[:MEDIAN_WINDOW_MONTHS]
        )
        median = Decimal(statistics.median(earlier)) if earlier else None
        problems = figure_problems(report, median_output=median, monthly_capacity=report.factory.design_capacity / 12)
        assert report.return_reason in problems, (report, report.return_reason)
        if "own bases is 0 t" in report.return_reason:
            assert report.raw_material_from_own_bases_tonnes == 0
    assert not MonthlyReport.objects.filter(return_reason__icontains="days worked").exists()
