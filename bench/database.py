"""Creating the dedicated benchmark databases and the environment each benchmark subprocess runs in."""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def database_url(name: str) -> str:
    return f"{SERVER_URL}/{name}"


def connect(name: str = "postgres"):
    connection = psycopg2.connect(database_url(name))
    connection.autocommit = True
    return connection


def _server_commands(*statements: sql.Composable) -> None:
    # No `with connection`: psycopg2 would open a transaction block, where CREATE/DROP DATABASE cannot run.
    connection = connect()
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def recreate_database(name: str) -> None:
    _server_commands(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)),
    )


def drop_database(name: str) -> None:
    _server_commands(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def subprocess_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of every bench subprocess: its own database, bench settings, no broker (recomputes are
    measured in-process; the nudge to Celery after commit must not wait on a queue)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    # The production shape (docker-compose.yml): persistent connections, the cache (API throttle) in Redis.
    env.setdefault("DJANGO_CONN_MAX_AGE", "60")
    env.setdefault("CACHE_URL", os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12"))
    env.update(
        DATABASE_URL=database_url(database),
        DJANGO_SETTINGS_MODULE="bench.settings",
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _template_fingerprint(template: str) -> str | None:
    connection = connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
            )
            row = cursor.fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def create_migrated_database(name: str, *, template: str = "regional_bench_template") -> float:
    """A fresh database with the project's migrations applied; seconds taken. Migrating takes ~15 s, so the
    migrated empty schema is kept as a template database, rebuilt whenever a migration file changes."""
    started = time.perf_counter()
    fingerprint = migrations_fingerprint()
    if _template_fingerprint(template) != fingerprint:
        recreate_database(template)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=subprocess_env(template),
            check=True,
        )
        _server_commands(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(template), sql.Literal(fingerprint))
        )
    _server_commands(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)),
    )
    return time.perf_counter() - started


def comment_database(name: str, comment: str) -> None:
    _server_commands(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment)))
