# Parchemin — the two commands of the README contract: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_BASE := $(VENV)/.installed-base
STAMP_DEV := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails, exports and the printed demo address follow the served address
# (`make run PORT=8011` links to port 8011) unless SITE_URL is set.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install lint typecheck demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_BASE): requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(STAMP_DEV): requirements/dev.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@ $(STAMP_BASE)

install: $(STAMP_BASE)

## make run: set everything up, load RS5142 and the demo, serve on http://$(HOST):$(PORT) with the
## background worker beside the server (parchemin issuance, jury planning), stopped with it
run: $(STAMP_BASE)
	$(BIN)/python manage.py migrate --no-input
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py demo
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: $(STAMP_BASE)
	$(BIN)/python manage.py migrate --no-input
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py demo

## make test: install test tools, run the whole suite (browser tests run when a Chromium is found)
test: $(STAMP_DEV)
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-2} --dist worksteal --durations=25 $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "Aucun test n'a été collecté : échec."; exit 1; fi; exit $$status

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP_DEV)
	$(BIN)/mypy parchemin

clean:
	rm -rf $(VENV) var
