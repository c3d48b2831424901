"""A fuzzing run: Hypothesis drives random sequences of writes (valid and hostile figures, fresh and stale
versions, every persona, every transition) through the API and the browser. No request answers 5xx, and
afterwards, once the worker's job has run, every integrity check finds nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from factories.models import MonthlyReport
from factories.selectors import add_months, first_of_month
from regional.integrity import integrity_checks_run
from standings.services import recompute_requests_process_pending
from tests.builders import FactoryBuilder
from tests.security.conftest import token_client
from tests.security.test_hostile_input import HOSTILE_FIGURES, VALID

ACCEPTABLE = {200, 201, 302, 400, 403, 404, 409}
FIGURE_NAMES = [name for name in VALID if name != "comment"]

figures = st.one_of(
    st.just(VALID),
    st.builds(lambda name, value: {**VALID, name: value}, st.sampled_from(FIGURE_NAMES), HOSTILE_FIGURES),
)
versions = st.sampled_from(["fresh", "stale", "missing"])
action = st.one_of(
    st.tuples(st.just("save"), st.sampled_from(["alice", "bob"]), st.sampled_from([0, -1, -12]), figures, versions),
    st.tuples(st.just("submit"), st.sampled_from(["alice", "bob"]), st.integers(0, 5), versions),
    # The last element: whether the reviewer acknowledges the warnings of a report flagged as unusual.
    st.tuples(
        st.just("approve"), st.sampled_from(["carol", "dave", "erin"]), st.integers(0, 5), versions, st.booleans()
    ),
    st.tuples(
        st.just("return"), st.sampled_from(["carol", "alice"]), st.integers(0, 5), versions, st.text(max_size=20)
    ),
    st.tuples(st.just("reopen"), st.sampled_from(["frank", "carol"]), st.integers(0, 5), st.text(max_size=20)),
)
STATUSES_SEEN: dict[int, int] = {}
# Per kind of write, how many were accepted (2xx, or the browser's redirect) and how many refused (4xx).
OUTCOMES: dict[str, dict[str, int]] = {}
ACCEPTED = {200, 201, 302}
# One sequence that is always tried first: each kind of write once accepted and once refused, so the run
# cannot pass by refusing everything. Reports are picked by position: 0 is Alice's, 1 is Bob's.
EVERY_WRITE_ACCEPTED_AND_REFUSED = [
    ("save", "alice", -1, VALID, "missing"),  # Alice's previous month: created
    ("save", "bob", -1, VALID, "missing"),  # Bob's: created
    ("save", "alice", -12, VALID, "missing"),  # a closed month: refused
    ("submit", "bob", 0, "fresh"),  # Alice's report, not Bob's: refused
    ("submit", "alice", 0, "fresh"),
    ("submit", "bob", 1, "fresh"),
    ("approve", "dave", 0, "fresh", True),  # another province's reviewer: refused
    ("approve", "carol", 0, "fresh", False),  # flagged as unusual (output above capacity), unacknowledged: refused
    ("approve", "carol", 0, "fresh", True),
    ("return", "alice", 1, "fresh", "no"),  # a county official: refused
    ("return", "carol", 1, "fresh", "Days worked look wrong."),
    ("reopen", "carol", 0, "no"),  # not an administrator: refused
    ("reopen", "frank", 0, "The factory corrected its register."),
    ("save", "alice", -1, {**VALID, "days_worked": "-1"}, "fresh"),  # a hostile figure: refused
]


@pytest.fixture
def factories(alpha_county, beta_county, gamma_county):
    return {
        "alice": FactoryBuilder(code="alpha-foodstuff", county=alpha_county),
        "bob": FactoryBuilder(code="beta-foodstuff", county=beta_county),
    }


def _version(report: MonthlyReport | None, choice: str) -> dict:
    if report is None or choice == "missing":
        return {}
    return {"version": report.version if choice == "fresh" else max(1, report.version - 1)}


def _report(index: int) -> MonthlyReport | None:
    reports = list(MonthlyReport.objects.order_by("pk"))
    return reports[index % len(reports)] if reports else None


def test_random_sequences_of_writes_never_fail_with_5xx_and_leave_every_integrity_check_clean(
    settings, factories, alice, bob, carol, dave, erin, frank
):
    # The previous month has ended and stays open for entry whatever today's date: both can be written.
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = 40
    OUTCOMES.clear()
    users = {user.username: user for user in (alice, bob, carol, dave, erin, frank)}
    apis = {name: token_client(user)[0] for name, user in users.items()}

    random_sequences_of_writes(factories, users, apis)

    accepted = {kind for kind, counts in OUTCOMES.items() if counts.get("accepted")}
    refused = {kind for kind, counts in OUTCOMES.items() if counts.get("refused")}
    every_kind = {"save", "submit", "approve", "return", "reopen"}
    assert (accepted, refused) == (every_kind, every_kind), OUTCOMES


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(actions=st.lists(action, min_size=1, max_size=20))
@example(actions=EVERY_WRITE_ACCEPTED_AND_REFUSED)
def random_sequences_of_writes(factories, users, apis, actions):
    this_month = first_of_month(timezone.localdate())

    for step in actions:
        kind, username = step[0], step[1]
        api = apis[username]
        if kind == "save":
            _kind, _name, offset, data, version = step
            month = add_months(this_month, offset)
            existing = MonthlyReport.objects.filter(factory=factories[username], month=month).first()
            if existing is None:
                payload = {**data, "factory": factories[username].code, "month": f"{month:%Y-%m}"}
                response = api.post(reverse("api:report-list"), payload, format="json")
            else:
                payload = {**data, **_version(existing, version)}
                response = api.patch(reverse("api:report-detail", args=[existing.pk]), payload, format="json")
        elif kind in ("submit", "approve"):
            report = _report(step[2])
            if report is None:
                continue
            url = reverse(f"api:report-{kind}", args=[report.pk])
            acknowledgement = {"acknowledge_warnings": step[4]} if kind == "approve" else {}
            response = api.post(url, {**_version(report, step[3]), **acknowledgement}, format="json")
        elif kind == "return":
            report = _report(step[2])
            if report is None:
                continue
            url = reverse("api:report-return-to-county", args=[report.pk])
            response = api.post(url, {**_version(report, step[3]), "reason": step[4]}, format="json")
        else:
            report = _report(step[2])
            if report is None:
                continue
            browser = Client()
            browser.force_login(users[username], backend="django.contrib.auth.backends.ModelBackend")
            response = browser.post(reverse("reports:report_reopen", args=[report.pk]), {"reopen-reason": step[3]})
        STATUSES_SEEN[response.status_code] = STATUSES_SEEN.get(response.status_code, 0) + 1
        assert response.status_code in ACCEPTABLE, (step, response.status_code, response.content[:300])
        outcome = "accepted" if response.status_code in ACCEPTED else "refused"
        OUTCOMES.setdefault(kind, {}).setdefault(outcome, 0)
        OUTCOMES[kind][outcome] += 1

    # What the worker does after approvals and reopenings, then the nightly integrity check
    recompute_requests_process_pending()
    findings = {result.check.name: result.details for result in integrity_checks_run() if result.count}
    assert findings == {}
