"""Loaded into the bench's Celery worker (`celery -A config worker --include bench.worker_probe`) for the
freshness measurement only: one JSON line per task start, retry and end, with the wall-clock time, in the file
named by BENCH_TASK_LOG. The app's tasks are untouched; the probe only listens to Celery's own signals."""

import json
import os
import time

from celery import signals

LOG_PATH = os.environ.get("BENCH_TASK_LOG")


def _write(event: str, task_id: str, name: str, **fields) -> None:
    if not LOG_PATH:
        return
    line = json.dumps(
        {"at": time.time(), "event": event, "task_id": task_id, "task": name, "pid": os.getpid(), **fields}
    )
    # One short O_APPEND write per line: the pool's processes never interleave within a line.
    with open(LOG_PATH, "a") as log:
        log.write(line + "\n")


@signals.task_prerun.connect
def _started(task_id=None, task=None, args=None, **_extra):
    _write("start", task_id, task.name, args=list(args or []), retries=task.request.retries)


@signals.task_retry.connect
def _retried(request=None, reason=None, **_extra):
    _write("retry", request.id, request.task, reason=str(reason))


@signals.task_postrun.connect
def _finished(task_id=None, task=None, retval=None, state=None, **_extra):
    _write("end", task_id, task.name, state=state, retval=retval if isinstance(retval, int | None) else str(retval))
