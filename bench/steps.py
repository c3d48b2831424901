"""One benchmark step, run in its own process with Django set up on the bench database:

    python -m bench.steps <step> '<json arguments>'

prints the step's measurements as one JSON object on its last line of output. A process per step keeps each
step's peak RSS its own and lets the orchestrator (bench/cli.py) point every step at another database.
"""

import csv
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --- load -----------------------------------------------------------------------------------------------------


def step_load(*, scale: str, seed: int) -> dict:
    from bench.datagen import SCALES, load

    return load(scale=SCALES[scale], seed=seed).as_dict()


# --- standings --------------------------------------------------------------------------------------------------


def _clear_runs(years=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM standings_countystanding")
        cursor.execute("DELETE FROM standings_recomputerequest")
        cursor.execute("UPDATE standings_standingsrun SET previous_run_id = NULL")
        cursor.execute("DELETE FROM standings_standingsrun")


def _reference_statement(year: int, cutoff_at) -> str:
    """bench/standings_reference.sql with its parameters bound as literals (the form psql runs)."""
    from django.conf import settings
    from django.db import connection

    from standings.services import methodology_current

    methodology = methodology_current()
    weights = methodology.weights
    params = {
        "year": year,
        "cutoff_at": cutoff_at,
        "entry_days": settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END,
        "time_zone": settings.TIME_ZONE,
        "minimum_counted_share": methodology.minimum_counted_share,
        "w_plan": weights["plan_fulfilment"],
        "w_growth": weights["growth"],
        "w_range": weights["product_range"],
        "w_local": weights["local_raw_materials"],
        "w_discipline": weights["reporting_discipline"],
    }
    text = (settings.BASE_DIR / "bench" / "standings_reference.sql").read_text()
    with connection.cursor() as cursor:
        return cursor.mogrify(text, params).decode()


REFERENCE_SESSION = "SET jit = off;\n"


def _psql_seconds(statements: list[str], last_rows_to: str | None = None) -> tuple[float, float]:
    """Run the statements in one psql session; (Σ of psql's own \\timing per statement, wall time of psql). With
    `last_rows_to`, the last statement's rows are written there as CSV (psql receives every statement's rows
    anyway; only where they are printed changes), so checking the ranks needs no extra run of the reference."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    # The app's recompute turns JIT off (it only adds compile time at this size); the reference gets the same, so
    # the ratio compares like with like. Set before \\timing: only the statements themselves are timed.
    body = [statement.rstrip().rstrip(";") + ";" for statement in statements]
    if last_rows_to is not None:
        body.insert(len(body) - 1, f"\\pset format csv\n\\o {last_rows_to}")
    script = REFERENCE_SESSION + "\\timing on\n" + "\n".join(body) + "\n"
    command = [
        "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        database["HOST"] or "127.0.0.1",
        "-p",
        str(database["PORT"] or 5432),
        "-U",
        database["USER"] or "postgres",
        "-d",
        database["NAME"],
        "-o",
        "/dev/null",
    ]
    started = time.perf_counter()
    completed = subprocess.run(command, input=script, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    timings = [float(value) for value in re.findall(r"Time: ([0-9.]+) ms", completed.stdout)]
    if len(timings) != len(statements):
        raise RuntimeError(f"psql printed {len(timings)} timings for {len(statements)} statements: {completed.stdout}")
    return sum(timings) / 1000, wall


def _reference_rows(csv_path: str) -> dict:
    """The reference's rows as psql wrote them (CSV with a header; NULL as an empty field), by county id."""
    with open(csv_path, newline="") as rows:
        return {int(row["county_id"]): row for row in csv.DictReader(rows)}


def _agrees_with_reference(run, csv_path: str) -> bool:
    """The published run and the reference give every county the same rank and composite."""
    from decimal import Decimal

    from standings.models import CountyStanding

    expected = {
        county_id: (int(row["rank"]) if row["rank"] else None, Decimal(row["composite"]) if row["composite"] else None)
        for county_id, row in _reference_rows(csv_path).items()
    }
    published = {
        county_id: (rank, composite)
        for county_id, rank, composite in CountyStanding.objects.filter(run=run).values_list(
            "county_id", "rank", "composite"
        )
    }
    return published == expected


def step_standings(*, years: list[int], single_year: int, repeats: int, ten_year_repeats: int | None = None) -> dict:
    """The app's recompute (standings_recompute: inputs, hash, publish) against the reference statement through
    psql, alternated run by run so that both see the same machine load."""
    from django.db import connection
    from django.utils import timezone

    from standings.services import RecomputeOutcome, standings_recompute

    connection.ensure_connection()
    rss_before = _rss_mib()
    cutoff_at = timezone.now()
    results = {}
    for label, measured_years, repeat_count in (
        ("one_year", [single_year], repeats),
        ("ten_years", years, repeats if ten_year_repeats is None else ten_year_repeats),
    ):
        statements = [_reference_statement(year, cutoff_at) for year in measured_years]
        app_seconds, reference_seconds, reference_wall_seconds, band_seconds = [], [], [], []
        reference_csv = os.path.join(tempfile.mkdtemp(prefix="bench-reference-"), f"{label}.csv")
        for _repeat in range(repeat_count):
            _clear_runs()
            started = time.perf_counter()
            outcomes = [standings_recompute(year=year, cutoff_at=cutoff_at) for year in measured_years]
            app_seconds.append(time.perf_counter() - started)
            # The rank bands' share of the recompute (1,000 weightings of every ranked county), timed inside it.
            band_seconds.append(sum(outcome.run.band_milliseconds for outcome in outcomes) / 1000)
            if any(outcome.status != RecomputeOutcome.PUBLISHED for outcome in outcomes):
                raise RuntimeError(f"a recompute did not publish: {[outcome.status for outcome in outcomes]}")
            statement_seconds, wall = _psql_seconds(statements, last_rows_to=reference_csv)
            reference_seconds.append(statement_seconds)
            reference_wall_seconds.append(wall)
        agrees = _agrees_with_reference(outcomes[-1].run, reference_csv)
        app = statistics.median(app_seconds)
        reference = statistics.median(reference_seconds)
        results[label] = {
            "years": measured_years,
            "repeats": repeat_count,
            "app_seconds": round(app, 4),
            "reference_seconds": round(reference, 4),
            "reference_psql_wall_seconds": round(statistics.median(reference_wall_seconds), 4),
            "ratio": round(app / reference, 3),
            "band_seconds": round(statistics.median(band_seconds), 4),
            "band_share_of_recompute": round(statistics.median(band_seconds) / app, 3),
            "agrees_with_reference": agrees,
            "counties_listed": outcomes[-1].run.listed_count,
            "counties_ranked": outcomes[-1].run.ranked_count,
            "app_best_seconds": round(min(app_seconds), 4),
            "reference_best_seconds": round(min(reference_seconds), 4),
            "app_all_seconds": [round(value, 4) for value in app_seconds],
            "reference_all_seconds": [round(value, 4) for value in reference_seconds],
        }
    _settle_standings_tables()
    # This process recomputed every year (and one year again): its peak RSS bounds a worker's for --all, so the
    # stress scale takes its memory measurement from here instead of recomputing ten years once more.
    results["memory"] = {
        "years": len(years),
        "seconds": results["ten_years"]["app_seconds"],
        "rss_before_mib": round(rss_before, 1),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
        "growth_mib": round(_peak_rss_mib() - rss_before, 1),
        "measured_in": "the standings step (every year, and one year again)",
    }
    return results


# --- import ---------------------------------------------------------------------------------------------------------

IMPORT_FACTORY_PREFIX = "bench-import-"


def _import_factories(count: int):
    """Factories that exist only for the import benchmark (commissioned 2010, no reports yet)."""
    import datetime

    from factories.models import Factory
    from regional.models import County

    existing = list(Factory.objects.filter(code__startswith=IMPORT_FACTORY_PREFIX).order_by("code"))
    if len(existing) >= count:
        return existing[:count]
    counties = list(County.objects.filter(kind__in=County.PROGRAMME_KINDS).order_by("id")[:200])
    Factory.objects.bulk_create(
        Factory(
            code=f"{IMPORT_FACTORY_PREFIX}{number:05d}",
            county=counties[number % len(counties)],
            name=f"Bench import factory {number:05d}",
            kind="other",
            status=Factory.Status.IN_OPERATION,
            commissioned_on=datetime.date(2010, 1, 1),
        )
        for number in range(len(existing), count)
    )
    return list(Factory.objects.filter(code__startswith=IMPORT_FACTORY_PREFIX).order_by("code"))[:count]


def _import_csv(rows: int) -> tuple[str, list[tuple]]:
    """`rows` valid new reports as the importer's CSV, and the same rows resolved for a raw COPY."""
    import datetime

    from factories.selectors import add_months

    months_per_factory = 100
    factories = _import_factories(-(-rows // months_per_factory))
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [
        "factory_code",
        "month",
        "output_value_thousand_won",
        "physical_output",
        "varieties_produced",
        "raw_material_used_tonnes",
        "raw_material_from_own_bases_tonnes",
        "days_worked",
        "workers_on_roll",
        "comment",
        "status",
    ]
    writer.writerow(columns)
    resolved = []
    first = datetime.date(2016, 1, 1)
    for index in range(rows):
        factory = factories[index // months_per_factory]
        month = add_months(first, index % months_per_factory)
        value = f"{10000 + (index * 37) % 9000}.{index % 100:02d}"
        physical = f"{500 + (index * 13) % 400}.50"
        used = f"{400 + (index * 7) % 300}.25"
        own = f"{200 + (index * 3) % 150}.75"
        values = [factory.code, month.strftime("%Y-%m"), value, physical, str(20 + index % 40), used, own]
        values += [str(20 + index % 6), str(100 + index % 200), "", "approved"]
        writer.writerow(values)
        resolved.append((factory.pk, month, *values[2:]))
    return out.getvalue(), resolved


REPORT_COPY_COLUMNS = (
    "factory_id, month, status, output_value_thousand_won, physical_output, varieties_produced, "
    "raw_material_used_tonnes, raw_material_from_own_bases_tonnes, days_worked, workers_on_roll, comment, "
    "return_reason, warnings_acknowledged, is_reopened, created_at, updated_at, first_submitted_at, "
    "submitted_at, approved_at, version, is_demo"
)


def _copy(cursor, table: str, columns: str, rows) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL).writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


def _report_copy_rows(resolved: list[tuple], now: str):
    for factory_id, month, value, physical, varieties, used, own, days, workers, comment, _status in resolved:
        figures = [value, physical, varieties, used, own, days, workers]
        yield [
            factory_id,
            month.isoformat(),
            "approved",
            *figures,
            comment,
            "",
            "f",
            "f",
            now,
            now,
            now,
            now,
            now,
            1,
            "f",
        ]


def _copy_rows(resolved: list[tuple], *, with_audit_rows: bool = False) -> float:
    """COPY the same rows straight into factories_monthlyreport (with its indexes and constraints), as approved
    reports; with `with_audit_rows` also COPY one history row and the two events (submitted, approved) per report,
    which is everything the import writes. Seconds; the caller rolls the transaction back."""
    from django.db import connection

    from factories.models import MonthlyReport, ReportEvent

    now = "2026-01-01 00:00:00+00"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        _copy(cursor, "factories_monthlyreport", REPORT_COPY_COLUMNS, _report_copy_rows(resolved, now))
        if with_audit_rows:
            user_id = _admin_id()
            cursor.execute(
                "SELECT id, factory_id, month FROM factories_monthlyreport WHERE factory_id = ANY(%s)",
                [sorted({row[0] for row in resolved})],
            )
            ids = {(factory_id, month): report_id for report_id, factory_id, month in cursor.fetchall()}
            history_table = MonthlyReport.history.model._meta.db_table
            history_rows = (
                [ids[(row[0], row[1])], *report[1:], row[0], user_id, user_id, user_id, now, "CSV import", "+", user_id]
                for row, report in zip(resolved, _report_copy_rows(resolved, now), strict=True)
            )
            history_columns = (
                REPORT_COPY_COLUMNS.replace("factory_id, ", "").replace("updated_at, ", "")
                + ", factory_id, created_by_id, submitted_by_id, approved_by_id, history_date, history_change_reason,"
                " history_type, history_user_id"
            )
            _copy(cursor, history_table, "id, " + history_columns, (_without_updated_at(row) for row in history_rows))
            # The import records every report as submitted and, when the file says approved (every bench row),
            # approved too: two events a report.
            _copy(
                cursor,
                ReportEvent._meta.db_table,
                "report_id, kind, actor_id, at, reason",
                (
                    [ids[(row[0], row[1])], kind, user_id, now, "CSV import"]
                    for row in resolved
                    for kind in ("submitted", "approved")
                ),
            )
    return time.perf_counter() - started


def _without_updated_at(row: list) -> list:
    # A history row built from a report row: id, month, status, 7 figures, comment, return_reason, 2 flags,
    # created_at (14), updated_at (15), ...; the history table has no updated_at.
    return row[:15] + row[16:]


def _admin_id() -> int:
    from regional.models import User

    return User.objects.get(username="bench-admin").pk


class _Rollback(Exception):
    pass


def _in_rolled_back_transaction(function):
    from django.db import transaction

    result = {}
    try:
        with transaction.atomic():
            result["value"] = function()
            raise _Rollback
    except _Rollback:
        pass
    return result["value"]


def step_import(*, rows: int, repeats: int) -> dict:
    """The app's CSV import (dry run, then commit: both validate every row) against a raw COPY of the same rows.
    Each run is rolled back, so every repetition imports into the same state."""
    from factories.services import report_import_commit, report_import_preview
    from regional.models import User

    user = User.objects.get(username="bench-admin")
    content, resolved = _import_csv(rows)
    copy_seconds, preview_seconds, commit_seconds = [], [], []

    def app_import():
        started = time.perf_counter()
        report_import, parsed = report_import_preview(user=user, file_name="bench.csv", content=content)
        previewed = time.perf_counter()
        if parsed.errors:
            raise RuntimeError(f"the bench CSV has errors: {parsed.errors[:3]}")
        report_import_commit(report_import=report_import, user=user)
        return previewed - started, time.perf_counter() - previewed

    copy_all_seconds = []
    for _repeat in range(repeats):
        copy_seconds.append(_in_rolled_back_transaction(lambda: _copy_rows(resolved)))
        preview, commit = _in_rolled_back_transaction(app_import)
        preview_seconds.append(preview)
        commit_seconds.append(commit)
        copy_all_seconds.append(_in_rolled_back_transaction(lambda: _copy_rows(resolved, with_audit_rows=True)))
        copy_seconds.append(_in_rolled_back_transaction(lambda: _copy_rows(resolved)))
    copy = statistics.median(copy_seconds)
    copy_all = statistics.median(copy_all_seconds)
    commit = statistics.median(commit_seconds)
    preview = statistics.median(preview_seconds)
    return {
        "rows": rows,
        "repeats": repeats,
        "copy_seconds": round(copy, 4),
        "preview_seconds": round(preview, 4),
        "commit_seconds": round(commit, 4),
        "ratio": round(commit / copy, 3),
        "ratio_preview_and_commit": round((preview + commit) / copy, 3),
        "copy_with_audit_rows_seconds": round(copy_all, 4),
        "ratio_to_copy_with_audit_rows": round(commit / copy_all, 3),
        "app_rows_per_second": round(rows / commit),
        "copy_rows_per_second": round(rows / copy),
    }


# --- pages ----------------------------------------------------------------------------------------------------------

PAGE_CANDIDATES = {
    "standings_dashboard": ["standings:national", "standings:dashboard"],
    "review_queue": ["reports:review_queue"],
    "county_page": ["standings:county"],
    "site_board": ["sites:board"],
    "pivot_default": ["pivot"],
}
# Who opens each page: the analyst sees the whole country, the provincial official reviews the largest province.
PAGE_USERS = {
    "standings_dashboard": "bench-analyst",
    "review_queue": "bench-province",
    "county_page": "bench-analyst",
    "site_board": "bench-analyst",
    "pivot_default": "bench-analyst",
}
# The pivot's year × province × month view (issue 17) of the first generated year, which every scale has: the
# explorer opens on the current year, which the generated years (ten closed ones) do not reach.
PAGE_QUERIES = {"pivot_default": "?measure=output_value&rows=province&columns=month&year=2016"}


def _page_kwargs(page: str) -> dict:
    """A real county (one of the 175 of the reference data) ranked in the latest run: the county page of a unit
    that has a standing, its explanation and its history at every scale."""
    if page != "county_page":
        return {}
    from standings.models import CountyStanding, StandingsRun

    run = StandingsRun.objects.order_by("-year", "-id").first()
    standing = (
        CountyStanding.objects.filter(run=run, rank__isnull=False)
        .exclude(county__slug__startswith="bench-county-")
        .order_by("rank", "county__slug")
        .select_related("county")
        .first()
    )
    return {"slug": standing.county.slug}


def _page_url(candidates: list[str], kwargs: dict | None = None) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in candidates:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return None


def _counting(executed: list):
    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def step_pages(*, requests: int) -> dict:
    """Server time, query count and HTML size of the pages, through Django's full request path (middleware,
    templates)."""
    from django.db import connection
    from django.test import Client

    from regional.models import User

    results = {}
    for page, candidates in PAGE_CANDIDATES.items():
        url = os.environ.get(f"BENCH_URL_{page.upper()}") or _page_url(candidates, _page_kwargs(page))
        if url is not None and not os.environ.get(f"BENCH_URL_{page.upper()}"):
            url += PAGE_QUERIES.get(page, "")
        if url is None:
            results[page] = {"url": None, "error": f"no URL named any of {candidates}"}
            continue
        client = Client()
        client.force_login(
            User.objects.get(username=PAGE_USERS[page]), backend="django.contrib.auth.backends.ModelBackend"
        )
        seconds, query_counts, statuses = [], set(), set()
        client.get(url)  # warm-up: template compilation, first connection
        for _request in range(requests):
            executed = []
            # Counted at the cursor: Django clears its own query log when each request starts.
            with connection.execute_wrapper(_counting(executed)):
                started = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
            statuses.add(response.status_code)
            query_counts.add(len(executed))
        results[page] = {
            "url": url,
            "requests": requests,
            "status_codes": sorted(statuses),
            "p50_ms": round(_percentile(seconds, 0.50) * 1000, 1),
            "p95_ms": round(_percentile(seconds, 0.95) * 1000, 1),
            "max_ms": round(max(seconds) * 1000, 1),
            "queries": sorted(query_counts),
            "bytes": len(response.content),
        }
    return results


def step_explain(*, sql: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return {"plan": "\n".join(row[0] for row in cursor.fetchall())}


# --- memory ---------------------------------------------------------------------------------------------------------


def step_memory_recompute(*, years: list[int]) -> dict:
    """Peak RSS of a worker process recomputing every year in a row (what a Celery worker does for --all)."""
    from django.db import connection

    from standings.services import standings_recompute

    connection.ensure_connection()
    baseline = _rss_mib()
    _clear_runs()
    started = time.perf_counter()
    for year in years:
        standings_recompute(year=year)
    return {
        "years": len(years),
        "seconds": round(time.perf_counter() - started, 3),
        "rss_before_mib": round(baseline, 1),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
        "growth_mib": round(_peak_rss_mib() - baseline, 1),
    }


def step_memory_export() -> dict:
    """Peak RSS of a web process streaming the analyst's full CSV export (every approved report)."""
    from django.test import Client

    from regional.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-analyst"), backend="django.contrib.auth.backends.ModelBackend")
    client.get("/healthz")
    baseline = _rss_mib()
    started = time.perf_counter()
    response = client.get("/reports/export.csv")
    size, lines = 0, 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return {
        "status_code": response.status_code,
        "rows": max(0, lines - 1),
        "bytes": size,
        "seconds": round(time.perf_counter() - started, 3),
        "rss_before_mib": round(baseline, 1),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
        "growth_mib": round(_peak_rss_mib() - baseline, 1),
    }


def step_export(*, repeats: int) -> dict:
    """Server time of the analyst's full export (every approved report) through the view, CSV against XLSX,
    alternated so both see the same machine load; medians. The whole body is read, as a client would."""
    from django.db import connection
    from django.test import Client

    from factories.models import MonthlyReport
    from regional.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-analyst"), backend="django.contrib.auth.backends.ModelBackend")
    client.get("/healthz")
    connection.ensure_connection()

    def timed(url: str) -> tuple[float, int, int]:
        started = time.perf_counter()
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
        return time.perf_counter() - started, size, response.status_code

    baseline = _rss_mib()
    seconds: dict[str, list[float]] = {"csv": [], "xlsx": []}
    sizes, statuses = {}, set()
    for _repeat in range(repeats):
        for file_format in ("csv", "xlsx"):
            elapsed, size, status = timed(f"/reports/export.{file_format}")
            seconds[file_format].append(elapsed)
            sizes[file_format] = size
            statuses.add(status)
    csv_seconds, xlsx_seconds = statistics.median(seconds["csv"]), statistics.median(seconds["xlsx"])
    return {
        "rows": MonthlyReport.objects.filter(status=MonthlyReport.Status.APPROVED).count(),
        "repeats": repeats,
        "status_codes": sorted(statuses),
        "csv_seconds": round(csv_seconds, 3),
        "xlsx_seconds": round(xlsx_seconds, 3),
        "xlsx_over_csv": round(xlsx_seconds / csv_seconds, 2),
        "csv_bytes": sizes["csv"],
        "xlsx_bytes": sizes["xlsx"],
        "rss_before_mib": round(baseline, 1),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
    }


def step_ensure_runs(*, years: list[int]) -> dict:
    """A published run for every year that has none (when the standings measurement was skipped)."""
    from standings.models import StandingsRun
    from standings.services import standings_recompute

    missing = [year for year in years if not StandingsRun.objects.filter(year=year).exists()]
    for year in missing:
        standings_recompute(year=year)
    _settle_standings_tables()
    return {"computed": missing}


def _settle_standings_tables() -> None:
    """Fresh planner statistics for the runs just written, as autovacuum gives them within a minute of a bulk
    write: the API and pages are measured in that steady state, not against statistics of an empty table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE standings_standingsrun, standings_countystanding")


STEPS = {
    "ensure_runs": step_ensure_runs,
    "load": step_load,
    "standings": step_standings,
    "import": step_import,
    "pages": step_pages,
    "explain": step_explain,
    "memory_recompute": step_memory_recompute,
    "memory_export": step_memory_export,
    "export": step_export,
}


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    name = argv[0]
    arguments = json.loads(argv[1]) if len(argv) > 1 else {}
    result = STEPS[name](**arguments)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
