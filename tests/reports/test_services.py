"""The report workflow's services: every transition, allowed and refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factories import selectors, services
from factories.models import MonthlyReport, ReportEvent
from factories.selectors import add_months
from regional.exceptions import ConflictError
from standings.models import RecomputeRequest
from tests.builders import MonthlyReportBuilder
from tests.reports.conftest import figures

pytestmark = pytest.mark.django_db


def draft(factory, month, user, **overrides):
    return services.report_save_draft(factory=factory, month=month, data=figures(**overrides), user=user)


# --- deadline -----------------------------------------------------------------------------------------


def test_a_month_closes_ten_days_after_it_ends_by_default():
    march = datetime.date(2025, 3, 1)

    assert selectors.entry_deadline(march) == datetime.date(2025, 4, 10)
    assert selectors.is_month_open(march, today=datetime.date(2025, 4, 10)) is True
    assert selectors.is_month_open(march, today=datetime.date(2025, 4, 11)) is False
    assert selectors.is_month_open(march, today=datetime.date(2025, 2, 28)) is False


def test_the_entry_period_follows_the_setting(settings):
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = 3

    assert selectors.entry_deadline(datetime.date(2024, 2, 1)) == datetime.date(2024, 3, 3)


def test_a_closed_month_says_when_its_entry_period_ended():
    reason = selectors.month_closed_reason(datetime.date(2025, 3, 1), today=datetime.date(2025, 5, 1))

    assert reason == "The entry period for March 2025 ended on 10 April 2025."


# --- saving a draft -----------------------------------------------------------------------------------


def test_county_official_saves_a_draft_for_an_open_month(alice, alpha_factory, open_month):
    report = draft(alpha_factory, open_month, alice, comment="  first figures ")

    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.output_value_thousand_won == Decimal("10000.00")
    assert report.days_worked == 24
    assert report.comment == "first figures"
    assert report.created_by == alice
    assert report.version == 1


def test_saving_again_updates_the_same_draft_and_bumps_its_version(alice, alpha_factory, open_month):
    first = draft(alpha_factory, open_month, alice)

    second = services.report_save_draft(
        factory=alpha_factory, month=open_month, data={"workers_on_roll": 130}, user=alice, expected_version=1
    )

    assert second.pk == first.pk
    assert second.version == 2
    assert MonthlyReport.objects.get(pk=first.pk).workers_on_roll == 130
    assert MonthlyReport.objects.count() == 1


def test_a_save_based_on_a_stale_version_is_a_conflict_and_changes_nothing(alice, alpha_factory, open_month):
    draft(alpha_factory, open_month, alice)
    services.report_save_draft(factory=alpha_factory, month=open_month, data={"days_worked": 20}, user=alice)

    with pytest.raises(ConflictError):
        services.report_save_draft(
            factory=alpha_factory, month=open_month, data={"days_worked": 10}, user=alice, expected_version=1
        )

    assert MonthlyReport.objects.get().days_worked == 20


def test_another_countys_official_may_not_enter_the_factorys_report(bob, alpha_factory, open_month):
    with pytest.raises(PermissionDenied):
        draft(alpha_factory, open_month, bob)
    assert MonthlyReport.objects.count() == 0


@pytest.mark.parametrize("persona", ["carol", "erin", "frank"])
def test_only_county_officials_enter_reports(persona, request, alpha_factory, open_month):
    with pytest.raises(PermissionDenied):
        draft(alpha_factory, open_month, request.getfixturevalue(persona))


def test_own_base_raw_material_above_the_raw_material_used_is_refused_on_that_field(alice, alpha_factory, open_month):
    with pytest.raises(ValidationError) as raised:
        draft(alpha_factory, open_month, alice, raw_material_used_tonnes="50", raw_material_from_own_bases_tonnes="60")

    assert raised.value.message_dict == {
        "raw_material_from_own_bases_tonnes": [
            "Raw material from own bases (60 t) cannot exceed the raw material used (50 t)."
        ]
    }
    assert MonthlyReport.objects.count() == 0


def test_more_days_worked_than_the_month_has_is_refused(alice, alpha_factory, open_month):
    days = selectors.days_in_month(open_month)

    with pytest.raises(ValidationError) as raised:
        draft(alpha_factory, open_month, alice, days_worked=days + 1)

    assert raised.value.message_dict == {
        "days_worked": [f"{selectors.month_label(open_month)} has {days} days; days worked cannot be more."]
    }


def test_negative_and_non_numeric_figures_are_refused_field_by_field(alice, alpha_factory, open_month):
    with pytest.raises(ValidationError) as raised:
        draft(alpha_factory, open_month, alice, output_value_thousand_won="-1", workers_on_roll="many")

    assert raised.value.message_dict == {
        "output_value_thousand_won": ["Enter zero or more."],
        "workers_on_roll": ["Enter a number."],
    }


def test_a_closed_month_cannot_be_entered_and_the_refusal_says_why(alice, alpha_factory, closed_month):
    with pytest.raises(ValidationError) as raised:
        draft(alpha_factory, closed_month, alice)

    deadline = selectors.day_label(selectors.entry_deadline(closed_month))
    assert raised.value.messages == [f"The entry period for {selectors.month_label(closed_month)} ended on {deadline}."]


def test_a_submitted_report_is_read_only_to_the_county(alice, alpha_factory, open_month):
    report = services.report_submit(report=draft(alpha_factory, open_month, alice), user=alice)

    with pytest.raises(ValidationError) as raised:
        draft(alpha_factory, open_month, alice, days_worked=1)

    assert "waiting for review" in raised.value.messages[0]
    assert MonthlyReport.objects.get(pk=report.pk).days_worked == 24


# --- submitting ---------------------------------------------------------------------------------------


def test_submission_is_recorded_and_first_submission_time_kept_on_resubmission(alice, carol, alpha_factory, open_month):
    report = services.report_submit(report=draft(alpha_factory, open_month, alice), user=alice)
    first_time = report.first_submitted_at
    services.report_return(report=report, user=carol, reason="Days worked look wrong.")
    draft(alpha_factory, open_month, alice, days_worked=22)

    report = services.report_submit(report=report, user=alice)

    assert report.status == MonthlyReport.Status.SUBMITTED
    assert report.first_submitted_at == first_time
    assert report.submitted_at > first_time
    assert report.return_reason == ""
    assert list(report.events.values_list("kind", flat=True)) == ["submitted", "returned", "submitted"]


def test_output_above_design_capacity_needs_a_comment_before_submission(alice, alpha_factory, open_month):
    report = draft(alpha_factory, open_month, alice, physical_output="500.01")

    with pytest.raises(ValidationError) as raised:
        services.report_submit(report=report, user=alice)

    assert raised.value.message_dict == {
        "comment": ["Explain the figures flagged above in the comment before submitting."]
    }
    assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.DRAFT

    draft(alpha_factory, open_month, alice, physical_output="500.01", comment="New line commissioned.")
    report = services.report_submit(report=report, user=alice)

    assert report.status == MonthlyReport.Status.SUBMITTED
    assert report.warnings_acknowledged is True


def test_output_far_from_the_factorys_median_is_flagged_both_ways(alice, alpha_factory, open_month):
    for months_back, value in enumerate([9000, 10000, 11000], start=1):
        MonthlyReportBuilder(
            factory=alpha_factory,
            month=add_months(open_month, -months_back),
            approved=True,
            output_value_thousand_won=Decimal(value),
        )
    # A draft older than 12 months or unapproved does not count.
    MonthlyReportBuilder(factory=alpha_factory, month=add_months(open_month, -4), output_value_thousand_won=1)

    high = MonthlyReport(
        factory=alpha_factory,
        month=open_month,
        output_value_thousand_won=Decimal("30001"),
        physical_output=Decimal(100),
    )
    usual = MonthlyReport(
        factory=alpha_factory,
        month=open_month,
        output_value_thousand_won=Decimal("30000"),
        physical_output=Decimal(100),
    )
    low = MonthlyReport(
        factory=alpha_factory, month=open_month, output_value_thousand_won=Decimal("3000"), physical_output=Decimal(100)
    )

    assert selectors.report_warnings(report=high) == [
        "Output value 30,001.00 is more than 3 times the factory's median of 10,000.00 over its last 3 approved months."
    ]
    assert selectors.report_warnings(report=usual) == []
    assert selectors.report_warnings(report=low) == [
        "Output value 3,000.00 is less than a third of the factory's median of 10,000.00 over its last 3 "
        "approved months."
    ]


def test_only_the_countys_officials_submit(alice, bob, carol, alpha_factory, open_month):
    report = draft(alpha_factory, open_month, alice)

    for outsider in (bob, carol):
        with pytest.raises(PermissionDenied):
            services.report_submit(report=report, user=outsider)

    assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.DRAFT


# --- review -------------------------------------------------------------------------------------------


def test_provincial_official_approves_a_submitted_report_and_a_recompute_is_requested(
    alice, carol, alpha_factory, open_month
):
    report = services.report_submit(report=draft(alpha_factory, open_month, alice), user=alice)

    report = services.report_approve(report=report, user=carol, expected_version=report.version)

    assert report.status == MonthlyReport.Status.APPROVED
    assert report.approved_by == carol
    event = report.events.get(kind=ReportEvent.Kind.APPROVED)
    assert event.actor == carol
    assert RecomputeRequest.objects.get(year=open_month.year).is_pending is True


def test_a_draft_cannot_be_approved(alice, carol, alpha_factory, open_month):
    report = draft(alpha_factory, open_month, alice)

    with pytest.raises(ValidationError) as raised:
        services.report_approve(report=report, user=carol)

    assert raised.value.messages == ["Only submitted reports can be approved; this one is draft."]
    assert not RecomputeRequest.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "dave", "erin", "frank"])
def test_only_the_provinces_officials_approve_or_return(persona, request, alice, alpha_factory, open_month):
    report = services.report_submit(report=draft(alpha_factory, open_month, alice), user=alice)
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=user)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, user=user, reason="no")

    assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.SUBMITTED


def test_returning_needs_a_reason_the_county_will_see(alice, carol, alpha_factory, open_month):
    report = services.report_submit(report=draft(alpha_factory, open_month, alice), user=alice)

    with pytest.raises(ValidationError) as raised:
        services.report_return(report=report, user=carol, reason="   ")
    assert raised.value.message_dict == {"reason": ["Say what the county must correct."]}

    report = services.report_return(report=report, user=carol, reason="Raw material seems low.")
    assert report.status == MonthlyReport.Status.RETURNED
    assert report.return_reason == "Raw material seems low."
    assert report.events.get(kind="returned").reason == "Raw material seems low."


def test_approving_with_a_stale_version_is_a_conflict(alice, carol, alpha_factory, open_month):
    report = services.report_submit(report=draft(alpha_factory, open_month, alice), user=alice)

    with pytest.raises(ConflictError):
        services.report_approve(report=report, user=carol, expected_version=report.version - 1)

    assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.SUBMITTED


def test_bulk_approval_approves_only_submitted_reports_in_scope(alice, carol, alpha_factory, gamma_factory, open_month):
    submitted = [
        MonthlyReportBuilder(factory=alpha_factory, month=add_months(open_month, -n), submitted=True) for n in range(3)
    ]
    a_draft = MonthlyReportBuilder(factory=alpha_factory, month=add_months(open_month, -3))
    elsewhere = MonthlyReportBuilder(factory=gamma_factory, month=open_month, submitted=True)

    count = services.reports_approve_bulk(reports=MonthlyReport.objects.all(), user=carol)

    assert count == 3
    statuses = dict(MonthlyReport.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in submitted] == ["approved"] * 3
    assert statuses[a_draft.pk] == "draft"
    assert statuses[elsewhere.pk] == "submitted"
    assert ReportEvent.objects.filter(kind="approved", actor=carol).count() == 3
    assert submitted[0].history.latest().history_user == carol
    assert MonthlyReport.objects.get(pk=submitted[0].pk).version == 2


# --- reopening ----------------------------------------------------------------------------------------


def test_administrator_reopens_an_approved_report_of_a_closed_month_for_the_county(
    alice, frank, alpha_factory, closed_month
):
    report = MonthlyReportBuilder(factory=alpha_factory, month=closed_month, approved=True, approved_by=frank)

    report = services.report_reopen(report=report, user=frank, reason="Output value was keyed in won.")

    assert report.status == MonthlyReport.Status.DRAFT
    assert report.approved_at is None
    event = report.events.get(kind="reopened")
    assert (event.actor, event.reason) == (frank, "Output value was keyed in won.")
    assert RecomputeRequest.objects.get(year=closed_month.year).is_pending is True
    # The county may now correct it although its month is closed, and submit it again.
    services.report_save_draft(
        factory=alpha_factory, month=closed_month, data={"output_value_thousand_won": "10.5"}, user=alice
    )
    report = services.report_submit(report=report, user=alice)
    assert report.status == MonthlyReport.Status.SUBMITTED


@pytest.mark.parametrize("persona", ["alice", "carol", "erin"])
def test_only_administrators_reopen(persona, request, alpha_factory, closed_month):
    report = MonthlyReportBuilder(factory=alpha_factory, month=closed_month, approved=True)

    with pytest.raises(PermissionDenied):
        services.report_reopen(report=report, user=request.getfixturevalue(persona), reason="please")

    assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.APPROVED


def test_reopening_needs_a_reason_and_a_locked_report(alice, frank, alpha_factory, open_month):
    report = draft(alpha_factory, open_month, alice)

    with pytest.raises(ValidationError) as raised:
        services.report_reopen(report=report, user=frank, reason="")
    assert raised.value.message_dict == {"reason": ["Say why the report is reopened."]}
    with pytest.raises(ValidationError) as raised:
        services.report_reopen(report=report, user=frank, reason="why not")
    assert raised.value.messages == ["This report is still open for entry; there is nothing to reopen."]


# --- history ------------------------------------------------------------------------------------------


def test_every_change_keeps_who_when_and_the_old_and_new_values(alice, carol, alpha_factory, open_month):
    report = draft(alpha_factory, open_month, alice)
    services.report_save_draft(factory=alpha_factory, month=open_month, data={"days_worked": 20}, user=alice)
    report = services.report_submit(report=report, user=alice)
    services.report_approve(report=report, user=carol)

    history = selectors.report_history(report=report)

    assert [(entry.user.username, entry.kind) for entry in history] == [
        ("carol", "changed"),
        ("alice", "changed"),
        ("alice", "changed"),
        ("alice", "created"),
    ]
    assert history[0].changes == [("Status", "submitted", "approved")]
    assert history[2].changes == [("Days worked", 24, 20)]
