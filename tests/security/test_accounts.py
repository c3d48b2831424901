"""Sign-in throttling, session timeouts, and the end of access on sign-out and deactivation."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from regional.models import SecurityEvent
from regional.security import SESSION_LAST_ACTIVITY_AT, SESSION_SIGNED_IN_AT, user_deactivate
from tests.security.conftest import token_client


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _events(kind: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


# --- brute force ------------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password(client, alice, password):
    # Given five failed sign-ins for Alice from one address
    for _attempt in range(5):
        response = _sign_in(client, "alice", "wrong-password")
    # The fifth failure already answers with the lock-out page, saying how long to wait
    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    assert "Too many failed logins" in response.content.decode()

    # When the right password is tried next
    response = _sign_in(client, "alice", password)

    # Then the account stays locked and no session is opened
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # And the audit log counts the five failures and the refused sixth attempt, and the two lock-outs, on one
    # row each for the username and address, with the path
    (failures,) = _events(SecurityEvent.Kind.LOGIN_FAILED)
    assert (failures.username, failures.ip_address, failures.path, failures.count) == (
        "alice",
        "127.0.0.1",
        "/login/",
        6,
    )
    assert [(event.username, event.count) for event in _events(SecurityEvent.Kind.LOCKED_OUT)] == [("alice", 2)]
    assert not _events(SecurityEvent.Kind.LOGIN)


def test_four_wrong_passwords_then_the_right_one_signs_in_and_records_it(client, alice, password):
    for _attempt in range(4):
        assert _sign_in(client, "alice", "wrong-password").status_code == 200

    response = _sign_in(client, "alice", password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    (login,) = _events(SecurityEvent.Kind.LOGIN)
    assert (login.user, login.username, login.ip_address, login.path) == (alice, "alice", "127.0.0.1", "/login/")


def test_the_api_token_endpoint_locks_out_after_five_wrong_passwords_too(alice, password):
    from rest_framework.test import APIClient

    client = APIClient()
    url = reverse("api:token-obtain")
    statuses = [
        client.post(url, {"username": "alice", "password": "nope"}, format="json").status_code for _ in range(5)
    ]
    locked = client.post(url, {"username": "alice", "password": password}, format="json")

    # The fifth failure reaches the limit and is already answered with the lock-out
    assert statuses == [400, 400, 400, 400, 429]
    # And the right password is refused for the cool-off, said in seconds, in JSON like every API error
    assert locked.status_code == 429
    assert locked["Retry-After"] == "1800"
    assert locked.json() == {
        "detail": "Too many failed sign-ins for this username from your address. Expected available in 1800 seconds."
    }
    assert not Token.objects.filter(user=alice).exists()


# --- session timeouts -------------------------------------------------------------------------------------


def _signed_in_client(client, user, password) -> Client:
    assert _sign_in(client, user.username, password).status_code == 302
    return client


def _age_session(client: Client, *, idle_seconds: int, age_seconds: int) -> None:
    session = client.session
    now = int(time.time())
    session[SESSION_LAST_ACTIVITY_AT] = now - idle_seconds
    session[SESSION_SIGNED_IN_AT] = now - age_seconds
    session.save()


def test_a_session_idle_for_29_minutes_still_works(client, erin, password):
    _signed_in_client(client, erin, password)
    _age_session(client, idle_seconds=29 * 60, age_seconds=29 * 60)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert not _events(SecurityEvent.Kind.SESSION_EXPIRED)


def test_a_session_idle_for_31_minutes_is_ended_and_the_user_must_sign_in_again(client, erin, password):
    _signed_in_client(client, erin, password)
    _age_session(client, idle_seconds=31 * 60, age_seconds=31 * 60)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    (expired,) = _events(SecurityEvent.Kind.SESSION_EXPIRED)
    assert (expired.user, expired.detail) == (erin, "idle for 1860 s")
    # The next request is anonymous too: the session is gone, not just skipped once
    assert client.get(reverse("home")).status_code == 302


def test_an_active_session_ends_8_hours_after_sign_in_whatever_the_activity(client, erin, password):
    _signed_in_client(client, erin, password)
    _age_session(client, idle_seconds=10, age_seconds=8 * 3600 + 1)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    (expired,) = _events(SecurityEvent.Kind.SESSION_EXPIRED)
    assert expired.detail == "signed in 28801 s ago"


def test_an_expired_browser_session_leaves_the_users_api_token_alone(client, erin, password):
    _api, token = token_client(erin)
    _signed_in_client(client, erin, password)
    _age_session(client, idle_seconds=31 * 60, age_seconds=31 * 60)

    client.get(reverse("home"))

    assert Token.objects.filter(pk=token.pk).exists()


# --- sign-out and deactivation ----------------------------------------------------------------------------


def test_signing_out_ends_the_session_and_revokes_the_api_token(client, alice, password):
    api, _token = token_client(alice)
    assert api.get(reverse("api:me")).status_code == 200
    _signed_in_client(client, alice, password)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
    assert not Token.objects.filter(user=alice).exists()
    assert api.get(reverse("api:me")).status_code == 401
    assert [event.kind for event in SecurityEvent.objects.filter(user=alice).order_by("pk")] == [
        SecurityEvent.Kind.LOGIN,
        SecurityEvent.Kind.LOGOUT,
        SecurityEvent.Kind.TOKEN_REVOKED,
    ]
    assert _events(SecurityEvent.Kind.TOKEN_REJECTED)[0].path == reverse("api:me")


def test_deactivating_a_user_ends_every_session_of_theirs_and_revokes_their_token(alice, bob, frank, password):
    # Given Alice signed in on two browsers and with an API token, and Bob signed in too
    browsers = [_signed_in_client(Client(), alice, password) for _ in range(2)]
    bobs_browser = _signed_in_client(Client(), bob, password)
    api, _token = token_client(alice)

    # When Frank deactivates her
    user_deactivate(user=alice, deactivated_by=frank)

    # Then both of her sessions are gone, her token is refused, and Bob is untouched
    assert [browser.get(reverse("home")).status_code for browser in browsers] == [302, 302]
    assert api.get(reverse("api:me")).status_code == 401
    assert not Token.objects.filter(user=alice).exists()
    assert bobs_browser.get(reverse("home")).status_code == 200
    assert Session.objects.count() == 1
    (deactivated,) = _events(SecurityEvent.Kind.USER_DEACTIVATED)
    assert (deactivated.user, deactivated.detail) == (alice, "by frank; 2 session(s) ended")


def test_unticking_active_in_the_admin_deactivates_through_the_same_service(client, alice, frank, password):
    alices_browser = _signed_in_client(Client(), alice, password)
    token_client(alice)
    client.force_login(frank, backend="django.contrib.auth.backends.ModelBackend")
    change_url = reverse("admin:regional_user_change", args=[alice.pk])
    form = client.get(change_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "username": "alice",
            "role": "county",
            "county": alice.county_id,
            "is_active": "",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    data.pop("is_active")
    data = {key: value for key, value in data.items() if not isinstance(value, list | tuple)}
    response = client.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    alice.refresh_from_db()
    assert alice.is_active is False
    assert alices_browser.get(reverse("home")).status_code == 302
    assert not Token.objects.filter(user=alice).exists()


@pytest.mark.parametrize("path", ["/login/", "/logout/"])
def test_sign_in_and_sign_out_refuse_a_post_without_the_csrf_token(alice, password, path):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"username": "alice", "password": password})
    assert response.status_code == 403
    assert not _events(SecurityEvent.Kind.LOGIN)
