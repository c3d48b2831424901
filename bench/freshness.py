"""Freshness (issue 18, goal 4): from a provincial official's approval to the new standings run being visible
on the county's standings page, through the production path: gunicorn, a real Celery worker on Redis with the
production concurrency, the app's own approval view and recompute task. See bench/README.md, "Freshness".

The orchestrator (bench/cli.py) calls `measure`; the Django-side set-up runs in its own process on the scratch
database (`python -m bench.freshness setup '<json>'`), like the steps of bench/steps.py.

Every approval is timed on one clock (the machine's wall clock, which the web app, the worker and PostgreSQL
share) and split into consecutive phases that add up to the whole:

    approval      POST sent → its answer (the approval written, committed, the recompute task enqueued)
    queueing      → a worker starts a recompute task of the year (broker hop, a free worker)
    lock wait     → the year's advisory lock is held by the pass that computes the approval (the run's
                    `cutoff_at`, taken right after the lock): an earlier pass of the same year finishing, or a
                    task found the year busy and was retried
    computing     → the run is computed (`cutoff_at` + the run's own `duration_milliseconds`)
    publication   → the county page shows that run (commit, the watcher's 50 ms poll of the database, the page)
"""

import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import database

BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")
# docker-compose.yml: `celery -A config worker --loglevel=info --concurrency=2`.
WORKER_CONCURRENCY = 2
RECOMPUTE_TASK = "standings.tasks.standings_recompute_task"
POLL_SECONDS = 0.05
VISIBLE_WITHIN_SECONDS = 60
GOAL_P95_SECONDS = 5
PHASES = ("approval", "queueing", "lock_wait", "computing", "publication")
RUN_ID = re.compile(r"Run (\d+) · methodology")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --- Django side (scratch database) -------------------------------------------------------------------------------


def setup(*, year: int, count: int) -> list[dict]:
    """`count` submitted reports of `year`, taken province by province in turn, each with a signed-in session of
    an official of its province (one official per province, created if missing)."""
    from django.test import Client

    from factories.models import MonthlyReport
    from regional.models import User

    submitted = (
        MonthlyReport.objects.filter(status=MonthlyReport.Status.SUBMITTED, month__year=year)
        .select_related("factory__county__province")
        .order_by("factory__county__province__code", "pk")
    )
    by_province: dict = {}
    for report in submitted:
        by_province.setdefault(report.factory.county.province, []).append(report)
    chosen = []
    while len(chosen) < count and any(by_province.values()):
        for reports in by_province.values():
            if reports and len(chosen) < count:
                chosen.append(reports.pop(0))
    if len(chosen) < count:
        raise RuntimeError(f"only {len(chosen)} submitted reports in {year}, {count} needed")
    sessions = {}
    items = []
    for report in chosen:
        province = report.factory.county.province
        if province.pk not in sessions:
            official, _created = User.objects.get_or_create(
                username=f"bench-province-{province.code.lower()}",
                defaults={"role": User.Role.PROVINCIAL_OFFICIAL, "province": province},
            )
            client = Client()
            client.force_login(official, backend="django.contrib.auth.backends.ModelBackend")
            sessions[province.pk] = client.cookies["sessionid"].value
        items.append(
            {
                "report_id": report.pk,
                "province": province.code,
                "county_slug": report.factory.county.slug,
                "month": report.month.isoformat(),
                "sessionid": sessions[province.pk],
            }
        )
    return items


SETUP_STEPS = {"setup": setup}


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = SETUP_STEPS[argv[0]](**(json.loads(argv[1]) if len(argv) > 1 else {}))
    print(json.dumps(result, default=str))
    return 0


# --- orchestrator side ------------------------------------------------------------------------------------------


def _django_step(db: str, name: str, **arguments):
    completed = subprocess.run(
        [sys.executable, "-m", "bench.freshness", name, json.dumps(arguments)],
        cwd=database.ROOT,
        env=database.subprocess_env(db),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"freshness {name} on {db} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def copy_database(source: str, target: str) -> None:
    """A scratch copy of the loaded database: the approvals change it, and a later run reusing the data must
    find it as loaded. FILE_COPY: a few seconds for the national scale (WAL_LOG writes all of it to the WAL)."""
    from psycopg2 import sql

    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                    sql.Identifier(target), sql.Identifier(source)
                )
            )
    finally:
        connection.close()


def _flush_broker() -> None:
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


class Worker:
    """`celery -A config worker` as production runs it (concurrency 2, acks late, prefetch 1), on the bench
    database and the bench's Redis database, with bench/worker_probe.py listening to its task signals."""

    def __init__(self, db: str, *, task_log: Path, output: Path):
        self.db = db
        self.task_log = task_log
        self.output = output
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--concurrency={WORKER_CONCURRENCY}",
            "--loglevel=info",
            "--include=bench.worker_probe",
            f"--hostname=bench-freshness-{os.getpid()}@%h",
            # One worker alone: no cluster to synchronise with at start-up (saves a second, changes no task).
            "--without-mingle",
            "--without-gossip",
        ]
        env = database.subprocess_env(self.db, REDIS_URL=BROKER_URL, BENCH_TASK_LOG=str(self.task_log))
        self.log_file = open(self.output, "w")
        self.process = subprocess.Popen(
            command, cwd=database.ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker stopped: {self.output.read_text()[-2000:]}")
            if " ready." in self.output.read_text():
                return self
            time.sleep(0.2)
        raise RuntimeError("the Celery worker was not ready within 60 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


class Official:
    """A provincial official's browser, reduced to what approving needs: the session and CSRF cookies, a form
    POST, no redirects followed (the answer of the POST is the end of the approval)."""

    def __init__(self, port: int, sessionid: str):
        self.port = port
        self.cookies = {"sessionid": sessionid}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        headers["Accept-Language"] = "en"
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _equals, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def open_report(self, report_id: int) -> dict:
        """The report's page as the official reads it before approving: the form's CSRF token and version."""
        status, text = self.request("GET", f"/reports/{report_id}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        version = re.search(r'name="version" value="(\d+)"', text)
        if status != 200 or token is None or version is None:
            raise RuntimeError(f"report {report_id}: no approval form (HTTP {status})")
        return {"csrfmiddlewaretoken": token.group(1), "version": version.group(1)}


class Watcher:
    """Waits for the first committed run of the year that includes an approval (its cut-off is at or after the
    approval's time), then opens the county's standings page until it shows that run or a later one."""

    def __init__(self, db: str, year: int):
        self.connection = database.connect(db)
        self.year = year

    def close(self) -> None:
        self.connection.close()

    def approved_at(self, report_id: int) -> float:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT status, extract(epoch FROM approved_at) FROM factories_monthlyreport WHERE id = %s",
                [report_id],
            )
            status, at = cursor.fetchone()
        if status != "approved":
            raise RuntimeError(f"report {report_id} is {status} after its approval")
        return float(at)

    def wait_visible(self, official: Official, *, slug: str, approved_at: float) -> dict:
        deadline = time.time() + VISIBLE_WITHIN_SECONDS
        run_id = None
        while time.time() < deadline:
            if run_id is None:
                with self.connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT id FROM standings_standingsrun WHERE year = %s AND cutoff_at >= to_timestamp(%s) "
                        "ORDER BY id LIMIT 1",
                        [self.year, approved_at],
                    )
                    row = cursor.fetchone()
                run_id = row[0] if row else None
            if run_id is not None:
                page_started = time.time()
                status, text = official.request("GET", f"/standings/counties/{slug}/?year={self.year}")
                shown = RUN_ID.search(text)
                if status == 200 and shown and int(shown.group(1)) >= run_id:
                    return {
                        "run_id": run_id,
                        "shown_run_id": int(shown.group(1)),
                        "visible_at": time.time(),
                        "page_seconds": time.time() - page_started,
                    }
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"no run including the approval was visible within {VISIBLE_WITHIN_SECONDS} s")


def _approve_and_watch(server_port: int, item: dict, form: dict, watcher: Watcher) -> dict:
    official = Official(server_port, item["sessionid"])
    official.cookies.update(item["cookies"])
    sent_at = time.time()
    status, _text = official.request("POST", f"/reports/{item['report_id']}/approve/", form)
    answered_at = time.time()
    if status != 302:
        raise RuntimeError(f"approving report {item['report_id']} answered HTTP {status}")
    try:
        visible = watcher.wait_visible(
            official, slug=item["county_slug"], approved_at=watcher.approved_at(item["report_id"])
        )
    except RuntimeError as error:
        # Counted as what it is, a miss of the whole wait, instead of losing the rest of the bench run.
        visible = {"run_id": None, "error": str(error), "visible_at": time.time(), "page_seconds": 0.0}
    return {
        "report_id": item["report_id"],
        "province": item["province"],
        "county": item["county_slug"],
        "sent_at": sent_at,
        "answered_at": answered_at,
        **visible,
    }


def _prepare(server_port: int, items: list[dict]) -> list[dict]:
    """Open every report's page first (untimed: the official reads the report before approving it)."""
    forms = []
    for item in items:
        official = Official(server_port, item["sessionid"])
        forms.append(official.open_report(item["report_id"]))
        item["cookies"] = dict(official.cookies)
    return forms


def _one_at_a_time(server_port: int, items: list[dict], db: str, year: int) -> list[dict]:
    forms = _prepare(server_port, items)
    watcher = Watcher(db, year)
    try:
        samples = []
        for item, form in zip(items, forms, strict=True):
            samples.append(_approve_and_watch(server_port, item, form, watcher))
            time.sleep(0.1)  # the worker's acknowledgement and the request row settle, as between two reviews
        return samples
    finally:
        watcher.close()


def _overlapping(server_port: int, items: list[dict], db: str, year: int, interval: float) -> list[dict]:
    """Approvals sent every `interval` seconds whatever the state of the recompute (officials of different
    provinces at the same moment), each watched by its own thread."""
    forms = _prepare(server_port, items)
    samples: list = [None] * len(items)
    errors: list = []
    start = time.time() + 0.2

    def one(index: int) -> None:
        watcher = Watcher(db, year)
        try:
            time.sleep(max(0.0, start + index * interval - time.time()))
            samples[index] = _approve_and_watch(server_port, items[index], forms[index], watcher)
        except Exception as error:
            errors.append(error)
        finally:
            watcher.close()

    threads = [threading.Thread(target=one, args=(index,)) for index in range(len(items))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return samples


def _run_times(db: str, run_ids: set[int]) -> dict[int, dict]:
    connection = database.connect(db)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, extract(epoch FROM cutoff_at), duration_milliseconds FROM standings_standingsrun "
                "WHERE id = ANY(%s)",
                [sorted(run_ids)],
            )
            return {
                run_id: {"locked_at": float(cutoff), "computed_at": float(cutoff) + duration / 1000}
                for run_id, cutoff, duration in cursor.fetchall()
            }
    finally:
        connection.close()


def _phases(sample: dict, run: dict, task_starts: list[float]) -> dict:
    """Consecutive phases of one approval (each ≥ 0, adding up to the whole); see the module's docstring."""
    first_start = next((at for at in task_starts if at >= sample["sent_at"]), run["locked_at"])
    answered = sample["answered_at"]
    started = max(answered, min(first_start, run["locked_at"]))
    locked = max(started, run["locked_at"])
    computed = max(locked, run["computed_at"])
    visible = max(computed, sample["visible_at"])
    return {
        "approval": answered - sample["sent_at"],
        "queueing": started - answered,
        "lock_wait": locked - started,
        "computing": computed - locked,
        "publication": visible - computed,
    }


def _summary(samples: list[dict], runs: dict, task_starts: list[float]) -> dict:
    for sample in samples:
        sample["seconds"] = sample["visible_at"] - sample["sent_at"]
        run = runs.get(sample["run_id"])
        sample["phases"] = _phases(sample, run, task_starts) if run else dict.fromkeys(PHASES, 0.0)
    totals = [sample["seconds"] for sample in samples]
    p95_sample = min(samples, key=lambda sample: abs(sample["seconds"] - _percentile(totals, 0.95)))
    return {
        "approvals": len(samples),
        "provinces": len({sample["province"] for sample in samples}),
        "p50_seconds": round(_percentile(totals, 0.50), 3),
        "p95_seconds": round(_percentile(totals, 0.95), 3),
        "max_seconds": round(max(totals), 3),
        "runs_published": len({sample["run_id"] for sample in samples if sample["run_id"]}),
        "not_visible": sum(1 for sample in samples if not sample["run_id"]),
        # Medians of each phase, and the phases of the approval at the 95th percentile.
        "phases_median_seconds": {
            phase: round(statistics.median(sample["phases"][phase] for sample in samples), 3) for phase in PHASES
        },
        "phases_at_p95_seconds": {phase: round(p95_sample["phases"][phase], 3) for phase in PHASES},
        "page_median_seconds": round(statistics.median(sample["page_seconds"] for sample in samples), 3),
        "samples": [
            {
                "report_id": sample["report_id"],
                "province": sample["province"],
                "county": sample["county"],
                "run_id": sample["run_id"],
                "seconds": round(sample["seconds"], 3),
                **{phase: round(sample["phases"][phase], 3) for phase in PHASES},
            }
            for sample in samples
        ],
    }


def measure(**arguments) -> dict:
    """`_measure`, or what stopped it: a failure is reported as a missed goal, the rest of the run is kept."""
    started = time.perf_counter()
    try:
        return _measure(**arguments)
    except Exception as error:
        arguments["log"](f"freshness failed: {error!r}")
        return {"error": f"{type(error).__name__}: {error}"[:2000], "seconds": round(time.perf_counter() - started, 1)}


def _measure(*, db: str, year: int, approvals: int, overlapping: int, interval: float, server_factory, log) -> dict:
    """Approve `approvals` reports one at a time (each after the previous one is visible), then `overlapping`
    more sent every `interval` seconds; on a scratch copy of `db`, dropped afterwards."""
    scratch = f"{db}_freshness"
    workdir = Path(tempfile.mkdtemp(prefix="bench-freshness-"))
    task_log = workdir / "tasks.jsonl"
    started = time.perf_counter()
    try:
        copy_database(db, scratch)
        copied = time.perf_counter()
        items = _django_step(scratch, "setup", year=year, count=1 + approvals + overlapping)
        _flush_broker()
        prepared = time.perf_counter()
        with (
            Worker(scratch, task_log=task_log, output=workdir / "worker.log"),
            server_factory(scratch, extra_env={"REDIS_URL": BROKER_URL}) as server,
        ):
            running = time.perf_counter()
            log(f"freshness: worker and gunicorn up after {running - started:.1f} s")
            # One approval first, not counted: the worker's processes open their database connections.
            _one_at_a_time(server.port, items[:1], scratch, year)
            sequential = _one_at_a_time(server.port, items[1 : 1 + approvals], scratch, year)
            concurrent = (
                _overlapping(server.port, items[1 + approvals :], scratch, year, interval) if overlapping else []
            )
            time.sleep(0.5)  # the last tasks' end lines reach the probe's file
        events = [json.loads(line) for line in task_log.read_text().splitlines()] if task_log.exists() else []
        recompute_events = [event for event in events if event["task"] == RECOMPUTE_TASK]
        task_starts = sorted(event["at"] for event in recompute_events if event["event"] == "start")
        runs = _run_times(scratch, {sample["run_id"] for sample in sequential + concurrent if sample["run_id"]})
        result = {
            "year": year,
            "worker_concurrency": WORKER_CONCURRENCY,
            "web_workers": server.workers,
            "poll_seconds": POLL_SECONDS,
            "broker": BROKER_URL.rsplit("@", 1)[-1],
            "one_at_a_time": _summary(sequential, runs, task_starts),
            "recompute_tasks_started": len(task_starts),
            "busy_retries": sum(1 for event in recompute_events if event["event"] == "retry"),
        }
        if concurrent:
            result["overlapping"] = {"interval_seconds": interval, **_summary(concurrent, runs, task_starts)}
        result["seconds"] = round(time.perf_counter() - started, 1)
        result["seconds_before_measuring"] = {
            "copy_database": round(copied - started, 1),
            "sessions_and_reports": round(prepared - copied, 1),
            "worker_and_gunicorn": round(running - prepared, 1),
        }
        return result
    finally:
        database.drop_database(scratch)
        shutil.rmtree(workdir, ignore_errors=True)


# --- goal rows of the report (bench/report.py) --------------------------------------------------------------------


def _phase_text(phases: dict) -> str:
    return " / ".join(f"{phases[phase]:.3f}" for phase in PHASES)


def goal_rows(result: dict, scale: str) -> list[dict]:
    """Issue 18, goal 4: p95 < 5 s from the approval to the county page, and where the time goes."""
    if "error" in result:
        return [
            {
                "number": 7,
                "measurement": f"freshness: approval → new run on the county page (failed: {result['error']})",
                "scale": scale,
                "value": None,
                "baseline": None,
                "ratio": None,
                "unit": "s",
                "goal": f"p95 < {GOAL_P95_SECONDS} s",
                "met": False,
            }
        ]
    rows = []
    for key, title in (
        ("one_at_a_time", "one at a time"),
        ("overlapping", f"sent every {result.get('overlapping', {}).get('interval_seconds')} s"),
    ):
        phase = result.get(key)
        if not phase:
            continue
        rows.append(
            {
                "number": 7,
                "measurement": f"freshness: approval → new run on the county's standings page, {phase['approvals']} "
                f"approvals over {phase['provinces']} provinces, {title} (Celery worker, concurrency "
                f"{result['worker_concurrency']}): p50 / p95",
                "scale": scale,
                "value": f"{phase['p50_seconds']:.3f} / {phase['p95_seconds']:.3f}",
                "baseline": None,
                "ratio": None,
                "unit": "s",
                "goal": f"p95 < {GOAL_P95_SECONDS} s",
                "met": phase["p95_seconds"] < GOAL_P95_SECONDS,
            }
        )
        rows.append(
            {
                "number": 7,
                "measurement": f"freshness, {title}: approval / queueing / lock wait / computing / publication "
                "(medians; baseline column: the approval at p95)",
                "scale": scale,
                "value": _phase_text(phase["phases_median_seconds"]),
                "baseline": _phase_text(phase["phases_at_p95_seconds"]),
                "ratio": None,
                "unit": "s",
                "goal": "(information)",
                "met": True,
            }
        )
    return rows


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
