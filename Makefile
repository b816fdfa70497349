# ticket-analysis — the front door. `make` (or `make help`) lists the targets.
# Every target that runs code depends on `setup`, which installs the project
# editable into .venv, pinned by requirements.txt, with the tools of
# requirements-dev.txt; again whenever either file or pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help setup report batch test install-check lint format bench lab clean distclean kernel-loop

help: ## List the targets
	@echo "ticket-analysis — support-ticket analytics"
	@echo
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-13s %s\n", $$1, $$2}'

setup: $(STAMP) ## Install the project editable into .venv (pinned), with dev tools

# The kernel `python3` of .venv is .venv's own Python; its spec is written
# afresh (an older setup left another display name) to equal the one the
# notebook stores, so JupyterLab opens the notebook unmodified.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python >= 3.11 is required (found: $$($(PYTHON) --version 2>&1)); set PYTHON=python3.11" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements.txt -r requirements-dev.txt -e .
	@# An older setup's path file, now replaced by the editable install.
	@rm -f $$($(BIN)/python -c 'import site; print(site.getsitepackages()[0])')/ticket_analysis.pth
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 \
		--display-name "Python 3 (ipykernel)" >/dev/null
	@touch $(STAMP)
	@echo "setup done: $(VENV) is ready"

SAMPLE := data/tickets_sample.csv
report: setup ## Run the notebook report on the bundled sample (outputs in reports/)
	$(BIN)/ticket-analysis report --input $(SAMPLE) --output-dir reports

batch: setup ## One report per agent on the sample, with an index (reports/batch-agent/)
	$(BIN)/ticket-analysis report --input $(SAMPLE) --output-dir reports --batch agent

test: setup ## Run the test suite (one worker per CPU, a test file per worker at a time)
	$(BIN)/python -m pytest -n auto --dist loadfile

install-check: setup ## Build the wheel, install it in a fresh venv, run both reports
	PYTHON=$(PYTHON) .ci/install-check

lint: setup ## ruff (lint + format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup ## Project vs the pyarrow floor and the Polars/DuckDB peers (100k/1M rows), import profile, start-up, notebook, batch; exits 1 on a miss
	$(BIN)/python -m benchmarks.bench --all
	$(BIN)/python -m benchmarks.batch_bench --cases sample

RUNS ?= 50
kernel-loop: setup ## Run the kernel-start faults test RUNS times in a row (default 50)
	@for i in $$(seq $(RUNS)); do \
		$(BIN)/pytest -q -p no:cacheprovider tests/test_faults.py -k cell_timeout >/dev/null \
			|| { echo "kernel-loop: failed on run $$i of $(RUNS)"; exit 1; }; \
	done; echo "kernel-loop: $(RUNS) runs in a row passed"

lab: setup ## Open the report notebook in JupyterLab (the sample unless TICKETS_INPUT is set)
	@# The kernel runs in notebooks/: give it absolute defaults, unless the
	@# environment or .env names the input and the output folder.
	@if [ -z "$$TICKETS_INPUT" ] && ! grep -qs '^TICKETS_INPUT=.' .env; then \
		export TICKETS_INPUT="$(CURDIR)/$(SAMPLE)"; fi; \
	if [ -z "$$REPORTS_DIR" ] && ! grep -qs '^REPORTS_DIR=.' .env; then \
		export REPORTS_DIR="$(CURDIR)/reports"; fi; \
	$(BIN)/jupyter lab notebooks/ticket_report.ipynb

clean: ## Remove generated reports and caches (keeps .venv)
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean ## Also remove .venv and the benchmark data
	rm -rf $(VENV) benchmarks/data
