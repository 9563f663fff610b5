# sector-datasets — every command creates the virtualenv and installs the pinned requirements first.
#   make run    every sector end to end through Airflow on the embedded defaults
#   make test   the test suite (what CI runs): every test, on 3 pytest-xdist workers (≈11 min)
#   make test-fast  the inner loop (≈4 min idle): every test not marked slow (README 'Tests')
#   make ui     the Airflow UI with the sector DAGs (http://localhost:8080)
#   make serve  the open-data read API over the exports (http://127.0.0.1:8000/docs)
#   make bench  benchmarks (slow; prints ratios; BENCH_ARGS=--smoke for the tiny version)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
REQ_HASH := $(shell sha256sum requirements.txt | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_HASH)
export PYTHONPATH := $(CURDIR)/plugins
PYTEST_ARGS ?=
# pytest-xdist: tests/conftest.py makes every module (tests/ui, tests/report: the package) one work
# unit, handed out heaviest first (--no-loadscope-reorder keeps that order). 3 workers on the
# 2 cores: the Airflow, dbt and Celery subprocesses leave a core idle often enough that a third
# worker fills it (README 'Tests'). TEST_WORKERS=0 runs serially, without xdist.
TEST_WORKERS ?= 3
XDIST_ARGS := $(if $(filter 0,$(TEST_WORKERS)),-p no:xdist,-n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder)

.PHONY: help venv run test test-fast ui serve bench summary clean chromium services

help:
	@sed -n '2,7p' Makefile

$(STAMP): requirements.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@echo "· installing pinned requirements into $(VENV) (first time ≈2 min)…"
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m sector_datasets.cli run

# The browser tests (tests/ui) drive Debian's Chromium through Playwright (never `playwright install`).
chromium:
	@command -v chromium >/dev/null || (echo "· installing Debian's chromium for the browser tests…" && apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# The scale-out test (tests/scale) runs Airflow on PostgreSQL + Redis: they must answer on localhost.
services:
	@bin/services

test: $(STAMP) chromium services
	$(VENV)/bin/python -m pytest $(XDIST_ARGS) $(PYTEST_ARGS)

# No browser, no services, no Airflow run, no whole-platform build: see the `slow` marker.
test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest $(XDIST_ARGS) -m "not slow" $(PYTEST_ARGS)

UI_PORT ?=
ui: $(STAMP)
	$(VENV)/bin/python -m sector_datasets.cli ui $(if $(UI_PORT),--port $(UI_PORT))

SERVE_ARGS ?=
serve: $(STAMP)
	$(VENV)/bin/python -m sector_datasets.cli serve $(SERVE_ARGS)

BENCH_ARGS ?=
bench: $(STAMP)
	$(VENV)/bin/python bench/run_all.py $(BENCH_ARGS)

summary: $(STAMP)
	$(VENV)/bin/python -m sector_datasets.cli summary

clean:
	rm -rf var
