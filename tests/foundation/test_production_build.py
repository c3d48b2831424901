"""The production build: `DJANGO_DEBUG=false manage.py collectstatic`, the Dockerfile's own build step.

Whitenoise's manifest storage rewrites every reference to a hashed name, `sourceMappingURL` comments included,
and fails the whole build on a reference to a file that is not there; it once failed on Chart.js's map.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

STATIC_DIRECTORY = settings.BASE_DIR / "static"
SOURCE_MAP_REFERENCE = re.compile(rb"[#@] sourceMappingURL=(\S+)")


def _production_environment(static_root: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    return environment | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_STATIC_ROOT": str(static_root),
    }


def test_every_source_map_a_static_file_names_is_there():
    missing = []
    for path in STATIC_DIRECTORY.rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for reference in SOURCE_MAP_REFERENCE.findall(path.read_bytes()):
            if not (path.parent / reference.decode()).is_file():
                missing.append(f"{path.relative_to(STATIC_DIRECTORY)} → {reference.decode()}")

    assert missing == []


def test_the_production_collectstatic_builds_hashed_compressed_files_and_the_chart_finds_its_map(tmp_path):
    # Given production settings (DEBUG off), when the Dockerfile's build step runs
    completed = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=_production_environment(tmp_path),
        capture_output=True,
        text=True,
        # About 15 s on a quiet machine (mostly compressing); 200 s were seen with eight test runs sharing two
        # cores. The bound only stops a hung build.
        timeout=1200,
    )

    # Then it succeeds and every page's files have a hashed, compressed name in the manifest
    assert completed.returncode == 0, completed.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/chartjs/chart.umd.js", "vendor/htmx/htmx.min.js", "css/app.css"):
        hashed = tmp_path / manifest[name]
        assert hashed.is_file() and hashed.name != Path(name).name, name
        assert hashed.with_name(hashed.name + ".gz").is_file(), name
    # And the hashed chart names its hashed map, which is there
    chart = (tmp_path / manifest["vendor/chartjs/chart.umd.js"]).read_bytes()
    (map_reference,) = SOURCE_MAP_REFERENCE.findall(chart)
    assert map_reference.decode() == Path(manifest["vendor/chartjs/chart.umd.js.map"]).name
    assert (tmp_path / manifest["vendor/chartjs/chart.umd.js.map"]).is_file()
