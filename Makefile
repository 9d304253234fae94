# Two commands: `make run` serves the app, `make test` passes the suite. Both set everything up.
# The app's Python: the system's own CPython when it is 3.11 or newer and can make a venv (Debian builds it
# with profile-guided and link-time optimisation: a page costs about a fifth less CPU than on a build
# without them, such as pyenv's default), else the first python3 on the PATH. `make PYTHON=...` chooses
# another.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo /usr/bin/python3 || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000
# The app's links (mail, notifications) point to this port unless BASE_URL says otherwise (drafting/config.py).
export PORT
DEMO   ?= 1
# The demo data runs on 10 February 2018, between the zero draft and the first round.
DEMO_TODAY := $(if $(filter 0,$(DEMO)),,2018-02-10)
FLASK  := $(BIN)/flask --app wsgi
export DRAFTING_ENV ?= development
# LibreOffice runs as one long-running unoserver. Its server side needs LibreOffice's `uno` module, which
# Debian ships for the system Python only (python3-uno): it gets its own small environment.
SYSTEM_PYTHON  ?= /usr/bin/python3
OFFICE_VENV    := .venv-office
OFFICE_STAMP   := $(OFFICE_VENV)/.installed
UNOSERVER_PORT ?= 2003
UNOSERVER_UNO_PORT ?= 2002
UNOSERVER := $(OFFICE_VENV)/bin/unoserver --interface 127.0.0.1 --port $(UNOSERVER_PORT) \
	--uno-port $(UNOSERVER_UNO_PORT) --user-installation $(CURDIR)/instance/libreoffice-profile

# The Nu Html Checker (the W3C validator's engine), run by tests/test_html_validity.py with the machine's Java:
# a pinned vnu-jar from npm, in a git-ignored folder.
VNU_VERSION := 26.9.27
VNU_STAMP   := .node/vnu-jar-$(VNU_VERSION).installed

.PHONY: run test test-fast lint translations system-packages office-packages demo-accounts migration bench bench-soak \
	clean unoserver

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Compiled catalogues are built, not committed.
translations: $(STAMP)
	$(BIN)/pybabel -q compile --use-fuzzy -d drafting/translations

$(OFFICE_STAMP):
	$(SYSTEM_PYTHON) -m venv --system-site-packages $(OFFICE_VENV)
	$(OFFICE_VENV)/bin/python -m pip install --quiet 'unoserver>=3,<4'
	touch $@

# LibreOffice for the editions' PDF and page numbers, in the foreground (production: run it as a service).
unoserver: $(OFFICE_STAMP)
	mkdir -p instance
	$(UNOSERVER)

# What editions need: LibreOffice Writer (either Debian build), its Python bridge and the fonts. Only the
# missing ones are installed, as root with apt-get; otherwise the exact packages and command are named and
# the app runs without PDF editions.
OFFICE_PACKAGES := python3-uno fonts-liberation fonts-dejavu-core
office-packages:
	@missing=""; \
	installed() { dpkg-query -W -f='$${Status}' "$$1" 2>/dev/null | grep -q "ok installed"; }; \
	installed libreoffice-writer-nogui || installed libreoffice-writer || missing="libreoffice-writer-nogui"; \
	for package in $(OFFICE_PACKAGES); do installed $$package || missing="$$missing $$package"; done; \
	missing=$$(echo $$missing); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing what editions need: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	  || echo "Could not install $$missing: editions get no PDF."; \
	else \
	  echo "Editions get no PDF: $$missing not installed. Install with:"; \
	  echo "  sudo apt-get install --no-install-recommends $$missing"; \
	fi

# The web server, with unoserver beside it when LibreOffice is installed (`make office-packages`);
# stopping `make run` (Ctrl-C) stops both.
run: $(STAMP) translations office-packages
	$(FLASK) db upgrade
	$(FLASK) seed-reference
	@if [ "$(DEMO)" != "0" ]; then DRAFTING_TODAY=$${DRAFTING_TODAY:-$(DEMO_TODAY)} $(FLASK) seed-demo; fi
	@# unoserver (LibreOffice, when installed) and the background worker (mail, editions) run beside the
	@# web server and stop with it (Ctrl-C).
	@export DRAFTING_TODAY=$${DRAFTING_TODAY:-$(DEMO_TODAY)}; office=""; \
	if command -v soffice >/dev/null 2>&1 && $(SYSTEM_PYTHON) -c 'import uno' 2>/dev/null; then \
	  $(MAKE) --no-print-directory $(OFFICE_STAMP) && mkdir -p instance && \
	  { $(UNOSERVER) >instance/unoserver.log 2>&1 & office=$$!; } && \
	  export UNOSERVER_URL=http://127.0.0.1:$(UNOSERVER_PORT) UNOSERVER_UNO_PORT=$(UNOSERVER_UNO_PORT) \
	    OFFICE_PYTHON=$(CURDIR)/$(OFFICE_VENV)/bin/python; \
	  echo "LibreOffice (unoserver) on port $(UNOSERVER_PORT), log in instance/unoserver.log"; \
	else \
	  export UNOSERVER_URL=; \
	  command -v soffice >/dev/null 2>&1 || echo "LibreOffice (soffice) is not installed: editions get no PDF."; \
	  $(SYSTEM_PYTHON) -c 'import uno' 2>/dev/null || \
	    echo "LibreOffice's Python bridge (python3-uno, for $(SYSTEM_PYTHON)) is missing: editions get no PDF."; \
	fi; \
	$(FLASK) worker --workers 2 & worker=$$!; \
	trap 'kill -TERM $$worker $$office 2>/dev/null; wait $$worker $$office 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The demo accounts again, with new passwords (seed-demo shows them only when it loads them).
demo-accounts: $(STAMP)
	$(FLASK) demo-accounts

# Browser tests need Debian's chromium; editions need LibreOffice Writer with its Python bridge (run by
# unoserver), the Liberation fonts (metric twins of Times New Roman and Arial, so Word and LibreOffice
# paginate alike), Amiri (the serif Arabic face the editions name for complex script) and poppler-utils
# (pdftotext, for the tests); the HTML check needs Java and npm (any version already on the machine will do).
# Installed when missing.
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui python3-uno python3-venv fonts-liberation fonts-hosny-amiri poppler-utils \
	fonts-dejavu-core wrk
system-packages:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VNU_STAMP):
	npm install --no-audit --no-fund --silent --prefix .node vnu-jar@$(VNU_VERSION)
	touch $@

test: system-packages $(STAMP) translations $(OFFICE_STAMP) $(VNU_STAMP)
	DRAFTING_ENV=testing $(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite without a browser or LibreOffice: needs only the venv and the translations, no apt-get.
test-fast: $(STAMP) translations
	DRAFTING_ENV=testing $(BIN)/python -m pytest -m "not browser and not office" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the migration after a model change (development only).
migration: $(STAMP)
	$(BIN)/python -m tools.regenerate_migration

# An edition compiled into Word (1,000 positions), then prepared with its PDF (300 positions) beside a
# plain soffice conversion of the same file (needs LibreOffice: make system-packages).
bench: $(STAMP) translations $(OFFICE_STAMP)
	$(BIN)/python bench/compile_docx.py
	$(BIN)/python bench/pdf.py

# 50 users for 60 s against gunicorn (4 workers) on the local PostgreSQL server, with the worker.
bench-soak: $(STAMP) translations
	$(BIN)/python bench/soak.py

# Load test on PostgreSQL (BENCH_DB is created and seeded; needs wrk): pages under gunicorn vs a bare endpoint.
BENCH_DB ?= perf_bench
BENCH_N  ?= 10000
bench-load: $(STAMP) system-packages
	$(BIN)/python bench/load.py --database $(BENCH_DB) --n $(BENCH_N)

clean:
	rm -rf $(VENV) instance .pytest_cache .node
