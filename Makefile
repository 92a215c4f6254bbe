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
	@bash scripts/check-system.sh display
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
	$(BIN)/pytest -q --durations=20

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

# --- packaging (PyInstaller; docs/packaging.md). Slow, so not part of `make test`. ---
# dist: the one-folder bundle dist/hotline-desk/ (hotline-desk and hotline side by side).
.PHONY: dist
dist: $(STAMP) compile-catalogues
	@bash packaging/check-dist-system.sh
	@$(BIN)/python -c "import PyInstaller" 2>/dev/null || \
	    $(BIN)/python -m pip install --quiet -e '.[dist]'
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist \
	    --workpath build/pyinstaller packaging/hotline-desk.spec
	@du -sh dist/hotline-desk

# dist-check: the frozen program's --self-check in an empty environment (exit code 0).
.PHONY: dist-check
dist-check: dist
	env -i PATH=/usr/bin:/bin HOME=$$(mktemp -d) QT_QPA_PLATFORM=offscreen \
	    dist/hotline-desk/hotline-desk --self-check
	env -i PATH=/usr/bin:/bin HOME=$$(mktemp -d) dist/hotline-desk/hotline --help >/dev/null
	@echo "dist-check: the frozen hotline-desk and hotline start in a clean environment."

# The user guide's pictures (docs/guide/images/<lang>/), drawn offscreen from the real program.
.PHONY: guide-screenshots
guide-screenshots: $(STAMP) compile-catalogues
	$(BIN)/python scripts/guide_screenshots.py --lang all

# The benchmark suite of issue 10 (docs/performance.md, "Benchmarks"). Builds a demo
# installation of BENCH_CONTACTS calls in BENCH_DIR/data once (about 12 minutes for 1 M),
# reuses it on later runs, and writes the table to BENCH_DIR/results.md.
BENCH_CONTACTS ?= 1000000
BENCH_DIR ?= build/bench
BENCH_RUNS ?= 3
.PHONY: bench
bench: $(STAMP) compile-catalogues
	$(BIN)/hotline --data-dir $(BENCH_DIR)/data bench --contacts $(BENCH_CONTACTS) \
	    --runs $(BENCH_RUNS) $(if $(wildcard $(BENCH_DIR)/data/hotline.db),--reuse) \
	    --output $(BENCH_DIR)/results.md
