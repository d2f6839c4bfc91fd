# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format analyst fixtures clean

$(INSTALLED): requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddata markets sellers
	@echo
	@echo "Analyst login: make analyst NAME=yourname   (prints a generated password once)"
	@echo
	$(BIN)/python manage.py runserver $(HOST)

test: $(INSTALLED) lint
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

analyst: $(INSTALLED)
	@test -n "$(NAME)" || (echo "Usage: make analyst NAME=yourname" && exit 2)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py create_analyst $(NAME)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
