"""What the SPARQL endpoint keeps per store: the way queries run (sandboxed worker processes that
decide what a query may do and evaluate it; for a remote endpoint, deciding workers, then HTTP),
the cache of answers, and things computed once from the graph (service description, VoID, dumps: a Memo bounded in bytes, by typed keys).
A new store (a rebuild loaded by the service) gets a new runtime, in a new state.Served; the old
one's workers are stopped."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from ...settings import Settings
from ...store import EmbeddedStore, GraphStore, RemoteStore
from ..caches import ByteBoundedCache, Key, Memo
from .pool import QueryPool
from .remote import run_remote
from .results import Job, Outcome

T = TypeVar("T")


class SparqlRuntime:
    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.answers = ByteBoundedCache(settings.answer_cache_mb)
        self._memo = Memo(settings.derived_cache_mb)    # keys chosen by the server (never a client's header)
        self._pool: QueryPool | None = None
        self._lock = threading.Lock()
        self.ready_at = 0.0                 # when the workers were up (time.monotonic())

    @property
    def timeout(self) -> float:
        return float(self.settings.query_timeout)

    def pool(self) -> QueryPool:
        with self._lock:
            if self._pool is None:
                graph = self.store.store if isinstance(self.store, EmbeddedStore) else None
                disk = self.store.disk if isinstance(self.store, EmbeddedStore) else None
                self._pool = QueryPool(graph, self.settings.query_workers, self.settings.query_memory_mb,
                                       tuple(self.settings.service_allowlist), self.settings.worker_nice,
                                       self.settings.query_shared_quads, source=self._source(), disk=disk)
                self.ready_at = time.monotonic()
            return self._pool

    def _source(self) -> str | None:
        """The N-Quads file the embedded store was loaded from (its build's dump), if any: the
        workers load that instead of a dump of the store written again at every start."""
        if isinstance(self.store, EmbeddedStore) and self.store.build_dir is not None:
            dump = self.store.build_dir / "dataset.nq"
            if dump.is_file():
                return str(dump)
        return None

    async def execute(self, job: Job, deadline: float) -> Outcome:
        """Run a client's query by its deadline (counted from the request's arrival, or from when the
        workers came up if the request had to wait for them: `vemgorvad serve` starts them before
        it listens, an app made in-process starts them at its first query)."""
        pool = self._pool if self._pool is not None else await run_in_threadpool(self.pool)
        deadline = max(deadline, self.ready_at + self.timeout)
        if isinstance(self.store, RemoteStore):
            outcome = await pool.decide(job, deadline, self.timeout)
            if outcome.kind != "decision" or outcome.decision is None:
                return outcome
            return await run_in_threadpool(run_remote, self.store.endpoint, job, outcome.decision, deadline,
                                           self.timeout)
        return await pool.run(job, deadline, self.timeout)

    def memo(self, key: Key[T], compute: Callable[[], T]) -> T:
        """compute() once per store (for descriptions and dumps); keys are the server's own."""
        return self._memo.get(key, compute)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
