# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PROXY ?= 127.0.0.1:8080

WORKERS ?= 4

.PHONY: run serve serve-proxied test test-sqlite test-postgres lint docs docs-check format analyst editor messages screenshots bench loadtest clean

# Without compiling every installed module up front (47 s -> 34 s): Python compiles
# what it imports, when it first imports it.
$(INSTALLED): requirements/base.txt requirements/dev.txt requirements/docs.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -r requirements/dev.txt
	touch $@

# Beside the site: the task runner (bin/with-tasks) and, unless EMAIL_URL names a relay,
# an SMTP server on loopback that prints the followers' mail (bin/with-mail).
run: export SITE_URL ?= http://$(HOST)
run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_articles
	$(BIN)/python manage.py release_dataset --if-changed
	@echo
	@echo "Analyst login: make analyst NAME=yourname   (prints a generated password once)"
	@echo "Editor login (may also publish): make editor NAME=yourname"
	@echo
	bin/with-mail bin/with-tasks $(BIN)/python manage.py runserver $(HOST)

# The suite runs on SQLite and on a throwaway PostgreSQL cluster (bin/with-postgres), the
# two side by side, one per core; each half's output is printed whole when it ends.
test: lint docs-check
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# axe-core for the accessibility test, pinned in package-lock.json: `npm ci` installs that
# exact file into node_modules/ (gitignored), once per change of the lock. Only the half
# that runs the browser tests needs it.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-sqlite: $(INSTALLED) $(AXE)
	$(BIN)/pytest

# The browser tests drive the pages, the same on either database, and the tests that
# touch no database at all are the same anywhere: SQLite's pass runs them. This half
# caches in a throwaway Redis server (bin/with-redis), the other in memory.
test-postgres: $(INSTALLED)
	LOOPWATCH_DATABASE_TESTS_ONLY=1 bin/with-postgres bin/with-redis $(BIN)/pytest -m "not browser and not screenshots"

# Production settings behind gunicorn, static files hashed and compressed by WhiteNoise.
# Loopback has no TLS, so the HTTPS redirect is off unless SECURE_SSL_REDIRECT says otherwise.
serve: export DJANGO_SETTINGS_MODULE = config.settings.prod
serve: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT ?= False
serve: export SITE_URL ?= http://$(HOST)
serve: $(INSTALLED)
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_articles
	$(BIN)/python manage.py release_dataset --if-changed
	bin/with-mail bin/with-tasks \
		$(BIN)/gunicorn config.wsgi --bind $(HOST) --workers $(WORKERS) --access-logfile -

# The same behind nginx (config/proxy/nginx.conf), a shared cache on http://$(PROXY).
serve-proxied: $(INSTALLED)
	PROXY=$(PROXY) UPSTREAM=$(HOST) LOOPWATCH_TRUSTED_PROXIES=1 SITE_URL=http://$(PROXY) \
		bin/with-proxy $(MAKE) --no-print-directory serve

# Style, and the arrows between the rooms (pyproject.toml [tool.importlinter]).
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The documentation site (mkdocs.yml, docs/) on http://127.0.0.1:8001, rebuilt on every save.
# Material for MkDocs prints a notice of its end of life (May 2027) on every build: quieted.
docs docs-check: export NO_MKDOCS_2_WARNING = 1
docs: $(INSTALLED)
	$(BIN)/mkdocs serve -a 127.0.0.1:8001

# Built strictly into a throwaway directory: a broken link or a page left out of the nav fails.
docs-check: $(INSTALLED)
	d=$$(mktemp -d); $(BIN)/mkdocs build --strict --site-dir $$d; s=$$?; rm -rf $$d; exit $$s

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

analyst: $(INSTALLED)
	@test -n "$(NAME)" || (echo "Usage: make analyst NAME=yourname" && exit 2)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py create_analyst $(NAME)

editor: $(INSTALLED)
	@test -n "$(NAME)" || (echo "Usage: make editor NAME=yourname" && exit 2)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py create_analyst --editor $(NAME)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache

# Interface strings: extract into the Simplified Chinese catalogue, then compile it.
# Needs GNU gettext; the compiled .mo is committed, so nothing else does.
messages: $(INSTALLED)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-wrap --no-location --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# The documentation's screenshots, from the article data in headless Chromium; the
# readers' screens at 390 and 1366 px in both languages go to docs/screenshots/readers/.
screenshots: $(INSTALLED)
	$(BIN)/pytest -m screenshots tests/browser/test_screenshots.py tests/browser/test_reader_screenshots.py

# Synthetic data at scale, every hot path measured beside the framework's floor.
# BENCH_SCALE=0.1 for a quick run; EXPLAIN=1 prints the query plans; DB=postgres for a
# throwaway PostgreSQL cluster.
bench: $(INSTALLED)
ifeq ($(DB),postgres)
	bin/with-postgres $(BIN)/python bench/run.py
else
	$(BIN)/python bench/run.py
endif

# A bounded load test of `make serve` on loopback with wrk (apt-get install wrk).
loadtest: $(INSTALLED)
ifeq ($(DB),postgres)
	bin/with-postgres bench/loadtest.sh
else
	bench/loadtest.sh
endif
