# The two commands of the contract: `make run` and `make test`.
# Each creates .venv and installs what it needs, at the versions and hashes of requirements.lock
# (every dependency, the development tools too; the image installs requirements-runtime.lock);
# a second call re-installs only when pyproject.toml or the lock changed. `make lock` writes
# both lock files again after a change to pyproject.toml, keeping every pin it can;
# `make lock-upgrade` moves every pin to the newest version allowed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# openapi-python-client (`make sdk`) runs from a venv of its own: it caps httpx and typer
# below the versions edunode runs with, so it cannot share the main lock.
SDK_VENV := .venv-sdk
SDK_STAMP := $(SDK_VENV)/.installed
SDK_GENERATOR := openapi-python-client==0.29.1
PIP := $(BIN)/python -m pip --disable-pip-version-check
# One lock for every platform and Python from 3.11 on, with every file's hash.
LOCK_OPTIONS := --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"

.PHONY: run test lint typecheck contracts pytest install lock lock-upgrade sdk bench-tools browser clean

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11+ or set PYTHON=..."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	@touch $(STAMP)

install: $(STAMP) browser

$(SDK_STAMP): requirements-sdk.lock
	@test -x $(SDK_VENV)/bin/python || $(PYTHON) -m venv $(SDK_VENV)
	$(SDK_VENV)/bin/python -m pip --disable-pip-version-check install --quiet --require-hashes -r requirements-sdk.lock
	@touch $(SDK_STAMP)

# The runtime lock is constrained by the full one, so the image runs the versions tested.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_OPTIONS) $(LOCK_ARGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml -c requirements.lock $(LOCK_OPTIONS) -o requirements-runtime.lock
	echo "$(SDK_GENERATOR)" | $(BIN)/uv pip compile - $(LOCK_OPTIONS) $(LOCK_ARGS) -o requirements-sdk.lock

lock-upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

# The Python SDK in clients/python, generated again from the node's merged OpenAPI document
# (tests/test_sdk.py fails while the committed one is out of date).
sdk: $(STAMP) $(SDK_STAMP)
	EDUNODE_SDK_GENERATOR=$(SDK_VENV)/bin/openapi-python-client $(BIN)/python -m edunode.sdk

run: $(STAMP)
	$(BIN)/edunode demo

lint: $(STAMP)
	$(BIN)/ruff check rules contracts shared services edunode tests bench tools
	$(BIN)/ruff format --check rules contracts shared services edunode tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy rules contracts shared services edunode tests bench tools

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) $(SDK_STAMP) browser
	$(BIN)/pytest

test: lint typecheck contracts pytest

# What the benches drive load with (bench/gateway.py): wrk, the Debian package, when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
bench-tools: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }

# The console's browser tests (tests/console) drive Debian's chromium through Playwright, which
# never downloads a browser of its own: installed here when missing.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
