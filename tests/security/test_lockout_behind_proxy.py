"""Sign-in lock-out behind the production TLS proxy, simulated: every request reaches the app from the proxy's
address (REMOTE_ADDR 10.0.0.2) with the client's address appended to `X-Forwarded-For`, as nginx's
`$proxy_add_x_forwarded_for` does.

The rightful user is never locked out by failures from another address; a client cannot choose the address it is
counted under; and one address that fails across many usernames is refused with 429 and `Retry-After`."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from regional.models import SecurityEvent
from tests.builders import UserBuilder

PROXY = "10.0.0.2"
MALLORY = "198.51.100.66"
ALICE_AT_HOME = "203.0.113.9"

pytestmark = pytest.mark.usefixtures("behind_one_proxy")


@pytest.fixture
def behind_one_proxy():
    with override_settings(TRUSTED_PROXY_COUNT=1, SIGN_IN_ADDRESS_FAILURE_LIMIT=20, AXES_FAILURE_LIMIT=5):
        yield


def via_proxy(client_address: str, forged: str = "") -> dict:
    """The request headers the app receives when `client_address` sends `X-Forwarded-For: forged` to the proxy."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def sign_in(username: str, password: str, address: str, forged: str = ""):
    return Client(**via_proxy(address, forged)).post(reverse("login"), {"username": username, "password": password})


def obtain_token(username: str, password: str, address: str):
    return Client(**via_proxy(address)).post(
        reverse("api:token-obtain"), {"username": username, "password": password}, content_type="application/json"
    )


def test_five_failures_from_mallorys_address_do_not_lock_alice_out_at_home(alice, password):
    # Given Mallory fails five times as Alice, from his own address, through the proxy
    statuses = [sign_in("alice", "guess", MALLORY).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]

    # Then Mallory is locked out, even with the right password
    locked = sign_in("alice", password, MALLORY)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "1800"
    assert "Try again in 30 minutes." in locked.content.decode()

    # But Alice, at home, signs in at once with her password
    assert sign_in("alice", password, ALICE_AT_HOME).status_code == 302
    # And the audit log names the client addresses, never the proxy's
    assert set(SecurityEvent.objects.values_list("ip_address", flat=True)) == {MALLORY, ALICE_AT_HOME}


def test_a_forged_forwarded_for_header_cannot_lock_alice_out_from_her_address(alice, password):
    # Given Mallory writes Alice's address into X-Forwarded-For himself; the proxy appends his real one
    for _attempt in range(6):
        sign_in("alice", "guess", MALLORY, forged=ALICE_AT_HOME)

    # Then the failures count against Mallory's address, and Alice signs in from hers
    assert set(SecurityEvent.objects.filter(kind="login_failed").values_list("ip_address", flat=True)) == {MALLORY}
    assert sign_in("alice", password, ALICE_AT_HOME).status_code == 302


def test_the_token_endpoint_locks_the_username_from_that_address_only(alice, password):
    for _attempt in range(5):
        obtain_token("alice", "guess", MALLORY)

    locked = obtain_token("alice", password, MALLORY)
    at_home = obtain_token("alice", password, ALICE_AT_HOME)

    assert (locked.status_code, locked["Retry-After"]) == (429, "1800")
    assert locked.json() == {
        "detail": "Too many failed sign-ins for this username from your address. Expected available in 1800 seconds."
    }
    assert at_home.status_code == 200
    assert at_home.json()["token"] == Token.objects.get(user=alice).key


@pytest.mark.parametrize("surface", ["page", "token"])
def test_one_address_failing_across_twenty_usernames_is_refused_with_429_and_retry_after(surface, password):
    attempt = sign_in if surface == "page" else obtain_token
    erin = UserBuilder(username="erin-the-analyst")
    # Given twenty failures from Mallory's address, each for another username (none reaches five)
    statuses = {attempt(f"user{number}", "guess", MALLORY).status_code for number in range(20)}
    assert statuses == ({200} if surface == "page" else {400})

    # Then the next attempt from that address is refused before any password is checked, even a right one
    refused = attempt(erin.username, password, MALLORY)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 1800
    if surface == "token":
        assert refused.json()["detail"].startswith("Too many failed sign-ins from your address. Expected available in")
    else:
        assert "Too many sign-ins have failed from your address." in refused.content.decode()
    assert not SecurityEvent.objects.filter(kind="login", username=erin.username).exists()

    # And another address is not affected
    assert attempt(erin.username, password, ALICE_AT_HOME).status_code in (200, 302)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_forwarded_for_header_is_ignored(alice, password):
    # A deployment without a proxy: a client's own X-Forwarded-For must not choose its address
    for number in range(5):
        Client(REMOTE_ADDR=MALLORY, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}").post(
            reverse("login"), {"username": "alice", "password": "guess"}
        )

    response = Client(REMOTE_ADDR=MALLORY, HTTP_X_FORWARDED_FOR="192.0.2.99").post(
        reverse("login"), {"username": "alice", "password": password}
    )

    assert response.status_code == 429
    assert set(SecurityEvent.objects.values_list("ip_address", flat=True)) == {MALLORY}
