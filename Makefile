# Relance: `make run` serves the app with demo data, `make test` runs the suite.
# Both set everything up first on a fresh machine (Python venv, npm assets).

VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup run test screenshots clean

$(VENV)/.installed: requirements.txt
	@./bin/find-python > /dev/null
	@test -x $(PY) || $$(./bin/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

run: setup
	DJANGO_DEBUG=on $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=on $(PY) manage.py seed_demo
	DJANGO_DEBUG=on $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	DJANGO_DEBUG=on $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	DJANGO_SETTINGS_MODULE=crm.settings_test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

# The README's and the user guide's screenshots: the French walkthrough, 1280×800.
screenshots: setup
	DJANGO_SETTINGS_MODULE=crm.settings_test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest tests/e2e/test_guide_walkthrough.py -k fr -q

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
