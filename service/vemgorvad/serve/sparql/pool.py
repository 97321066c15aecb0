"""A pool of query worker processes (see worker.py). A query waits for a free worker, runs there,
and is killed with its process when it passes the deadline; a fresh worker takes its place in the
background, so other clients keep being served by the rest of the pool meanwhile."""
from __future__ import annotations

import atexit
import logging
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection

import pyoxigraph

from ..observability.flags import note_timeout
from .results import Job, Outcome, error

log = logging.getLogger("vemgorvad.sparql")
_LIVE: set[Worker] = set()
_DIRS: set[str] = set()


class WorkerFailed(RuntimeError):
    pass


class Worker:
    def __init__(self, dump: str, memory_mb: int):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env.pop("VEMGORVAD_QUERY_WORKERS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vemgorvad.serve.sparql.worker", str(child.fileno()), dump, str(memory_mb)],
            pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=env)
        child.close()
        self.conn = Connection(parent.detach())
        _LIVE.add(self)
        if not self.conn.poll(60) :
            self.kill()
            raise WorkerFailed("query worker did not start within 60 s")
        try:
            self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerFailed("query worker could not load the graph") from None

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        _LIVE.discard(self)
        try:
            self.process.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class QueryPool:
    def __init__(self, store: pyoxigraph.Store, size: int = 2, memory_mb: int = 4096):
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self._dir = tempfile.mkdtemp(prefix="vemgorvad-sparql-")
        _DIRS.add(self._dir)
        self._dump = os.path.join(self._dir, "dataset.nq")
        store.dump(self._dump, format=pyoxigraph.RdfFormat.N_QUADS)
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._closed = False
        self.killed: list[tuple[int, float]] = []      # (pid, seconds the kill took): for tests and logs
        starters = [threading.Thread(target=self._add_worker) for _ in range(self.size)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if self._idle.qsize() == 0:
            raise WorkerFailed("no query worker could start")

    def _add_worker(self) -> None:
        if self._closed:
            return
        try:
            worker = Worker(self._dump, self.memory_mb)
        except WorkerFailed as err:
            if not (self._closed or _EXITING):
                log.error("%s", err)
            return
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        started = time.monotonic()
        worker.kill()
        self.killed.append((worker.pid, time.monotonic() - started))
        threading.Thread(target=self._add_worker, daemon=True).start()

    def run(self, job: Job, timeout: float) -> Outcome:
        """Run the job within `timeout` seconds (waiting for a free worker included)."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return timed_out(timeout, busy=True)
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                outcome = worker.conn.recv()
                self._idle.put(worker)
                return outcome
        except (EOFError, OSError):
            self._replace(worker)
            return error(503, "Frågan krävde mer minne än servern tillåter och avbröts. "
                              "Begränsa frågan (LIMIT, fler villkor).")
        self._replace(worker)
        return timed_out(timeout)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break
        shutil.rmtree(self._dir, ignore_errors=True)


def timed_out(timeout: float, busy: bool = False) -> Outcome:
    note_timeout("sparql")     # flags the request in the access log and metrics
    if busy:
        text = (f"Servern hann inte börja på frågan inom tidsgränsen {timeout:g} s eftersom alla "
                f"frågeprocesser var upptagna. Försök igen om en stund.")
    else:
        text = (f"Frågan avbröts efter {timeout:g} s, serverns tidsgräns för en fråga. Förenkla frågan, "
                f"begränsa den med fler villkor eller LIMIT.")
    return error(503, text + f"\n(Query stopped: time limit of {timeout:g} s exceeded.)",
                 **{"X-Query-Timeout": f"{timeout:g}"})


_EXITING = False


@atexit.register
def _kill_all() -> None:
    global _EXITING
    _EXITING = True
    for worker in list(_LIVE):
        worker.kill()
    for directory in list(_DIRS):
        shutil.rmtree(directory, ignore_errors=True)
