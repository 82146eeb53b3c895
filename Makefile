# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# A local secret key, generated once and kept out of git (.gitignore).
SECRET_KEY_FILE := .secret_key
local_secret = $(shell test -s $(SECRET_KEY_FILE) || $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $(SECRET_KEY_FILE); cat $(SECRET_KEY_FILE))

.PHONY: run test test-tools screenshots page-weight lint format migrations-check install install-dev lock collectstatic bench bench-flood bench-tools bench-search bench-import bench-queue bench-editor bench-editor-tools bench-wordpress bench-wordpress-tools loadtest help

help:
	@echo "make run    - install, migrate, seed demo content and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - lint and run the test suite against DATABASE_URL (SQLite when unset)"
	@echo "make lint | format | migrations-check | lock | bench-search | bench-import | bench-queue"
	@echo "make screenshots - remake the README's pictures (docs/screenshots/)"
	@echo "make page-weight - bytes and requests of the demo post page, cold cache"
	@echo "make bench-flood - reader pages' reads/s and cache hit rate with and without a flood of held comments"
	@echo "make bench  - uncached, app-cached and front-cached pages beside nginx and WordPress (BENCH_ARGS=\"--duration 3\")"
	@echo "make bench-wordpress - the 200-comment post only, in every mode and in WordPress"
	@echo "make bench-editor - count clicks and keystrokes of a new post in WordPress's classic editor"
	@echo "make loadtest - 50 readers through nginx for 3 minutes while a comment a second arrives: PASS/FAIL (LOADTEST_ARGS=\"--duration 20 --baseline-duration 10\")"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pyproject.toml states the ranges the code works with; requirements.lock and
# requirements-dev.lock pin exact versions with hashes (`make lock` remakes them). The
# Docker image and CI (LOCKED=1) install the lock; a developer's `make run` and
# `make test` install from pyproject.toml, so a fresh machine needs nothing else.
ifdef LOCKED
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed
else
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed
endif

# uv (from PyPI, into .venv) resolves for every platform, so one lock serves the
# image, CI and developers alike.
LOCK_ARGS := --universal --generate-hashes --python-version 3.11 -q
lock: | $(BIN)/python
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_ARGS) -o requirements-dev.lock

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: export DEBUG ?= 1
# Without SITE_URL, links (mail, the Site record) name this port; pages follow the request's host.
run: export PORT := $(PORT)
run: export SECRET_KEY ?= $(local_secret)
# The worker (mail, spam re-checks, purges) runs beside the dev server, its queue in
# tasks.sqlite3, and stops with it; mail is printed in this terminal (console backend),
# or written to files with EMAIL_FILE_PATH=folder.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py run_huey & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The Nu HTML checker, from the npm registry; the tests run it on the machine's Java.
VNU_JAR := .tools/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	npm install --prefix .tools --no-save --no-audit --no-fund --silent vnu-jar@26

# Tests run with production settings (DEBUG off, hashed static files), over plain
# HTTP on localhost, hence no HTTPS redirect. SKIP_LINT=1 leaves out ruff (CI lints
# once, then tests on two databases).
test: export SECRET_KEY ?= $(local_secret)
test: export SECURE_SSL_REDIRECT = 0
test: $(if $(SKIP_LINT),,lint) test-tools
	$(BIN)/pytest $(PYTEST_ARGS)

# What the tests need besides the code: dev packages, static files, the HTML checker.
test-tools: install-dev collectstatic $(VNU_JAR)

# Collected again only when a static file or the installed packages change, so two
# test runs side by side (CI) never rewrite the files the other one is serving.
STATIC_MANIFEST := staticfiles/staticfiles.json
$(STATIC_MANIFEST): export SECRET_KEY ?= $(local_secret)
$(STATIC_MANIFEST): $(VENV)/.installed $(shell find static -type f)
	$(BIN)/python manage.py collectstatic --noinput -v 0
collectstatic: $(STATIC_MANIFEST)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Times a WordPress import of a synthetic export (10,000 posts, 100,000 comments by
# default) into DATABASE_URL: point it at a scratch database.
BENCH_IMPORT_ARGS ?=
bench-import: export SECRET_KEY ?= $(local_secret)
bench-import: export BENCH_TOOLS = 1
bench-import: install
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py bench_import $(BENCH_IMPORT_ARGS)

migrations-check: export SECRET_KEY ?= $(local_secret)
migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Benchmarks report figures; they are not tests. They use Postgres. Their commands
# live in the bench app, installed only when BENCH_TOOLS is on (config/settings.py).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/blog_bench
BENCH_DB := $(lastword $(subst /, ,$(BENCH_DATABASE_URL)))

bench-search: export SECRET_KEY ?= $(local_secret)
bench-search: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench-search: export SECURE_SSL_REDIRECT = 0
bench-search: export BENCH_TOOLS = 1
bench-search: install collectstatic
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py bench_search --posts 10000

# The moderation queue's held tab, timed through Django's test client (median, p95).
bench-queue: export SECRET_KEY ?= $(local_secret)
bench-queue: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench-queue: export SECURE_SSL_REDIRECT = 0
bench-queue: export BENCH_TOOLS = 1
bench-queue: install
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py bench_queue $(BENCH_ARGS_QUEUE)

# The site under gunicorn (production settings) loaded by wrk uncached, app-cached and
# through the nginx front cache, beside nginx serving copies of the same pages and
# Debian's WordPress serving the same long post (BENCH_WORDPRESS=0 leaves it out; a
# failed install only leaves it out too); results in bench-results/. BENCH_ARGS passes
# options to bench_site, e.g. BENCH_ARGS="--duration 3 --cache both" (see its --help).
# A full run took 9 minutes on 2 busy cores.
BENCH_ARGS ?= --duration 4
BENCH_WORDPRESS ?= 1
bench: export SECRET_KEY ?= $(local_secret)
bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench: export SECURE_SSL_REDIRECT = 0
bench: export BENCH_TOOLS = 1
bench: install bench-tools collectstatic
	$(if $(filter 1,$(BENCH_WORDPRESS)),-$(MAKE) --no-print-directory bench-wordpress-tools)
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py bench_data
	$(BIN)/python manage.py bench_site $(if $(filter 1,$(BENCH_WORDPRESS)),--with-wordpress) $(BENCH_ARGS)

# The 200-comment post alone: this blog in its three modes, nginx and WordPress.
bench-wordpress: BENCH_ARGS = $(BENCH_WORDPRESS_ARGS)
bench-wordpress: BENCH_WORDPRESS = 1
BENCH_WORDPRESS_ARGS ?= --duration 4 --only long-post
bench-wordpress: bench

# Reader pages' reads/s and page-cache hit rate without and with a flood of held
# comments (one a second, an approval every ten): results in bench-results/flood.md.
# BENCH_FLOOD_ARGS="--duration 10" (see bench_flood --help).
bench-flood: export SECRET_KEY ?= $(local_secret)
bench-flood: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench-flood: export SECURE_SSL_REDIRECT = 0
bench-flood: export BENCH_TOOLS = 1
bench-flood: install bench-tools collectstatic
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py bench_data
	$(BIN)/python manage.py bench_flood $(BENCH_FLOOD_ARGS)

# Issue #16's load test: gunicorn, the Huey worker (queue in Redis) and the shipped nginx
# config in front, 50 readers (wrk) for 3 minutes after a 1-minute baseline, while one
# comment a second arrives through nginx (public, held and spam), with Akismet and mail
# stand-ins that can be made slow (LOADTEST_ARGS="--akismet-delay 3 --smtp-delay 1").
# Reports reads/s, p50/p99, errors, comments sent against stored and mail, with PASS or
# FAIL, in bench-results/loadtest.md; what it adds to the database is removed after.
# Quicker: LOADTEST_ARGS="--duration 20 --baseline-duration 10" (see bench_load --help).
LOADTEST_ARGS ?=
loadtest: export SECRET_KEY ?= $(local_secret)
loadtest: export DATABASE_URL = $(BENCH_DATABASE_URL)
loadtest: export SECURE_SSL_REDIRECT = 0
loadtest: export BENCH_TOOLS = 1
loadtest: install-dev bench-tools collectstatic
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py bench_data
	$(BIN)/python manage.py bench_load $(LOADTEST_ARGS)

# wrk and nginx from Debian, installed once.
bench-tools:
	@if ! command -v wrk >/dev/null || ! PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx; \
	fi

# The author's journey in WordPress's classic editor (Debian's wordpress 6.1), driven by
# chromium: clicks, keystrokes, fields touched and seconds, for comparison with the
# admin. It starts its own MariaDB, PHP-FPM and nginx and stops them when it ends.
# BENCH_EDITOR_ARGS="--screenshots bench-results/editor --runs 3".
BENCH_EDITOR_ARGS ?=
bench-editor: export SECRET_KEY ?= $(local_secret)
bench-editor: export BENCH_TOOLS = 1
bench-editor: install-dev bench-editor-tools
	$(BIN)/python manage.py bench_editor_wordpress $(BENCH_EDITOR_ARGS)

# Debian's packages, installed once. nginx and php-fpm come before wordpress (or apt
# picks Apache and mod_php); policy-rc.d keeps the packages from starting daemons.
# The editor journey needs chromium besides; the reader benchmark does not.
bench-editor-tools: BENCH_BROWSER = chromium
bench-editor-tools bench-wordpress-tools:
	@if [ ! -f /usr/share/wordpress/wp-load.php ] || [ ! -d /usr/share/wordpress/wp-content/themes/twentytwentyone ] \
		|| ! PATH="$$PATH:/usr/sbin" command -v php-fpm8.2 nginx mariadbd $(BENCH_BROWSER) >/dev/null; then \
		created=; if [ ! -e /usr/sbin/policy-rc.d ]; then \
			printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created=1; fi; \
		apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx php-fpm php php-mysql \
			php-xml php-mbstring php-gd mariadb-server $(BENCH_BROWSER) \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordpress wordpress-theme-twentytwentyone; \
		status=$$?; if [ -n "$$created" ]; then rm -f /usr/sbin/policy-rc.d; fi; exit $$status; \
	fi

# The README's pictures (docs/screenshots/), made again from the demo blog in a
# scratch database with Debian's chromium.
screenshots: export DEBUG = 1
screenshots: export SECRET_KEY ?= $(local_secret)
screenshots: export DATABASE_URL = sqlite:///$(CURDIR)/.screenshots.sqlite3
screenshots: export MEDIA_ROOT = $(CURDIR)/.screenshots-media
screenshots: install-dev
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py screenshots

# Lighthouse-style figures of the demo post with the longest discussion: requests and
# bytes (HTML, CSS, JS, images) a cold browser loads, in a scratch database.
page-weight: export DEBUG = 1
page-weight: export SECRET_KEY ?= $(local_secret)
page-weight: export DATABASE_URL = sqlite:///$(CURDIR)/.page-weight.sqlite3
page-weight: export MEDIA_ROOT = $(CURDIR)/.screenshots-media
page-weight: export BENCH_TOOLS = 1
page-weight: install-dev
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py page_weight
