"""The workflow's refusals that no other test reaches, and the recompute requests that bulk approval and an
import of approved reports leave behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from factories import services
from factories.models import MonthlyReport
from factories.selectors import day_label, entry_deadline, month_label
from regional.exceptions import ConflictError
from standings.models import RecomputeRequest
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.reports.conftest import figures

pytestmark = pytest.mark.django_db


def test_a_report_that_is_not_submitted_cannot_be_returned(carol, alpha_factory, open_month):
    report = MonthlyReportBuilder(factory=alpha_factory, month=open_month)

    with pytest.raises(ValidationError) as raised:
        services.report_return(report=report, user=carol, reason="Days worked look wrong.")

    assert raised.value.messages == ["Only submitted reports can be returned; this one is draft."]
    report.refresh_from_db()
    assert (report.status, report.return_reason, report.events.count()) == ("draft", "", 0)


def test_a_version_sent_for_a_report_that_does_not_exist_is_a_conflict(alice, alpha_factory, open_month):
    with pytest.raises(ConflictError) as raised:
        services.report_save_draft(
            factory=alpha_factory, month=open_month, data=figures(), user=alice, expected_version=3
        )

    assert str(raised.value) == "This report does not exist yet; it cannot have a version."
    assert not MonthlyReport.objects.exists()


def test_a_draft_for_a_month_before_the_factory_operated_is_refused(alice, alpha_county, open_month):
    factory = FactoryBuilder(
        county=alpha_county, code="alpha-new", name="Alpha New Factory", commissioned_on=open_month
    )
    month_before = (open_month - datetime.timedelta(days=1)).replace(day=1)

    with pytest.raises(ValidationError) as raised:
        services.report_save_draft(factory=factory, month=month_before, data=figures(), user=alice)

    assert raised.value.message_dict == {
        "month": [f"Alpha New Factory was not in operation in {month_label(month_before)}."]
    }
    assert not MonthlyReport.objects.exists()


def test_a_draft_left_in_a_month_that_closed_cannot_be_submitted(alice, alpha_factory, closed_month):
    report = MonthlyReportBuilder(factory=alpha_factory, month=closed_month)

    with pytest.raises(ValidationError) as raised:
        services.report_submit(report=report, user=alice)

    deadline = day_label(entry_deadline(closed_month))
    assert raised.value.messages == [f"The entry period for {month_label(closed_month)} ended on {deadline}."]
    report.refresh_from_db()
    assert (report.status, report.first_submitted_at) == ("draft", None)


def test_bulk_approval_requests_a_recompute_of_every_year_it_touched(carol, alpha_factory):
    for month in (datetime.date(2024, 12, 1), datetime.date(2025, 1, 1)):
        MonthlyReportBuilder(factory=alpha_factory, month=month, submitted=True)

    assert services.reports_approve_bulk(reports=MonthlyReport.objects.all(), user=carol) == 2

    requests = RecomputeRequest.objects.order_by("year")
    assert [(r.year, r.is_pending, r.trigger, r.requested_by) for r in requests] == [
        (2024, True, "approval", carol),
        (2025, True, "approval", carol),
    ]


HEADER = (
    "factory_code,month,output_value_thousand_won,physical_output,varieties_produced,raw_material_used_tonnes,"
    "raw_material_from_own_bases_tonnes,days_worked,workers_on_roll,comment,status"
)


def _import(user, *lines):
    report_import, parsed = services.report_import_preview(
        user=user, file_name="reports.csv", content="\n".join([HEADER, *lines]) + "\n"
    )
    assert parsed.errors == []
    return services.report_import_commit(report_import=report_import, user=user)


def test_an_import_with_approved_reports_requests_a_recompute_of_their_years_only(carol, alpha_factory):
    _import(
        carol,
        "alpha-foodstuff,2024-11,10000,100,15,80,60,24,120,,approved",
        "alpha-foodstuff,2025-02,10000,100,15,80,60,24,120,,submitted",
    )

    # 2025's report is only submitted: nothing in 2025's standings can change yet.
    requests = RecomputeRequest.objects.all()
    assert [(r.year, r.is_pending, r.requested_by) for r in requests] == [(2024, True, carol)]


def test_an_import_of_submitted_reports_only_requests_no_recompute(carol, alpha_factory):
    _import(carol, "alpha-foodstuff,2025-02,10000,100,15,80,60,24,120,,")

    assert MonthlyReport.objects.get().status == "submitted"
    assert not RecomputeRequest.objects.exists()
