# Giáo Dục Số — the two commands of the README, and their parts.
#   make run    install, migrate, load the demo district, serve http://127.0.0.1:8000 (SQLite default)
#   make test   lint, types, migrations check, the whole suite on SQLite, then on PostgreSQL if present
#   make bench  benchmarks under bench/

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# PostgreSQL for the second test run: $DATABASE_URL if set, else a local server on the standard port.
PG_TEST_URL ?= $(if $(DATABASE_URL),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/giaoducso)
PYTEST_WORKERS ?= 2

.PHONY: run setup install static migrate seed serve test lint types migrations-check \
        test-sqlite test-postgres browsers bench messages clean

run: setup serve

setup: install static migrate seed

install: $(VENV)/.installed

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

# htmx has no PyPI home: it comes from the npm registry, pinned in package.json, copied to static/vendor.
static: static/vendor/htmx.min.js static/vendor/axe.min.js

static/vendor/htmx.min.js: package.json
	npm install --no-package-lock --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# The accessibility checker that tests/browser/test_accessibility.py injects (no page loads it).
static/vendor/axe.min.js: static/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js static/vendor/axe.min.js

migrate: install
	DEBUG=true $(PY) manage.py migrate --no-input -v 0

# Loads the demo district only into an empty database, so `make run` never overwrites real work.
seed: migrate
	DEBUG=true $(PY) manage.py seed_demo --if-empty

serve:
	DEBUG=true $(PY) manage.py collectstatic --no-input -v 0
	@echo "Giáo Dục Số: http://127.0.0.1:8000  (Ctrl+C to stop; a background worker and the scheduler run beside it)"
	DEBUG=true sh -c '$(PY) manage.py db_worker --queue-name "*" --no-reload -v 0 & \
	  worker=$$!; $(PY) manage.py run_schedule & \
	  scheduler=$$!; trap "kill $$worker $$scheduler 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000'

test: install static lint types migrations-check test-sqlite test-postgres

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: install
	$(BIN)/mypy rules

migrations-check: install
	env -u DATABASE_URL DEBUG=true $(PY) manage.py makemigrations --check --dry-run

browsers:
	@test -x /usr/bin/chromium || (echo "Debian's chromium is missing: apt-get install chromium (see .ci/run)" && exit 1)

test-sqlite: install static browsers
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-postgres: install static browsers
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL: running the suite on $(PG_TEST_URL)"; \
	  DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -q; \
	else echo "PostgreSQL: no server answers; the suite ran on SQLite only."; fi

bench: install
	@for script in bench/[!_]*.py; do echo "== $$script"; DEBUG=true $(PY) $$script || exit 1; done

messages: install
	DEBUG=true $(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3 db.sqlite3-*
