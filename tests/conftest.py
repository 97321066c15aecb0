"""Shared fixtures: the built graph (built once per session if missing), the embedded store, and a
test client on the app. Tests that need a fresh or broken build make their own in tmp_path."""
from __future__ import annotations

import functools
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

#: Starlette's TestClient sends `Host: testserver`; servers started by tests listen on loopback,
#: whose names are always allowed.
os.environ.setdefault("VEMGORVAD_ALLOWED_HOSTS", "testserver")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# the `template` and `home` fixtures: a built throw-away copy of the project (project_copy.py);
# `listener`, a loopback port that counts connections (listener.py)
pytest_plugins = ["project_copy", "browser", "listener"]

#: Fixtures that build a copy of the project, start a browser or a second server, or run the gap
#: check or the SHACL engines on whole seed agreements: a test that uses one is `slow`, and
#: `make test-fast` (-m "not slow") leaves it out.
SLOW_FIXTURES = {"template", "home", "browser", "page", "base_url", "sized", "remote_store", "remote", "corpus",
                 "seed_reports", "text_reports", "agreements"}
#: A test parametrised over the stores runs on a remote one (an Oxigraph or Virtuoso server), or with the
#: Oxigraph engine process evaluating /sparql, only in the full run.
REMOTE_STORES = {"remote", "virtuoso", "engine"}


#: What makes a service of its own instead of the session's (the `app`, `client` and `ask_engine`
#: fixtures below, and shared_service("embedded", build_dir) with no overrides): an app with other
#: settings, a server, a query or worker pool, or an answer index — each starts worker processes or
#: builds what the session's service has already built (tens of seconds on a loaded machine).
OWN_SERVICE = (r"\bcreate_app\(|\bLiveService\(|\bQueryPool\(|\bProcessPool\(|\bAskEngine\(|"
               r"\bshared_service\([^)]*\b\w+=|"
               # a SPARQL runtime of its own starts its own query workers (2 s of CPU each on a loaded machine);
               # a store loaded from a build or dump of its own holds a second copy of the whole graph
               r"\bSparqlRuntime\(|\bEmbeddedStore\.from_(?:build|dump)\(")

#: What a test (or a helper function of its module that it calls) does when it starts a process: the
#: command line, a build, a server, a browser, gap-check workers of its own. Such a test is `slow` too,
#: and so is one that reads a whole seed agreement through extraction or the gap check (seed_text) or
#: validates the whole built graph with SHACL (validate_sparql): a minute each on a loaded machine.
STARTS_A_PROCESS = re.compile(r"\bsubprocess\.|\brun_cli\(|\bServer\(|\bPopen\(|\bshared_oxigraph\(|"
                              r"\bshared_virtuoso\(|\bsync_playwright\b|\bCheckService\(|"
                              r"\bseed_text\(|\bvalidate_sparql\(|" + OWN_SERVICE)


#: A test that generates its inputs from a seeded random source (hundreds of random strings, graphs or
#: threads' workloads compared against a reference): property-based like the hypothesis runs, and slow.
GENERATED = re.compile(r"\brandom\.Random\(")


def _process_helpers(module) -> set[str]:
    """Names of the module's own functions whose source starts a process."""
    found = set()
    for name, value in vars(module).items():
        if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("test_"):
            try:
                if STARTS_A_PROCESS.search(inspect.getsource(value)):
                    found.add(name)
            except (OSError, TypeError):
                pass
    return found


@functools.cache
def _source(function) -> str:
    """The function's source, read once per collection: each parametrised case and each test that uses
    a fixture asks again (getsource tokenises the function every time)."""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _starts_a_process(item, helpers: dict) -> bool:
    """The test, a helper of its module that it calls, or a fixture of its module that it uses
    (directly or through another fixture) starts a process."""
    module = item.module
    if module.__name__ not in helpers:
        helpers[module.__name__] = _process_helpers(module)
    own_fixtures = [d.func for name in item.fixturenames for d in item._fixtureinfo.name2fixturedefs.get(name, ())
                    if getattr(d.func, "__module__", None) == module.__name__]
    for source in [_source(item.function)] + [_source(f) for f in own_fixtures]:
        calls = {name for name in helpers[module.__name__] if re.search(rf"\b{re.escape(name)}\(", source)}
        if calls or STARTS_A_PROCESS.search(source):
            return True
    return False


def pytest_collection_modifyitems(config, items):
    helpers: dict = {}
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        params = getattr(item, "callspec", None)
        remote = params is not None and any(
            isinstance(value, str) and value in REMOTE_STORES for value in params.params.values())
        property_based = (hasattr(item.function, "hypothesis")     # hypothesis and schemathesis runs, and
                          or GENERATED.search(_source(item.function)) is not None)  # their seeded kin
        if remote or property_based or SLOW_FIXTURES & set(item.fixturenames) or _starts_a_process(item, helpers):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def build_dir() -> Path:
    current = ROOT / "var" / "current"
    # a build by a version that wrote no peers.json (the gap check's peer statistics) is rebuilt too
    if not (current / "dataset.nq").exists() or not (current / "peers.json").exists() or _stale(current):
        subprocess.run([sys.executable, "-m", "vemgorvad.cli", "build", "--quiet"], check=True, cwd=ROOT)
    return current.resolve()


def _stale(current: Path) -> bool:
    """The graph was built from other data than data/ holds now (`vemgorvad serve` would refuse it)."""
    import json

    from vemgorvad.datastore import stale_reason
    try:
        return stale_reason(json.loads((current / "manifest.json").read_text(encoding="utf-8"))) is not None
    except (OSError, ValueError):
        return True


@pytest.fixture(scope="session")
def embedded_store(build_dir):
    from oxigraph_server import shared_store
    return shared_store(build_dir)


@pytest.fixture(scope="session")
def app(build_dir, embedded_store):
    """The session's service: the app of the embedded live service (shared_service), so the test
    client, every test over HTTP on the embedded store and the answer index share one store, one
    query-worker pool, one gap-check pool and one index."""
    from oxigraph_server import shared_service
    return shared_service("embedded", build_dir).app


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def ask_engine(app):
    """The session's answer engine: the one the session's service answers /api/ask with."""
    return app.state.vg.served.ask_engine()


@pytest.fixture(scope="session")
def font():
    """A Unicode TTF for the PDFs tests make with fpdf2 (Debian fonts-dejavu-core, `make test`)."""
    from checkutil import unicode_font
    path = unicode_font()
    if path is None:
        pytest.fail("no Unicode TTF font for fpdf2: install Debian fonts-dejavu-core (`make test` does)")
    return path
