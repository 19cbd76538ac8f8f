# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := INBEELD_DEMO=1
TEST_WORKERS ?= 2

.PHONY: run test setup system-packages lint types messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

## make run: set everything up, load the demo network, start the task worker (which runs the radar
## at once) and serve http://127.0.0.1:8000; Ctrl+C stops both
run: $(STAMP) messages
	mkdir -p "$${INBEELD_VAR_DIR:-var}/static"
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py radar_run --enqueue
	@log="$${INBEELD_VAR_DIR:-var}/worker.log"; \
	echo "Task worker started; its output (the radar run, digest e-mails) goes to $$log"; \
	$(DEMO_ENV) $(BIN)/python manage.py db_worker --no-startup-delay >>"$$log" 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Debian packages the suite needs: chromium for the browser journeys, gettext to check the catalogue,
# Pango and a font for WeasyPrint's PDFs.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	dpkg -s libpango-1.0-0 >/dev/null 2>&1 || missing="$$missing libpango-1.0-0"; \
	dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing="$$missing libpangoft2-1.0-0"; \
	dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing$$missing from Debian"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The suite needs Debian's$$missing: sudo apt-get install$$missing"; exit 1; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy inbeeld e2e bench conftest.py

# The compiled catalogues are committed; recompile when gettext is there (a test checks they match).
messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then DJANGO_SETTINGS_MODULE=inbeeld.test_settings $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

## make test: lint, types, the unit/integration suite and the browser journeys
test: $(STAMP) system-packages messages lint types
	$(BIN)/pytest -n $(TEST_WORKERS) -p no:cacheprovider

## make bench: figures for the person register on a throw-away database (see bench/README.md)
bench: $(STAMP)
	$(BIN)/python -m bench.run

## make bench-care: 100,000 persons and 5,000,000 contacts on PostgreSQL (INBEELD_DATABASE_URL), the person
## page and quick-contact POSTs under gunicorn + wrk; pass options with BENCH_ARGS="--keep …"
.PHONY: bench-care
bench-care: $(STAMP)
	$(BIN)/python -m bench.care $(BENCH_ARGS)

## make bench-radar: the radar's daily run and first page at 100,000 persons / 5,000,000 contacts on
## PostgreSQL (INBEELD_DATABASE_URL), with the same statements timed in psql; options via BENCH_ARGS
.PHONY: bench-radar
bench-radar: $(STAMP)
	$(BIN)/python -m bench.radar $(BENCH_ARGS)

## make bench-reports: the monitoring report over ten years (compute_report and the council's PDF) at
## 100,000 persons / 5,000,000 contacts on PostgreSQL (INBEELD_DATABASE_URL); options via BENCH_ARGS
.PHONY: bench-reports
bench-reports: $(STAMP)
	$(BIN)/python -m bench.reports $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
