"""Pages in Chromium (issue 18, goal 5) and the service worker's and inbox bell's share of them (issue 16).
See bench/README.md, "Browser" and "Service worker and inbox cost".

Debian's Chromium through Playwright loads each page from the bench's gunicorn on 127.0.0.1, which serves the
static files as production does (collected with hashed names and pre-compressed, served by WhiteNoise with
far-future caching; bench/browser_settings.py) with DEBUG off. For every page:

- cold: a new browser context (its own empty cache, no service worker, no storage), the HTTP cache cleared
  through the DevTools protocol, then the page;
- warm: the same page loaded again in the same tab (what a user gets on the second visit: cached static files
  and, under /reports/, the service worker that the first visit installed).

The load time is the navigation's `loadEventEnd` and the LCP the last `largest-contentful-paint` entry
(PerformanceObserver, buffered), both from the start of the navigation. The transferred bytes are what crossed
the connection for the page, counted by the browser for every request the page and its service worker made
(compressed bodies and headers; 0 for what came from the HTTP cache or the worker's cache). The vendored
JavaScript is every resource under /static/vendor/ with its (uncompressed) size.

Issue 16: This month and the entry form are loaded a second way, in a context where service workers are blocked
and the bell's request is aborted (the page as it was before the offline entry and the inbox), alternated with
the normal one, so the difference is what the service worker and the inbox cost on those pages.
"""

import hashlib
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import database
from bench.freshness import Official

# The same flags as the Chromium tests (tests/conftest.py, CHROMIUM_ARGS).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHROMIUM = "/usr/bin/chromium"
GOAL_MS = 1000
# Pages of issue 18, goal 5, and who opens them: the programme overview is the home of analysts and
# administrators; This month and the entry form are a county official's; the standings an analyst's.
PAGES = {
    "home": ("analyst", "/"),
    "this_month": ("county", "/reports/this-month/"),
    "entry_form": ("county", None),  # the first entry form This month links to
    "standings_dashboard": ("analyst", "/standings/"),
    "county_page": ("analyst", "/standings/counties/{county}/"),
}
# Issue 16: the pages the service worker keeps (scope /reports/) and that carry the bell like every page.
SERVICE_WORKER_PAGES = ("this_month", "entry_form")
BELL_BLOCKED_URL = "*/notifications/bell/*"
VIEWPORT = {"width": 1366, "height": 900}

METRICS_SCRIPT = """async () => {
  const quiet = async () => {  // resources still arriving after the load event (the bell): wait for a pause
    let count = -1, stable = 0;
    for (let i = 0; i < 60 && stable < 3; i++) {
      const now = performance.getEntriesByType("resource").length;
      stable = now === count ? stable + 1 : 0;
      count = now;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const nav = performance.getEntriesByType("navigation")[0];
  for (let i = 0; i < 40 && !nav.loadEventEnd; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  await quiet();
  const lcp = await new Promise((resolve) => {
    let last = null;
    const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) last = entry; });
    observer.observe({ type: "largest-contentful-paint", buffered: true });
    setTimeout(() => { observer.disconnect(); resolve(last); }, 50);
  });
  return {
    load_ms: nav.loadEventEnd,
    dom_content_loaded_ms: nav.domContentLoadedEventEnd,
    response_start_ms: nav.responseStart,
    document_transfer: nav.transferSize,
    document_bytes: nav.decodedBodySize,
    through_service_worker: nav.workerStart > 0,
    lcp_ms: lcp ? lcp.startTime : null,
    lcp_element: lcp && lcp.element
      ? lcp.element.tagName.toLowerCase() + (lcp.element.id ? "#" + lcp.element.id : "") : null,
    resources: performance.getEntriesByType("resource").map((entry) => ({
      url: entry.name, initiator: entry.initiatorType, transfer: entry.transferSize,
      encoded: entry.encodedBodySize, decoded: entry.decodedBodySize,
    })),
  };
}"""
WORKER_ACTIVE_SCRIPT = """async () => {
  if (!("serviceWorker" in navigator)) return "unsupported";
  for (let i = 0; i < 100; i++) {
    const registration = await navigator.serviceWorker.getRegistration("/reports/");
    if (registration && registration.active && registration.active.state === "activated") return "activated";
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return "not activated";
}"""


# --- Django side ------------------------------------------------------------------------------------------------


def setup() -> dict:
    """Signed-in sessions of a county official (of a county with factories, created if missing) and of the
    bench analyst, and that county's slug."""
    from django.test import Client

    from factories.models import Factory
    from regional.models import User

    county = Factory.objects.select_related("county").order_by("county__slug", "code").first().county
    official, _created = User.objects.get_or_create(
        username="bench-county", defaults={"role": User.Role.COUNTY_OFFICIAL, "county": county}
    )
    sessions = {}
    for persona, user in (("county", official), ("analyst", User.objects.get(username="bench-analyst"))):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        sessions[persona] = client.cookies["sessionid"].value
    return {"sessions": sessions, "county": official.county.slug}


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    print(json.dumps({"setup": setup}[argv[0]]()))
    return 0


# --- static files as production serves them -------------------------------------------------------------------


def _static_fingerprint() -> str:
    digest = hashlib.sha256()
    import whitenoise

    digest.update(whitenoise.__version__.encode() if hasattr(whitenoise, "__version__") else b"whitenoise")
    for path in sorted((database.ROOT / "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(database.ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def collected_static(db: str, log) -> Path:
    """`collectstatic` of the project's static files with production's storage (hashed names, gzip and Brotli
    copies), kept between runs under the system's temporary directory while the files are unchanged."""
    target = Path(tempfile.gettempdir()) / f"regional-bench-static-{_static_fingerprint()}"
    if (target / "staticfiles.json").exists():
        return target
    log("browser: collecting the static files as production does (once per change of static/)")
    building = Path(tempfile.mkdtemp(prefix="regional-bench-static-building-"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=database.ROOT,
        env=database.subprocess_env(
            db, DJANGO_SETTINGS_MODULE="bench.browser_settings", DJANGO_STATIC_ROOT=str(building)
        ),
        check=True,
    )
    try:
        building.rename(target)
    except OSError:  # another run got there first
        shutil.rmtree(building, ignore_errors=True)
    return target


# --- Chromium -------------------------------------------------------------------------------------------------


def _vendor(resources: list[dict]) -> list[dict]:
    return sorted(
        (
            {
                "file": entry["url"].split("/static/vendor/", 1)[1],
                "transfer": entry["transfer"],
                "bytes": entry["decoded"],
            }
            for entry in resources
            if "/static/vendor/" in entry["url"]
        ),
        key=lambda entry: entry["file"],
    )


def _measure_load(page, url: str, finished: list, *, service_worker: bool) -> dict:
    finished.clear()
    response = page.goto(url, wait_until="load")
    metrics = page.evaluate(METRICS_SCRIPT)
    resources = metrics.pop("resources")
    worker_state = page.evaluate(WORKER_ACTIVE_SCRIPT) if service_worker else None
    # What crossed the connection, counted by the browser for the page and for its service worker alike: a
    # response the worker handed over from its cache, or fetched itself, counts 0 on the page's side (its own
    # fetch is counted once, as the worker's); anything from the HTTP cache counts 0.
    sizes = [(request.url, request.sizes()) for request in list(finished)]
    transfer = sum(size["responseBodySize"] + size["responseHeadersSize"] for _url, size in sizes)
    return {
        **metrics,
        "status": response.status if response else None,
        "transfer_bytes": transfer,
        "requests": len(sizes),
        "requests_from_network": sum(1 for _url, size in sizes if size["responseBodySize"]),
        "bell_loaded": any("/notifications/bell/" in entry["url"] and entry["decoded"] for entry in resources),
        "service_worker": worker_state,
        "vendor": _vendor(resources),
    }


def _cold_and_warm(
    browser, base_url: str, path: str, session: str, *, block_worker: bool = False, block_bell: bool = False
) -> dict:
    """A fresh context: the page cold, then again in the same tab, warm."""
    context = browser.new_context(
        viewport=VIEWPORT,
        locale="en-GB",
        service_workers="block" if block_worker else "allow",
    )
    try:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
        finished: list = []
        context.on("requestfinished", lambda request: finished.append(request))
        page = context.new_page()
        page.set_default_timeout(30_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        if block_bell:
            # Through the DevTools protocol, not Playwright's routing: routing turns the HTTP cache off, which
            # would make every warm load a cold one.
            cdp.send("Network.setBlockedURLs", {"urls": [BELL_BLOCKED_URL]})
        service_worker = not block_worker and path.startswith("/reports/")
        cold = _measure_load(page, base_url + path, finished, service_worker=service_worker)
        warm = _measure_load(page, base_url + path, finished, service_worker=service_worker)
        return {"cold": cold, "warm": warm}
    finally:
        context.close()


def _median(samples: list[dict], key: str):
    values = [sample[key] for sample in samples if sample[key] is not None]
    return round(statistics.median(values), 1) if values else None


def _summarise(samples: list[dict]) -> dict:
    return {
        "loads": len(samples),
        "load_ms": _median(samples, "load_ms"),
        "lcp_ms": _median(samples, "lcp_ms"),
        "dom_content_loaded_ms": _median(samples, "dom_content_loaded_ms"),
        "response_start_ms": _median(samples, "response_start_ms"),
        "transfer_bytes": int(_median(samples, "transfer_bytes")),
        "requests": int(_median(samples, "requests")),
        "requests_from_network": int(_median(samples, "requests_from_network")),
        "document_bytes": samples[-1]["document_bytes"],
        "lcp_element": samples[-1]["lcp_element"],
        "through_service_worker": samples[-1]["through_service_worker"],
        "bell_loaded": samples[-1]["bell_loaded"],
        "service_worker": samples[-1]["service_worker"],
        "statuses": sorted({sample["status"] for sample in samples}),
        "vendor": samples[-1]["vendor"],
        "all_load_ms": [round(sample["load_ms"], 1) for sample in samples],
        "all_lcp_ms": [round(sample["lcp_ms"], 1) if sample["lcp_ms"] is not None else None for sample in samples],
    }


def _server_checks(port: int, session: str) -> dict:
    """What the page measurements rely on: DEBUG off (the service worker's debug header absent) and static files
    served with far-future caching."""
    official = Official(port, session)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/reports/offline-sw.js", headers={"Cookie": f"sessionid={session}"})
    response = connection.getresponse()
    worker_body = response.read()
    debug_header = response.getheader("X-Regional-Service-Worker")
    connection.close()
    _status, home = official.request("GET", "/")
    static_path = next((part.split('"', 1)[0] for part in home.split('src="')[1:] if part.startswith("/static/")), None)
    cache_control = None
    if static_path:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", static_path)
        response = connection.getresponse()
        response.read()
        cache_control = response.getheader("Cache-Control")
        connection.close()
    return {
        "debug": debug_header is not None,
        "service_worker_script_bytes": len(worker_body),
        "static_sample": static_path,
        "static_cache_control": cache_control,
    }


def _warm_server(server, paths: dict, sessions: dict) -> None:
    """Every page a few times over, as many at once as gunicorn has workers, untimed: each worker has its
    database connection and its compiled templates, as on a server in use."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(item):
        name, path = item
        Official(server.port, sessions[PAGES[name][0]]).request("GET", path)

    with ThreadPoolExecutor(max_workers=server.workers) as pool:
        list(pool.map(fetch, list(paths.items()) * server.workers * 2))


def measure(**arguments) -> dict:
    """`_measure`, or what stopped it: a failure is reported as a missed goal, the rest of the run is kept."""
    started = time.perf_counter()
    try:
        return _measure(**arguments)
    except Exception as error:
        arguments["log"](f"browser failed: {error!r}")
        return {"error": f"{type(error).__name__}: {error}"[:2000], "seconds": round(time.perf_counter() - started, 1)}


def _measure(*, db: str, loads: int, server_factory, log) -> dict:
    """Every page cold and warm, `loads` times each (medians); the service worker's pages 2 × `loads` times
    (when `loads` > 1), each time also without the service worker and the bell, alternated with the normal loads."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    static_root = collected_static(db, log)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.browser", "setup"],
        cwd=database.ROOT,
        env=database.subprocess_env(db),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"browser setup failed:\n{completed.stderr[-4000:]}")
    personas = json.loads(completed.stdout.strip().splitlines()[-1])
    sessions = personas["sessions"]
    env = {"DJANGO_SETTINGS_MODULE": "bench.browser_settings", "DJANGO_STATIC_ROOT": str(static_root)}
    samples: dict = {}
    with server_factory(db, extra_env=env) as server:
        checks = _server_checks(server.port, sessions["county"])
        if checks["debug"]:
            raise RuntimeError("the bench server runs with DEBUG on; page timings would not be production's")
        paths = {}
        for name, (persona, path) in PAGES.items():
            if path is None:
                _status, text = Official(server.port, sessions[persona]).request("GET", "/reports/this-month/")
                marker = text.find('href="/reports/enter/')
                if marker < 0:
                    raise RuntimeError("This month links to no entry form")
                path = text[marker + 6 : text.find('"', marker + 6)]
            paths[name] = path.format(county=personas["county"])
        _warm_server(server, paths, sessions)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                # The service worker's pages twice as often (in the full run): their with/without difference is
                # small beside the spread of single loads on a shared machine.
                for repeat in range(2 * loads if loads > 1 else loads):
                    for name, path in paths.items():
                        if repeat >= loads and name not in SERVICE_WORKER_PAGES:
                            continue
                        variants = [False, True] if name in SERVICE_WORKER_PAGES else [False]
                        for without in variants:
                            key = (name, without)
                            result = _cold_and_warm(
                                browser,
                                server.url,
                                path,
                                sessions[PAGES[name][0]],
                                block_worker=without,
                                block_bell=without,
                            )
                            for cache in ("cold", "warm"):
                                samples.setdefault((*key, cache), []).append(result[cache])
            finally:
                browser.close()
    pages = {}
    for name, path in paths.items():
        pages[name] = {
            "path": path,
            "persona": PAGES[name][0],
            "cold": _summarise(samples[(name, False, "cold")]),
            "warm": _summarise(samples[(name, False, "warm")]),
        }
    service_worker_cost = {}
    for name in SERVICE_WORKER_PAGES:
        entry = {}
        for cache in ("cold", "warm"):
            normal = pages[name][cache]
            without = _summarise(samples[(name, True, cache)])
            entry[cache] = {
                "with": {key: normal[key] for key in ("load_ms", "lcp_ms", "transfer_bytes", "requests")},
                "without": {key: without[key] for key in ("load_ms", "lcp_ms", "transfer_bytes", "requests")},
                "without_bell_loaded": without["bell_loaded"],
                "without_through_service_worker": without["through_service_worker"],
                "added_load_ms": round(normal["load_ms"] - without["load_ms"], 1),
                "added_lcp_ms": round(normal["lcp_ms"] - without["lcp_ms"], 1)
                if normal["lcp_ms"] is not None and without["lcp_ms"] is not None
                else None,
                "added_transfer_bytes": normal["transfer_bytes"] - without["transfer_bytes"],
            }
        service_worker_cost[name] = {"path": paths[name], **entry}
    return {
        "browser": "Chromium (Debian) " + _chromium_version(),
        "loads": loads,
        "viewport": VIEWPORT,
        "server": {"web_workers": getattr(server, "workers", None), **checks},
        "pages": pages,
        "service_worker_and_inbox": service_worker_cost,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _chromium_version() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


# --- goal rows of the report (bench/report.py) --------------------------------------------------------------------


HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.")


def _kib(size: int) -> str:
    return f"{size / 1024:.1f} KiB"


def _vendor_text(vendor: list[dict]) -> str:
    names = [HASHED_NAME.sub(".", entry["file"].rsplit("/", 1)[-1]) for entry in vendor]
    return ", ".join(f"{name} {_kib(entry['bytes'])}" for name, entry in zip(names, vendor, strict=True)) or "none"


def goal_rows(result: dict, scale: str) -> list[dict]:
    """Issue 18, goal 5: load and LCP under 1 s for every page, cold and warm; issue 16: what the service worker
    and the bell add to This month and the entry form (information: the pages' own goal still applies)."""
    if "error" in result:
        return [
            {
                "number": 8,
                "measurement": f"Chromium: pages, cold and warm (failed: {result['error']})",
                "scale": scale,
                "value": None,
                "baseline": None,
                "ratio": None,
                "unit": "ms",
                "goal": f"< {GOAL_MS} ms each",
                "met": False,
            }
        ]
    rows = []
    for name, page in result["pages"].items():
        for cache in ("cold", "warm"):
            item = page[cache]
            vendor = f"; vendored JS: {_vendor_text(page['cold']['vendor'])}" if cache == "cold" else ""
            rows.append(
                {
                    "number": 8,
                    "measurement": f"Chromium: {name} ({page['path']}, {page['persona']}), {cache} cache: load / LCP "
                    f"({_kib(item['transfer_bytes'])} transferred in {item['requests']} requests{vendor})",
                    "scale": scale,
                    "value": f"{item['load_ms']:.0f} / {item['lcp_ms']:.0f}" if item["lcp_ms"] is not None else None,
                    "baseline": None,
                    "ratio": None,
                    "unit": "ms",
                    "goal": f"< {GOAL_MS} ms each",
                    "met": item["statuses"] == [200]
                    and item["load_ms"] < GOAL_MS
                    and item["lcp_ms"] is not None
                    and item["lcp_ms"] < GOAL_MS,
                }
            )
    for name, cost in result["service_worker_and_inbox"].items():
        for cache in ("cold", "warm"):
            item = cost[cache]
            with_, without = item["with"], item["without"]
            rows.append(
                {
                    "number": 9,
                    "measurement": f"service worker + inbox bell on {name}, {cache} cache: load / LCP / bytes, with "
                    f"(app) and without them (baseline); added {item['added_load_ms']:+.0f} ms load, "
                    f"{item['added_lcp_ms']:+.0f} ms LCP, {item['added_transfer_bytes']:+,} B",
                    "scale": scale,
                    "value": f"{with_['load_ms']:.0f} / {with_['lcp_ms']:.0f} / {with_['transfer_bytes']:,}",
                    "baseline": f"{without['load_ms']:.0f} / {without['lcp_ms']:.0f} / {without['transfer_bytes']:,}",
                    "ratio": None,
                    "unit": "ms / ms / B",
                    "goal": "(information)",
                    "met": True,
                }
            )
    return rows


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
