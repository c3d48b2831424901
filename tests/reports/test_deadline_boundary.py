"""The entry period's last second, in the programme's time zone (Asia/Pyongyang, UTC+9), on the county's side
(entering and submitting), the report page's on-time mark and the province's completeness count. March 2025's
entry period ends with 10 April 2025: 23:59:59 that day is inside it, 00:00:00 on 11 April is not. The instants
are written out by hand; a deadline taken at UTC midnight (nine hours later) fails these tests."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from factories import services
from factories.models import MonthlyReport
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.clock import frozen_at
from tests.conftest import client_for
from tests.reports.conftest import figures

pytestmark = pytest.mark.django_db

PYONGYANG = ZoneInfo("Asia/Pyongyang")
MARCH = datetime.date(2025, 3, 1)
LAST_SECOND = datetime.datetime(2025, 4, 10, 23, 59, 59, tzinfo=PYONGYANG)
MIDNIGHT_AFTER = datetime.datetime(2025, 4, 11, 0, 0, 0, tzinfo=PYONGYANG)


def test_the_county_enters_and_submits_in_the_last_second_of_the_entry_period(client, alice, alpha_factory):
    with frozen_at(LAST_SECOND):
        report = services.report_save_draft(factory=alpha_factory, month=MARCH, data=figures(), user=alice)
        report = services.report_submit(report=report, user=alice)
        client_for(client, alice)
        page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert report.first_submitted_at == LAST_SECOND
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.SUBMITTED
    assert '<span class="badge ok">on time</span>' in page


def test_at_midnight_after_the_deadline_day_the_month_is_closed_to_entry_and_submission(alice, alpha_factory):
    with frozen_at(LAST_SECOND):
        draft = services.report_save_draft(factory=alpha_factory, month=MARCH, data=figures(), user=alice)
    other_factory = FactoryBuilder(county=alpha_factory.county, code="alpha-garment", kind="garment")

    with frozen_at(MIDNIGHT_AFTER):
        with pytest.raises(ValidationError) as new_report:
            services.report_save_draft(factory=other_factory, month=MARCH, data=figures(), user=alice)
        with pytest.raises(ValidationError) as submission:
            services.report_submit(report=draft, user=alice)

    assert new_report.value.messages == ["The entry period for March 2025 ended on 10 April 2025."]
    assert submission.value.messages == ["The entry period for March 2025 ended on 10 April 2025."]
    assert list(MonthlyReport.objects.values_list("status", flat=True)) == [MonthlyReport.Status.DRAFT]


def test_a_report_first_submitted_at_midnight_after_the_deadline_day_is_marked_late(client, carol, alpha_factory):
    report = MonthlyReportBuilder(factory=alpha_factory, month=MARCH, submitted=True)
    MonthlyReport.objects.filter(pk=report.pk).update(first_submitted_at=MIDNIGHT_AFTER)
    client_for(client, carol)

    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert '<span class="badge bad">late</span>' in page


def test_completeness_counts_the_last_second_on_time_and_midnight_after_it_late(
    client, carol, alpha_factory, alpha_county
):
    garment = FactoryBuilder(county=alpha_county, code="alpha-garment", kind="garment", name="Alpha Garment Factory")
    for factory, first_submitted_at in ((alpha_factory, LAST_SECOND), (garment, MIDNIGHT_AFTER)):
        report = MonthlyReportBuilder(factory=factory, month=MARCH, submitted=True)
        MonthlyReport.objects.filter(pk=report.pk).update(first_submitted_at=first_submitted_at)
    client_for(client, carol)

    response = client.get(reverse("reports:completeness"), {"month": "2025-03"})

    alpha = {row.county_name: row for row in response.context["rows"]}["Alpha county"]
    assert (alpha.expected, alpha.submitted, alpha.on_time) == (2, 2, 1)
