# Two commands do all the set-up on a fresh machine:
#   make run    install, migrate the embedded SQLite database, load demo data, serve http://127.0.0.1:8000
#   make test   install (with Chromium for the browser tests) and run the whole test suite
# DATABASE_URL and REDIS_URL from the environment are honoured (CI sets PostgreSQL and Redis).

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
# The schema shows PostgreSQL's integer ranges; no connection is made to generate it.
SCHEMA_ENV := DEBUG=0 SECRET_KEY=schema DATABASE_URL=postgres://schema@127.0.0.1:1/schema
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret ALLOWED_HOSTS=localhost,127.0.0.1,testserver SECURE_COOKIES=0

.PHONY: run test lint schema install messages chromium clean bench bench-rush bench-scan bench-stats

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(INSTALLED) $(NODE_INSTALLED) messages

messages: $(INSTALLED)
	@command -v msgfmt >/dev/null || (apt-get update && apt-get install -y --no-install-recommends gettext)
	cd $(CURDIR) && DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py load_demo_tickets
	DEBUG=1 $(BIN)/python manage.py load_demo_visits
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install chromium
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(TEST_ENV) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py makemessages -l da -l sv -l de -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench -v0
	git diff -I'POT-Creation-Date' -I'^#: ' --exit-code -- locale || (echo "locale/ is stale: run makemessages and translate" && exit 1)
	$(SCHEMA_ENV) $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /tmp/openapi-current.yaml
	diff -u docs/openapi.yaml /tmp/openapi-current.yaml || (echo "docs/openapi.yaml is stale: run make schema" && exit 1)

schema: install
	$(SCHEMA_ENV) $(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

bench-rush: install
	$(BIN)/python bench/rush.py

bench-scan: install
	$(BIN)/python bench/scan.py

bench-stats: install
	$(BIN)/python bench/stats.py

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 media
