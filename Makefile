# Every target that needs Python creates .venv first, from this project's own files only
# (pyproject.toml + constraints.txt), so a fresh machine needs nothing but python3 and make.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
BENCH_ARGS  ?=
DEMO        := datasets/demo

.PHONY: help venv test check lint format typecheck imports unit demo demo-data bench lock clean

help:
	@echo "make demo   - set up, build the demo dataset, open the labelling TUI on it"
	@echo "make test   - set up, run every check and the whole test suite"
	@echo "make check  - ruff (lint + format check), mypy --strict, import contracts"
	@echo "make bench  - speed and memory benchmarks (BENCH_ARGS='--posts 100000' for a quick run)"
	@echo "make lock   - refresh constraints.txt from a clean resolution"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

venv: $(STAMP)

check: $(STAMP)
	$(BIN)/ruff check labeler tests
	$(BIN)/ruff format --check labeler tests
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format labeler tests
	$(BIN)/ruff check --fix labeler tests

# pytest exits 5 when it collects nothing: an empty suite is a failure here, said plainly.
unit: $(STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests; an empty suite does not pass" >&2; fi; \
	exit $$rc

test: check unit

demo-data: $(STAMP)
	$(BIN)/labeler ingest $(DEMO)/raw --dataset $(DEMO)

demo: demo-data
	$(BIN)/labeler annotate $(DEMO) --annotator $${LABELER_ANNOTATOR:-demo}

bench: $(STAMP)
	$(PY) tests/benchmarks/run.py $(BENCH_ARGS)

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	{ echo "# Exact versions for make venv/test/demo. Regenerate with make lock after editing pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check \
		| grep -v "^-e "; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist
