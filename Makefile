# Cloudscapes: the README's commands.
#   make lab    install, build and start JupyterLab with the suite (PORT=, TOKEN=)
#   make demo   the same, wired to the local stand-ins of cloudscapes.testing
#   make test   install what is missing (Chromium, the hub's proxy too) and run every check
#   make bench  run benchmarks/ and rewrite benchmarks/RESULTS.md
# Every step is a file target, so a second run redoes only what changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
PORT ?= 8888
TOKEN ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_hex(24))")

# Containers and CI machines often run as root; JupyterLab refuses that unless told.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

export PATH := $(BIN):$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

PY_STAMP := $(VENV)/.cloudscapes-installed
NPM_STAMP := node_modules/.cloudscapes-installed
OUT := cloudscapes/labextensions/@cloudscapes
CORE_STAMP := packages/core/lib/index.d.ts
# Lab extensions: packages/* whose package.json says "extension": true.
EXTENSIONS := $(shell grep -l '"extension": true' packages/*/package.json | xargs -n1 dirname | xargs -n1 basename)
EXT_STAMPS := $(foreach e,$(EXTENSIONS),$(OUT)/$(e)/package.json)
LINK_STAMP := $(VENV)/.cloudscapes-linked

sources = $(shell find $(1) -type f -not -path '*/node_modules/*' -not -path '*/lib/*' -not -path '*/__tests__/*' 2>/dev/null)

.PHONY: help lab demo test bench build install chromium curl hubproxy lint jest pytest ui uihub clean

help:
	@echo "make lab | make demo | make test | make bench"

# ---- install ---------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(PY_STAMP): pyproject.toml | $(BIN)/python
	CLOUDSCAPES_SKIP_NPM=1 $(BIN)/pip install --quiet -e ".[test,dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json $(wildcard packages/*/package.json) ui-tests/package.json
	npm ci --no-audit --no-fund
	touch $@

# configurable-http-proxy for the tests under a real JupyterHub (its own lockfile, out
# of the workspaces: it is a test tool, not part of the suite).
HUBPROXY_STAMP := tests/hubproxy/node_modules/.cloudscapes-installed
$(HUBPROXY_STAMP): tests/hubproxy/package.json tests/hubproxy/package-lock.json
	npm ci --prefix tests/hubproxy --no-audit --no-fund
	touch $@

hubproxy: $(HUBPROXY_STAMP)

install: $(PY_STAMP) $(NPM_STAMP) $(HUBPROXY_STAMP)

# ---- build (only what changed) -----------------------------------------------------

$(CORE_STAMP): $(NPM_STAMP) $(PY_STAMP) $(wildcard schema/*.yaml) $(call sources,packages/core/src packages/core/scripts) packages/core/package.json
	npm run build -w @cloudscapes/core
	touch $@

.SECONDEXPANSION:
$(OUT)/%/package.json: $(CORE_STAMP) $$(call sources,packages/$$*/src packages/$$*/style packages/$$*/schema style) packages/%/package.json
	npm run build -w @cloudscapes/$*
	touch $@

# Point JupyterLab in the venv at the freshly built extensions (symlinks).
$(LINK_STAMP): $(EXT_STAMPS)
	$(BIN)/python hatch_build.py develop --prefix $(VENV)
	touch $@

build: $(LINK_STAMP)

# ---- run -----------------------------------------------------------------------------

lab: build
	@echo
	@echo "Cloudscapes: http://127.0.0.1:$(PORT)/lab?token=$(TOKEN)"
	@echo
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) --port-retries=0 \
		--IdentityProvider.token=$(TOKEN) $(ALLOW_ROOT)

demo: build
	$(BIN)/python -m cloudscapes.testing.demo --port $(PORT) --token $(TOKEN) $(ALLOW_ROOT)

# ---- test ----------------------------------------------------------------------------

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the UI tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@chromium --version

# The netrc tests ask a real curl what it sends (libcurl readers: GDAL, rasterio, netCDF-C).
curl:
	@if ! command -v curl >/dev/null 2>&1; then \
		echo "Installing Debian's curl for the netrc tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq curl >/dev/null; \
	fi

lint: $(PY_STAMP) $(NPM_STAMP) $(CORE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	npm run lint:check
	node --test packages/core/scripts/

jest: $(NPM_STAMP) $(CORE_STAMP)
	npm test

pytest: build curl hubproxy
	$(BIN)/python -m pytest tests

ui: build chromium
	cd ui-tests && CI=1 npx playwright test --workers 1

# Galata through a real JupyterHub (ui-tests/hub/, its own config: the hub is its server).
uihub: build chromium hubproxy
	cd ui-tests && CI=1 npx playwright test --config playwright.hub.config.js --workers 1

test: lint jest pytest ui uihub
	@echo "make test: every check passed"

bench: build chromium
	$(BIN)/python benchmarks/usage_latency.py
	$(BIN)/python benchmarks/earthdata_latency.py
	$(BIN)/python benchmarks/dask_latency.py
	$(BIN)/python benchmarks/git_bench.py
	$(BIN)/python benchmarks/data_browse.py
	cd ui-tests && CI=1 npx playwright test --config playwright.bench.config.js --workers 1
	$(BIN)/python benchmarks/data_browse.py --ui
	$(BIN)/python benchmarks/startup.py
	@# Startup again on the production build, the one the wheel ships (its goals are
	@# judged there); it stays installed until a source changes and make rebuilds.
	npm run build:prod
	$(BIN)/python benchmarks/startup.py

clean:
	npm run clean --if-present || true
	rm -rf $(OUT) $(VENV) node_modules packages/*/node_modules ui-tests/node_modules \
		tests/hubproxy/node_modules
