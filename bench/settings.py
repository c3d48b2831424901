"""Bench-only settings: production behaviour (DEBUG off, same middleware, same API throttle classes) served
with the bench URLconf that adds the framework-overhead baseline views. Never used outside `bench/`."""

import os

# Production mode needs a secret; the bench server listens on 127.0.0.1 only and is stopped after each run.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-never-used-in-production")
# Plain HTTP on the loopback: no redirect to HTTPS, cookies usable without TLS.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
# The throttle stays in the request path (its Redis round trip is part of the cost measured), but at a rate the
# load generator's single token cannot reach, so it never turns measurements into 429s. Per second, not per
# minute: the throttle keeps one sorted-set member per request of the window (regional/api_throttling.py), so a
# one-second window keeps the bench's at a few hundred entries, like production's 600/minute.
os.environ.setdefault("API_THROTTLE_RATE", "1000000/second")

# The exports are measured as streamed by the web process, whatever their size (in production an export past
# REPORT_EXPORT_BACKGROUND_ROWS is written by a worker with the same code).
os.environ.setdefault("REPORT_EXPORT_BACKGROUND_ROWS", "1000000000")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic in a benchmark run: templates resolve static URLs without the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
