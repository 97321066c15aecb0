"""Running gap checks for the service: the peers come from the graph once, each check runs in a
worker process with a time limit, so a hostile or huge upload cannot stall other users.

Two lanes, one worker process each: uploads up to VEMGORVAD_CHECK_SMALL_KB (default 16 KB) go to
one, larger ones to the other, so a short excerpt never waits behind a whole agreement (tens of
seconds on a busy machine). The workers run at a lower CPU priority (VEMGORVAD_WORKER_NICE) than
the server process, so checks do not slow the answers to everyone else."""
from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from ...ingest import IngestError
from ...pipeline import vocabulary
from ...procs import lower_priority
from ...settings import Settings
from ...settings import settings as process_settings
from ...store import GraphStore
from ..ask.index import named
from ..observability.flags import note_timeout
from .documents import render
from .report import Peers, check, fingerprint

CHECK_TIMEOUT = 60.0


def peers_from(store: GraphStore) -> Peers:
    topics: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in store.values(named("coverage")):
        labels[row["topic"]] = row["label"]
        topics[row["topic"]] = set((row.get("keys") or "").split())
    prints = {row["key"]: fingerprint(row["text"]) for row in store.values(named("agreement_texts"))}
    return Peers(topics, labels, prints)


def run_check(data: bytes, filename: str, peers: Peers) -> dict:
    """One check, in whatever process calls it (the CLI, a worker)."""
    return check(data, filename, peers)


def run_check_document(data: bytes, filename: str, peers: Peers, fmt: str) -> bytes:
    """One check rendered as a document (html | pdf | docx), in the worker that ran it."""
    return render(run_check(data, filename, peers), fmt, filename)


def _warm() -> bool:
    vocabulary()
    return True


def _start_worker(nice: int) -> None:
    """Whole agreements run at the workers' lower priority (`nice`); a small upload is bounded
    work that someone waits for interactively, so it keeps the server's priority (nice 0) instead
    of starving behind a large check and a heavy query."""
    lower_priority(nice)


class CheckService:
    def __init__(self, store: GraphStore, timeout: float = CHECK_TIMEOUT, settings: Settings | None = None):
        self.settings = settings or process_settings()
        self.peers = peers_from(store)
        self.timeout = timeout
        self._lock = threading.Lock()
        self.small_limit = self.settings.check_small_kb * 1024
        self._pools: dict[str, ProcessPoolExecutor] = {}

    def _executor(self, lane: str) -> ProcessPoolExecutor:
        with self._lock:
            if lane not in self._pools:
                nice = self.settings.worker_nice if lane == "large" else 0
                self._pools[lane] = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                        initializer=_start_worker, initargs=(nice,))
                self._pools[lane].submit(_warm)
            return self._pools[lane]

    def _lane(self, data: bytes) -> str:
        return "small" if len(data) <= self.small_limit else "large"

    def run(self, data: bytes, filename: str) -> dict:
        """One check, waiting in this thread (blocking)."""
        lane = self._lane(data)
        future = self._executor(lane).submit(run_check, data, filename, self.peers)
        try:
            return future.result(timeout=self.timeout)
        except Exception as err:
            self._failed(lane, err)

    async def run_async(self, data: bytes, filename: str, fmt: str | None = None) -> dict | bytes:
        """One check, awaited on the event loop: a waiting check holds no thread, so checks queued
        behind a long one cannot use up the server's thread pool that the other endpoints need.
        With `fmt` (html | pdf | docx) the worker renders the report as that document."""
        lane = self._lane(data)
        if fmt is None:
            future = self._executor(lane).submit(run_check, data, filename, self.peers)
        else:
            future = self._executor(lane).submit(run_check_document, data, filename, self.peers, fmt)
        return await self._wait(lane, future)

    async def render_async(self, report: dict, fmt: str, filename: str) -> bytes:
        """A report already made (POST /api/check/report) rendered as a document, in the small lane."""
        return await self._wait("small", self._executor("small").submit(render, report, fmt, filename))

    async def _wait(self, lane: str, future):
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except Exception as err:
            self._failed(lane, err)

    def _failed(self, lane: str, err: Exception):
        """Raise the IngestError for a check that failed with `err`, replacing a stuck or dead worker."""
        try:
            raise err
        except (TimeoutError, FutureTimeout):
            note_timeout("check")
            self._restart(lane)
            raise IngestError("Granskningen tog för lång tid och avbröts; filen är för stor eller för komplex.",
                              "The check took too long and was stopped.", 422) from None
        except IngestError:
            raise
        except Exception:  # a worker that died (memory, a crash in a parser) is replaced
            self._restart(lane)
            raise IngestError("Filen kunde inte granskas.", f"The file could not be checked ({type(err).__name__}).",
                              422) from None

    def _restart(self, lane: str) -> None:
        with self._lock:
            pool = self._pools.pop(lane, None)
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        for lane in list(self._pools):
            self._restart(lane)
