# Every target sets up what it needs, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app mentormatch
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast e2e lint bench install chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
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

## Debian's Chromium for the browser tests (Playwright's own download cannot work here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
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

## make test-fast: everything but the browser tests.
test-fast: install
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check mentormatch tests seed_data
	$(BIN)/ruff format --check mentormatch tests seed_data
	$(BIN)/mypy

bench: install
	$(FLASK) matching bench

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
