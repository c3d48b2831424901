"""Load generation against a server on 127.0.0.1 only, bounded in time: `wrk` when installed (Debian's `wrk`
package), else a small threaded Python client with the same outputs (fewer requests per second of its own, so
the report says which one measured)."""

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"


def _check_local(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"load is only ever sent to the loopback, not to {parts.hostname}")
    return parts


def generator_name() -> str:
    return "wrk" if shutil.which("wrk") else "python-threads"


def run(*, url: str, token: str, clients: int, seconds: float, threads: int = 2) -> dict:
    """Requests per second, p50/p95/p99 latency (ms) and errors (connection errors and non-2xx answers)."""
    _check_local(url)
    if shutil.which("wrk"):
        return _run_wrk(url=url, token=token, clients=clients, seconds=seconds, threads=threads)
    return _run_python(url=url, token=token, clients=clients, seconds=seconds)


def _summary(requests, duration_seconds, p50_ms, p95_ms, p99_ms, max_ms, errors, generator) -> dict:
    return {
        "generator": generator,
        "requests": requests,
        "seconds": round(duration_seconds, 2),
        "requests_per_second": round(requests / duration_seconds, 1) if duration_seconds else 0.0,
        "p50_ms": round(p50_ms, 1),
        "p95_ms": round(p95_ms, 1),
        "p99_ms": round(p99_ms, 1),
        "max_ms": round(max_ms, 1),
        "errors": errors,
    }


def _run_wrk(*, url, token, clients, seconds, threads) -> dict:
    command = [
        "wrk",
        f"--threads={min(threads, clients)}",
        f"--connections={clients}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
        url,
    ]
    env = {**os.environ, "BENCH_TOKEN": token}
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60, check=True)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("{"))
    data = json.loads(line)
    errors = sum(data[key] for key in data if key.startswith("errors_"))
    return _summary(
        data["requests"],
        data["duration_us"] / 1e6,
        data["p50_us"] / 1000,
        data["p95_us"] / 1000,
        data["p99_us"] / 1000,
        data["max_us"] / 1000,
        errors,
        "wrk",
    )


def _run_python(*, url, token, clients, seconds) -> dict:
    parts = _check_local(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, my_errors = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Authorization": f"Token {token}"})
                response = connection.getresponse()
                response.read()
                if not 200 <= response.status < 300:
                    my_errors += 1
            except (OSError, http.client.HTTPException):
                my_errors += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += my_errors

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    duration = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]

    def percentile(share):
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000

    return _summary(
        len(latencies),
        duration,
        percentile(0.5),
        percentile(0.95),
        percentile(0.99),
        ordered[-1] * 1000,
        errors[0],
        "python-threads",
    )
