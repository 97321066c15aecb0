"""A real Oxigraph server (the `oxigraph` binary from PyPI) on a free loopback port, holding a dump,
with the union of the named graphs as default graph. For tests and the benchmark:

    with OxigraphServer(dump_path) as server:
        server.endpoint   # http://127.0.0.1:PORT/query
"""
from __future__ import annotations

import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from vemgorvad.serve.sparql import engine

try:                                   # imported as a test helper (tests/ on sys.path) or as tests.oxigraph_server
    from subprocs import terminate
    from virtuoso_server import VirtuosoServer, virtuoso_available
except ImportError:
    from tests.subprocs import terminate
    from tests.virtuoso_server import VirtuosoServer, virtuoso_available

# The stores every remote-store test runs against: an Oxigraph server ("remote", its historical name)
# and Virtuoso open source ("virtuoso"), each holding the same dump.
REMOTE_KINDS = ("remote", "virtuoso")
# "engine": the embedded store with /sparql evaluated by the supervised Oxigraph server process
# (serve/sparql/engine.py) that national-scale graphs use, here at any size (query_engine_quads=1)
STORE_KINDS = ("embedded", "engine", *REMOTE_KINDS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    def __init__(self, dump: Path, timeout_s: int = 30):
        self.dump = Path(dump)
        self.timeout_s = timeout_s
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = self.base + "/query"
        self.process: subprocess.Popen | None = None

    def start(self) -> OxigraphServer:
        self.log = tempfile.TemporaryFile()  # a file, not a pipe nobody reads: a full pipe would stall the server
        self.process = subprocess.Popen(
            [engine.binary(), "serve", "--bind", f"127.0.0.1:{self.port}", "--union-default-graph",
             "--timeout-s", str(self.timeout_s)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.log.seek(0)
                    err = self.log.read().decode("utf-8", "replace")
                    self.stop()
                    raise RuntimeError(f"oxigraph server did not start: {err}") from None
                time.sleep(0.05)
        request = urllib.request.Request(self.base + "/store", data=self.dump.read_bytes(), method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        urllib.request.urlopen(request, timeout=60).read()
        return self

    def stop(self) -> None:
        terminate(self.process, 10)
        if getattr(self, "log", None) is not None:
            self.log.close()
            self.log = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class LiveService:
    """The vemgörvad app served by uvicorn in a background thread on a free loopback port, so that
    real HTTP clients (SPARQLWrapper, httpx) talk to it as they would in production."""

    def __init__(self, app):
        import uvicorn
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        state = app.state.vg
        if not state.settings.public_base_url:   # as `vemgorvad serve` does: its own address, never the Host header
            state.settings = state.served.settings = state.settings.model_copy(
                update={"public_base_url": self.url + "/"})
            state.served.sparql.settings = state.settings
        from vemgorvad.serve import protocol
        config = protocol.config(app, "127.0.0.1", self.port, state.settings.max_header_kb, log_level="warning",
                                 lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = None

    def start(self) -> LiveService:
        import threading
        self.app.state.vg.served.sparql.pool()   # as `vemgorvad serve` does: query workers up before it listens
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the service did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread:
            self.thread.join(10)
        self.app.state.vg.close()


_SHARED: dict = {}


def shared(name: str, factory):
    """One instance per test session of something expensive (a server, a loaded store), stopped at
    exit if it can be."""
    if name not in _SHARED:
        import atexit
        _SHARED[name] = factory()
        if hasattr(_SHARED[name], "stop"):
            atexit.register(_SHARED[name].stop)
    return _SHARED[name]


def shared_oxigraph(dump: Path, timeout_s: int = 30) -> OxigraphServer:
    return shared(f"oxigraph:{dump}:{timeout_s}", lambda: OxigraphServer(dump, timeout_s).start())


def release_oxigraph(dump: Path, timeout_s: int) -> None:
    """Stop a shared Oxigraph server now. Its `--timeout-s` ends the client's wait, not always the
    work: a server left computing a cartesian product would starve the tests that come after."""
    server = _SHARED.pop(f"oxigraph:{dump}:{timeout_s}", None)
    if server is not None:
        server.stop()


def shared_virtuoso(dump: Path, timeout_s: int = 30) -> VirtuosoServer:
    """One Virtuoso per dump and timeout for the session; skips the test when Virtuoso is not
    installed (`make test` installs it, so there it always runs)."""
    reason = virtuoso_available()
    if reason:
        import pytest
        pytest.skip(reason)
    return shared(f"virtuoso:{dump}:{timeout_s}", lambda: VirtuosoServer(dump, timeout_s).start())


def release_virtuoso(dump: Path, timeout_s: int) -> None:
    server = _SHARED.pop(f"virtuoso:{dump}:{timeout_s}", None)
    if server is not None:
        server.stop()


def remote_endpoint(kind: str, dump: Path, timeout_s: int = 30) -> str:
    """The SPARQL endpoint of a store of this kind holding the dump."""
    if kind == "virtuoso":
        return shared_virtuoso(dump, timeout_s).endpoint
    return shared_oxigraph(dump, timeout_s).endpoint


def release_remote(kind: str, dump: Path, timeout_s: int) -> None:
    (release_virtuoso if kind == "virtuoso" else release_oxigraph)(dump, timeout_s)


def shared_store(build_dir: Path):
    """The embedded store of a build, loaded once per session: the `embedded_store` fixture and
    every embedded service read the same one (no test writes to it)."""
    def load():
        from vemgorvad.store import EmbeddedStore
        return EmbeddedStore.from_build(build_dir)
    return shared(f"store:{Path(build_dir).resolve()}", load)


def shared_service(kind: str, build_dir: Path, oxigraph_timeout: int = 30, **settings) -> LiveService:
    """The service on the embedded store (kind "embedded"), or on an Oxigraph server ("remote") or
    a Virtuoso ("virtuoso") holding the same dump, that store stopping its own queries after
    oxigraph_timeout seconds; with optional Settings overrides."""
    def make():
        from vemgorvad.serve import heap
        from vemgorvad.serve.app import create_app
        from vemgorvad.settings import Settings
        from vemgorvad.store import RemoteStore
        if kind in ("embedded", "engine"):
            store = shared_store(build_dir)
            if kind == "engine":
                settings.setdefault("query_engine_quads", 1)
        else:
            store = RemoteStore(remote_endpoint(kind, Path(build_dir) / "dataset.nq", oxigraph_timeout))
        app = create_app(store, Settings(**settings))
        if kind == "embedded" and not settings:
            # the session's service, as `vemgorvad serve` makes it: everything up before it listens (answer index,
            # gap-check and query workers, the spelling dictionary), so no test's request deadline counts the start
            # (the session's first question ran out of its 10 s while the dictionary loaded, at load 15-25)
            app.state.vg.served.warm()
            # and, as `vemgorvad serve` does after its warm-up (serve/run.py), its long-lived heap out of the
            # collector's way (serve/heap.py): every full collection of the test process walked it
            heap.freeze()
        return LiveService(app).start()
    timeout = "" if kind == "embedded" else oxigraph_timeout      # the embedded store has no server timeout
    key = f"service:{kind}:{build_dir}:{timeout}:{sorted(settings.items())}"
    return shared(key, make)
