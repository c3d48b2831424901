"""The goals of issue 7 checked against a results dict, and the Markdown table written beside the JSON."""

from bench import browser, freshness

MEMORY_BOUND_MIB = 300  # what "bounded" means here: a worker never needs more than this, whatever the row count


def _goal(goals, *, number, measurement, scale, value, baseline, ratio, goal, met, unit=""):
    goals.append(
        {
            "number": number,
            "measurement": measurement,
            "scale": scale,
            "value": value,
            "baseline": baseline,
            "ratio": ratio,
            "unit": unit,
            "goal": goal,
            "met": bool(met),
        }
    )


def goals(results: dict) -> list[dict]:
    out: list[dict] = []
    scales = results["scales"]
    for scale, data in scales.items():
        load = data.get("load", {})
        if scale == "stress" and "seconds_load" in load:
            seconds = load["seconds_load"]
            _goal(
                out,
                number=0,
                measurement="stress load (generate + indexes and constraints + ANALYZE)",
                scale=scale,
                value=round(seconds, 1),
                baseline=None,
                ratio=None,
                unit="s",
                goal="< 60 s",
                met=seconds < 60,
            )
        standings = data.get("standings")
        if standings:
            for label, title in (
                ("one_year", "standings recompute, one year"),
                ("ten_years", "standings recompute, ten years"),
            ):
                item = standings[label]
                _goal(
                    out,
                    number=1,
                    measurement=f"{title} vs reference SQL (psql)",
                    scale=scale,
                    value=item["app_seconds"],
                    baseline=item["reference_seconds"],
                    ratio=item["ratio"],
                    unit="s",
                    goal="ratio ≤ 1.5, same ranks",
                    met=item["ratio"] <= 1.5 and item["agrees_with_reference"],
                )
                if "band_seconds" in item:
                    _goal(
                        out,
                        number=1,
                        measurement=f"{title}: of which rank bands (1,000 weightings), share of the recompute",
                        scale=scale,
                        value=item["band_seconds"],
                        baseline=item["app_seconds"],
                        ratio=item["band_share_of_recompute"],
                        unit="s",
                        goal="≤ 0.25 of the recompute",
                        met=item["band_share_of_recompute"] <= 0.25,
                    )
            if scale == "stress":
                item = standings["ten_years"]
                _goal(
                    out,
                    number=1,
                    measurement="standings recompute, ten years, absolute",
                    scale=scale,
                    value=item["app_seconds"],
                    baseline=None,
                    ratio=None,
                    unit="s",
                    goal="< 30 s",
                    met=item["app_seconds"] < 30,
                )
        imported = data.get("import")
        if imported:
            _goal(
                out,
                number=2,
                measurement=f"CSV import commit of {imported['rows']:,} rows vs raw COPY",
                scale=scale,
                value=imported["commit_seconds"],
                baseline=imported["copy_seconds"],
                ratio=imported["ratio"],
                unit="s",
                goal="ratio ≤ 3",
                met=imported["ratio"] <= 3,
            )
            _goal(
                out,
                number=2,
                measurement="CSV import dry run + commit vs raw COPY (information)",
                scale=scale,
                value=round(imported["preview_seconds"] + imported["commit_seconds"], 4),
                baseline=imported["copy_seconds"],
                ratio=imported["ratio_preview_and_commit"],
                unit="s",
                goal="(no goal)",
                met=True,
            )
            _goal(
                out,
                number=2,
                measurement="CSV import commit vs COPY of everything it writes (report + history row + event)",
                scale=scale,
                value=imported["commit_seconds"],
                baseline=imported["copy_with_audit_rows_seconds"],
                ratio=imported["ratio_to_copy_with_audit_rows"],
                unit="s",
                goal="(no goal)",
                met=True,
            )
        for name, item in (data.get("api") or {}).items():
            api, baseline = item["api"], item["baseline"]
            _goal(
                out,
                number=3,
                measurement=f"API {name}: throughput vs baseline view",
                scale=scale,
                value=api["requests_per_second"],
                baseline=baseline["requests_per_second"],
                ratio=item["throughput_share_of_baseline"],
                unit="req/s",
                goal="≥ 0.5 of baseline",
                met=item["throughput_share_of_baseline"] >= 0.5,
            )
            _goal(
                out,
                number=3,
                measurement=f"API {name}: p50 / p95 / p99 at {item['clients']} clients",
                scale=scale,
                value=f"{api['p50_ms']} / {api['p95_ms']} / {api['p99_ms']}",
                baseline=f"{baseline['p50_ms']} / {baseline['p95_ms']} / {baseline['p99_ms']}",
                ratio=None,
                unit="ms",
                goal="p95 < 200 ms, 0 errors",
                met=api["p95_ms"] < 200 and api["errors"] == 0,
            )
        for name, item in (data.get("pages") or {}).items():
            if item.get("url") is None:
                _goal(
                    out,
                    number=4,
                    measurement=f"page {name}",
                    scale=scale,
                    value=None,
                    baseline=None,
                    ratio=None,
                    goal="p95 < 500 ms",
                    met=False,
                )
                continue
            counts = {
                count
                for other in scales.values()
                for count in (other.get("pages") or {}).get(name, {}).get("queries", [])
            }
            _goal(
                out,
                number=4,
                measurement=f"page {name} ({item['url']}): p95 server time, queries",
                scale=scale,
                value=f"{item['p95_ms']} ms, {'/'.join(map(str, item['queries']))} queries",
                baseline=None,
                ratio=None,
                goal="p95 < 500 ms, same query count at every scale",
                met=item["p95_ms"] < 500 and len(counts) == 1 and item["status_codes"] == [200],
            )
        export = data.get("export")
        if export:
            _goal(
                out,
                number=6,
                measurement=f"full XLSX export against the CSV export ({export['rows']:,} rows)",
                scale=scale,
                value=export["xlsx_seconds"],
                baseline=export["csv_seconds"],
                ratio=export["xlsx_over_csv"],
                unit="s",
                goal="ratio ≤ 2",
                met=export["xlsx_over_csv"] <= 2 and export["status_codes"] == [200],
            )
        for key, title in (
            ("memory_recompute", "peak RSS, worker recomputing every year"),
            ("memory_export", "peak RSS, streamed CSV export of every approved report"),
        ):
            item = data.get(key)
            if item:
                size = f" ({item['rows']:,} rows)" if "rows" in item else f" ({item['years']} years)"
                _goal(
                    out,
                    number=5,
                    measurement=title + size,
                    scale=scale,
                    value=item["peak_rss_mib"],
                    baseline=item["rss_before_mib"],
                    ratio=None,
                    unit="MiB",
                    goal=f"< {MEMORY_BOUND_MIB} MiB",
                    met=item["peak_rss_mib"] < MEMORY_BOUND_MIB and item.get("status_code", 200) == 200,
                )
        if data.get("freshness"):
            out.extend(freshness.goal_rows(data["freshness"], scale))
        if data.get("browser"):
            out.extend(browser.goal_rows(data["browser"], scale))
    return out


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def markdown(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Measured {results['generated_at']} ({results['mode']} run, seed {results['seed']}, {results['seconds']} s) "
        f"on {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, {machine['postgres']} "
        f"(shared_buffers {machine['postgres_settings'].get('shared_buffers')}, work_mem "
        f"{machine['postgres_settings'].get('work_mem')}), Python {machine['python']}, load generator "
        f"{machine['load_generator']}; load average {machine['load_average_at_start']:.1f} at the start, "
        f"{machine.get('load_average_at_end', 0):.1f} at the end.",
        "",
        "| # | measurement | scale | app | baseline | ratio | unit | goal | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for goal in results["goals"]:
        lines.append(
            f"| {goal['number']} | {goal['measurement']} | {goal['scale']} | {_cell(goal['value'])} | "
            f"{_cell(goal['baseline'])} | {_cell(goal['ratio'])} | {goal['unit']} | {goal['goal']} | "
            f"{'yes' if goal['met'] else '**no**'} |"
        )
    lines.append("")
    for scale, data in results["scales"].items():
        load = data.get("load", {})
        if "seconds_load" in load:
            lines.append(
                f"- {scale}: {load['counties']:,} cities/counties, {load['factories']:,} factories, "
                f"{load['annual_plans']:,} annual plans, {load['reports']:,} reports ({load['approved_reports']:,} "
                f"approved): generated in {load['seconds_generate']} s, indexes and constraints "
                f"{load['seconds_indexes_and_constraints']} s, ANALYZE {load['seconds_analyze']} s (then VACUUM "
                f"{load['seconds_vacuum']} s, not counted)."
            )
    return "\n".join(lines) + "\n"
