"""One settings module; every value comes from the environment with a working local default.

With no environment at all the app runs on SQLite with Celery tasks executed in-process, so a fresh
checkout works with `make run`. Production (`DJANGO_DEBUG=false`) refuses to start without a secret key.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "regional",
    "factories",
    "standings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # PUT, DELETE and unknown verbs on pages and the admin: 405 before sessions are even read.
    "regional.middleware.BrowserMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Session idle/absolute timeouts and the audit log of refusals, token use, exports and reopenings.
    "regional.middleware.SecurityMiddleware",
    # A 405 from `require_POST` gets a page of the site instead of an empty body.
    "regional.refusals.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regional.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
# A persistent connection is checked before a request reuses it, so after a PostgreSQL restart the first request
# of each gunicorn worker reconnects instead of failing on the dead socket (tests/reliability/test_postgres_restart).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "regional.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in throttling (regional/sign_in.py). The client's address is the one the nearest of the trusted reverse
# proxies received the request from: production sits behind the TLS proxy (see SECURE_PROXY_SSL_HEADER), so one
# by default there, none in development. Set it to the number of proxies that append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)
AXES_CLIENT_IP_CALLABLE = "regional.sign_in.client_ip_address"
# Lock a username from one address after repeated failures: the rightful user elsewhere still signs in.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "regional.sign_in.lockout_response"
# And refuse an address that failed this often, across usernames, within the cool-off (429 with Retry-After).
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
# The audit log counts rejected tokens, failed sign-ins and lock-outs on one row per address and username for
# this long, so that forged requests cannot flood it (regional/security.py).
SECURITY_EVENT_WINDOW_SECONDS = env.int("SECURITY_EVENT_WINDOW_SECONDS", default=600)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Asia/Pyongyang")
USE_I18N = True
# Dates in each language's own order; config/formats/en keeps English day-first ("10 April 2025").
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Content-Security-Policy: everything from our own host, no inline script.
from django.utils.csp import CSP  # noqa: E402  (Django 6 constants; kept beside the policy they build)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions end after 30 minutes without a request (idle) and 8 hours after signing in (absolute), whichever
# comes first; regional.middleware.SecurityMiddleware enforces both, the cookie dies with the absolute one.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=8 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Request bodies: forms and JSON up to 2.5 MB in memory; uploads above 2.5 MB spool to disk. The report
# importer refuses files above REPORT_IMPORT_MAX_BYTES with a clear message.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# simple_history's admin "revert" would rewrite a report outside the audited workflow (reopen, resubmit).
SIMPLE_HISTORY_REVERT_DISABLED = True
# A year of national reports is about 1.3 MB of CSV; bigger files are refused before they are read.
REPORT_IMPORT_MAX_BYTES = env.int("REPORT_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# An export of more rows than this is written by a worker, with progress and a link when it is ready.
REPORT_EXPORT_BACKGROUND_ROWS = env.int("REPORT_EXPORT_BACKGROUND_ROWS", default=20_000)
REPORT_EXPORT_KEEP_HOURS = env.int("REPORT_EXPORT_KEEP_HOURS", default=24)
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Celery: with no REDIS_URL, tasks run in-process so a newcomer needs no broker.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
# The visibility timeout must exceed the hard time limit, or Redis redelivers a task still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    # With Redis down, enqueueing fails within about a second instead of holding a web request for long;
    # the durable recompute request row is already committed and the beat sweep serves it later.
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker (and beat) keeps trying to reach a Redis that is down for as long as it takes, instead of exiting
# after Celery's default 100 attempts.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Celery's own consumer exits for good when Redis dies while it holds an unacknowledged (countdown, acks-late)
# message; this one logs and reconnects (config/celery.py, docs/reliability.md).
CELERY_WORKER_CONSUMER = "config.celery:BrokerLossSurvivingConsumer"
CELERY_BEAT_SCHEDULE = {
    "standings-nightly": {
        "task": "standings.tasks.standings_nightly_task",
        "schedule": crontab(hour=2, minute=15),
    },
    "integrity-check-nightly": {
        "task": "regional.tasks.integrity_check_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "database-backup-nightly": {
        "task": "regional.tasks.database_backup_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "report-exports-expired": {
        "task": "factories.tasks.report_exports_delete_expired_task",
        "schedule": crontab(minute=40),
    },
    "notifications-daily": {
        "task": "regional.tasks.notifications_daily_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "notification-emails": {
        "task": "regional.tasks.notification_emails_send_task",
        "schedule": 300.0,
    },
    "standings-pending-requests": {
        "task": "standings.tasks.standings_process_pending_task",
        "schedule": env.float("STANDINGS_PENDING_SWEEP_SECONDS", default=60.0),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["regional.api_throttling.ApiUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_THROTTLE_RATE", default="600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regional API",
    "DESCRIPTION": "County data, monthly reports and standings of the Regional Development 20x10 programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or "status" with different choices: give each its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ProvinceKindEnum": "regional.models.Province.Kind",
        "CountyKindEnum": "regional.models.County.Kind",
        "ProgrammeRoundKindEnum": "regional.models.ProgrammeRound.Kind",
        "ProgrammeSlotKindEnum": "regional.models.ProgrammeSlot.Kind",
        "DatePrecisionEnum": "regional.models.DatePrecision",
        "FactoryKindEnum": "factories.models.FactoryKind",
        "FactoryStatusEnum": "factories.models.Factory.Status",
        "MilestoneKindEnum": "factories.models.ConstructionMilestone.Kind",
        "MilestoneStatusEnum": "factories.models.ConstructionMilestone.Status",
        "RawMaterialBaseKindEnum": "factories.models.RawMaterialBase.Kind",
        "ReportStatusEnum": "factories.models.MonthlyReport.Status",
        "StandingsTriggerEnum": "standings.models.StandingsRun.Trigger",
    },
}

CACHES = {
    "default": (
        env.cache("CACHE_URL")
        if env.str("CACHE_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The cache only holds the API throttle's counts: with Redis down, requests are served unthrottled and the
    # failure logged, instead of every API request failing (regional/cache.py). Short socket timeouts so a
    # Redis that hangs costs a request half a second, not a worker.
    CACHES["default"]["BACKEND"] = "regional.cache.FailSoftRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 0.5, "socket_timeout": 0.5})

# Backups (regional/backups.py, docs/reliability.md): custom-format pg_dump files in BACKUP_DIRECTORY, nightly from
# beat; kept: the newest of each of the last 14 days that have one and the oldest of each of the last 12 months.
BACKUP_DIRECTORY = env.path("BACKUP_DIRECTORY", default=BASE_DIR / "backups")
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=14)
BACKUP_KEEP_MONTHLY = env.int("BACKUP_KEEP_MONTHLY", default=12)
# Within the task's soft time limit (CELERY_TASK_SOFT_TIME_LIMIT); the national database dumps in seconds.
BACKUP_TIMEOUT_SECONDS = env.int("BACKUP_TIMEOUT_SECONDS", default=540)

# Domain settings.
REPORT_ENTRY_DAYS_AFTER_MONTH_END = env.int("REPORT_ENTRY_DAYS_AFTER_MONTH_END", default=10)
# Counties still missing reports are reminded this many days before a month's entry period closes.
NOTIFY_DEADLINE_DAYS_BEFORE = env.int("NOTIFY_DEADLINE_DAYS_BEFORE", default=3)

# E-mail: EMAIL_URL as django-environ reads it, e.g. smtp+tls://user:password@mail.example:587. Without it, `make
# run` (DEBUG on) prints mails on the console, and production hands them to the host's own mail server on port 25,
# as Django does by default (a console backend in production would lose every notification e-mail silently).
# Django 6.1's MAILERS form of the same settings.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"],
                "username": _email["EMAIL_HOST_USER"],
                "password": _email["EMAIL_HOST_PASSWORD"],
                "use_tls": bool(_email.get("EMAIL_USE_TLS")),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
                "timeout": env.int("EMAIL_TIMEOUT", default=10),
            }
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Regional <regional@localhost>")
# The address mails link to (the app itself has no way to know how it is reached from outside).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
