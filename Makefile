# Every target sets up what it needs, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app mentormatch
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast e2e lint bench ci install chromium clean

# Debian ships venv separately (python3-venv); install it when we are root and it is missing.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's python3-venv..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  fi; \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: migrate the SQLite database, load the demo data, print the demo accounts, serve.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) run --host $(HOST) --port $(PORT)

## Debian's Chromium for the browser tests (Playwright's own download cannot work here;
## tests/e2e/conftest.py points Playwright at /usr/bin/chromium).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing and cannot be installed here: browser tests will fail."; \
	  fi; \
	fi

## make test: the whole suite (unit, CLI, migrations, browser). DATABASE_URL selects the database.
test: install chromium
	$(BIN)/pytest $(PYTEST_ARGS)

## make e2e: only the browser tests.
e2e: install chromium
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

## make test-fast: everything but the browser tests.
test-fast: install
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

## make lint: ruff (lint and format) and mypy; migrations/versions is generated and excluded.
lint: install
	$(BIN)/ruff check mentormatch tests seed_data migrations
	$(BIN)/ruff format --check mentormatch tests seed_data migrations
	$(BIN)/mypy

## make bench: engine, matching round and results page timings; the page on a throwaway
## PostgreSQL when one is installed (.ci/with-postgres). The last line is one JSON object.
bench: install
	bash .ci/with-postgres $(FLASK) matching bench $(BENCH_ARGS)

## make ci: what CI runs: the suite on SQLite, then on a throwaway PostgreSQL, then lint.
ci:
	bash .ci/run

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
