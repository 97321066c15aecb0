# vemgörvad — two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
TESTENV := $(VENV)/.test-installed
HOST    ?= 127.0.0.1
PORT    ?= 8000

# Python keeps the bytecode it compiles (__pycache__/, which git ignores) also where the environment says
# PYTHONDONTWRITEBYTECODE: otherwise every pytest run, and every query and gap-check worker it starts, compiles the
# project's modules and rewrites the asserts of the tests and of pytest's plugins afresh, each time.
unexport PYTHONDONTWRITEBYTECODE

LOCK_RUNTIME := requirements/runtime.txt
LOCK_TEST    := requirements/test.txt

.PHONY: lock attack run build serve test test-fast lint browser fonts pdflibs bench fuzz load eval screenshots clean java thesaurus

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every dependency, direct and indirect, is installed from the hash-locked requirements (make lock), never
# resolved afresh: `--require-hashes` refuses any file whose hash is not in the lock, and any dependency of a
# locked package that the lock does not pin (so a lock that misses one fails here, not later). The project itself is
# installed editable with --no-deps (its dependencies are the lock's) and without build isolation (the lock
# holds setuptools, so the build fetches nothing).
# spylls 0.1.7's wheel also installs its own test suite as a top-level package `tests`; this project's
# tests/ is a regular package (tests/__init__.py) found first from the project root, so nothing is deleted.
$(RUNTIME): pyproject.toml $(LOCK_RUNTIME) | $(BIN)/python pdflibs java thesaurus
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK_RUNTIME)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(TESTENV): pyproject.toml $(LOCK_TEST) $(RUNTIME)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK_TEST)
	@touch $@

# After changing a dependency in pyproject.toml: the locks again, from pyproject.toml alone (the runtime
# dependencies, and those with the test extra), with the hashes of every file PyPI has for each version.
# pip-tools is a tool of this target only, never a dependency of the service. tests/test_lock.py fails
# while a lock and pyproject.toml disagree.
PIP_COMPILE := $(BIN)/pip-compile --quiet --allow-unsafe --generate-hashes --strip-extras \
               --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file=$(LOCK_RUNTIME) pyproject.toml requirements/build.in
	$(PIP_COMPILE) --extra=test --output-file=$(LOCK_TEST) pyproject.toml requirements/build.in

build: $(RUNTIME)
	$(BIN)/vemgorvad build

run: build
	$(BIN)/vemgorvad serve --host $(HOST) --port $(PORT)

serve: $(RUNTIME)
	$(BIN)/vemgorvad serve --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "installing Debian chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# What WeasyPrint needs to print the gap report as PDF: Pango (Debian libpango-1.0-0, libpangoft2-1.0-0)
# and a font with Swedish letters (fonts-dejavu-core). Installed only when missing.
pdflibs:
	@{ ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || \
	  { echo "installing Debian Pango and DejaVu fonts for the PDF reports"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

# Java for HermiT, the OWL reasoner owlready2 bundles: every build checks the ontology with its
# vocabularies (README, "What HermiT checks"). Debian's default-jre-headless, installed only when missing.
java:
	@command -v java >/dev/null 2>&1 || \
	  { echo "installing Debian default-jre-headless for the OWL reasoner (HermiT)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      default-jre-headless >/dev/null; }

# The Swedish thesaurus the ask index expands questions with (service/vemgorvad/thesaurus.py): LibreOffice's, made
# from Folkets synonymlexikon (KTH), Debian's mythes-sv (~0.5 MB). Installed only when missing.
thesaurus:
	@test -f /usr/share/mythes/th_sv_SE_v2.dat || \
	  { echo "installing Debian mythes-sv, the Swedish thesaurus, for the ask index"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mythes-sv >/dev/null; }

# A Unicode TTF for the PDFs the gap-check tests make with fpdf2 (Debian fonts-dejavu-core, ~1 MB).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || \
	  { echo "installing Debian fonts-dejavu-core for the PDF tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null; }

# Virtuoso open source, the second real SPARQL store the remote-store tests run against (tests/virtuoso_server.py
# starts it on free loopback ports with its own database folder). Debian's virtuoso-opensource-7-bin holds the
# server and isql; the virtuoso-opensource meta-package would add a system service with a debconf password.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || \
	  { echo "installing Debian virtuoso-opensource-7-bin for the remote-store tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      virtuoso-opensource-7-bin >/dev/null; }

test: $(TESTENV) browser fonts virtuoso lint
	$(BIN)/vemgorvad build --quiet
	$(BIN)/python -m pytest

# The inner loop: every test not marked `slow`. tests/conftest.py marks what runs the command line, builds a
# project copy, starts a browser, or makes a server, app, worker pool or answer index of its own beside the
# session's one embedded service, runs on a remote store, is property-based, or checks whole seed agreements.
# The graph is built first, as `make test` does, so the tests read the graph of the code and data as they are:
# from the build's cache when nothing changed (about 3 s of CPU), every agreement again after a change to the
# package, data/, ontology/, shapes/ or queries/ (README, "Checks": that first build is counted apart).
test-fast: $(TESTENV)
	$(BIN)/vemgorvad build --quiet
	$(BIN)/python -m pytest -m "not slow"

# ruff on everything, mypy on the whole package, strictly (pyproject.toml): `make test` runs it first.
lint: $(TESTENV)
	$(BIN)/ruff check service tests
	$(BIN)/mypy

bench: $(TESTENV)
	$(BIN)/vemgorvad build --quiet
	$(BIN)/python -m tests.bench

# On demand: the fuzzing of `make test`, longer — FUZZ_EXAMPLES generated requests per operation and
# generation mode (schemathesis, tests/test_fuzz_api.py) and FUZZ_SCALE times the examples of the
# ingest/extraction property tests (hypothesis, tests/test_properties_ingest.py).
FUZZ_EXAMPLES ?= 200
FUZZ_SCALE    ?= 5
fuzz: $(TESTENV)
	$(BIN)/vemgorvad build --quiet
	VEMGORVAD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) VEMGORVAD_PROPERTY_SCALE=$(FUZZ_SCALE) \
	  $(BIN)/python -m pytest -q --durations=0 tests/test_fuzz_api.py tests/test_properties_ingest.py

# On demand, not in `make test`: LOAD_CLIENTS (50) users for LOAD_SECONDS (60) s, twice: calm, then beside a
# heavy SPARQL query and a 75 KB gap check; per-endpoint p50/p95/p99 side by side (tests/load/run.py).
load: $(TESTENV)
	$(BIN)/vemgorvad build --quiet
	$(BIN)/python -m tests.load

# Our own figures (tests/eval/): extraction against the annotated units and answers against the
# question bank, development part and leave-one-agreement-out. EVAL_ARGS=--heldout adds the held-out
# part — only when a round of work stops; EVAL_ARGS=--verbose lists the development misses.
EVAL_ARGS ?=
eval: $(TESTENV)
	$(BIN)/python -m tests.eval $(EVAL_ARGS)

# On demand, not in `make test`: synthetic corpora of SCALE_N agreements (default 25, 100 and 300) made from the
# seeds, each built, served and measured in a scratch project outside the checkout (SCALE_DIR), side by side.
SCALE_N ?= 25 100 300
scale: $(TESTENV) virtuoso
	SCALE_N="$(SCALE_N)" $(BIN)/python -m tests.scale

# The pages at a desktop and a phone size, to docs/screenshots/*.png, with axe-core's result of each
# (docs/screenshots/axe.md); Debian's chromium driven by Playwright against `vemgorvad serve`.
screenshots: $(TESTENV) browser
	$(BIN)/vemgorvad build --quiet
	$(BIN)/python -m tests.screenshots

clean:
	rm -rf var .pytest_cache

# On demand: the attack suite (tests/attack/) against `vemgorvad serve` started from this checkout —
# the SERVICE bypasses, slow and huge inputs, bombs, host and header tricks — checking no outbound
# connection, every answer within its limit + 1 s, RSS of server and workers, /health and no 5xx but 503.
attack: $(TESTENV)
	$(BIN)/vemgorvad build --quiet
	$(BIN)/python -m tests.attack
