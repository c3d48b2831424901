# Regional: `make run` to try it, `make test` to prove it.
PYENV_PYTHON := $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)/versions/3.12.1/bin/python
PYTHON_BASE ?= $(shell test -x $(PYENV_PYTHON) && echo $(PYENV_PYTHON) || command -v python3.12)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The test suite runs against the machine's real PostgreSQL and Redis (Redis database 15, kept apart).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/regional
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_TASK_ALWAYS_EAGER=false
# Then a focused set on SQLite (what `make run` uses), Celery in-process; its one comparison with PostgreSQL
# computes the same year in a scratch database next to the test database (created and dropped by the test).
SQLITE_TESTS ?= tests/sqlite
SQLITE_TEST_ENV := DATABASE_URL=sqlite:///$(CURDIR)/.sqlite-tests.sqlite3 REDIS_URL= CELERY_TASK_ALWAYS_EAGER=true \
	COMPARISON_DATABASE_URL=$(TEST_DATABASE_URL)_sqlite_comparison

.PHONY: install run setup test lint format production-check bench bench-quick clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON_BASE) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[dev]'
	@touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v0

run: setup
	$(PY) manage.py demo_logins --url http://$(HOST):$(PORT)/
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(PY) -m pytest --ignore=tests/sqlite $(PYTEST_ARGS)
	$(if $(SQLITE_TESTS),$(SQLITE_TEST_ENV) $(PY) -m pytest -p no:cacheprovider $(SQLITE_TESTS) $(SQLITE_PYTEST_ARGS))

# The production build as the Dockerfile runs it (whitenoise's hashed, compressed manifest; a vendored file naming
# a missing source map fails it), then Django's deployment checks, both with production settings and a random key.
PRODUCTION_ENV = env -u DATABASE_URL DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=regional.example.org \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')
production-check: install
	@static_root=$$(mktemp -d) && \
	$(PRODUCTION_ENV) DJANGO_STATIC_ROOT=$$static_root $(PY) manage.py collectstatic --noinput -v0 && \
	echo "production collectstatic: $$(find $$static_root -type f | wc -l) files" && rm -rf $$static_root
	$(PRODUCTION_ENV) $(PY) manage.py check --deploy --fail-level WARNING

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: install
	$(PY) -m bench --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
