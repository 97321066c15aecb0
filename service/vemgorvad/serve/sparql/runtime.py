"""What the SPARQL endpoint keeps per store: the way queries run (a pool of worker processes for
the embedded store, HTTP for a remote endpoint), the cache of answers, and things computed once
from the graph (service description, VoID, dumps). A new store (a rebuild loaded by the service)
gets a new runtime; the old one's workers are stopped."""
from __future__ import annotations

import os
import threading

from ...store import EmbeddedStore, RemoteStore
from .cache import AnswerCache
from .results import Job, Outcome

_LOCK = threading.Lock()


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


class SparqlRuntime:
    def __init__(self, store, settings):
        self.store = store
        self.settings = settings
        self.answers = AnswerCache(max_bytes=_env_int("VEMGORVAD_ANSWER_CACHE_MB", 64) * 1024 * 1024)
        self.memory_mb = _env_int("VEMGORVAD_QUERY_MEMORY_MB", 4096)
        self._memo: dict = {}
        self._pool = None
        self._lock = threading.Lock()

    @property
    def timeout(self) -> float:
        return float(self.settings.query_timeout)

    def pool(self):
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    from .pool import QueryPool
                    self._pool = QueryPool(self.store.store, self.settings.query_workers, self.memory_mb)
        return self._pool

    def execute(self, job: Job) -> Outcome:
        """Run a client's query under the operator's time limit (blocking; call from a thread)."""
        if isinstance(self.store, RemoteStore):
            from .remote import run_remote
            return run_remote(self.store.endpoint, job, self.timeout)
        if isinstance(self.store, EmbeddedStore) or hasattr(self.store, "store"):
            return self.pool().run(job, self.timeout)
        raise TypeError(f"no way to run protocol queries on {type(self.store).__name__}")

    def memo(self, key, compute):
        """compute() once per store (for descriptions and dumps)."""
        value = self._memo.get(key)
        if value is None:
            value = compute()
            self._memo[key] = value
        return value

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def runtime(state) -> SparqlRuntime:
    current = state.cache.get("sparql")
    if current is not None and current.store is state.store:
        return current
    with _LOCK:
        current = state.cache.get("sparql")
        if current is None or current.store is not state.store:
            if current is not None:
                threading.Thread(target=current.close, daemon=True).start()
            current = SparqlRuntime(state.store, state.settings)
            state.cache["sparql"] = current
        return current
