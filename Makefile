# Two commands do all the set-up: `make run` serves the product with demo data, `make test` tests it.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= full
export DEBUG ?= 1

.PHONY: run test test-fast test-browser bench lint venv install install-test messages system-packages

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,browser]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# `make run` also starts the background worker with its scheduler (-B) on the embedded
# filesystem:// broker (folders under var/celery/), beside the web server; both stop together.
# Production runs `celery -A marketplace worker` and one `celery -A marketplace beat` (docs/notices.md).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(VENV)/bin/celery -A marketplace worker -B --pool solo -l info & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/uvicorn marketplace.asgi:application --host $(HOST) --port $(PORT) --ws websockets-sansio

# `make test` first installs what the tests need beyond Python (Chromium and a CJK font, through
# .ci/system-packages: apt-get on Debian-family machines, otherwise it names the command to run).
system-packages:
	@bash .ci/system-packages

test: install-test system-packages
	$(PY) -m pytest

# The edit-test loop: everything but the races, demo loads, transactional-database tests, the
# report cross-check and the browser (markers `slow` and `browser`); `make test` runs them all.
# `pytest --lf` reruns what failed last.
test-fast: install-test
	$(PY) -m pytest -m "not slow and not browser"

test-browser: install-test system-packages
	$(PY) -m pytest tests/browser

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install-test
	$(PY) -m tests.bench.run --scale $(SCALE)

messages: install-test
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore '.venv/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'
