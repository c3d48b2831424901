"""Late entry: an administrator lets a county enter the report of a month that closed with no report at all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from factories import selectors, services
from factories.models import LateEntryGrant, MonthlyReport
from regional.models import SecurityEvent
from tests.builders import MonthlyReportBuilder
from tests.conftest import client_for
from tests.reports.conftest import figures

pytestmark = pytest.mark.django_db


def allow(factory, month, user, reason="The county office was flooded; the figures were on paper."):
    return services.late_entry_allow(factory=factory, month=month, user=user, reason=reason)


def test_without_permission_a_closed_month_with_no_report_cannot_be_entered(alice, alpha_factory, closed_month):
    with pytest.raises(ValidationError) as raised:
        services.report_save_draft(factory=alpha_factory, month=closed_month, data=figures(), user=alice)

    assert raised.value.messages[0].startswith("The entry period for")
    assert not MonthlyReport.objects.exists()


def test_after_a_late_entry_is_allowed_the_county_enters_and_submits_and_it_counts_as_late(
    alice, carol, frank, alpha_factory, closed_month
):
    grant = allow(alpha_factory, closed_month, frank)

    report = services.report_save_draft(factory=alpha_factory, month=closed_month, data=figures(), user=alice)
    report = services.report_submit(report=report, user=alice)
    services.report_approve(report=report, user=carol)

    report.refresh_from_db()
    assert (report.status, report.created_by) == (MonthlyReport.Status.APPROVED, alice)
    # The report's timeline starts with the administrator's decision and its reason.
    first_event = report.events.order_by("at", "pk").first()
    assert (first_event.kind, first_event.actor, first_event.reason) == ("reopened", frank, grant.reason)
    # Submitted after the deadline: late in completeness (and so in the standings' discipline).
    [row] = selectors.completeness(user=carol, month=closed_month)
    assert (row.expected, row.submitted, row.on_time, row.approved) == (1, 1, 0, 1)


@pytest.mark.parametrize("persona", ["alice", "carol", "erin"])
def test_only_administrators_allow_late_entries(persona, request, alpha_factory, closed_month):
    with pytest.raises(PermissionDenied):
        allow(alpha_factory, closed_month, request.getfixturevalue(persona))

    assert not LateEntryGrant.objects.exists()


def test_a_late_entry_needs_a_reason_a_closed_month_and_no_report(
    alice, frank, alpha_factory, closed_month, open_month
):
    with pytest.raises(ValidationError) as raised:
        allow(alpha_factory, closed_month, frank, reason="   ")
    assert raised.value.message_dict == {"reason": ["Say why the report may be entered late."]}

    with pytest.raises(ValidationError) as raised:
        allow(alpha_factory, open_month, frank)
    assert "is not closed for entry" in raised.value.messages[0]

    MonthlyReportBuilder(factory=alpha_factory, month=selectors.add_months(closed_month, -1), approved=True)
    with pytest.raises(ValidationError) as raised:
        allow(alpha_factory, selectors.add_months(closed_month, -1), frank)
    assert raised.value.messages == ["A report of this month exists: reopen it from its page instead."]

    allow(alpha_factory, closed_month, frank)
    with pytest.raises(ValidationError) as raised:
        allow(alpha_factory, closed_month, frank)
    assert raised.value.messages == ["A late entry of this report is already allowed."]
    assert LateEntryGrant.objects.count() == 1


def test_a_late_entry_for_a_month_before_the_factory_operated_is_refused(frank, alpha_factory):
    alpha_factory.commissioned_on = alpha_factory.commissioned_on.replace(year=2024)
    alpha_factory.save()

    with pytest.raises(ValidationError) as raised:
        allow(alpha_factory, selectors.first_of_month(alpha_factory.commissioned_on.replace(year=2023)), frank)

    assert "was not in operation" in raised.value.messages[0]


def test_the_database_refuses_a_second_grant_or_one_without_a_reason(frank, alpha_factory, closed_month):
    allow(alpha_factory, closed_month, frank)

    for reason in ("again", ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            LateEntryGrant.objects.create(
                factory=alpha_factory,
                month=closed_month if reason else selectors.add_months(closed_month, -1),
                reason=reason,
                granted_by=frank,
                granted_at=timezone.now(),
            )


def test_another_countys_official_still_cannot_enter_it(bob, frank, alpha_factory, closed_month):
    allow(alpha_factory, closed_month, frank)

    with pytest.raises(PermissionDenied):
        services.report_save_draft(factory=alpha_factory, month=closed_month, data=figures(), user=bob)


# --- pages --------------------------------------------------------------------------------------------


def test_the_administrator_allows_it_from_the_completeness_page_and_the_county_sees_it(
    client, alice, frank, alpha_factory, beta_factory, closed_month
):
    completeness = reverse("reports:completeness") + f"?month={closed_month:%Y-%m}"
    late_entry_url = reverse("reports:late_entry_reopen", args=[alpha_factory.code, closed_month])

    page = client_for(client, frank).get(completeness).content.decode()
    assert late_entry_url in page  # one button per factory with nothing entered

    response = client.post(late_entry_url, {"late-reason": "The county office was flooded."})

    assert response.status_code == 302
    assert "may now enter its report" in client.get(response.url).content.decode()
    page = client.get(completeness).content.decode()
    assert "late entry allowed" in page and late_entry_url not in page
    # Recorded in the security log like any reopening, with who did it.
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REPORT_REOPENED, user=frank).count() == 1

    client.logout()
    this_month = client_for(client, alice).get(reverse("reports:this_month")).content.decode()
    entry_url = reverse("reports:report_entry", args=[alpha_factory.code, closed_month])
    assert "Late entry allowed" in this_month and entry_url in this_month
    entry_page = client.get(entry_url)
    assert entry_page.status_code == 200
    assert b"The county office was flooded." in entry_page.content
    assert b'data-testid="locked-reason"' not in entry_page.content

    response = client.post(entry_url, {**figures(), "action": "submit"})
    assert response.status_code == 302
    assert MonthlyReport.objects.get(factory=alpha_factory, month=closed_month).status == "submitted"
    # Entered: no longer listed as waiting.
    assert "Late entry allowed" not in client.get(reverse("reports:this_month")).content.decode()


def test_the_late_entry_form_says_what_is_wrong(client, frank, alpha_factory, open_month):
    url = reverse("reports:late_entry_reopen", args=[alpha_factory.code, open_month])

    response = client_for(client, frank).post(url, {"late-reason": "please"})

    assert response.status_code == 400
    assert "is not closed for entry" in response.content.decode()
    assert not LateEntryGrant.objects.exists()


def test_only_administrators_see_the_late_entry_buttons(client, carol, alpha_factory, closed_month):
    page = client_for(client, carol).get(reverse("reports:completeness") + f"?month={closed_month:%Y-%m}")

    assert page.status_code == 200
    assert b"Allow late entry" not in page.content


def test_a_draft_left_in_a_closed_month_links_to_its_page_instead_of_a_late_entry(
    client, alice, frank, alpha_factory, closed_month
):
    draft = MonthlyReportBuilder(factory=alpha_factory, month=closed_month, created_by=alice)

    page = client_for(client, frank).get(reverse("reports:completeness") + f"?month={closed_month:%Y-%m}")

    content = page.content.decode()
    assert reverse("reports:report_detail", args=[draft.pk]) in content  # where it can be reopened
    assert reverse("reports:late_entry_reopen", args=[alpha_factory.code, closed_month]) not in content
