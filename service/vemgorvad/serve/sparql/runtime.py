"""What the SPARQL endpoint keeps per store: the way queries run (a pool of worker processes for
the embedded store, HTTP for a remote endpoint), the cache of answers, and things computed once
from the graph (service description, VoID, dumps). A new store (a rebuild loaded by the service)
gets a new runtime, in a new state.Served; the old one's workers are stopped."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ...settings import Settings
from ...store import EmbeddedStore, GraphStore, RemoteStore
from .cache import AnswerCache
from .pool import QueryPool
from .remote import run_remote
from .results import Job, Outcome

T = TypeVar("T")


class SparqlRuntime:
    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.answers = AnswerCache(max_bytes=settings.answer_cache_mb * 1024 * 1024)
        self.memory_mb = settings.query_memory_mb
        self._memo: dict[Any, Any] = {}
        self._pool: QueryPool | None = None
        self._lock = threading.Lock()

    @property
    def timeout(self) -> float:
        return float(self.settings.query_timeout)

    def pool(self) -> QueryPool:
        with self._lock:
            if self._pool is None:
                if not isinstance(self.store, EmbeddedStore):
                    raise TypeError(f"no worker pool for {type(self.store).__name__}")
                self._pool = QueryPool(self.store.store, self.settings.query_workers, self.memory_mb)
            return self._pool

    def execute(self, job: Job) -> Outcome:
        """Run a client's query under the operator's time limit (blocking; call from a thread)."""
        if isinstance(self.store, RemoteStore):
            return run_remote(self.store.endpoint, job, self.timeout)
        return self.pool().run(job, self.timeout)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """compute() once per store (for descriptions and dumps)."""
        value = self._memo.get(key)
        if value is None:
            value = compute()
            self._memo[key] = value
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
