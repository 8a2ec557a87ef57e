# Maillage — `make help` lists the targets.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: help run test install install-dev browser lint validate load bench postgres db

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python  ## install what the dashboard needs
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python  ## install what the tests need (Python packages)
	$(BIN)/pip install --quiet -r requirements-dev.txt

browser:  ## install Debian's Chromium for the browser tests (needs root, once)
	@if [ ! -x /usr/bin/chromium ]; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	fi

run: install  ## install and start the dashboard on http://127.0.0.1:8050
	$(BIN)/python app.py

test: install-dev browser  ## install everything the tests need and run all of them (browser tests and PostgreSQL included)
	MAILLAGE_TEST_POSTGRES_URL=$$(bash tests/postgres_setup.sh | tail -1) MAILLAGE_REQUIRE_POSTGRES=1 $(BIN)/python -m pytest

postgres:  ## install and start a local PostgreSQL for the tests (needs root); prints its address
	@bash tests/postgres_setup.sh | tail -1

db: install  ## bring the database up to date and seed it from data/repertoire when empty (DATABASE_URL honoured)
	$(BIN)/python -m maillage_dash db init

validate: install  ## check the directory files (add DATA=folder for your own)
	$(BIN)/python -m maillage_dash validate $(if $(DATA),--data-dir $(DATA),)

lint: install-dev  ## ruff lint and format check
	$(BIN)/ruff check maillage_dash app.py tests
	$(BIN)/ruff format --check maillage_dash app.py tests

load: install-dev  ## 100 simulated users for 60 s against gunicorn on loopback (USERS=, DURATION= to change)
	$(BIN)/python -m bench.load --users $(or $(USERS),100) --duration $(or $(DURATION),60) --json bench/results/load.json

bench: install-dev browser  ## benchmark at 1k/10k/100k synthetic services, then first paint against a naive page (BASELINE=rev adds an older Maillage); results in docs/PERFORMANCE.md
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.first_paint $(if $(BASELINE),--baseline $(BASELINE),)
