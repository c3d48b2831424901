"""Real processes for fault tests: a dedicated Redis server, a Celery worker, a gunicorn web server.

Each runs against the test database (pytest-django's `test_<name>`), so tests using them need
`django_db(transaction=True)`: the processes only see committed rows.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.builders import LONG_ENTRY_DAYS

VENV_BIN = Path(sys.executable).parent


def tests_database_url() -> str:
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


def process_environment(*, redis_url: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return environment | {
        "DATABASE_URL": tests_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Last month stays open for entry on any day, so that tests can submit its reports (tests/builders.py).
        "REPORT_ENTRY_DAYS_AFTER_MONTH_END": str(LONG_ENTRY_DAYS),
    }


def wait_until(condition, *, timeout_seconds: float, interval_seconds: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval_seconds)
    raise TimeoutError(message or f"condition not met within {timeout_seconds} s")


def free_port() -> int:
    """A port nobody listens on now, picked by the kernel: fixed ports collided with the development servers
    other people run on the same machine (a login "failed" against someone else's runserver on 8107)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """A throw-away Redis on its own port: no persistence, so a restart starts empty, as after a crash."""

    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: port_is_open(self.port), timeout_seconds=10, message="redis did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        wait_until(lambda: not port_is_open(self.port), timeout_seconds=10, message="redis did not stop")


class PostgresServer:
    """A throw-away PostgreSQL cluster (initdb) on its own port, run as the `postgres` user, so a test can stop and
    start it without touching the machine's PostgreSQL that everyone else uses."""

    BIN = Path("/usr/lib/postgresql/15/bin")

    def __init__(self, port: int):
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="regional-pg-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/regional"

    def _as_postgres(self, *command: str, timeout: float = 120) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def create(self) -> None:
        self._as_postgres(
            str(self.BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"
        )
        self.start()
        self._as_postgres(str(self.BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "regional")

    def start(self) -> None:
        self._as_postgres(
            str(self.BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "postgres.log"),
            "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_postgres(str(self.BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class CeleryWorker:
    """`celery -A config worker --pool=prefork --concurrency=1`: a main process and one pool process (or more)."""

    def __init__(self, *, redis_url: str, log_path: Path, concurrency: int = 1):
        self.redis_url = redis_url
        self.log_path = log_path
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=process_environment(redis_url=self.redis_url),
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: "ready." in self.log(), timeout_seconds=60, message="worker not ready:\n" + self.log())

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def pool_process_ids(self) -> list[int]:
        """The pool processes (children of the main worker process) that execute tasks."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self, *, cold: bool = False) -> None:
        """Warm shutdown (TERM): the worker finishes and acknowledges what it holds, so nothing is left in a
        broker the next test uses. `cold` (QUIT) ends it at once, for a worker whose broker is a throw-away
        `RedisServer` stopped right after it: nothing there outlives the test, and the warm shutdown cost 3-4 s."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT if cold else signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log_file.close()


class CeleryBeat:
    """`celery -A config beat`, as docker-compose runs it, with its schedule file in the test's directory."""

    def __init__(self, *, redis_url: str, directory: Path, environment: dict[str, str] | None = None):
        self.redis_url = redis_url
        self.directory = directory
        self.environment = environment or {}
        self.log_path = directory / "beat.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(self.directory / "celerybeat-schedule"),
            ],
            cwd=settings.BASE_DIR,
            env=process_environment(redis_url=self.redis_url) | self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: "beat: Starting" in self.log(), timeout_seconds=60, message="beat not started")

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log_file.close()


class WebServer:
    """gunicorn serving the project, as in production (one sync worker)."""

    def __init__(self, *, port: int, redis_url: str, log_path: Path, environment: dict[str, str] | None = None):
        self.port = port
        self.redis_url = redis_url
        self.log_path = log_path
        self.environment = environment or {}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            cwd=settings.BASE_DIR,
            env=process_environment(redis_url=self.redis_url) | self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: port_is_open(self.port), timeout_seconds=60, message="gunicorn did not start")

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self) -> None:
        # The test is over: gunicorn's quick shutdown (QUIT) rather than its graceful one (TERM), which waited
        # up to 5 s for workers with no request left to finish.
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(30)
        self.log_file.close()
