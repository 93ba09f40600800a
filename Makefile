# Two commands do everything on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := -n -W --keep-going
EDITIONS := practice assessment instructor

.PHONY: book editions test lint unit browser-deps bench handouts dist minify clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $(STAMP)

## make book: install the pinned dependencies and build the practice edition
book: $(STAMP)
	$(BIN)/jb build . $(JB_FLAGS)
	@echo "Open the book: $(CURDIR)/_build/html/index.html"

## make editions: practice, assessment and instructor side by side in _build/editions/
editions: $(STAMP)
	@for e in $(EDITIONS); do \
	  echo "== $$e edition"; \
	  SOURCEWORK_EDITION=$$e $(BIN)/jb build . $(JB_FLAGS) --path-output _build/editions/$$e || exit 1; \
	  echo "   $(CURDIR)/_build/editions/$$e/_build/html/index.html"; \
	done

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## browser-deps: Debian's Chromium and Java (root only; skipped when present), axe-core, html_codesniffer and
## vnu-jar (the Nu HTML checker, run by Java) from npm
browser-deps: node_modules/.installed
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium poppler-utils; \
	  else echo "Install Debian's chromium and poppler-utils (as root) first."; exit 1; fi; }
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq poppler-utils; }
	@command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless; \
	  else echo "Install Debian's default-jre-headless (as root) first: the Nu HTML checker needs Java."; exit 1; fi; }

## make minify: after changing a script in src/sourcework/static, rewrite its committed esbuild copy in static/min/
minify: $(STAMP) node_modules/.installed
	$(BIN)/python -c 'from sourcework.sphinx_ext.assets import main; main()'

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

## make test: lint, type check, and every test (unit, golden, build, browser)
test: $(STAMP) browser-deps lint editions
	$(BIN)/pytest -q

bench: $(STAMP) browser-deps
	$(BIN)/python benchmarks/run_all.py

## make handouts: a PDF per exercise set, an instructor key and the organizers (_build/handouts/organizers/) in
## _build/handouts/ (headless Chromium)
handouts: $(STAMP) browser-deps
	$(BIN)/sourcework handouts --all --organizers --out _build/handouts

## make dist: the bundles a teacher downloads once, in dist/: sourcework-<version>-practice.zip, -assessment.zip and
## -instructor.zip (edition, handouts, answer key, QTI, START-HERE.html), and SHA256SUMS (README, "For teachers")
dist: editions handouts
	$(BIN)/sourcework dist --out $(CURDIR)/dist

clean:
	rm -rf _build .jupyter_cache test-artifacts dist
