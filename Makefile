# The two commands a new user needs: `make demo` and `make test`. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_DATA ?= ../shared/data

.PHONY: demo test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Every reproduction (slides, lectures, uwimg, FMAN45) on the offline Digits data, in a few minutes;
# the report is runs/demo/report.html.
demo: $(STAMP)
	$(BIN)/tinygrad-hw reproduce all --quick --out runs/demo

test: $(STAMP)
	$(BIN)/ruff check tinygrad_hw tests examples benchmarks
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --data-dir $(SHARED_DATA)

lint: $(STAMP)
	$(BIN)/ruff check tinygrad_hw tests examples benchmarks

clean:
	rm -rf $(VENV) build *.egg-info
