"""Running gap checks for the service: the peers come from the build once (peers.py), each check runs in a
sandboxed worker process (no network, a memory ceiling; ../sandbox.py) with a time limit counted
from the request's arrival, so a hostile or huge upload cannot stall other users.

Two lanes, one worker process each: uploads up to VEMGORVAD_CHECK_SMALL_KB (default 16 KB) go to
one, larger ones to the other, so a short excerpt never waits behind a whole agreement. The small
lane runs half VEMGORVAD_WORKER_NICE below the server. The large lane runs at the server's priority
while a budget of CPU time holds (VEMGORVAD_CHECK_PRIORITY_CPU, 5 CPU-s, refilled at
VEMGORVAD_CHECK_PRIORITY_REFILL, 0.5 CPU-s per second): a whole agreement (1.6-2.5 CPU-s, README)
is checked at full speed beside other busy processes; past the budget, checks run
VEMGORVAD_WORKER_NICE below the server, so a flood of heavy uploads does not slow the answers to
everyone else."""
from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, cast

from ...ingest import IngestError
from ...settings import Settings
from ...settings import settings as process_settings
from ...store import GraphStore
from ..observability.flags import note_timeout
from ..procpool import Budget, Busy, Died, ProcessPool, TimedOut, interactive_nice
from .documents import render
from ...peers import Peers, peers_from
from .report import check

__all__ = ["CheckService", "peers_from", "run_check", "run_check_document"]


def run_check(data: bytes, filename: str, peers: Peers) -> dict[str, Any]:
    """One check, in whatever process calls it (the CLI, a worker)."""
    return check(data, filename, peers)


def run_check_document(data: bytes, filename: str, peers: Peers, fmt: str) -> bytes:
    """One check rendered as a document (html | pdf | docx), in the worker that ran it."""
    return render(run_check(data, filename, peers), fmt, filename)


class CheckService:
    """Two lanes of one sandboxed worker process each (small uploads, whole agreements). A check
    waits for its lane's worker without holding a server thread; its deadline counts from the
    request's arrival. A check past its deadline is stopped with its worker, and one that kills
    its worker (memory) fails alone: the checks queued behind it wait for the replacement."""

    def __init__(self, store: GraphStore, timeout: float | None = None, settings: Settings | None = None,
                 memory_mb: int | None = None):
        self.settings = settings or process_settings()
        self.peers = peers_from(store)
        self.timeout = self.settings.check_timeout if timeout is None else timeout
        self.memory_mb = self.settings.check_memory_mb if memory_mb is None else memory_mb
        self._lock = threading.Lock()
        self.small_limit = self.settings.check_small_kb * 1024
        self._pools: dict[str, ProcessPool] = {}
        # CPU time of whole agreements' checks at the server's priority (procpool.Budget)
        capacity, refill = self.settings.check_priority_cpu, self.settings.check_priority_refill
        self.budget = Budget(capacity, refill) if capacity > 0 else None

    def start(self, wait: bool = False) -> CheckService:
        """Start both lanes' workers now rather than at the first check; with wait, return once
        they are up (serve's warm-up), otherwise in the background."""
        pools = [self.pool(lane) for lane in ("small", "large")]
        if wait:
            for pool in pools:
                pool.wait_started()
        return self

    def pool(self, lane: str) -> ProcessPool:
        with self._lock:
            if lane not in self._pools:
                # a whole agreement's check runs at the server's priority while the budget holds CPU
                # time (it needs about one second), otherwise worker_nice below it; a small upload's
                # check is interactive: half the step below the server (procpool), never lower
                nice = self.settings.worker_nice if lane == "large" else interactive_nice(self.settings.worker_nice)
                self._pools[lane] = ProcessPool("check", {"peers": self.peers}, size=1, memory_mb=self.memory_mb,
                                                nice=nice, budget=self.budget if lane == "large" else None
                                                ).start(wait=False)
            return self._pools[lane]

    def _lane(self, data: bytes) -> str:
        return "small" if len(data) <= self.small_limit else "large"

    def run(self, data: bytes, filename: str) -> dict[str, Any]:
        """One check, waiting in this thread (blocking; the CLI runs checks in-process instead)."""
        return cast(dict[str, Any], asyncio.run(self.run_async(data, filename)))    # no fmt: the report

    async def run_async(self, data: bytes, filename: str, fmt: str | None = None,
                        deadline: float | None = None) -> dict[str, Any] | bytes:
        """One check by `deadline` (time.monotonic(); default: now + the time limit). With `fmt`
        (html | pdf | docx) the worker renders the report as that document."""
        result: dict[str, Any] | bytes = await self._run(self._lane(data), ("check", data, filename, fmt), deadline)
        return result   # the report, or the document rendered from it

    async def render_async(self, report: dict[str, Any], fmt: str, filename: str, deadline: float | None = None) -> bytes:
        """A report already made (POST /api/check/report) rendered as a document, in the small lane."""
        document: bytes = await self._run("small", ("render", report, fmt, filename), deadline)
        return document

    async def _run(self, lane: str, job: tuple[Any, ...], deadline: float | None) -> Any:
        deadline = time.monotonic() + self.timeout if deadline is None else deadline
        try:
            kind, value = await self.pool(lane).run(job, deadline)
        except (Busy, TimedOut):
            note_timeout("check")
            raise IngestError("Granskningen tog för lång tid och avbröts; filen är för stor eller för komplex.",
                              "The check took too long and was stopped.", 422) from None
        except Died:
            raise IngestError("Filen krävde mer minne än granskningen får använda, eller fick granskningen att "
                              "avbrytas, och kunde inte granskas.", "The check's worker died (memory or a crash).",
                              422) from None
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
