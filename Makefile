# The two commands a newcomer needs: `make run` and `make test` (see README).
# Everything else here is a step they run for you.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
CACHE_DIR ?= $(HOME)/.cache/migrant-assistant
# The model is named by a hash of what it is trained from, so it is retrained
# only when the config, domain, training data or custom component changed.
TRAINING_FILES := bot/config.yml bot/domain.yml nlu_components/known_words.py $(shell find bot/data -type f -name '*.yml' | LC_ALL=C sort)
MODEL_HASH = $(shell cat $(TRAINING_FILES) | sha256sum | cut -c1-16)
MODEL = bot/models/$(MODEL_HASH).tar.gz
CONTENT := knowledge/rights-outline.yaml $(wildcard knowledge/content/*.yaml)
CATALOGS := $(wildcard locales/*/LC_MESSAGES/*.po)
export RASA_TELEMETRY_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run test setup venv catalogs knowledge directory model browser bench eval lint check-catalogs clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: setup ## Set everything up and serve the assistant on http://127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT) (the model loads in ~20 s; GET /health says when it is ready)"
	MODEL_PATH=$(MODEL) $(VENV)/bin/uvicorn api.main:app --host 127.0.0.1 --port $(PORT) --ws wsproto --no-access-log

test: setup browser ## Set everything up and run the tests
	MODEL_PATH=$(MODEL) $(VENV)/bin/pytest

setup: venv catalogs knowledge directory model ## Virtual environment, catalogs, databases, trained model
	@if [ -f var/.setup-started ]; then \
	  echo "setup took $$(( $$(date +%s) - $$(cat var/.setup-started) )) s"; rm -f var/.setup-started; fi

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml .python-version
	@mkdir -p var && [ -f var/.setup-started ] || date +%s > var/.setup-started
	@echo "==> Python $(PYTHON_VERSION) virtual environment in $(VENV) (first time: a few minutes)"
	@python="$$(command -v pyenv >/dev/null && pyenv root)/versions/$(PYTHON_VERSION)/bin/python"; \
	  if [ ! -x "$$python" ] && command -v pyenv >/dev/null; then pyenv install -s $(PYTHON_VERSION); fi; \
	  if [ ! -x "$$python" ]; then python="$$(command -v python3.10)"; fi; \
	  if [ -z "$$python" ]; then echo "Python $(PYTHON_VERSION) not found: install it with pyenv" >&2; exit 1; fi; \
	  [ -x $(PY) ] || "$$python" -m venv $(VENV)
	$(PY) -m pip install --progress-bar on -r requirements.lock
	$(PY) -m pip install --no-deps --no-build-isolation -q -e .
	@touch $@

catalogs: $(CATALOGS:.po=.mo) ## Compile the message catalogs
locales/%.mo: locales/%.po | venv
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

check-catalogs: venv ## Extract strings from the code, merge them into the catalogs, check none is missing
	$(VENV)/bin/pybabel -q extract -F pyproject.toml -c TRANSLATORS: --no-location --sort-output \
	  --project=migrant-assistant --version=0.1 -o locales/messages.pot actions api locales directory
	$(VENV)/bin/pybabel -q update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel -q extract -F locales/console.cfg -k staff_ -c TRANSLATORS: --no-location --sort-output \
	  --project=migrant-assistant --version=0.1 -o locales/console.pot api knowledge directory
	$(VENV)/bin/pybabel -q update -D console -i locales/console.pot -d locales --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pytest -q tests/test_catalogs.py

knowledge: var/knowledge.db ## Build the knowledge database, or bring in changed content files (keeps editors' edits)
var/knowledge.db: $(CONTENT) $(wildcard knowledge/*.py) | venv
	@echo "==> Knowledge database"
	$(PY) -m knowledge.build --db $@
	@touch $@

directory: | venv ## Create the help directory database (never overwrites editors' changes)
	$(PY) -m directory.seed --db var/directory.db

model: $(MODEL) ## Train the Rasa model (only when its training data changed)
$(MODEL): | venv
	@mkdir -p bot/models $(CACHE_DIR)/models
	@if [ -f $(CACHE_DIR)/models/$(MODEL_HASH).tar.gz ]; then \
	  echo "==> Model $(MODEL_HASH) from cache"; cp $(CACHE_DIR)/models/$(MODEL_HASH).tar.gz $@; \
	else \
	  echo "==> Training the Rasa model $(MODEL_HASH) (about 2 minutes)"; start=$$(date +%s); \
	  cd bot && ../$(VENV)/bin/rasa train --quiet --fixed-model-name $(MODEL_HASH) --out models && cd .. && \
	  echo "trained in $$(( $$(date +%s) - start )) s" && cp $@ $(CACHE_DIR)/models/; \
	fi

browser: ## Headless Chromium and its driver for the page tests (Debian packages)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { echo "==> Installing chromium and chromium-driver"; \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -q && \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q chromium chromium-driver; }

bench: setup ## Compare our server with the classic Rasa deployment (prints a table)
	MODEL_PATH=$(MODEL) $(PY) -m tests.bench.run

eval: setup ## Topic accuracy per language on the held-out questions (DEV=1: development ones); danger detection; reading grade
	$(PY) -m tests.eval_retrieval $(if $(DEV),--dev)
	$(PY) -m tests.eval_danger
	$(PY) -m knowledge.readability

lint: venv ## Ruff
	$(VENV)/bin/ruff check .

clean: ## Remove built files (keeps var/: conversations and the edited knowledge base)
	rm -rf bot/models bot/.rasa locales/*/LC_MESSAGES/*.mo
