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

.PHONY: run test lint translations system-packages migration bench bench-soak clean unoserver

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

# The web server, with unoserver beside it when LibreOffice is installed (`make system-packages`);
# stopping `make run` (Ctrl-C) stops both.
run: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) seed-reference
	@if [ "$(DEMO)" != "0" ]; then DRAFTING_TODAY=$${DRAFTING_TODAY:-$(DEMO_TODAY)} $(FLASK) seed-demo; fi
	@# unoserver (LibreOffice, when installed) and the background worker (mail, editions) run beside the
	@# web server and stop with it (Ctrl-C).
	@export DRAFTING_TODAY=$${DRAFTING_TODAY:-$(DEMO_TODAY)}; office=""; \
	if command -v soffice >/dev/null 2>&1 && $(SYSTEM_PYTHON) -c 'import uno' 2>/dev/null; then \
	  $(MAKE) --no-print-directory $(OFFICE_STAMP) && mkdir -p instance && \
	  { $(UNOSERVER) >instance/unoserver.log 2>&1 & office=$$!; } && \
	  export UNOSERVER_URL=http://127.0.0.1:$(UNOSERVER_PORT); \
	  echo "LibreOffice (unoserver) on port $(UNOSERVER_PORT), log in instance/unoserver.log"; \
	else \
	  export UNOSERVER_URL=; echo "LibreOffice is not installed: editions get no PDF (make system-packages adds it)"; \
	fi; \
	$(FLASK) worker --workers 2 & worker=$$!; \
	trap 'kill -TERM $$worker $$office 2>/dev/null; wait $$worker $$office 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Browser tests need Debian's chromium; editions need LibreOffice Writer with its Python bridge (run by
# unoserver), the Liberation fonts (metric twins of Times New Roman and Arial, so Word and LibreOffice
# paginate alike), Amiri (the serif Arabic face the editions name for complex script) and poppler-utils
# (pdftotext, for the tests). Installed when missing.
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui python3-uno python3-venv fonts-liberation fonts-hosny-amiri poppler-utils \
	fonts-dejavu-core wrk
system-packages:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test: system-packages $(STAMP) translations $(OFFICE_STAMP)
	DRAFTING_ENV=testing $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the migration after a model change (development only).
migration: $(STAMP)
	$(BIN)/python -m tools.regenerate_migration

bench: $(STAMP)
	$(BIN)/python bench/compile_docx.py

# 50 users for 60 s against gunicorn (4 workers) on the local PostgreSQL server, with the worker.
bench-soak: $(STAMP) translations
	$(BIN)/python bench/soak.py

# Load test on PostgreSQL (BENCH_DB is created and seeded; needs wrk): pages under gunicorn vs a bare endpoint.
BENCH_DB ?= perf_bench
BENCH_N  ?= 10000
bench-load: $(STAMP) system-packages
	$(BIN)/python bench/load.py --database $(BENCH_DB) --n $(BENCH_N)

clean:
	rm -rf $(VENV) instance .pytest_cache
