"""What the SPARQL endpoint keeps per store: the way queries run (sandboxed worker processes that
decide what a query may do and evaluate it; for a remote endpoint, deciding workers, then HTTP),
the cache of answers, and things computed once from the graph (service description, VoID, dumps: a Memo bounded in bytes, by typed keys).
A new store (a rebuild loaded by the service) gets a new runtime, in a new state.Served; the old
one's workers are stopped."""
from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from ...settings import Settings
from ...store import EmbeddedStore, GraphStore, RemoteStore
from ..caches import ByteBoundedCache, Key, Memo
from . import screen
from .engine import Engine
from .forward import ENGINE_GONE, EngineClient
from .pool import QueryPool
from .remote import run_remote
from .results import RESULT_KIND, UNDECIDED, Job, Outcome, error, format_for, not_acceptable

T = TypeVar("T")


class SparqlRuntime:
    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.answers = ByteBoundedCache(settings.answer_cache_mb)
        self._memo = Memo(settings.derived_cache_mb)    # keys chosen by the server (never a client's header)
        self._pool: QueryPool | None = None
        self._engine: Engine | None = None
        self._client: EngineClient | None = None
        self._lock = threading.Lock()
        self.ready_at = 0.0                 # when the workers were up (time.monotonic())

    @property
    def timeout(self) -> float:
        return float(self.settings.query_timeout)

    def uses_engine(self) -> bool:
        """Whether an Oxigraph server process (engine.py) evaluates the queries: an embedded store
        of `query_engine_quads` or more with its build's dump, and no SERVICE allow-listed (those
        queries need the federation worker, whose graph is the evaluating workers')."""
        return (isinstance(self.store, EmbeddedStore) and self._source() is not None
                and not self.settings.service_allowlist
                and 0 < self.settings.query_engine_quads <= self.store.stats()["triples"])

    @property
    def engine(self) -> Engine | None:
        """The engine process evaluating the queries, once started (uses_engine), else None."""
        return self._engine

    def pool(self) -> QueryPool:
        with self._lock:
            if self._pool is None:
                if self.uses_engine():
                    return self._start_with_engine()
                self._pool = self._workers()
                self.ready_at = time.monotonic()
            return self._pool

    def _workers(self, evaluate_on_demand: bool = False) -> QueryPool:
        graph = self.store.store if isinstance(self.store, EmbeddedStore) else None
        disk = self.store.disk if isinstance(self.store, EmbeddedStore) else None
        return QueryPool(graph, self.settings.query_workers, self.settings.query_memory_mb,
                         tuple(self.settings.service_allowlist), self.settings.worker_nice,
                         self.settings.query_shared_quads, source=self._source(), disk=disk,
                         evaluate_on_demand=evaluate_on_demand)

    def _start_with_engine(self) -> QueryPool:
        """The engine and the workers, started side by side (called under the lock). The workers
        decide what a text may do, and evaluate the queries themselves — on the store's read-only
        copy, as without an engine — while the engine is not ready (being replaced after it died,
        grew or ran on past a deadline): a runaway query costs the engine's reload, not /sparql. The
        evaluating workers run only then (QueryPool's evaluate_on_demand), so they cost no memory
        while the engine answers."""
        source = self._source()
        assert source is not None
        engine = Engine(source, self.timeout, self.settings.worker_nice, self.settings.query_memory_mb)
        failed: list[Exception] = []

        def start() -> None:
            try:
                engine.start()
            except Exception as err:           # reported in this thread, below
                failed.append(err)
        thread = threading.Thread(target=start, name="sparql-engine-start", daemon=True)
        thread.start()
        try:
            pool = self._workers(evaluate_on_demand=True)
        except BaseException:
            thread.join()
            engine.close()
            raise
        thread.join()
        if failed:
            pool.close()
            engine.close()
            raise failed[0]
        engine.on_change = lambda ready: pool.evaluate_later(self.timeout + 1) if ready else pool.evaluate_now()
        self._engine, self._client, self._pool = engine, EngineClient(engine), pool
        self.ready_at = time.monotonic()
        return pool

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
        if self._client is not None:
            return await self._on_engine(self._client, pool, job, deadline)
        if isinstance(self.store, RemoteStore):
            outcome = await pool.decide(job, deadline, self.timeout)
            if outcome.kind != "decision" or outcome.decision is None:
                return outcome
            return await run_in_threadpool(run_remote, self.store.endpoint, job, outcome.decision, deadline,
                                           self.timeout)
        return await pool.run(job, deadline, self.timeout)

    async def _on_engine(self, client: EngineClient, pool: QueryPool, job: Job, deadline: float) -> Outcome:
        """A text the screen clears goes to the engine as it is (its parser decides; any error
        there brings it to the full decision); any other text is decided first, and runs with the
        dataset the decision read. SERVICE is never allowed here (uses_engine). While the engine is
        gone or being replaced, the workers evaluate the query as they do without an engine."""
        if not client.engine.ready:                             # being replaced: the workers evaluate
            return await self._on_workers(pool, job, deadline)
        if screen.clear(job.query):
            outcome = await client.run(job, deadline, self.timeout, screened=True)
            if outcome.kind == ENGINE_GONE:
                return await self._on_workers(pool, job, deadline)
            if outcome.kind != UNDECIDED:
                return outcome
        outcome = await pool.decide(job, deadline, self.timeout)
        if outcome.kind != "decision" or outcome.decision is None:
            return outcome
        decision = outcome.decision
        if decision.get("services"):
            return error(403, "SERVICE är inte tillåtet här.\n(Federated query is not allowed.)")
        expected = RESULT_KIND[decision["form"]]
        if not format_for(job, expected):
            return not_acceptable(expected)
        if job.default_graphs is None and job.named_graphs is None and (decision.get("from_graphs") or decision.get("from_named")):
            job = dataclasses.replace(job, default_graphs=tuple(decision.get("from_graphs") or ()),
                                      named_graphs=tuple(decision.get("from_named") or ()))
        outcome = await client.run(job, deadline, self.timeout, screened=False)
        if outcome.kind == ENGINE_GONE:
            return await self._on_workers(pool, job, deadline)
        return outcome

    async def _on_workers(self, pool: QueryPool, job: Job, deadline: float) -> Outcome:
        """The workers evaluate while the engine does not answer; once it does again, they stop.
        The text is decided first: a refusal or a syntax error needs no evaluating worker, which may
        still be starting."""
        pool.evaluate_now()
        outcome = await pool.decide(job, deadline, self.timeout)
        if outcome.kind == "decision":
            outcome = await pool.run(job, deadline, self.timeout)     # the decision is kept: no second parse
        if self._engine is not None and self._engine.ready:
            pool.evaluate_later(self.timeout + 1)
        return outcome

    def memo(self, key: Key[T], compute: Callable[[], T]) -> T:
        """compute() once per store (for descriptions and dumps); keys are the server's own."""
        return self._memo.get(key, compute)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            engine, self._engine = self._engine, None
            client, self._client = self._client, None
        if client is not None:
            client.close()
        if engine is not None:
            engine.close()
        if pool is not None:
            pool.close()
