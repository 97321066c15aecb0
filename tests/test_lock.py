"""The supply chain: every dependency pyproject.toml pins is in the lock files at the same version,
and every line of the locks carries hashes, so `make run` / `make test` (pip --require-hashes)
install exactly what was locked. After changing a dependency: `make lock`."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def locked(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{path.name}: {match.group(1)} has no hash"
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def pinned(requirements: list[str]) -> dict[str, str]:
    out = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        out[re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()] = version.split(";")[0].strip()
    return out


def test_the_locks_hold_every_pin_of_pyproject_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = locked(ROOT / "requirements" / "runtime.txt")
    test = locked(ROOT / "requirements" / "test.txt")
    for name, version in pinned(project["dependencies"]).items():
        assert runtime.get(name) == version, f"runtime lock: {name} {runtime.get(name)} ≠ pyproject {version}; make lock"
        assert test.get(name) == version, f"test lock: {name} {test.get(name)} ≠ pyproject {version}; make lock"
    for name, version in pinned(project["optional-dependencies"]["test"]).items():
        assert test.get(name) == version, f"test lock: {name} {test.get(name)} ≠ pyproject {version}; make lock"
    for parser in ("starlette", "h11", "lxml", "pdfminer-six", "pillow"):   # parse untrusted input
        assert parser in runtime, parser
    assert "setuptools" in runtime      # the editable install builds without fetching anything


def test_make_installs_only_from_the_locks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r $(LOCK_RUNTIME)" in makefile, "make run installs from the lock"
    assert "pip install --quiet --require-hashes -r $(LOCK_TEST)" in makefile, "make test installs from the lock"
    editable = [line for line in makefile.splitlines() if "pip install" in line and "-e " in line]
    assert editable and all("--no-deps" in line for line in editable), "the project itself adds no dependency"
    assert "LOCK_RUNTIME := requirements/runtime.txt" in makefile and "LOCK_TEST    := requirements/test.txt" in makefile


def test_the_locks_name_no_machine_of_ours():
    """A clean clone elsewhere installs from PyPI: no local wheel folder or index in the locks."""
    for name in ("runtime.txt", "test.txt"):
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        assert "--find-links" not in text and "--index-url" not in text and "file://" not in text, name
