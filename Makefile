# Set-up and the main jobs. `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui fonts-dejavu-core antiword

.PHONY: install system-deps demo test bench clean

install: $(STAMP)

# System packages: Chromium for browser tests, LibreOffice for legacy .doc and for test fixtures.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,server,web,cluster]'
	touch $(STAMP)

# The main job on the bundled corpus: extract, build the graph, answer the stale question, draw the map.
demo: install
	$(BIN)/kg extract examples/corpus/003_37ff60af79915060.txt
	$(BIN)/kg ingest --store kg-store examples/corpus
	$(BIN)/kg stats --store kg-store
	$(BIN)/kg stale --store kg-store
	$(BIN)/kg map --store kg-store --out kg-map.html

test: install
	$(BIN)/ruff check --quiet .
	$(BIN)/pytest -q

# make bench [SECTIONS="queries web"] [SIZES="1000 10000 100000"] [STORE_DIR=/path: stores kept and reused]
bench: install
	KG_BENCH_SIZES="$(SIZES)" KG_BENCH_STORE_DIR="$(STORE_DIR)" $(BIN)/python -m bench.run $(SECTIONS)

clean:
	rm -rf $(VENV) kg-store .pytest_cache build *.egg-info
