"""Oxigraph's own server as the engine that evaluates /sparql queries: one `oxigraph serve` process
holding the graph in memory (loaded from the build's dump), bound to loopback on a free port,
started, watched and replaced by the service.

Why a server process and not our workers: on the national graph the workers read a shared on-disk
copy, and Oxigraph on RocksDB costs 2.5-3x the CPU of the same query in memory (README, "Where a
/sparql request's time goes"); an in-memory copy per worker, or one forked to them, is 2.4-2.7 GB.
Oxigraph's server holds one in-memory copy that only its own threads read.

Safety, as for the workers (issue 10):
- the engine is started through engine_exec.py, whose seccomp filter lets it accept connections
  and open none (sandbox.listen_only): a SERVICE its parser reads reaches nothing, and the
  service's screen and full decision keep refusing SERVICE in front of it (runtime.py);
- time: Oxigraph stops a query at its `--timeout-s` (the service's query timeout); our deadline
  ends our wait;
- memory: a watcher kills the engine when its resident memory grows past its loaded size plus
  `query_memory_mb` (a query building a huge intermediate result), and any engine that died is
  started again; until it is back, the service's query workers evaluate the queries (runtime.py);
- the engine answers only the service: it is bound to 127.0.0.1 on a port chosen at start.
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .. import heap
from ..procpool import spawn
from ...store.pieces import PIECE_BYTES, Slice, pieces
from .screen import MAX_CHARS, STACK_PER_CHAR

log = logging.getLogger("vemgorvad.sparql.engine")
#: How often the watcher looks at the engine's process (seconds).
WATCH_SECONDS = 0.25
#: Seconds between attempts to start an engine whose replacement failed to start.
RETRY_SECONDS = 5.0
#: Seconds an engine may take to listen after it was started.
LISTEN_SECONDS = 30.0
#: Stack of each of the engine's request threads (RUST_MIN_STACK; Rust's default is 2 MiB): the one
#: screen.py's length bound is measured for, so that a text it clears nests no deeper than half what
#: the engine survives. At 2 MiB, 600 unclosed `{` (615 characters, a clear text) overflowed a
#: request thread and aborted the whole engine; at 8 MiB, 2,200 did, as in the workers.
STACK_BYTES = MAX_CHARS * STACK_PER_CHAR


class EngineFailed(RuntimeError):
    """The engine could not be started or loaded."""


def binary() -> str:
    """The `oxigraph` program of the `oxigraph` package, beside this Python, or on PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        raise EngineFailed("programmet oxigraph saknas (paketet oxigraph) (the oxigraph program is missing)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Engine:
    """One supervised `oxigraph serve` process holding `dump` in memory."""

    def __init__(self, dump: str, timeout: float, nice: int = 10, memory_mb: int = 512) -> None:
        self.dump = dump
        self.timeout = max(1, int(timeout + 0.999))
        self.nice = nice
        self.memory_mb = memory_mb
        self.piece_bytes = PIECE_BYTES        # of the dump in one load request (store/pieces.py)
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.loaded_mb = 0.0
        self.restarts = 0
        self.generation = 0                  # counts engine processes; a pooled connection is of one
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._closed = threading.Event()
        self._watcher: threading.Thread | None = None
        self._overdue: dict[int, tuple[int, float]] = {}    # ticket -> (generation, time it is overdue)
        self._tickets_lock = threading.Lock()    # not _lock: a launch holds that while the dump loads
        self._tickets = 0
        # told False when the watcher begins a replacement, True once the new engine is ready
        self.on_change: Callable[[bool], None] | None = None
        # the engine's messages: a file (a pipe nobody reads would stall it once full), removed at close
        self._dir = tempfile.mkdtemp(prefix="vemgorvad-engine-")
        self._log = os.path.join(self._dir, "engine.log")

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and not self._closed.is_set()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> Engine:
        """Start the engine, load the dump and watch it (blocking); EngineFailed if it cannot."""
        self._launch()
        self._watcher = threading.Thread(target=self._watch, name="sparql-engine-watch", daemon=True)
        self._watcher.start()
        return self

    def _launch(self, replacing: bool = False) -> None:
        """Start an engine process and load the dump; `replacing`: tell on_change once the new process
        runs (not before: at the interpreter's exit the spawning thread is gone and nothing starts)."""
        with self._lock:
            self._ready.clear()
            self._stop_process()
            self.port = _free_port()
            argv = [sys.executable, "-m", "vemgorvad.serve.sparql.engine_exec", str(os.getpid()), str(self.nice),
                    binary(), "serve",
                    "--bind", f"127.0.0.1:{self.port}", "--union-default-graph", "--timeout-s", str(self.timeout)]
            environment = {**os.environ, "RUST_MIN_STACK": str(STACK_BYTES)}
            with open(self._log, "wb") as log:
                self.process = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                     env=environment)
            if replacing:
                self._tell(False)
            try:
                self._wait_listening()
                self._load()
            except (OSError, EngineFailed) as err:
                self._stop_process()
                raise EngineFailed(f"SPARQL-motorn kunde inte starta: {err}") from None
            self.loaded_mb = heap.rss_mb(self.process.pid)
            self.generation += 1
            self._ready.set()

    def _url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + LISTEN_SECONDS
        while True:
            try:
                urllib.request.urlopen(self._url("/query?query=ASK%7B%7D"), timeout=2).read()
                return
            except OSError:
                if self.process is None or self.process.poll() is not None or time.monotonic() > deadline:
                    raise EngineFailed(f"the engine did not listen ({self._tail()})") from None
                time.sleep(0.05)

    def _load(self) -> None:
        """The dump into the engine's memory (Oxigraph's graph store protocol, streamed from the file
        a piece of whole lines at a time: store/pieces.py)."""
        with open(self.dump, "rb") as dump:
            for start, end in pieces(self.dump, self.piece_bytes):
                request = urllib.request.Request(self._url("/store"), data=Slice(dump, start, end), method="POST",
                                                 headers={"Content-Type": "application/n-quads",
                                                          "Content-Length": str(end - start)})
                urllib.request.urlopen(request, timeout=3600).read()

    def _tail(self) -> str:
        try:
            with open(self._log, "rb") as log:
                return " ".join(log.read()[-500:].decode("utf-8", "replace").split())
        except OSError:
            return ""

    def abandoned(self, overdue_at: float) -> int:
        """A query whose client stopped waiting (its deadline passed): if the engine has not
        answered it by `overdue_at` (time.monotonic()), the watcher replaces the engine, which is
        the only way to stop work that Oxigraph's own timeout does not stop. A ticket for answered()."""
        with self._tickets_lock:
            self._tickets += 1
            self._overdue[self._tickets] = (self.generation, overdue_at)
            return self._tickets

    def answered(self, ticket: int) -> None:
        self._overdue.pop(ticket, None)

    def _stuck(self) -> bool:
        now = time.monotonic()
        return any(generation == self.generation and at < now for generation, at in list(self._overdue.values()))

    def _watch(self) -> None:
        """Replace an engine that died, that grew past its loaded size plus memory_mb, or that still
        works on a query past its deadline; start again, RETRY_SECONDS later, one that failed to start."""
        while not self._closed.wait(WATCH_SECONDS):
            process = self.process
            if process is None:
                if self._ready.is_set() or self._closed.wait(RETRY_SECONDS):
                    continue
                reason = "could not start"
            else:
                if not self._ready.is_set():
                    continue
                died = process.poll() is not None
                grown = (self.memory_mb > 0 and heap.rss_mb(process.pid) > self.loaded_mb + self.memory_mb)
                if not (died or grown or self._stuck()):
                    continue
                reason = "died" if died else "exceeded its memory limit" if grown else \
                    "still ran a query past its time limit"
                self.restarts += 1
                self._overdue.clear()
            log.warning("SPARQL engine %s; starting a new one", reason)
            try:
                self._launch(replacing=True)
            except EngineFailed as err:
                log.error("%s", err)
                continue
            except RuntimeError:               # the interpreter is shutting down (no spawner thread left)
                return
            self._tell(True)

    def _tell(self, ready: bool) -> None:
        if self.on_change is not None and not self._closed.is_set():
            self.on_change(ready)

    def _stop_process(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()

    def close(self) -> None:
        self._closed.set()
        self._ready.clear()
        with self._lock:
            self._stop_process()
        shutil.rmtree(self._dir, ignore_errors=True)


def request_target(default_graphs: tuple[str, ...] | None, named_graphs: tuple[str, ...] | None) -> bytes:
    """The engine's query URL with the protocol's dataset (SPARQL 1.1 Protocol §2.1.3: a query sent
    as the body, `application/sparql-query`, takes its default-graph-uri and named-graph-uri from the
    URL). The query itself goes as the body, as it is: percent-encoding a text of a few hundred
    characters for a form (urllib's quote, a Python call per byte) was an eighth of the server's
    CPU a request."""
    fields = [("default-graph-uri", g) for g in default_graphs or ()]
    fields += [("named-graph-uri", g) for g in named_graphs or ()]
    return b"/query?" + urllib.parse.urlencode(fields).encode("ascii") if fields else b"/query"


__all__ = ["Engine", "EngineFailed", "binary", "request_target"]
