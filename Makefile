# ticket-analysis — the front door. `make` (or `make help`) lists the targets.
# Every target that runs code depends on `setup`, which builds .venv from the
# pinned requirements.txt the first time and again whenever that file changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help setup report test lint format bench lab clean distclean kernel-loop

help: ## List the targets
	@echo "ticket-analysis — support-ticket analytics"
	@echo
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv with the pinned packages and the Jupyter kernel

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python >= 3.11 is required (found: $$($(PYTHON) --version 2>&1)); set PYTHON=python3.11" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# Make the package importable from .venv (kernel and tools), without a build step.
	$(BIN)/python -c 'import pathlib, site; pathlib.Path(site.getsitepackages()[0], "ticket_analysis.pth").write_text("$(CURDIR)\n")'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ticket-analysis)" >/dev/null
	@touch $(STAMP)
	@echo "setup done: $(VENV) is ready"

report: setup ## Run the notebook report on the bundled sample (outputs in reports/)
	$(BIN)/python run_report.py

test: setup ## Run the test suite
	$(BIN)/python -m pytest

lint: setup ## ruff (lint + format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup ## Benchmark 100k/1M rows vs a bare pyarrow parse, start-up, notebook
	$(BIN)/python -m benchmarks.bench --all

RUNS ?= 50
kernel-loop: setup ## Run the kernel-start faults test RUNS times in a row (default 50)
	@for i in $$(seq $(RUNS)); do \
		$(BIN)/pytest -q -p no:cacheprovider tests/test_faults.py -k cell_timeout >/dev/null \
			|| { echo "kernel-loop: failed on run $$i of $(RUNS)"; exit 1; }; \
	done; echo "kernel-loop: $(RUNS) runs in a row passed"

lab: setup ## Open the report notebook in JupyterLab
	$(BIN)/jupyter lab notebooks/ticket_report.ipynb

clean: ## Remove generated reports and caches (keeps .venv)
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean ## Also remove .venv and the benchmark data
	rm -rf $(VENV) benchmarks/data
