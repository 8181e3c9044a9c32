# The report site's commands. `make help` lists them.
#
# Every target sets up what it needs: a fresh clone needs only `make serve`
# (read the site) or `make test` (run every test).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# The end-of-life banner of MkDocs 1.x/Material is known (see README); keep
# the build output to what this project can act on.
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the build's date is the last commit's, not the clock's.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif
CHROMIUM := /usr/bin/chromium
NODE_TOOLS := tests/node_modules/.installed
BENCH_TOOLS := tests/bench/node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help build serve test lint bench lock clean system-libs java

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.txt -r requirements-dev.txt
	touch $@

$(NODE_TOOLS): tests/package.json tests/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node.js 20) is needed for the test tools in tests/package.json" >&2; exit 1; }
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BENCH_TOOLS): tests/bench/package.json tests/bench/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node.js 20) is needed for Lighthouse in tests/bench/package.json" >&2; exit 1; }
	cd tests/bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Installs the Debian packages $(1) when run as root where apt-get is; else
# fails with the message $(2). For what the build and tests need from Debian.
apt_install = if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else \
	  echo "error: $(2)" >&2; exit 1; \
	fi

# Debian's Chromium for the browser tests (Playwright's own download does
# not work everywhere). Installed when missing and we may; else a clear error.
$(CHROMIUM):
	@$(call apt_install,chromium,$(CHROMIUM) is missing; install Debian's chromium package (sudo apt-get install chromium))

# Shared libraries the build loads: FriBiDi (Pillow's Raqm, to shape Arabic
# on the link-preview cards) and cairo (cairosvg, imported by Material's
# social plugin). Installed when missing and we may; else a clear error.
SYSTEM_LIBS := libfribidi.so.0:libfribidi0 libcairo.so.2:libcairo2
system-libs:
	@missing=""; for pair in $(SYSTEM_LIBS); do \
	  /sbin/ldconfig -p | grep -q "$${pair%%:*}" || missing="$$missing $${pair##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  $(call apt_install,$$missing,missing system libraries; install Debian's$$missing (sudo apt-get install$$missing)); \
	fi

# Java for the Nu HTML Checker (vnu-jar) in the tests.
java:
	@command -v java >/dev/null || { \
	  $(call apt_install,default-jre-headless,java is missing; the Nu HTML Checker needs Java 17 (sudo apt-get install default-jre-headless)); }

build: $(VENV)/.runtime system-libs ## Convert source/ and build the site into site/
	$(PY) -m mkdocs build --strict

serve: $(VENV)/.runtime system-libs ## Build and serve at http://127.0.0.1:8000/ with live reload
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000

test: $(VENV)/.dev $(NODE_TOOLS) $(CHROMIUM) system-libs java ## Run every test (converter, site, browser)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(VENV)/.dev ## Check style with ruff
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(VENV)/.dev $(BENCH_TOOLS) $(CHROMIUM) system-libs ## Measure size and speed against stock Material
	$(PY) tests/bench/bench.py

lock: $(VENV)/.runtime ## Re-pin requirements*.txt (with hashes) from requirements*.in
	$(PIP) install --quiet pip-tools==7.5.2
	$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements.txt requirements.in
	$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements-dev.txt requirements-dev.in

clean: ## Remove the built site and test output (keeps .venv)
	rm -rf site test-results .pytest_cache .hypothesis
