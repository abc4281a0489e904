# Two commands work on a fresh machine: `make demo` and `make test`.
# Each creates the virtual environment if it is missing and installs the
# project into it (again only when pyproject.toml changed).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= exposure-demo

.PHONY: demo test install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/exposure demo -o $(DEMO_DIR) --force

test: $(STAMP)
	$(BIN)/python -m pytest exposure tests -q

clean:
	rm -rf $(VENV) $(DEMO_DIR) build *.egg-info
