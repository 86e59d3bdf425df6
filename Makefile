# biyelelt: two commands do everything on a fresh machine.
#   make demo   — install, then score the bundled example report
#   make test   — install with the test extras, then run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/biyelelt score data/examples --out out/demo
	$(BIN)/biyelelt rank out/demo

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf out .pytest_cache
