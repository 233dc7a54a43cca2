SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
AXE_VERSION := 4.14.1

.PHONY: help install run test test-fast migrate demo check bench clean

help:
	@echo "make run    set up (virtual environment, database, demo data) and start the web server and a Celery worker"
	@echo "make test   run the whole test suite"
	@echo "make bench  time the pages against a county seeded by manage.py seed_scale (DATABASE_URL)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# axe-core for the accessibility checks in the browser tests, pinned, from the npm registry. --prefix keeps it in
# this folder even when a parent folder has a package.json; without npm (or offline) the browser tests say they skip.
node_modules/axe-core/axe.min.js: Makefile
	@if ! command -v npm >/dev/null; then echo "npm not found: the browser tests will be skipped (REQUIRE_BROWSER=1 fails them)"; \
	elif npm install --prefix . --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION); then touch $@; \
	else echo "npm could not install axe-core $(AXE_VERSION): the browser tests will be skipped (REQUIRE_BROWSER=1 fails them)"; fi

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo

# One command, one Ctrl-C: the trap clears itself first, then stops both children and waits,
# so that a task the worker is running finishes instead of being lost.
run: demo
	@mkdir -p var/broker
	@echo "ASB Casework at http://$(HOST):$(PORT)/ (Ctrl-C stops the web server and the worker)"
	@trap 'trap - INT TERM EXIT; kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(PY) -m celery -A config worker --beat --loglevel=INFO --concurrency=2 & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT) & \
	wait -n

test: install node_modules/axe-core/axe.min.js
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

# The county-scale benchmark against DATABASE_URL, which `python manage.py seed_scale` has filled (README: Performance).
bench: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to a PostgreSQL database filled by seed_scale (see README, Performance)"; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-* staticfiles node_modules
