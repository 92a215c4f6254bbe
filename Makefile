# Two entry points for a fresh machine: `make run` and `make test`.
# Both create .venv themselves and install what the project needs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint typecheck boundaries pytest check-system translations extract \
        update-catalogues compile-catalogues soak fuzz clean

$(STAMP): pyproject.toml
	@bash scripts/check-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The GUI needs a display; only tests force the offscreen platform.
run: $(STAMP) compile-catalogues
	QT_QPA_PLATFORM= $(BIN)/hotline-desk

test: $(STAMP) compile-catalogues lint typecheck boundaries pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

boundaries: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest -q

# Long crash-safety runs, kept out of `make test`.
soak: $(STAMP)
	HOTLINE_KILL_RUNS=5000 $(BIN)/pytest -q -m slow tests/unit/test_kill_safety.py
	HOTLINE_IMPORT_KILL_RUNS=2000 $(BIN)/pytest -q -m slow tests/unit/test_import_kill.py
	HOTLINE_WRITE_KILL_RUNS=5000 $(BIN)/pytest -q -m slow tests/unit/test_write_kill.py

# A long fuzz of the batch parser (20 000 examples per test), kept out of `make test`.
fuzz: $(STAMP)
	HOTLINE_FUZZ_EXAMPLES=20000 $(BIN)/pytest -q -p no:cacheprovider tests/unit/test_batch_fuzz.py

# --- translations (Babel) ---
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k lazy \
	    -k lazy_p:1c,2 \
	    --project=hotline-desk --copyright-holder="Hotline Desk contributors" \
	    -o locales/hotline.pot hotline ui resources/taxonomies
	$(BIN)/python scripts/qt_strings.py

update-catalogues: extract
	$(BIN)/python scripts/catalogues.py update

compile-catalogues: $(STAMP)
	$(BIN)/python scripts/catalogues.py compile

translations: update-catalogues compile-catalogues

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
	find locales -name '*.mo' -delete
