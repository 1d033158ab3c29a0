# The two set-up commands of the README: `make run` and `make test`.
# Both create .venv with the Python 3.11+ found as $(PYTHON).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench docs-png clean

$(BIN)/ledger: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(BIN)/ledger

# The main job on the bundled books: the Sammanställning of 2020.
run: $(BIN)/ledger
	$(BIN)/ledger summary 2020

# Every test: pytest, ruff, mypy and the layer contracts (import-linter).
test: $(BIN)/ledger
	$(BIN)/python -m pytest
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The side-by-side benchmark against ledger-cli and hledger (writes docs/performance.md).
bench: $(BIN)/ledger
	$(BIN)/python -m bench.run

# The picture of the Sammanställning sheet in the README (needs soffice and pdftoppm).
docs-png: $(BIN)/ledger
	sh docs/render-png.sh

clean:
	rm -rf $(VENV) .venv-system build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
