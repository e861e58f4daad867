# Sekisho developer and installer entry points. `make run` and `make test` are all a new
# user needs (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sekisho-installed
QM := ui/i18n/sekisho_ja.qm

HEADLESS := .venv-headless
HEADLESS_STAMP := $(HEADLESS)/.sekisho-installed

.PHONY: setup run test test-fast test-headless lint format i18n bundle clean

setup: $(STAMP) $(QM)

$(STAMP): requirements.lock pyproject.toml packaging/install-system-deps.sh
	./packaging/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=68,<81" wheel
	# --no-deps: requirements.lock is the complete, tested set. It carries dlib-bin (a
	# prebuilt dlib); face-recognition's own "dlib" requirement would compile dlib.
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(QM): $(STAMP) $(wildcard ui/i18n/*.ts)
	$(BIN)/pyside6-lrelease -silent ui/i18n/sekisho_ja.ts -qm $(QM)

run: setup
	$(BIN)/sekisho run --demo --simulate-devices

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: setup lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(MAKE) test-headless

# The core, devices and storage tiers with PySide6 not installed at all: proves at run time
# what import-linter proves statically (nothing below ui/ needs Qt).
$(HEADLESS_STAMP): requirements.lock pyproject.toml
	test -x $(HEADLESS)/bin/python || $(PYTHON) -m venv $(HEADLESS)
	$(HEADLESS)/bin/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=68,<81" wheel
	grep -viE '^(pyside6|shiboken6|pytest-qt)' requirements.lock > $(HEADLESS)/requirements.txt
	$(HEADLESS)/bin/python -m pip install --quiet --no-deps -r $(HEADLESS)/requirements.txt
	$(HEADLESS)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

test-headless: $(HEADLESS_STAMP)
	$(HEADLESS)/bin/python -c "import importlib.util as u; assert u.find_spec('PySide6') is None"
	$(HEADLESS)/bin/python -m pytest -q -p no:cacheprovider -m "not slow and not bundle" \
		tests/workstation tests/devices tests/db

test-fast: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow and not bundle" -x -q

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation sources from the code, then compile them.
i18n: setup
	$(BIN)/pyside6-lupdate $$(git ls-files 'ui/*.py') -ts ui/i18n/sekisho_ja.ts -no-obsolete
	$(BIN)/pyside6-lrelease -silent ui/i18n/sekisho_ja.ts -qm $(QM)

bundle: setup
	$(BIN)/python -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
		packaging/workstation.spec

clean:
	rm -rf build dist $(VENV) $(HEADLESS) .pytest_cache .mypy_cache .ruff_cache
