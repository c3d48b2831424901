"""Korean for every string of the source as it is now, not only for the strings someone remembered to extract:
the catalogue is extracted afresh (`makemessages`, as the README says to run it) in a copy of the project, and
every message it finds must have its Korean."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.foundation.test_translations import _entries, _translations

SOURCE = Path(settings.BASE_DIR)
NOT_SOURCE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "staticfiles",
    "__pycache__",
    ".hypothesis",
    ".schemathesis",
    ".pytest_cache",
    "*.sqlite3",
    "results",
)


def test_a_fresh_extraction_of_the_source_finds_no_string_without_korean(tmp_path):
    # Given a copy of the project, whose catalogue makemessages may rewrite freely
    project = tmp_path / "project"
    shutil.copytree(SOURCE, project, ignore=NOT_SOURCE)

    # When the messages are extracted from the source as it is now and merged into the Korean catalogue
    extracted = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--no-obsolete", "--ignore=.venv", "-v0"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )

    # Then every message found has a Korean translation that nobody has to double-check (no fuzzy guess)
    assert extracted.returncode == 0, extracted.stderr
    entries = _entries(project / "locale" / "ko" / "LC_MESSAGES" / "django.po")
    untranslated = [entry["msgid"] for entry in entries if not all(_translations(entry).values())]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert len(entries) > 500
    assert untranslated == [], f"{len(untranslated)} strings without Korean (run makemessages): {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy translations to check: {fuzzy[:10]}"
