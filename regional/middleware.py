"""Session timeouts and the request-level part of the security audit log.

One middleware, placed after authentication, so that it sees the signed-in user of both the browser
(session) and the API (token; DRF copies the user it authenticated onto the Django request).
"""

import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseNotAllowed
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from regional.models import SecurityEvent
from regional.security import SESSION_LAST_ACTIVITY_AT, SESSION_SIGNED_IN_AT, security_event_record

# Last-activity stamps are rewritten at most this often, so ordinary browsing does not save the session
# (one UPDATE) on every request; the idle timeout is therefore exact to within this many seconds.
ACTIVITY_RESOLUTION_SECONDS = 60
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


# Pages, exports and the admin are used from a browser: they take these methods at most (each view narrows them
# further). The API decides per endpoint.
BROWSER_METHODS = ("GET", "HEAD", "POST")
API_PREFIX = "/api/"


class BrowserMethodsMiddleware:
    """PUT, DELETE, OPTIONS and unknown verbs on a page (including Django's own admin, sign-in and language
    views, which would otherwise treat some of them as a GET or a POST) answer 405 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in BROWSER_METHODS and not request.path_info.startswith(API_PREFIX):
            return HttpResponseNotAllowed(BROWSER_METHODS)
        return self.get_response(request)


EXPORT_CONTENT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _audited_action(view_name: str, method: str, content_type: str) -> str | None:
    """The audit kind of a successful request that reopens a report or exports data (a page or an API
    endpoint answering with a spreadsheet file)."""
    if "reopen" in view_name and method == "POST":
        return SecurityEvent.Kind.REPORT_REOPENED
    if "export" in view_name or content_type.startswith(EXPORT_CONTENT_TYPES):
        return SecurityEvent.Kind.EXPORT
    return None


def _posted_username(request) -> str:
    """The username of a token request (JSON or form), for the log; empty if the body cannot be read."""
    try:
        if request.content_type == "application/json":
            return str(json.loads(request.body or b"{}").get("username", ""))[:150]
        return str(request.POST.get("username", ""))[:150]
    except (ValueError, AttributeError, RawPostDataException):
        return ""


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._expire_idle_or_old_session(request)
        response = self.get_response(request)
        self._audit(request, response)
        self._keep_private_answers_out_of_caches(request, response)
        return response

    @staticmethod
    def _keep_private_answers_out_of_caches(request, response) -> None:
        """Whatever a signed-in user or an API token is shown is theirs (scoped reports, exports, their token):
        no browser or proxy cache may keep it (`Cache-Control: no-store`)."""
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)

    def _expire_idle_or_old_session(self, request) -> None:
        session = getattr(request, "session", None)
        if session is None or not session.get("_auth_user_id"):
            return
        now = int(timezone.now().timestamp())
        signed_in_at = session.get(SESSION_SIGNED_IN_AT)
        last_activity_at = session.get(SESSION_LAST_ACTIVITY_AT)
        if signed_in_at is None or last_activity_at is None:
            # A session from before the timeouts existed: start its clocks now.
            session[SESSION_SIGNED_IN_AT] = signed_in_at or now
            session[SESSION_LAST_ACTIVITY_AT] = now
            return
        idle_seconds = now - last_activity_at
        age_seconds = now - signed_in_at
        is_idle = idle_seconds > settings.SESSION_IDLE_TIMEOUT_SECONDS
        if is_idle or age_seconds > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
            reason = f"idle for {idle_seconds} s" if is_idle else f"signed in {age_seconds} s ago"
            security_event_record(
                kind=SecurityEvent.Kind.SESSION_EXPIRED, request=request, user=request.user, detail=reason
            )
            # Not `logout()`: an expired browser session must not revoke the user's API token.
            session.flush()
            request.user = AnonymousUser()
            return
        if idle_seconds >= ACTIVITY_RESOLUTION_SECONDS:
            session[SESSION_LAST_ACTIVITY_AT] = now

    def _audit(self, request, response) -> None:
        user = getattr(request, "user", None)
        is_authenticated = bool(user is not None and user.is_authenticated)
        status_code = response.status_code
        authorization = request.META.get("HTTP_AUTHORIZATION", "")
        if authorization.startswith("Token "):
            if status_code == 401:
                security_event_record(kind=SecurityEvent.Kind.TOKEN_REJECTED, request=request, status_code=status_code)
            elif is_authenticated and request.method not in SAFE_METHODS:
                # Writes made with a token are recorded one by one; reads are not, so that the log stays a
                # log of decisions and a list endpoint costs no extra query.
                security_event_record(
                    kind=SecurityEvent.Kind.TOKEN_USED, request=request, user=user, status_code=status_code
                )
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name == "api:token-obtain" and status_code == 200:
            security_event_record(
                kind=SecurityEvent.Kind.TOKEN_ISSUED,
                request=request,
                username=_posted_username(request),
                status_code=status_code,
            )
        if not is_authenticated:
            return
        if status_code in (403, 404):
            kind = SecurityEvent.Kind.REFUSED_FORBIDDEN if status_code == 403 else SecurityEvent.Kind.REFUSED_NOT_FOUND
            security_event_record(kind=kind, request=request, user=user, status_code=status_code)
            return
        if match is not None and status_code < 400:
            kind = _audited_action(match.view_name or "", request.method, response.get("Content-Type", ""))
            if kind is not None:
                security_event_record(kind=kind, request=request, user=user, status_code=status_code)
