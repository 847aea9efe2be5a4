# Relance: `make run` serves the app with demo data, `make test` runs the suite.
# Both set everything up first on a fresh machine (Python venv, npm assets).

VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# make run PORT=8100 serves there; the links in e-mails and the calendar feed follow.
PORT ?= 8000

.PHONY: setup setup-dev run test lint screenshots clean

# requirements.txt is what production runs; requirements-dev.txt adds the tests' tools.
$(VENV)/.installed: requirements.txt
	@./bin/find-python > /dev/null || exit 1
	@test -x $(PY) || $$(./bin/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm > /dev/null || { echo "npm not found: install Node.js and npm (apt-get install npm)." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

setup-dev: setup $(VENV)/.installed-dev

RUN_ENV = DJANGO_DEBUG=on SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

# compilemessages works without GNU gettext (crm/management/commands/compilemessages.py).
run: setup
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	@# A background worker (imports, exports, webhooks) beside the server; stopped with it.
	$(RUN_ENV) $(PY) manage.py db_worker --no-reload -v 0 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup-dev
	DJANGO_SETTINGS_MODULE=crm.settings_test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

# The README's and the user guide's screenshots: the French walkthrough, 1280×800.
screenshots: setup-dev
	DJANGO_SETTINGS_MODULE=crm.settings_test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest tests/e2e/test_guide_walkthrough.py -k fr -q

lint: setup-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

# Benchmark (README "Performance"): make bench SCALE=S|M|L DB=sqlite|postgres
# loads the data set once per scale and database (seed_bench), then times the
# pages in process and the imports; make bench-http serves the same database
# with gunicorn on 127.0.0.1 and loads it with wrk. BENCH_ARGS go to run_bench.
SCALE ?= S
DB ?= sqlite
BENCH_ARGS ?=
BENCH_NAME = relance_bench_$(shell echo '$(SCALE)' | tr 'A-Z' 'a-z')
ifeq ($(DB),postgres)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_NAME)
else
BENCH_DATABASE_URL ?= sqlite:////tmp/$(BENCH_NAME).sqlite3
endif
BENCH_ENV = DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=$(BENCH_DATABASE_URL)

.PHONY: bench bench-http

define bench_data
	DJANGO_SETTINGS_MODULE=crm.settings_test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(BENCH_ENV) $(PY) -m bench.ensure_db
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v 0
	$(BENCH_ENV) $(PY) manage.py seed_bench --scale $(SCALE) --if-needed
endef

bench: setup-dev
	$(bench_data)
	$(BENCH_ENV) $(PY) manage.py run_bench --scale $(SCALE) $(BENCH_ARGS)

bench-http: setup-dev
	$(bench_data)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.http_run --scale $(SCALE)
