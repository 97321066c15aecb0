"""A throw-away copy of the project (data/ with two agreements, ontology/, shapes/, queries/) for
tests that add agreements, kill builds or start servers: VEMGORVAD_HOME and VEMGORVAD_VAR point the
code at it, so the checkout's data/ and var/ are never touched.

    template = built_template(tmp_path_factory)      # built once per session
    home = clone(template, tmp_path / "p")            # a private copy, var/current included
    run_cli(home, "add", FILE)                        # the real command line
    with Server(home) as server: server.get("/health")
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("stockholm-vasterort", "vastra-gotaland")   # the two smallest agreements that build quickly
EXTRA = "uppsala"                                   # an agreement the copy does not have, to add


def make_project(dest: Path, keys=KEYS) -> Path:
    dest.mkdir(parents=True)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("agreements"))
    (dest / "data" / "agreements").mkdir()
    catalogue = json.loads((ROOT / "data" / "agreements" / "agreements.json").read_text(encoding="utf-8"))
    kept = [r for r in catalogue if r["key"] in keys]
    for record in kept:
        shutil.copy2(ROOT / "data" / "agreements" / record["file"], dest / "data" / "agreements" / record["file"])
    (dest / "data" / "agreements" / "agreements.json").write_text(
        json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


def source_text(key: str) -> str:
    """The text of a seed agreement in the checkout (read-only)."""
    return (ROOT / "data" / "agreements" / f"{key}.txt").read_text(encoding="utf-8")


def env_for(home: Path, **extra) -> dict:
    env = dict(os.environ)
    env.update(VEMGORVAD_HOME=str(home), VEMGORVAD_VAR=str(home / "var"), PYTHONUNBUFFERED="1")
    env.pop("VEMGORVAD_RELOAD_TOKEN", None)
    env.pop("VEMGORVAD_ALLOW_STALE", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def command(*args) -> list[str]:
    return [sys.executable, "-m", "vemgorvad.cli", *args]


def run_cli(home: Path, *args, timeout: float = 180, **env) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), env=env_for(home, **env), cwd=home, capture_output=True, text=True,
                          timeout=timeout)


def built_template(tmp_path_factory, keys=KEYS) -> Path:
    home = make_project(tmp_path_factory.mktemp("template") / "project", keys)
    done = run_cli(home, "build", "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr
    return home


def clone(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, symlinks=True)   # var/current is a relative link: it stays valid
    return dest


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The project copy, built (import this fixture into a test module)."""
    return built_template(tmp_path_factory)


@pytest.fixture
def home(template, tmp_path):
    """A private clone of the template for one test."""
    return clone(template, tmp_path / "project")


@contextmanager
def use_home(home: Path):
    """Point vemgorvad.paths at `home` inside this test process (for the in-process checks)."""
    from vemgorvad import paths
    names = {"ROOT": home, "DATA": home / "data", "AGREEMENTS": home / "data" / "agreements",
             "CATALOGUE": home / "data" / "agreements" / "agreements.json", "LEXICON": home / "data" / "lexicon",
             "LAWS": home / "data" / "laws.json", "CORRECTIONS": home / "data" / "corrections.json",
             "ONTOLOGY": home / "ontology", "SHAPES": home / "shapes", "QUERIES": home / "queries",
             "VAR": home / "var", "CURRENT": home / "var" / "current"}
    saved = {name: getattr(paths, name) for name in names}
    for name, value in names.items():
        setattr(paths, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(paths, name, value)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`vemgorvad serve` on a free loopback port in its own process."""

    def __init__(self, home: Path, *args, **env):
        self.home = home
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = home / f"serve-{self.port}.log"
        self.args = args
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self, ready_within: float = 90) -> Server:
        self.process = subprocess.Popen(command("serve", "--port", str(self.port), *self.args),
                                        env=env_for(self.home, **self.env), cwd=self.home,
                                        stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + ready_within
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service did not start: {self.log.read_text()[-2000:]}")
            try:
                if self.get("/health", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the service did not answer /health in time")
            time.sleep(0.1)

    def request(self, path: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None,
                timeout: float = 30) -> tuple[int, dict | str]:
        req = urllib.request.Request(self.base + path, method=method, headers=headers or {}, data=data)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body.decode("utf-8", "replace")

    def get(self, path: str, timeout: float = 30):
        return self.request(path, timeout=timeout)

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
