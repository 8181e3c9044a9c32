# The report site's commands. `make help` lists them.
#
# Every target sets up what it needs: a fresh clone needs only `make serve`
# (read the site) or `make test` (run every test).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# The oldest Python the pins must install on: Debian 12's. `make lock`
# resolves for it, so every newer supported Python (Debian 13's 3.13,
# Ubuntu 24.04's 3.12) installs the same versions.
MIN_PYTHON := 3.11.2
# Debian 12 ships Node 18; the test tools need nothing newer.
MIN_NODE := 18
# The end-of-life banner of MkDocs 1.x/Material is known (see README); keep
# the build output to what this project can act on.
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the build's date is the last commit's, not the clock's.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif
# `make serve PORT=8001` when 8000 is taken.
PORT ?= 8000
NODE_TOOLS := tests/node_modules/.installed
BENCH_TOOLS := tests/bench/node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help build serve test lint bench bench-limits lock clean fresh-check build-debs test-debs node

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Installs the Debian packages $(1) when run as root where apt-get is; else
# fails with one line naming the command to run.
apt_install = if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian packages:$(1)" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else \
	  echo "error: $(2); run: sudo apt-get install$(1)" >&2; exit 1; \
	fi

# The virtual environment, rebuilt when it is missing or broken (a failed or
# interrupted set-up, a Python upgraded under it), so that the next run never
# stops on what the last one left behind; the marker is touched only on
# success. Debian keeps ensurepip in python3-venv, installed here when the
# first attempt fails for want of it.
$(VENV)/.runtime: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) is missing; run: sudo apt-get install python3" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(MIN_PYTHON)".split("."))))' || { \
	  echo "error: $$($(PYTHON) --version) is too old: the pins need Python $(MIN_PYTHON) or newer" >&2; exit 1; }
	@if ! $(PIP) --version >/dev/null 2>&1; then \
	  [ ! -e $(VENV) ] || echo "$(VENV) is broken: rebuilding it" >&2; \
	  rm -rf $(VENV); \
	  if ! $(PYTHON) -m venv $(VENV) >/dev/null 2>&1; then \
	    rm -rf $(VENV); \
	    $(call apt_install, python3-venv,$(PYTHON) -m venv failed (no ensurepip)); \
	    $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
	  fi; \
	fi
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.txt
	@# The project's packages importable from the venv wherever it runs (.venv/bin/mkdocs, a hook, pytest):
	@# a path file, as an editable install writes one, without a build backend to pin.
	$(PY) -c 'import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()["purelib"], "report-site.pth").write_text("$(CURDIR)\n")'
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.txt -r requirements-dev.txt
	touch $@

# Node and npm for the test tools, new enough for them.
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  echo "error: Node.js and npm are needed for the test tools; run: sudo apt-get install nodejs npm" >&2; exit 1; }
	@node -e 'process.exit(parseInt(process.versions.node) < $(MIN_NODE) ? 1 : 0)' || { \
	  echo "error: Node.js $$(node --version) is too old; the test tools need $(MIN_NODE) or newer" >&2; exit 1; }

# npm ci from the lockfile (integrity-checked) with no install scripts: none
# of the tools needs one, and vnu-jar's would download a Java runtime.
$(NODE_TOOLS): tests/package.json tests/package-lock.json | node
	cd tests && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(BENCH_TOOLS): tests/bench/package.json tests/bench/package-lock.json | node
	cd tests/bench && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# What the build and the tests need from Debian, as probe:package, where a
# probe is a file (/usr/bin/chromium), a shared library (lib*) or a command.
# FriBiDi: Pillow's Raqm shapes Arabic on the link-preview cards; cairo:
# Material's social plugin imports cairosvg. Debian's Chromium drives the
# browser tests (Playwright's own download does not work everywhere), with
# Firefox ESR and WebKitGTK (its WebDriver, on an Xvfb display) for the
# checks in every engine; Java runs the Nu HTML Checker; Playwright's own
# Node needs libatomic.
BUILD_DEBS := libfribidi.so.0:libfribidi0 libcairo.so.2:libcairo2
TEST_DEBS := /usr/bin/chromium:chromium /usr/bin/firefox-esr:firefox-esr \
  /usr/bin/WebKitWebDriver:webkit2gtk-driver /usr/bin/Xvfb:xvfb \
  libatomic.so.1:libatomic1 java:default-jre-headless
UBUNTU_TEST_HINT := Ubuntu's chromium is a snap wrapper the tests cannot drive: run make test in a Debian container, e.g. \
  docker run --rm -v "$$PWD:/src" -w /src debian:13 sh -c 'apt-get update && apt-get install -y git make python3 nodejs npm && make test'

# Installs what is missing when run as root, else names the command.
build-debs: DEBS = $(BUILD_DEBS)
test-debs: DEBS = $(BUILD_DEBS) $(TEST_DEBS)
build-debs test-debs:
	@missing=""; for pair in $(DEBS); do \
	  probe=$${pair%%:*}; \
	  case $$probe in \
	    /*) test -e "$$probe" ;; \
	    lib*) /sbin/ldconfig -p | grep -q "$$probe" ;; \
	    *) command -v "$$probe" >/dev/null ;; \
	  esac || missing="$$missing $${pair##*:}"; \
	done; \
	case "$$missing" in *" chromium"*) if grep -qs '^ID=ubuntu' /etc/os-release; then echo "error: $(UBUNTU_TEST_HINT)" >&2; exit 1; fi ;; esac; \
	[ -z "$$missing" ] || { $(call apt_install,$$missing,missing Debian packages); }

build: build-debs $(VENV)/.runtime ## Convert source/ and build the site into site/
	$(PY) -m mkdocs build --strict

serve: build-debs $(VENV)/.runtime ## Build and serve at http://127.0.0.1:$(PORT)/ (PORT=8000) with live reload
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT)

test: test-debs $(VENV)/.dev $(NODE_TOOLS) lint ## Run every test (style, converter, site, browser)
	$(PY) -m pytest

lint: $(VENV)/.dev ## Check style with ruff
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: test-debs $(VENV)/.dev $(BENCH_TOOLS) ## Measure size and speed against stock Material
	$(PY) tests/bench/bench.py

bench-limits: $(VENV)/.dev ## Time the build over and at the limits of its inputs (issue 27's budgets)
	$(PY) tests/bench/limits.py

# Resolved as on the oldest supported Python, from PyPI alone whatever the
# machine's pip or uv configuration says, with the hashes of every file.
LOCK := $(VENV)/bin/uv pip compile --quiet --no-config --python-version $(MIN_PYTHON) \
  --default-index https://pypi.org/simple --generate-hashes --custom-compile-command "make lock"
lock: $(VENV)/.dev ## Re-pin requirements*.txt (with hashes) from requirements*.in
	$(LOCK) -o requirements.txt requirements.in
	$(LOCK) -o requirements-dev.txt requirements-dev.in

fresh-check: ## As root: the two commands on fresh Debian 12 and 13 roots (debootstrap)
	bash .ci/fresh-check $(SUITES)

clean: ## Remove the built site and test output (keeps .venv)
	rm -rf site test-results .pytest_cache .hypothesis

.PHONY: bench-search
bench-search: test-debs $(VENV)/.dev $(BENCH_TOOLS) ## Measure Pagefind and stock Material's search on our query sets
	$(PY) tests/bench/search_peers.py
