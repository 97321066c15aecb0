"""Shared fixtures: the built graph (built once per session if missing), the embedded store, and a
test client on the app. Tests that need a fresh or broken build make their own in tmp_path."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# the `template` and `home` fixtures: a built throw-away copy of the project (project_copy.py)
pytest_plugins = ["project_copy", "browser"]


@pytest.fixture(scope="session")
def build_dir() -> Path:
    current = ROOT / "var" / "current"
    if not (current / "dataset.nq").exists() or _stale(current):
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
    from vemgorvad.store import EmbeddedStore
    return EmbeddedStore.from_build(build_dir)


@pytest.fixture(scope="session")
def app(embedded_store):
    from vemgorvad.serve.app import create_app
    return create_app(embedded_store)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def font():
    """A Unicode TTF for the PDFs tests make with fpdf2 (Debian fonts-dejavu-core, `make test`)."""
    from checkutil import unicode_font
    path = unicode_font()
    if path is None:
        pytest.fail("no Unicode TTF font for fpdf2: install Debian fonts-dejavu-core (`make test` does)")
    return path
