# Acompaña: `make run` serves the app; `make test` runs the whole suite (SQLite, then PostgreSQL).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/acompana
PYTEST_ARGS ?=

.PHONY: run test lint messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/acompana serve

test: $(VENV)/.installed-dev
	@echo "== Test suite on SQLite"
	$(PY) -m pytest $(PYTEST_ARGS)
	@if $(PY) -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3').close()" 2>/dev/null; then \
		echo "== Test suite on PostgreSQL (127.0.0.1:5432); database-free slow builds ran above"; \
		DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not slow" $(PYTEST_ARGS); \
	else \
		echo "== SKIPPED the PostgreSQL run: no server answers at 127.0.0.1:5432"; \
		if [ -n "$$REQUIRE_POSTGRES" ]; then echo "REQUIRE_POSTGRES is set: failing."; exit 1; fi; \
	fi

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

# Refresh and compile the translation catalogues after changing user-visible text.
messages: $(VENV)/.installed-dev
	cd acompana && ../$(VENV)/bin/acompana makemessages -l es -l en
	cd acompana && ../$(VENV)/bin/django-admin compilemessages --settings=acompana.settings
