# Two entry points, both from a fresh clone:
#   make example   set up and build the example brief into out/
#   make test      set up and run the checks (lint + tests)
#   make benchmark print speed and memory figures (not part of the tests)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: example test benchmark clean


$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

example: $(STAMP)
	$(BIN)/briefgen build briefs/masg-2025.yaml

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf out .pytest_cache
