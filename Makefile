# Every target sets up what it needs, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app mentormatch
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: messages run serve worker load-fault load-matches load-languages test test-fast e2e lint bench bench-import bench-workspace ci install chromium clean

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

# The translations the app reads (.mo) are compiled from the catalogues (.po) people edit.
CATALOGUES := $(wildcard mentormatch/translations/*/LC_MESSAGES/messages.po)
%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

install: $(STAMP) $(CATALOGUES:.po=.mo)

## make messages: collect every marked text into messages.pot and add the new ones to each
## language's catalogue (mentormatch/translations/<code>/LC_MESSAGES/messages.po) to translate.
messages: install
	$(BIN)/pybabel extract -F babel.cfg --add-location=file --sort-by-file --no-wrap \
	  -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 \
	  --msgid-bugs-address= --project=MentorMatch -o mentormatch/translations/messages.pot .
	$(BIN)/pybabel update -i mentormatch/translations/messages.pot -d mentormatch/translations \
	  --no-fuzzy-matching --no-wrap --ignore-obsolete

## make run: migrate the SQLite database, load the demo data, print the demo accounts, serve,
## with the worker (email, reminders, expiry) beside the server; Ctrl-C stops both. Links in
## emails point at the address served (PUBLIC_URL, unless set).
run: install
	$(FLASK) db upgrade
	$(FLASK) seed
	@export PUBLIC_URL="$${PUBLIC_URL:-http://$(HOST):$(PORT)}"; \
	  $(FLASK) worker & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	  trap 'exit 130' INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT)

## make serve: the production web server (gunicorn, deploy/gunicorn.conf.py). Set
## MENTORMATCH_ENV=production, DATABASE_URL, SECRET_KEY, PUBLIC_URL, PROXY_COUNT and
## RATELIMIT_STORAGE_URI first (README, "Deploying"); run `make worker` beside it.
serve: install
	$(FLASK) db upgrade
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py "mentormatch:create_app()"

## make worker: the worker process (email, reminders, expiry) on its own.
worker: install
	$(FLASK) worker

## make load-fault: 60 s of load with 32 connections against gunicorn on a throwaway
## PostgreSQL that is stopped for 15 s in the middle; prints lost writes and 5xx.
load-fault: install
	$(BIN)/python scripts/load_and_fault.py

## make load-matches: the suggestions page at 20,000 x 5,000 on a throwaway PostgreSQL, 2
## gunicorn workers and the worker, 32 connections; throughput, p99, edits, memory.
load-matches: install
	$(BIN)/python scripts/load_matches.py

## make load-languages: the same suggestions page read in English, French and Arabic in
## turns (Accept-Language): each language's throughput as a share of English's, page sizes.
load-languages: install
	$(BIN)/python scripts/load_matches.py --languages-only

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
	$(BIN)/ruff check mentormatch tests seed_data migrations scripts deploy
	$(BIN)/ruff format --check mentormatch tests seed_data migrations scripts deploy
	$(BIN)/mypy
	$(BIN)/mypy scripts

## make bench: engine, matching round and results page timings; the page on a throwaway
## PostgreSQL when one is installed (.ci/with-postgres). The last line is one JSON object.
bench: install
	bash .ci/with-postgres $(FLASK) matching bench $(BENCH_ARGS)

## make bench-import: 10,000 rows through the import page's path (docs/benchmarks.md).
bench-import: install
	$(BIN)/python scripts/bench_import.py

## make bench-workspace: the coordinator's pages with 10,000 entrepreneurs on a throwaway
## PostgreSQL (or DATABASE_URL's, emptied first); prints the time per page.
bench-workspace: install
	$(BIN)/python scripts/bench_workspace.py

## make ci: what CI runs: the suite on SQLite, then on a throwaway PostgreSQL, then lint.
ci:
	bash .ci/run

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
