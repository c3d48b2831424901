"""The SQLite set: what `make run` uses (no DATABASE_URL) must work too. Run by the second pytest invocation of
`make test`, with a SQLite DATABASE_URL and Celery in-process."""

import pytest
from django.conf import settings


@pytest.fixture(scope="session", autouse=True)
def required_database():
    """Overrides the main suite's demand for PostgreSQL: these tests exist to execute the SQLite branches."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.sqlite3":
        pytest.exit(
            f"tests/sqlite runs on SQLite only, not {engine}: make test runs it with a SQLite DATABASE_URL.",
            returncode=4,
        )
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.exit("tests/sqlite runs Celery tasks in-process, as `make run` does: CELERY_TASK_ALWAYS_EAGER=true.")
