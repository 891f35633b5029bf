# Chorus: `make run` serves the demo, `make test` runs the suite. Nothing else to install
# beyond Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
SANDBOX_PORT ?= 8765
PYTEST_ARGS ?=

.PHONY: messages-app install messages migrate seed run test lint format bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	# tweepy (a peer client for the sandbox's fidelity tests) pins oauthlib<4; its
	# OAuth 2 and bearer paths work with our oauthlib 4, so it comes without its pins.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps tweepy==4.17.0
	touch $@

install: $(VENV)/.installed

messages: install
	$(BIN)/python manage.py compile_catalogs

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: messages seed
	@echo ""
	@echo "  Chorus is starting on http://$(HOST):$(PORT)/  (sandbox network on http://127.0.0.1:$(SANDBOX_PORT)/)"
	@echo "  Sign in as admin@acme.example, curator@acme.example, manager@acme.example or employee1@acme.example"
	@echo "  (or the same at globex.example) with the demo password printed above. Stop with Ctrl+C."
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" CHORUS_HOST=$(HOST) CHORUS_PORT=$(PORT) SANDBOX_PORT=$(SANDBOX_PORT) \
		SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} \
		SANDBOX_URL=http://127.0.0.1:$(SANDBOX_PORT) $(BIN)/honcho start -f Procfile.dev

test: messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh one catalog after changing strings: make messages-app APP=content_library (needs GNU gettext)
messages-app: install
	cd $(if $(filter advocacy,$(APP)),.,$(APP)) && $(CURDIR)/$(BIN)/django-admin makemessages -l id -l en \
		--settings=advocacy.settings --pythonpath=$(CURDIR) --no-obsolete --ignore=migrations/* \
		$(if $(filter advocacy,$(APP)),--ignore=social/* --ignore=content_library/* --ignore=campaigns/* --ignore=analytics/* --ignore=recognition/* --ignore=surveys/* --ignore=tests/* --ignore=bench/* --ignore=.venv/* --ignore=var/*,)

bench: install
	$(BIN)/python -m bench

# README pictures: a scratch demo database, the server and the sandbox, Playwright's Chromium.
# Another checkout: make screenshots SHOTS_ARGS="--root /path/to/worktree --out /some/folder"
SHOTS_ARGS ?=
screenshots: messages
	$(BIN)/python docs/screenshots/take.py $(SHOTS_ARGS)

clean:
	rm -rf $(VENV) var
