# Two commands do all set-up on a fresh machine:
#   make course   opens the course in JupyterLab
#   make test     runs every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COURSE ?= $(HOME)/alcourse/course
WORKSPACE ?= $(HOME)/alcourse/workspace
# the trainee's JupyterLab settings (alcourse/profile): instructor tools hidden, a start page
PROFILE ?= $(HOME)/alcourse/profile
PORT ?= 8888
HTML_MANAGER := @jupyter-widgets/html-manager@1.0.15
REQUIREJS := requirejs@2.3.8
# axe-core for the accessibility tests (injected into pages by playwright).
AXE := axe-core@4.14.1
CHROMIUM := /usr/bin/chromium
BWRAP := bwrap
# The widget bundle loads its icon fonts relative to the page (under two module paths that
# depend on how require.js resolved it); every widget page lives in book/modules.
FONTS := book/_vendor/extra/book/modules/@jupyter-widgets

.PHONY: setup course test typecheck book lite notebooks lint chromium bubblewrap clean help
help:
	@echo "make course   set up, release the trainee notebooks and open JupyterLab"
	@echo "make test     set up and run every test (installs chromium if root)"
	@echo "make book     build the Jupyter Book into _build/html (with the JupyterLite site)"
	@echo "make lite     build only the JupyterLite site into _build/html/lite"
	@echo "make notebooks  regenerate notebooks and book pages from the content data"
	@echo "a cohort on JupyterHub (as root): .venv/bin/alcourse hub init|start|release|collect|grade|feedback (README)"

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# JupyterLab settings (also used by the JupyterLite site): no news or update checks, and
# arrow keys left to widgets' radio buttons instead of moving between cells.
$(VENV)/share/jupyter/lab/settings/overrides.json: alcourse/publish/overrides.json $(VENV)/.installed
	mkdir -p $(@D) && cp $< $@

# The trainee's JupyterLab runs a module notebook when it opens (alcourse/profile/autorun, a
# JupyterLab plugin built with JupyterLab's extension builder from the npm registry). It does
# nothing unless the page_config asks for it: the trainee profile does, a trainer's does not.
AUTORUN := $(VENV)/share/jupyter/labextensions/@alcourse/autorun
$(AUTORUN)/package.json: alcourse/profile/autorun/package.json alcourse/profile/autorun/index.js \
		alcourse/profile/autorun/schema/plugin.json alcourse/profile/autorun/style/index.css $(VENV)/.installed
	tmp=$$(mktemp -d) && cp -r alcourse/profile/autorun/. $$tmp && cd $$tmp \
		&& npm install --silent --no-audit --no-fund >/dev/null \
		&& PATH=$(CURDIR)/$(BIN):$$PATH jupyter-builder build \
			--core-path $$($(CURDIR)/$(BIN)/python -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging")') . >/dev/null \
		&& rm -rf $(CURDIR)/$(AUTORUN) && mkdir -p $(CURDIR)/$(AUTORUN) && cp -r labextension/. $(CURDIR)/$(AUTORUN)/ \
		&& rm -rf $$tmp

# Widget renderer scripts for the static book, from the npm registry at install
# time so that pages never load them from a CDN.
book/_vendor/.vendored: Makefile
	rm -rf book/_vendor && mkdir -p book/_vendor/static $(FONTS)
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent $(HTML_MANAGER) $(REQUIREJS) >/dev/null \
		&& tar xzf jupyter-widgets-html-manager-*.tgz && cp package/dist/embed-amd.js $(CURDIR)/book/_vendor/static/ \
		&& cp package/dist/*.woff2 package/dist/*.woff package/dist/*.ttf package/dist/*.eot package/dist/*.svg \
			$(CURDIR)/$(FONTS)/ \
		&& mkdir -p $(CURDIR)/$(FONTS)/html-manager/dist && cp $(CURDIR)/$(FONTS)/*.* $(CURDIR)/$(FONTS)/html-manager/dist/ \
		&& rm -rf package && tar xzf requirejs-*.tgz && cp package/require.js $(CURDIR)/book/_vendor/static/require.min.js \
		&& rm -rf $$tmp
	touch $@

# The Pyodide runtime (npm, at the version jupyterlite-pyodide-kernel expects) and the
# wheels the in-browser kernel needs (PyPI), so the JupyterLite site never uses a CDN.
book/_vendor/.lite: book/_vendor/.vendored $(VENV)/.installed alcourse/publish/vendor.py
	$(BIN)/python -m alcourse.publish.vendor book/_vendor/lite
	touch $@

book/_vendor/.axe: book/_vendor/.vendored
	rm -rf book/_vendor/axe && mkdir -p book/_vendor/axe
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent $(AXE) >/dev/null && tar xzf axe-core-*.tgz \
		&& cp package/axe.min.js package/LICENSE $(CURDIR)/book/_vendor/axe/ && rm -rf $$tmp
	touch $@

setup: $(VENV)/.installed $(VENV)/share/jupyter/lab/settings/overrides.json $(AUTORUN)/package.json \
	book/_vendor/.vendored book/_vendor/.lite book/_vendor/.axe bubblewrap

chromium:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian chromium for the browser tests"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else \
		echo "error: the browser tests need Debian's chromium at $(CHROMIUM)."; \
		echo "       Install it with: sudo apt-get install chromium   (then run make test again)"; \
		exit 1; \
	fi

# `alcourse grade` runs each submission's kernel in a bubblewrap sandbox (unprivileged, no network);
# without root it uses user namespaces, as a hub's grader account does.
bubblewrap:
	@if command -v $(BWRAP) >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian bubblewrap to sandbox submissions when grading"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap; \
	else \
		echo "error: grading sandboxes each submission with Debian's bubblewrap ($(BWRAP)), which is missing."; \
		echo "       Install it with: sudo apt-get install bubblewrap   (then run make again)"; \
		exit 1; \
	fi

notebooks: setup
	$(BIN)/alcourse build

course: setup
	$(BIN)/alcourse build --check
	$(BIN)/alcourse course init $(COURSE)
	$(BIN)/alcourse release $(COURSE)
	$(BIN)/alcourse workspace $(COURSE) $(WORKSPACE)
	$(BIN)/python -m alcourse.profile $(PROFILE) >/dev/null
	JUPYTER_CONFIG_DIR=$(PROFILE) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) \
		--ServerApp.root_dir=$(WORKSPACE) $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# One pytest worker per core, at most 4; tests/conftest.py's scheduler keeps each file (and the
# files that share a costly fixture) on one worker. `make test TEST_JOBS=0` runs them in one process.
TEST_JOBS ?= $(shell python3 -c 'import os; print(min(4, len(os.sched_getaffinity(0))))')
test: setup chromium typecheck
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m pytest -n $(TEST_JOBS)

# mypy, strict, over alcourse/ (settings in pyproject.toml)
typecheck: setup
	$(BIN)/mypy

# From a clean _build/html with warnings as errors, pages executed from the cache; skipped
# when nothing it is made from changed (alcourse/publish/bookbuild.py).
book: setup
	$(BIN)/python -m alcourse.publish.bookbuild

lite: setup
	$(BIN)/python -m alcourse.publish.lite

lint: setup
	$(BIN)/ruff check alcourse tests bench

clean:
	rm -rf _build .pytest_cache
