# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run    opens Source Reader on seeds/
#   make test   lints, type-checks and runs the whole suite headless
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-corpus clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,related]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/source-reader seeds

# Lint, format check and type check come first: they take seconds, the
# tests take minutes.
lint: $(STAMP)
	$(BIN)/ruff check reader tests benchmarks
	$(BIN)/ruff format --check reader tests benchmarks
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/align_bench.py

bench-corpus: $(STAMP)
	nice $(BIN)/python benchmarks/corpus_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# make setup: only create .venv (then call .venv/bin/source-reader …, see README)
.PHONY: setup
setup: $(STAMP)
