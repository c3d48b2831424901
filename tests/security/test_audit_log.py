"""The security audit log: who, when (UTC), where (address, path) and what, for refusals, token use,
exports and reopenings; read-only for administrators."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from factories.models import MonthlyReport
from factories.selectors import first_of_month
from regional.models import SecurityEvent
from tests.builders import FactoryBuilder, MonthlyReportBuilder
from tests.conftest import client_for
from tests.security.conftest import token_client


@pytest.fixture
def reports(alpha_county, beta_county):
    alpha = FactoryBuilder(code="alpha-foodstuff", county=alpha_county)
    beta = FactoryBuilder(code="beta-foodstuff", county=beta_county)
    return {
        # This month's draft: open for entry.
        "alpha_draft": MonthlyReportBuilder(factory=alpha, month=first_of_month(timezone.localdate())),
        "alpha_approved": MonthlyReportBuilder(factory=alpha, month=datetime.date(2025, 3, 1), approved=True),
        "beta_draft": MonthlyReportBuilder(factory=beta, month=datetime.date(2025, 4, 1)),
    }


def _only(kind: str) -> SecurityEvent:
    (event,) = SecurityEvent.objects.filter(kind=kind)
    return event


def test_a_report_outside_the_users_county_answers_404_and_the_refusal_is_logged(client, alice, reports):
    url = reverse("reports:report_detail", args=[reports["beta_draft"].pk])

    response = client_for(client, alice).get(url)

    assert response.status_code == 404
    event = _only(SecurityEvent.Kind.REFUSED_NOT_FOUND)
    assert (event.user, event.username, event.ip_address, event.method, event.path, event.status_code) == (
        alice,
        "alice",
        "127.0.0.1",
        "GET",
        url,
        404,
    )
    assert event.at.utcoffset() == datetime.timedelta(0)


def test_an_analyst_approving_a_report_is_refused_with_403_and_the_refusal_is_logged(client, erin, reports):
    url = reverse("reports:report_approve", args=[reports["alpha_approved"].pk])

    response = client_for(client, erin).post(url, {"version": 1})

    assert response.status_code == 403
    event = _only(SecurityEvent.Kind.REFUSED_FORBIDDEN)
    assert (event.user, event.method, event.path) == (erin, "POST", url)
    assert MonthlyReport.objects.get(pk=reports["alpha_approved"].pk).approved_by is None


def test_a_write_with_an_api_token_is_logged_and_a_read_is_not(alice, reports):
    api, _token = token_client(alice)
    report = reports["alpha_draft"]

    assert api.get(reverse("api:report-detail", args=[report.pk])).status_code == 200
    response = api.patch(
        reverse("api:report-detail", args=[report.pk]), {"version": 1, "workers_on_roll": 121}, format="json"
    )

    assert response.status_code == 200
    event = _only(SecurityEvent.Kind.TOKEN_USED)
    assert (event.user, event.method, event.path, event.status_code) == (
        alice,
        "PATCH",
        reverse("api:report-detail", args=[report.pk]),
        200,
    )


def test_an_unknown_token_is_refused_with_401_and_logged():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert api.get(reverse("api:me")).status_code == 401

    event = _only(SecurityEvent.Kind.TOKEN_REJECTED)
    assert (event.user, event.path, event.status_code) == (None, reverse("api:me"), 401)


def test_issuing_a_token_is_logged_with_the_username(alice, password):
    response = APIClient().post(reverse("api:token-obtain"), {"username": "alice", "password": password}, format="json")

    assert response.status_code == 200
    assert _only(SecurityEvent.Kind.TOKEN_ISSUED).username == "alice"


@pytest.mark.parametrize(
    "url",
    [reverse("reports:report_export_csv"), reverse("reports:report_export_xlsx"), "/api/v1/reports/?format=csv"],
)
def test_every_export_is_logged_with_who_and_what(client, carol, reports, url):
    response = client_for(client, carol).get(url)

    assert response.status_code == 200
    event = _only(SecurityEvent.Kind.EXPORT)
    assert (event.user, event.path) == (carol, url)


def test_a_reopening_is_logged(client, frank, reports):
    report = reports["alpha_approved"]
    url = reverse("reports:report_reopen", args=[report.pk])

    response = client_for(client, frank).post(url, {"reopen-reason": "Output value typed in won, not thousands."})

    assert response.status_code == 302
    assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.DRAFT
    event = _only(SecurityEvent.Kind.REPORT_REOPENED)
    assert (event.user, event.method, event.path) == (frank, "POST", url)


def test_administrators_read_the_log_in_utc_and_nobody_can_add_change_or_delete_it(client, frank, alice, reports):
    client_for(client, alice).get(reverse("reports:report_detail", args=[reports["beta_draft"].pk]))
    event = _only(SecurityEvent.Kind.REFUSED_NOT_FOUND)
    admin = client_for(client, frank)

    changelist = admin.get(reverse("admin:regional_securityevent_changelist"))
    assert changelist.status_code == 200
    assert event.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S") in changelist.content.decode()
    assert admin.get(reverse("admin:regional_securityevent_add")).status_code == 403
    change_url = reverse("admin:regional_securityevent_change", args=[event.pk])
    assert admin.get(change_url).status_code == 200
    assert admin.post(change_url, {"kind": "login", "username": "mallory"}).status_code == 403
    assert (
        admin.post(reverse("admin:regional_securityevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    event.refresh_from_db()
    assert event.username == "alice"


def test_officials_and_analysts_cannot_open_the_audit_log(client, carol):
    carol.is_staff = True
    carol.save()

    response = client_for(client, carol).get(reverse("admin:regional_securityevent_changelist"))

    assert response.status_code == 403


# --- floods -----------------------------------------------------------------------------------------------


def _forged_token_client(address: str) -> APIClient:
    api = APIClient(REMOTE_ADDR=address)
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    return api


def test_300_forged_tokens_from_one_address_make_one_event_counting_300():
    # Given 300 anonymous requests with a forged token from one address, and 2 from another
    flooder, other = _forged_token_client("198.51.100.66"), _forged_token_client("203.0.113.9")
    statuses = {flooder.get(reverse("api:me")).status_code for _ in range(300)}
    statuses |= {other.get(reverse("api:county-list")).status_code for _ in range(2)}

    # Then every request is refused, and the log holds one row per address with its count
    assert statuses == {401}
    rows = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_REJECTED).order_by("ip_address")
    assert [(row.ip_address, row.count, row.path) for row in rows] == [
        ("198.51.100.66", 300, reverse("api:me")),
        ("203.0.113.9", 2, reverse("api:county-list")),
    ]
    assert all(row.last_at >= row.at for row in rows)


def test_a_forged_token_after_the_window_starts_a_new_event(settings):
    settings.SECURITY_EVENT_WINDOW_SECONDS = 600
    flooder = _forged_token_client("198.51.100.66")
    flooder.get(reverse("api:me"))
    SecurityEvent.objects.update(at=timezone.now() - datetime.timedelta(seconds=601))

    flooder.get(reverse("api:me"))

    assert sorted(SecurityEvent.objects.values_list("count", flat=True)) == [1, 1]


def test_refusals_of_signed_in_users_are_still_logged_one_by_one(client, alice, reports):
    client_for(client, alice)
    for _attempt in range(3):
        client.get(reverse("reports:report_detail", args=[reports["beta_draft"].pk]))

    refusals = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REFUSED_NOT_FOUND)
    assert [(event.user, event.count) for event in refusals] == [(alice, 1)] * 3
