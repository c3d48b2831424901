"""The goals of issues 7 and 18 checked against a results dict, and the Markdown table written beside the JSON."""

import math

from bench import browser, freshness

MEMORY_BOUND_MIB = 300  # what "bounded" means here: a worker never needs more than this, whatever the row count
# Issue 18's goals (round two): ratios to a baseline measured in the same run, and bounds.
IMPORT_OVER_COPY_ALL = 1.2  # commit ≤ 1.2× a COPY of everything it writes
API_THROUGHPUT_SHARE = 0.75  # throughput ≥ 0.75 of the baseline view's
API_P95_OVER_BASELINE = 1.3  # p95 ≤ 1.3× the baseline view's p95
PAGE_P95_MS = 200  # server p95 at stress
PAGE_HTML_BYTES = 150 * 1024  # HTML per page
FULL_RUN_SECONDS = 12 * 60  # the whole `make bench` on the 2-core machine


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
                measurement="CSV import commit vs COPY of everything it writes (report + history row + events)",
                scale=scale,
                value=imported["commit_seconds"],
                baseline=imported["copy_with_audit_rows_seconds"],
                ratio=imported["ratio_to_copy_with_audit_rows"],
                unit="s",
                goal=f"ratio ≤ {IMPORT_OVER_COPY_ALL}",
                met=imported["ratio_to_copy_with_audit_rows"] <= IMPORT_OVER_COPY_ALL,
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
                goal=f"≥ {API_THROUGHPUT_SHARE} of baseline",
                met=item["throughput_share_of_baseline"] >= API_THROUGHPUT_SHARE,
            )
            p95_ratio = round(api["p95_ms"] / baseline["p95_ms"], 3)
            _goal(
                out,
                number=3,
                measurement=f"API {name}: p50 / p95 / p99 at {item['clients']} clients (ratio: p95)",
                scale=scale,
                value=f"{api['p50_ms']} / {api['p95_ms']} / {api['p99_ms']}",
                baseline=f"{baseline['p50_ms']} / {baseline['p95_ms']} / {baseline['p99_ms']}",
                ratio=p95_ratio,
                unit="ms",
                goal=f"p95 ≤ {API_P95_OVER_BASELINE}× baseline, 0 errors",
                met=p95_ratio <= API_P95_OVER_BASELINE and api["errors"] == 0,
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
                    goal=f"p95 < {PAGE_P95_MS} ms",
                    met=False,
                )
                continue
            counts = {
                count
                for other in scales.values()
                for count in (other.get("pages") or {}).get(name, {}).get("queries", [])
            }
            size = item.get("bytes", 0)
            _goal(
                out,
                number=4,
                measurement=f"page {name} ({item['url']}): p95 server time, queries, HTML",
                scale=scale,
                value=f"{item['p95_ms']} ms, {'/'.join(map(str, item['queries']))} queries, {size / 1024:.1f} KB",
                baseline=None,
                ratio=None,
                goal=f"p95 < {PAGE_P95_MS} ms, same query count at every scale, HTML ≤ {PAGE_HTML_BYTES // 1024} KB",
                met=item["p95_ms"] < PAGE_P95_MS
                and len(counts) == 1
                and size <= PAGE_HTML_BYTES
                and item["status_codes"] == [200],
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
    if results.get("mode") == "full" and {"national", "stress"} <= set(scales) and "seconds" in results:
        _goal(
            out,
            number=0,
            measurement="the whole run (`make bench`: both scales, every measurement)",
            scale="both",
            value=results["seconds"],
            baseline=None,
            ratio=None,
            unit="s",
            goal=f"< {FULL_RUN_SECONDS} s",
            met=results["seconds"] < FULL_RUN_SECONDS,
        )
    return out


# --- growth from national to stress -------------------------------------------------------------------------------

# Why a cost grows faster than the data (k > 1), where the reason is known: shown beside the exponent, and the
# longer account is in bench/README.md ("Growth").
_SORTS = (
    "sorts (n log n: k ≈ 1.08 over ×21 from the log factor alone); at stress its sorts and hashes outgrow "
    "work_mem and spill to disk (temp I/O ×30 for ×21 the data)"
)
GROWTH_EXPLAINED: dict[str, str] = {
    "load": "index builds are sorts (n log n: k ≈ 1.08 over ×21)",
    **{f"standings_{label}{suffix}": _SORTS for label in ("one_year", "ten_years") for suffix in ("", "_reference")},
    **{f"standings_{label}_bands": "1,000 sorts of the counties (n log n)" for label in ("one_year", "ten_years")},
}


def _growth_costs(data: dict) -> dict[str, tuple[str, float]]:
    """Every cost measured at a scale, by key: (title, value); costs, so larger is worse (throughput as its
    inverse, the time a request takes a worker)."""
    costs: dict[str, tuple[str, float]] = {}
    load = data.get("load", {})
    if "seconds_load" in load:
        costs["load"] = ("data load (generate + indexes + ANALYZE), s", load["seconds_load"])
    for label, title in (("one_year", "one year"), ("ten_years", "ten years")):
        item = (data.get("standings") or {}).get(label)
        if item:
            costs[f"standings_{label}"] = (f"standings recompute, {title}, s", item["app_seconds"])
            costs[f"standings_{label}_reference"] = (f"reference SQL, {title}, s", item["reference_seconds"])
            if item.get("band_seconds"):
                costs[f"standings_{label}_bands"] = (f"rank bands, {title}, s", item["band_seconds"])
    for name, item in (data.get("api") or {}).items():
        for variant in ("api", "baseline"):
            measured = item[variant]
            label = "API" if variant == "api" else "baseline view"
            costs[f"api_{name}_{variant}_p95"] = (f"{label} {name} p95, ms", measured["p95_ms"])
            if measured["requests_per_second"]:
                costs[f"api_{name}_{variant}_request"] = (
                    f"{label} {name}, worker time a request (1 / throughput), ms",
                    1000 / measured["requests_per_second"],
                )
    for name, item in (data.get("pages") or {}).items():
        if item.get("url"):
            costs[f"page_{name}_p95"] = (f"page {name} p95, ms", item["p95_ms"])
            costs[f"page_{name}_bytes"] = (f"page {name} HTML, bytes", item["bytes"])
    memory = data.get("memory_recompute")
    if memory:
        costs["memory_recompute_growth"] = ("worker RSS growth recomputing every year, MiB", memory["growth_mib"])
    return costs


def growth(results: dict) -> list[dict]:
    """For every cost measured at both scales, the exponent k of cost ∝ size^k, size being the reports loaded
    (×21 from national to stress): k = ln(cost ratio) / ln(size ratio). 1 is linear, 0 constant."""
    scales = results["scales"]
    if not {"national", "stress"} <= set(scales):
        return []
    sizes = [scales[scale].get("load", {}).get("reports") for scale in ("national", "stress")]
    if not all(sizes):
        return []
    national, stress = _growth_costs(scales["national"]), _growth_costs(scales["stress"])
    rows = []
    for key, (title, small) in national.items():
        if key not in stress:
            continue
        large = stress[key][1]
        exponent = math.log(large / small) / math.log(sizes[1] / sizes[0]) if small > 0 and large > 0 else None
        rows.append(
            {
                "key": key,
                "measurement": title,
                "national": round(small, 3),
                "stress": round(large, 3),
                "size_ratio": round(sizes[1] / sizes[0], 2),
                "exponent": None if exponent is None else round(exponent, 2),
                "explained": GROWTH_EXPLAINED.get(key, ""),
            }
        )
    return rows


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
    growth_rows = results.get("growth") or []
    if growth_rows:
        lines += [
            f"Growth from national to stress ({growth_rows[0]['size_ratio']}× the reports): each cost as size^k, "
            "k = ln(stress / national) / ln(size ratio); 1 is linear, 0 constant. Every k > 1 is explained "
            '(here and in bench/README.md, "Growth").',
            "",
            "| cost | national | stress | k | k > 1 because |",
            "|---|---|---|---|---|",
        ]
        for row in growth_rows:
            exponent = row["exponent"]
            why = ""
            if exponent is not None and exponent > 1:
                why = row["explained"] or "**not explained**"
            lines.append(
                f"| {row['measurement']} | {_cell(row['national'])} | {_cell(row['stress'])} | "
                f"{'–' if exponent is None else f'{exponent:.2f}'} | {why} |"
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
