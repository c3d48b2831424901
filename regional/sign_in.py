"""Who is signing in, from where, and when they must wait: django-axes' configuration points and the per-address
limit, shared by the sign-in page and the API's token endpoint.

- The client's address is the one the trusted reverse proxies saw (`TRUSTED_PROXY_COUNT`; each proxy appends the
  address it received the request from to `X-Forwarded-For`, so the client is the Nth entry from the right and
  whatever a client wrote itself further left is ignored). django-axes, the audit log and the limits all use it.
- django-axes locks a username *from one address* (`AXES_LOCKOUT_PARAMETERS`): the rightful user, elsewhere,
  still signs in.
- An address that failed `SIGN_IN_ADDRESS_FAILURE_LIMIT` times across any usernames within the cool-off is
  refused before its credentials are even checked (429 with `Retry-After`), so one address cannot try password
  after password on username after username.
"""

import datetime
import ipaddress
import math

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address as the nearest of `TRUSTED_PROXY_COUNT` proxies received it (`REMOTE_ADDR` when
    there are none, or when the request did not come through all of them)."""
    remote_address = request.META.get("REMOTE_ADDR") or None
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_address
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxy_count:
        return remote_address
    candidate = forwarded[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Our own proxy writes a valid address; anything else means the chain is not what we were told.
        return remote_address


def _cool_off() -> datetime.timedelta:
    return get_cool_off() or datetime.timedelta(minutes=30)


def address_retry_after_seconds(request: HttpRequest) -> int | None:
    """Seconds until the client's address may try to sign in again, or None if it is under its limit.

    Counts the failures of every username from this address that django-axes still holds (within the cool-off);
    the wait ends when enough of the oldest have expired to bring the count under the limit."""
    address = client_ip_address(request)
    if address is None:
        return None
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    cool_off = _cool_off()
    now = timezone.now()
    attempts = list(
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=now - cool_off)
        .order_by("attempt_time")
        .values_list("attempt_time", "failures_since_start")
    )
    remaining = sum(failures for _at, failures in attempts)
    if remaining < limit:
        return None
    for attempt_time, failures in attempts:
        remaining -= failures
        if remaining < limit:
            return max(1, math.ceil((attempt_time + cool_off - now).total_seconds()))
    return math.ceil(cool_off.total_seconds())  # not reached: the loop always brings the count under the limit


def lockout_retry_after_seconds(request: HttpRequest) -> int:
    """The wait after a username+address lock-out: the cool-off, which each further failure restarts."""
    return math.ceil(_cool_off().total_seconds())


def too_many_attempts_response(request: HttpRequest, *, retry_after_seconds: int, from_address: bool) -> HttpResponse:
    """The sign-in page's 429: the lock-out page with `Retry-After`."""
    context = {
        "from_address": from_address,
        "retry_after_minutes": max(1, math.ceil(retry_after_seconds / 60)),
    }
    response = render(request, "locked_out.html", context, status=429)
    response["Retry-After"] = str(retry_after_seconds)
    return response


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lock-out answer (`AXES_LOCKOUT_CALLABLE`) for a username locked from this address."""
    del original_response, credentials  # axes passes the view's answer and the credentials; ours needs neither
    return too_many_attempts_response(
        request, retry_after_seconds=lockout_retry_after_seconds(request), from_address=False
    )
