"""The benchmark cannot rot: its quick mode runs end to end at national scale (the real 175 cities and counties,
84,000 reports; short measurements, ~25 s) and writes every measurement.

Times are not asserted (CI machines are shared and noisy); only that each measurement exists with its numbers.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Named after the run's own database, so that two runs on one server (each with its own DATABASE_URL) never drop
# each other's benchmark databases: "regional" gives test_regional_bench_ci.
DATABASE_PREFIX = f"test_{urlsplit(os.environ.get('DATABASE_URL', '')).path.lstrip('/') or 'regional'}_bench_ci"

# Every measurement the issue asks for, as (group, key path) in one scale's results.
MEASUREMENTS = [
    ("load", ("load", "reports")),
    ("standings, one year", ("standings", "one_year", "ratio")),
    ("standings, ten years", ("standings", "ten_years", "ratio")),
    ("import against COPY", ("import", "ratio")),
    ("API standings list throughput", ("api", "standings_list", "throughput_share_of_baseline")),
    ("API standings list p95", ("api", "standings_list", "api", "p95_ms")),
    ("API reports list throughput", ("api", "reports_list", "throughput_share_of_baseline")),
    ("API reports list p95", ("api", "reports_list", "api", "p95_ms")),
    ("standings dashboard p95", ("pages", "standings_dashboard", "p95_ms")),
    ("review queue p95", ("pages", "review_queue", "p95_ms")),
    ("recompute peak RSS", ("memory_recompute", "peak_rss_mib")),
    ("export peak RSS", ("memory_export", "peak_rss_mib")),
    ("XLSX export against CSV", ("export", "xlsx_over_csv")),
    ("freshness p95, one approval at a time", ("freshness", "one_at_a_time", "p95_seconds")),
    ("freshness, computing share", ("freshness", "one_at_a_time", "phases_median_seconds", "computing")),
    *(
        (f"Chromium {page} {cache}: {metric}", ("browser", "pages", page, cache, metric))
        for page in ("home", "this_month", "entry_form", "standings_dashboard", "county_page")
        for cache in ("cold", "warm")
        for metric in ("load_ms", "lcp_ms", "transfer_bytes")
    ),
    *(
        (f"service worker and bell on {page}, {cache}", ("browser", "service_worker_and_inbox", page, cache, key))
        for page in ("this_month", "entry_form")
        for cache in ("cold", "warm")
        for key in ("added_load_ms", "added_transfer_bytes")
    ),
]


def _dig(data: dict, path: tuple[str, ...]):
    for key in path:
        data = data[key]
    return data


@pytest.mark.integration
def test_quick_benchmark_writes_every_measurement_to_json_and_markdown(tmp_path):
    # Given the national scale in quick mode, in databases of its own that are dropped afterwards
    command = [
        sys.executable,
        "-m",
        "bench",
        "--quick",
        "--scale=national",
        f"--db-prefix={DATABASE_PREFIX}",
        f"--output-dir={tmp_path}",
        "--drop-databases",
    ]
    # When it runs
    completed = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=600)

    # Then it succeeds and writes both files
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    markdown = (tmp_path / "latest.md").read_text()
    national = results["scales"]["national"]
    # And every measurement is there as a number
    missing = []
    for title, path in MEASUREMENTS:
        try:
            value = _dig(national, path)
        except (KeyError, TypeError):
            missing.append(title)
            continue
        if not isinstance(value, int | float):
            missing.append(f"{title} (not a number: {value!r})")
    assert missing == []
    # And the standings measured by the app agree with the reference SQL, county by county
    assert national["standings"]["one_year"]["agrees_with_reference"] is True
    assert national["standings"]["ten_years"]["agrees_with_reference"] is True
    # And the pages in Chromium were served as production serves them, and the approvals reached the county page
    assert national["browser"]["server"]["debug"] is False
    assert all(
        national["browser"]["pages"][page][cache]["statuses"] == [200]
        for page in national["browser"]["pages"]
        for cache in ("cold", "warm")
    )
    assert all(sample["run_id"] for sample in national["freshness"]["one_at_a_time"]["samples"])
    # And the Markdown table has a row for every goal checked
    assert len(results["goals"]) >= 12
    for goal in results["goals"]:
        assert goal["measurement"] in markdown
