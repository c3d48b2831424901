"""Production settings pass Django's deployment checks and send the security headers a browser enforces."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings


def _production_environment() -> dict[str, str]:
    # The test run's own switches (e.g. DJANGO_ALLOW_ASYNC_UNSAFE for Playwright) are not production's.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return environment | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # 86 random characters
        "DJANGO_ALLOWED_HOSTS": "regional.example.org",
        "DATABASE_URL": "sqlite:////tmp/regional-security-deploy-check.sqlite3",
    }


def test_check_deploy_passes_with_production_settings_at_warning_level():
    # Given production settings (DEBUG off, a long random secret key), when Django's deploy checks run
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Then there is no warning at all
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues (0 silenced)." in completed.stdout


MAILER_SCRIPT = """
import django
django.setup()
from django.conf import settings
mailer = settings.MAILERS["default"]
print(mailer["BACKEND"], mailer["OPTIONS"].get("host"), mailer["OPTIONS"].get("port"), mailer["OPTIONS"].get("use_tls"))
"""


def _production_mailer(**extra_environment: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", MAILER_SCRIPT],
        cwd=settings.BASE_DIR,
        env=_production_environment() | {"DJANGO_SETTINGS_MODULE": "config.settings"} | extra_environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


def test_production_without_a_mail_setting_sends_through_the_local_mail_server_not_the_console():
    # A console backend in production would drop every notification e-mail into a log nobody reads.
    assert _production_mailer() == "django.core.mail.backends.smtp.EmailBackend localhost 25 False"


def test_production_mail_server_comes_from_email_url():
    mailer = _production_mailer(EMAIL_URL="smtp+tls://regional:secret@mail.example.org:587")
    assert mailer == "django.core.mail.backends.smtp.EmailBackend mail.example.org 587 True"


def test_production_refuses_to_start_without_a_secret_key():
    environment = _production_environment()
    del environment["DJANGO_SECRET_KEY"]
    completed = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false." in completed.stderr


HEADERS_SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# The hashed-name manifest needs `collectstatic`; static file naming is not what this test is about.
storages = settings.STORAGES | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(HTTP_HOST="regional.example.org")
with override_settings(STORAGES=storages):
    plain = client.get("/login/")
    secure = client.get("/login/", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "status": secure.status_code,
    "csp": secure.get("Content-Security-Policy"),
    "hsts": secure.get("Strict-Transport-Security"),
    "referrer": secure.get("Referrer-Policy"),
    "frame": secure.get("X-Frame-Options"),
    "nosniff": secure.get("X-Content-Type-Options"),
}))
"""


def test_production_pages_send_hsts_a_strict_csp_and_a_referrer_policy_and_redirect_plain_http():
    # Given the production settings, when a browser asks for the login page over HTTP and over HTTPS
    environment = _production_environment() | {"DJANGO_SETTINGS_MODULE": "config.settings"}
    completed = subprocess.run(
        [sys.executable, "-c", HEADERS_SCRIPT],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    headers = json.loads(completed.stdout.strip().splitlines()[-1])

    # Then plain HTTP is redirected to HTTPS
    assert (headers["plain_status"], headers["plain_location"]) == (301, "https://regional.example.org/login/")
    # And the HTTPS page carries the headers, with a policy that allows no inline script at all
    assert headers["status"] == 200
    assert headers["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["referrer"] == "same-origin"
    assert headers["frame"] == "DENY"
    assert headers["nosniff"] == "nosniff"
    assert "script-src 'self'" in headers["csp"]
    assert "style-src 'self'" in headers["csp"]
    assert "frame-ancestors 'none'" in headers["csp"]
    assert "unsafe-inline" not in headers["csp"]
    assert "unsafe-eval" not in headers["csp"]


def test_a_web_worker_starts_warm_with_its_start_up_objects_out_of_the_collectors_way():
    # Given the production WSGI module as gunicorn loads it in each worker
    script = "import gc\nimport config.wsgi\nprint(gc.get_freeze_count())\n"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Then Django, the app and the warmed-up templates are frozen: a full collection no longer walks them (it took
    # ~120 ms in a fresh worker, the tail of the API's latency under load; bench/README.md)
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout.split()[-1]) > 100_000
