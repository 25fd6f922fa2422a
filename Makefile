# Two commands matter: `make run` (install, prepare, serve on http://127.0.0.1:8000/) and
# `make test` (install, run the whole suite). Installs are skipped when pyproject.toml is unchanged.

PYTHON ?= $(shell command -v python3.13 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test coverage lint format serve bench loadtest install install-dev clean diagram-css readme-diagrams editor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The site runs production settings unless development is asked for; these targets ask.
run bench: export DJANGO_DEBUG = 1

# Each server first checks that its port is free, before it changes anything (check-port.py):
# as late as it can, after the content check (which changes nothing and takes the longest), so
# that a second `make run` started meanwhile is less likely to find the port still free.
run: install
	$(BIN)/python manage.py checkcontent
	$(BIN)/python scripts/check-port.py '$(HOST)' '$(PORT)' run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/python -m pytest -n 2

# The whole suite again, measuring which lines of learn/ it runs (configured in pyproject.toml).
coverage: install-dev
	$(BIN)/python -m pytest -n 2 --cov --cov-report=term

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The signing key for `make serve`: random, made once and kept (git-ignored), so sessions and
# the progress in them survive restarts.
.secret_key:
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp
	mv $@.tmp $@

# Production-like: DEBUG off, gunicorn, whitenoise serving collected, compressed static files.
# Plain HTTP on loopback, so no HTTPS redirect and no secure-only cookies.
serve: install .secret_key
	$(BIN)/python scripts/check-port.py '$(HOST)' '$(PORT)' serve
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret_key)} \
	  DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 sh -c '\
	  $(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py createcachetable && \
	  $(BIN)/python manage.py checkcontent && \
	  $(BIN)/gunicorn learn.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -'

# The site's stylesheet for pod diagrams is generated from learn/podspec/svg.py.
diagram-css: install
	$(BIN)/python -c "from learn.podspec.svg import site_css; print(site_css(), end='')" > static/css/pod-diagram.css

# The README's example pictures.
readme-diagrams: install
	for name in logging-sidecar init-native-sidecar broken; do \
	  $(BIN)/python -m learn.podspec diagram learn/podspec/examples/$$name.yaml -o static/examples/$$name.png; \
	done
	$(BIN)/python -m learn.podspec diagram deploy/deployment.yaml -o static/examples/site-pod.png

clean:
	rm -rf $(VENV) staticfiles

# Performance figures, each against a peer measured in the same run.
bench: install-dev
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python -m learn.bench

# A bounded load test of the production-like server, on loopback only (not part of `make test`):
# SQLite, and PostgreSQL too when DATABASE_URL names one (`scripts/with-postgres.sh make loadtest`).
loadtest: install
	$(BIN)/python -m learn.loadtest

# The editor's bundle (static/vendor/codemirror/), rebuilt from frontend/ with the locked CodeMirror
# packages. Needs Node and npm; the bundle is committed, so `make run` and `make test` never need them.
editor:
	cd frontend && npm ci --no-audit --no-fund && node build.mjs
