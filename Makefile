# Two commands: `make run` serves the app, `make test` passes the suite. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000
DEMO   ?= 1
# The demo data runs on 10 February 2018, between the zero draft and the first round.
DEMO_TODAY := $(if $(filter 0,$(DEMO)),,2018-02-10)
FLASK  := $(BIN)/flask --app wsgi
export DRAFTING_ENV ?= development

.PHONY: run test lint translations system-packages migration bench bench-soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Compiled catalogues are built, not committed.
translations: $(STAMP)
	$(BIN)/pybabel -q compile --use-fuzzy -d drafting/translations

run: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) seed-reference
	@if [ "$(DEMO)" != "0" ]; then DRAFTING_TODAY=$${DRAFTING_TODAY:-$(DEMO_TODAY)} $(FLASK) seed-demo; fi
	@# The background worker (mail, editions) runs beside the web server and stops with it (Ctrl-C).
	@export DRAFTING_TODAY=$${DRAFTING_TODAY:-$(DEMO_TODAY)}; \
	$(FLASK) worker --workers 2 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Browser tests need Debian's chromium; document tests need LibreOffice Writer. Installed when missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	[ -e /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing fonts-dejavu-core; \
	fi

test: $(STAMP) translations system-packages
	DRAFTING_ENV=testing $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the migration after a model change (development only).
migration: $(STAMP)
	$(BIN)/python -m tests.tools.regenerate_migration

bench: $(STAMP)
	$(BIN)/python bench/compile_docx.py

# 50 users for 60 s against gunicorn (4 workers) on the local PostgreSQL server, with the worker.
bench-soak: $(STAMP) translations
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) instance .pytest_cache
