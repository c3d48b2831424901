"""Security events and account revocation: the audit log's writer and the services that end access.

The audit log records who did what, when (UTC) and from where. Authentication events come from Django's
auth signals (`user_logged_in`, `user_login_failed`, `user_logged_out`) and django-axes' `user_locked_out`:
those signals are the frameworks' only API for these events (the login view and the axes handler are not
ours to call into), so this module is the one exception to the house rule against signals. Every other
event (refusals, token use, reopenings, exports) is recorded by `regional.middleware.SecurityMiddleware`.
"""

import datetime
import logging

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F, Subquery
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from regional.models import SecurityEvent, User

logger = logging.getLogger(__name__)

# Events that anyone can cause without signing in: counted per kind, address and username within a window.
AGGREGATED_KINDS = frozenset(
    {SecurityEvent.Kind.TOKEN_REJECTED, SecurityEvent.Kind.LOGIN_FAILED, SecurityEvent.Kind.LOCKED_OUT}
)

# Session keys of the idle and absolute timeouts (seconds since the epoch), set at sign-in.
SESSION_SIGNED_IN_AT = "security_signed_in_at"
SESSION_LAST_ACTIVITY_AT = "security_last_activity_at"


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = get_client_ip_address(request)
    return address or None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    status_code: int | None = None,
    detail: str = "",
) -> SecurityEvent | None:
    """Append one event to the audit log with the time in UTC and the client's address and path; an event anyone
    can cause without signing in adds to the count of the same kind, address and username within the window."""
    if user is not None and not user.is_authenticated:
        user = None
    now = timezone.now()
    username = (username or (user.get_username() if user else ""))[:150]
    ip_address = _client_ip(request)
    if kind in AGGREGATED_KINDS:
        window_start = now - datetime.timedelta(seconds=settings.SECURITY_EVENT_WINDOW_SECONDS)
        latest = SecurityEvent.objects.filter(
            kind=kind, ip_address=ip_address, username=username, at__gte=window_start
        ).order_by("-at", "-pk")
        # One UPDATE: concurrent floods may each start a row, never lose a count.
        counted = SecurityEvent.objects.filter(pk=Subquery(latest.values("pk")[:1])).update(
            count=F("count") + 1, last_at=now
        )
        if counted:
            return None
    return SecurityEvent.objects.create(
        kind=kind,
        at=now,
        user=user,
        username=username,
        ip_address=ip_address,
        method=(request.method or "")[:10] if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
        status_code=status_code,
        detail=detail[:500],
    )


def _revoke_tokens(*, user: User, request: HttpRequest | None, reason: str) -> int:
    deleted, _per_model = Token.objects.filter(user=user).delete()
    if deleted:
        security_event_record(kind=SecurityEvent.Kind.TOKEN_REVOKED, request=request, user=user, detail=reason)
    return deleted


def user_sessions_end(*, user: User) -> int:
    """Delete every stored session of `user`; returns how many. The session table is scanned in Python
    because a session's user is only inside its signed payload; only unexpired sessions are read."""
    user_key = str(user.pk)
    session_keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if session.get_decoded().get("_auth_user_id") == user_key
    ]
    Session.objects.filter(session_key__in=session_keys).delete()
    return len(session_keys)


@transaction.atomic
def user_deactivate(*, user: User, deactivated_by: User | None = None, request: HttpRequest | None = None) -> User:
    """Deactivate `user`: they can no longer sign in, every session of theirs ends and their API token
    is revoked, and the audit log says who did it."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    ended = user_sessions_end(user=user)
    _revoke_tokens(user=user, request=request, reason="user deactivated")
    security_event_record(
        kind=SecurityEvent.Kind.USER_DEACTIVATED,
        request=request,
        user=user,
        detail=f"by {deactivated_by.get_username() if deactivated_by else 'system'}; {ended} session(s) ended",
    )
    return user


# --- authentication events: framework signals (see the module docstring) -------------------------------


@receiver(user_logged_in, dispatch_uid="regional.security.on_logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[SESSION_SIGNED_IN_AT] = now
        request.session[SESSION_LAST_ACTIVITY_AT] = now
    security_event_record(kind=SecurityEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="regional.security.on_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, username=username)


@receiver(user_locked_out, dispatch_uid="regional.security.on_locked_out")
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.LOCKED_OUT, request=request, username=str(username or ""))


@receiver(user_logged_out, dispatch_uid="regional.security.on_logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    security_event_record(kind=SecurityEvent.Kind.LOGOUT, request=request, user=user)
    # Signing out ends API access too: a token left behind on a shared machine is a standing key.
    _revoke_tokens(user=user, request=request, reason="signed out")
