# Newsroom: `make run` serves the app on SQLite with sample content; `make test` runs everything on PostgreSQL.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test lint bench bench-api bench-import verify clean

$(VENV)/.created:
	@PYTHON=$$(scripts/find-python.sh) && echo "Creating $(VENV) with $$PYTHON" && "$$PYTHON" -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

run: $(VENV)/.installed
	@mkdir -p var
	$(MANAGE) migrate --noinput
	@# The sample posts show these pictures by their library URLs: store them first (identical bytes are one image).
	$(MANAGE) add_images content/samples/images
	$(MANAGE) import_markdown content/samples
	@if [ "$${DEMO:-0}" = 1 ]; then \
	  $(MANAGE) create_demo_admin; \
	else \
	  echo "To sign in to http://127.0.0.1:8000/admin/ create an admin: $(MANAGE) createsuperuser (or run DEMO=1 make run)"; \
	fi
	@echo "Newsroom admin: http://127.0.0.1:8000/admin/  (API: http://127.0.0.1:8000/api/v1/, docs: /api/docs/)"
	@# The worker (tasks, and the catch-up of scheduled articles every 30 s) runs beside the server, stopped with it.
	TASKS_BACKEND=django_tasks_db.DatabaseBackend $(MANAGE) worker --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT; \
	  TASKS_BACKEND=django_tasks_db.DatabaseBackend $(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	scripts/ensure-chromium.sh
	scripts/ensure-redis.sh
	scripts/with-postgres.sh $(MAKE) --no-print-directory _test-on-db

# Runs with DATABASE_URL pointing at PostgreSQL (set by scripts/with-postgres.sh).
_test-on-db:
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

# Public content API benchmark (issue 4): `make bench ARTICLES=1000000` for the large archive. PostgreSQL gets
# a server's memory (BENCH_PG_SETTINGS; the 128 MB default holds a twentieth of a million articles' search table).
BENCH_PG_SETTINGS ?= shared_buffers=1GB
bench: bench-api

bench-api: $(VENV)/.installed
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing wrk (load generator) with apt-get" >&2; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is required for the benchmark: install it (e.g. apt-get install wrk)" >&2; exit 1; fi; }
	PG_SETTINGS="$(BENCH_PG_SETTINGS)" scripts/with-postgres.sh $(PY) bench/api_bench.py \
	  --articles $(or $(ARTICLES),10000) $(BENCH_ARGS)

# Markdown import benchmark (issue 3): `make bench-import SIZES=1000,10000 BENCH_ARGS="--repeat 3"`.
bench-import: $(VENV)/.installed
	PG_SETTINGS="$(BENCH_PG_SETTINGS)" scripts/with-postgres.sh $(PY) bench/import_bench.py \
	  --sizes $(or $(SIZES),10000) $(BENCH_ARGS)

# The proof (issue 18): every probe of verify/ against the app under gunicorn with DEBUG off, figures in
# bench/VERIFY.md; the command fails if a probe does. Minutes, so not part of `make test` (whose tests/verify/ run
# the leak crawl and the parameter fuzz on a small corpus). `make verify VERIFY_ARGS="--examples 50"` for more.
verify: $(VENV)/.installed-dev
	scripts/ensure-redis.sh
	scripts/with-postgres.sh $(PY) -m verify $(VERIFY_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
