"""Bench-only settings: production behaviour (DEBUG off, same middleware, same API throttle classes) served
with the bench URLconf that adds the framework-overhead baseline views. Never used outside `bench/`."""

import os

# Production mode needs a secret; the bench server listens on 127.0.0.1 only and is stopped after each run.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-never-used-in-production")
# Plain HTTP on the loopback: no redirect to HTTPS, cookies usable without TLS.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
# The throttle stays in the request path (its cache look-ups are part of the cost measured), but at a rate the
# load generator's single token cannot reach, so it never turns measurements into 429s.
os.environ.setdefault("API_THROTTLE_RATE", "100000000/minute")

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
