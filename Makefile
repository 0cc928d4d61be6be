# vernetzt – `make run` sets everything up and serves the product; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The suite runs in one process per core (pytest-xdist); PYTEST_PARALLEL= runs it in one.
PYTEST_PARALLEL ?= -n auto --dist worksteal

.PHONY: run test test-postgres setup lint bench messages clean

run: setup
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py load_demo --if-empty
	@$(PY) manage.py map_figures --if-missing
	@$(PY) manage.py ensure_local_admin
	@echo "vernetzt is starting on http://$(HOST):$(PORT)  (stop with Ctrl+C)"
	@trap 'kill 0' EXIT; $(PY) manage.py db_worker --queue-name '*' --exclude-queues imports >var/worker.log 2>&1 & \
		$(PY) manage.py db_worker --queue-name imports >var/import-worker.log 2>&1 & \
		$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: setup
	@scripts/ensure-browser
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest $(PYTEST_PARALLEL)

# The same suite against PostgreSQL (VERNETZT_DATABASE_URL must name the server).
test-postgres: setup
	@scripts/ensure-browser
	$(PY) -m pytest $(PYTEST_PARALLEL)

# Benchmarks at scale (docs/benchmarks.md). PostgreSQL server: BENCH_POSTGRES_URL
# (default postgres://postgres@127.0.0.1:5432). Nation: make bench BENCH_SCALES=nation BENCH_DBS=postgres
BENCH_SCALES ?= county state
BENCH_DBS ?= sqlite postgres
bench: setup
	@for db in $(BENCH_DBS); do for scale in $(BENCH_SCALES); do \
		$(PY) -m benchmarks.run --db $$db --scale $$scale || exit 1; \
		$(PY) -m benchmarks.search_timing --db $$db --scale $$scale || exit 1; \
	done; done

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@scripts/ensure-node
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Refresh the translation catalogues after changing user-facing strings.
# Each app keeps its own catalogues; English is the source language.
MESSAGE_LANGUAGES := -l de -l ar -l tr -l uk -l fa
messages: setup
	@for app in $$(ls -d */locale | cut -d/ -f1); do \
		(cd $$app && ../$(PY) ../manage.py makemessages $(MESSAGE_LANGUAGES) --no-obsolete --no-wrap --add-location=file) || exit 1; \
	done
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules staticfiles
