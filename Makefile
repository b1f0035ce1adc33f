# Dossier — two commands on a fresh Debian machine:
#   make run    install what is missing, migrate, seed demo data, serve on http://127.0.0.1:8000
#   make test   install what is missing, run the whole suite
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
DOSSIER := $(VENV)/bin/dossier
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils qpdf \
	libreoffice-writer-nogui chromium fontconfig fonts-liberation2

.PHONY: run test bench lint setup system-deps fonts serve clean-db samples

setup: system-deps $(VENV)/.installed fonts

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null && fc-cache -f >/dev/null; \
	  else echo "missing system packages (run as root or install them): $$missing"; exit 1; fi; \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $@

fonts: $(VENV)/.installed
	@$(DOSSIER) fonts build >/dev/null 2>&1 || true

run: setup
	@$(DOSSIER) db upgrade
	@$(DOSSIER) demo seed --if-empty
	@$(DOSSIER) demo credentials
	@$(DOSSIER) serve --host $(HOST) --port $(PORT)

# The suite runs in TEST_JOBS processes (pytest-xdist), each taking whole test files: it is
# CPU-bound (page layout) and CI's machine has two cores. TEST_JOBS=0 runs it in this process.
TEST_JOBS ?= 2

test: setup
	@$(PY) -m pytest $(if $(filter 0,$(TEST_JOBS)),,-n $(TEST_JOBS) --dist loadfile) $(PYTEST_ARGS)

bench: setup
	@$(PY) -m bench

lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/mypy
	@$(VENV)/bin/lint-imports --no-cache

clean-db:
	rm -rf var/dossier.db var/dossier.db-wal var/dossier.db-shm var/dossier.db-writer.lock

samples: setup
	@$(PY) tools/make_samples.py $(SAMPLES_ARGS)
