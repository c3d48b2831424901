"""A web worker warms up at start (imports, catalogues, templates) so its first visitor does not wait for it."""

import subprocess
import sys

from django.conf import settings


def test_a_worker_compiles_its_first_pages_at_start_without_touching_the_database():
    # A fresh interpreter, as gunicorn starts a worker, with a database that does not exist: the warm-up must
    # not touch it (a worker must start even while PostgreSQL is still coming up).
    script = (
        "from config.wsgi import application\n"
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print('cached', 'factories/review_queue.html' in str(list(loader.get_template_cache)))\n"
    )
    environment = {
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "cached True" in result.stdout
