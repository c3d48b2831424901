import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    """Served from /reports/ so that its scope is /reports/ and nothing wider. Its text changes whenever a
    precached static file changes (their hashed names are in it), which makes browsers install the new one."""
    body = render_to_string(
        "factories/offline-sw.js",
        {
            "version": "pending",
            "offline_title": _("You are offline"),
            "offline_text": _(
                "This page has not been opened on this device before, or you signed out. This month and the "
                "entry forms you opened while connected work offline."
            ),
        },
        request=request,
    )
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    body = body.replace('const VERSION = "pending";', f'const VERSION = "{version}";', 1)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/reports/"
    if settings.DEBUG:
        response["X-Regional-Service-Worker"] = version
    return response
