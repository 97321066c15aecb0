"""The query workers (see ../procpool.py and worker.py): each holds its own copy of the graph in
memory, or — for a graph of `query_shared_quads` or more — all open one read-only copy on disk
(RocksDB, through the OS page cache: one copy for all, not one per worker); each decides what a query may do from a real parse and runs it with no network at all. A query past
its deadline (counted from the request's arrival) is killed with its process; the requests
queued behind it keep waiting for a worker until their own deadline."""
from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
import threading

import pyoxigraph

from ..caches import ByteBoundedCache
from ..observability.flags import note_timeout
from ..procpool import Busy, Died, ProcessPool, TimedOut, WorkerFailed, interactive_nice
from . import screen
from .decide import Decision
from .results import UNDECIDED, Job, Outcome, error

_DIRS: set[str] = set()
#: Bytes of decisions kept (query texts included): a few thousand distinct queries of a usual size.
DECISION_CACHE_MB = 8
#: Statuses of a decide worker's answer that the query's text alone determines (a decision, a
#: syntax error, a refused update or SERVICE); a timeout or a worker that died (503) is not kept.
DETERMINED = (200, 400, 403)
#: The decision a text cleared by screen.py runs with: no SERVICE, no dataset, the engine's own parse.
SCREENED = dataclasses.asdict(Decision("", screened=True))
#: Evaluating workers started on demand (beside an engine, while it is replaced): one, whatever the
#: pool's size — they run only while a new engine loads the dump beside them, when memory is
#: shortest (N = 300: the engine's load peaks ~80 MB above its loaded 700 MB, and each worker on the
#: read-only copy adds its own), and one answers the requests of that minute.
ON_DEMAND_EVALUATORS = 1


class QueryPool:
    """Deciding workers (no graph), evaluating workers (each with its own copy of the graph), and —
    only when the operator allow-lists SERVICE endpoints — one federation worker, without the
    network sandbox, for the queries whose SERVICE calls are all allowed (no other reaches it).
    For a remote store there are only deciding workers; the endpoint evaluates."""

    def __init__(self, store: pyoxigraph.Store | None, size: int = 2, memory_mb: int = 1024,
                 allowlist: tuple[str, ...] = (), nice: int = 10, shared_quads: int = 1_000_000,
                 decision_cache_mb: float = DECISION_CACHE_MB, source: str | None = None,
                 disk: str | None = None, evaluate_on_demand: bool = False):
        self._dir = tempfile.mkdtemp(prefix="vemgorvad-sparql-")
        self._size, self._memory_mb, self._nice = size, memory_mb, nice
        _DIRS.add(self._dir)
        # evaluating is the client's own work, at the operator's `worker_nice` below the server;
        # deciding is on the interactive path, but a client makes it heavy too (a 1 MB text, a
        # 5,000-deep nesting: seconds of parsing in both deciding workers at once), so it runs
        # half that step below the server: the server's event loop gets a core before either
        self.deciding = ProcessPool("query", {"role": "decide"}, size=size, memory_mb=memory_mb,
                                    nice=interactive_nice(nice))
        # what a text may do is decided once (in a worker, from rdflib's parse: ~10-70 ms a query)
        # and kept by the exact text, base IRI and allow-list it was decided with; evaluation still
        # runs for every request. A refusal is kept too: the same text is refused the same way.
        self.decisions = ByteBoundedCache(decision_cache_mb)
        self.sandboxed = self.federation = None
        # on demand (an engine process evaluates, runtime.py): the evaluating workers start only when
        # evaluate_now() asks for them, and stop again evaluate_later(); no memory while unused
        self._on_demand = evaluate_on_demand
        self._evaluating = not evaluate_on_demand
        self._demand_lock = threading.Lock()
        self._retiring: threading.Timer | None = None
        self._graph: dict[str, str] = {}
        if store is not None:
            if disk is not None:                         # the server's own store is on disk, read-only
                graph = {"store": disk}
            elif len(store) >= shared_quads:
                graph = self._shared(store, source)
            else:
                graph = self._dump(store, source)
            self._graph = graph
            self.sandboxed = self._evaluators()
            if allowlist:
                self.federation = ProcessPool("query", {"role": "evaluate", **graph}, size=1,
                                              memory_mb=memory_mb, nice=nice, sandbox=False)
        failures: list[WorkerFailed] = []

        def start(pool: ProcessPool) -> None:
            try:
                pool.start()
            except WorkerFailed as err:
                failures.append(err)
        threads = [threading.Thread(target=start, args=(p,), daemon=True) for p in self._pools()
                   if self._evaluating or p is not self.sandboxed]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failures:
            self.close()
            raise failures[0]

    def _evaluators(self) -> ProcessPool:
        size = ON_DEMAND_EVALUATORS if self._on_demand else self._size
        return ProcessPool("query", {"role": "evaluate", **self._graph}, size=size, memory_mb=self._memory_mb,
                           nice=self._nice)

    def evaluate_now(self) -> None:
        """Have the evaluating workers running (returns at once; a query waits for the first one up)."""
        with self._demand_lock:
            if self._retiring is not None:
                self._retiring.cancel()
                self._retiring = None
            if self._evaluating or self.sandboxed is None:
                return
            self._evaluating = True
            self.sandboxed.start(wait=False)

    def evaluate_later(self, after: float) -> None:
        """On demand: stop the evaluating workers `after` seconds from now — by then every query they
        took has passed its deadline — unless evaluate_now() comes first."""
        with self._demand_lock:
            if not (self._on_demand and self._evaluating) or self._retiring is not None:
                return
            timer = threading.Timer(after, self._stop_evaluating)
            timer.daemon = True
            self._retiring = timer
            timer.start()

    def _stop_evaluating(self) -> None:
        with self._demand_lock:
            if self._retiring is None or self._retiring is not threading.current_thread():
                return                      # evaluate_now() came first
            self._retiring = None
            running, self.sandboxed = self.sandboxed, self._evaluators()
            self._evaluating = False
        if running is not None:
            running.close()

    def _dump(self, store: pyoxigraph.Store, source: str | None = None) -> dict[str, str]:
        """N-Quads that each worker loads into its own memory: the build's own dump of this store
        (`source`) when there is one, hard-linked so that it outlives the build's folder (a later
        build may prune it) — no second copy written at every start; else the store dumped."""
        dump = os.path.join(self._dir, "dataset.nq")
        if source:
            try:
                os.link(source, dump)
                return {"dump": dump}
            except OSError:             # another file system, or links not allowed: copy it
                try:
                    shutil.copyfile(source, dump)
                    return {"dump": dump}
                except OSError:
                    pass
        store.dump(dump, format=pyoxigraph.RdfFormat.N_QUADS)
        return {"dump": dump}

    def _shared(self, store: pyoxigraph.Store, source: str | None = None) -> dict[str, str]:
        """One on-disk store, written once and closed, that every worker opens read-only: loaded
        from the build's own dump when there is one (pyoxigraph's parallel bulk loader reading the
        file: 13.7 s against 29.4 s copying the store quad by quad at N = 100, loaded machine)."""
        path = os.path.join(self._dir, "store")
        disk = pyoxigraph.Store(path)
        if source and os.path.isfile(source):
            disk.bulk_load(path=source, format=pyoxigraph.RdfFormat.N_QUADS)
        else:
            disk.bulk_extend(store)
        disk.flush()
        del disk                # closed: the workers only read it
        return {"store": path}

    def _pools(self) -> list[ProcessPool]:
        return [p for p in (self.deciding, self.sandboxed, self.federation) if p is not None]

    @property
    def killed(self) -> list[tuple[int, float]]:
        return [k for p in self._pools() for k in p.killed]

    def pids(self) -> list[int]:
        return [pid for p in self._pools() for pid in p.pids()]

    async def decide(self, job: Job, deadline: float, timeout: float) -> Outcome:
        """A refusal (an error Outcome) or an Outcome of kind "decision" carrying it."""
        key = (job.query, job.base_iri, job.service_allowlist)
        known: Outcome | None = self.decisions.get(key)
        if known is not None:
            return known
        outcome = await _run(self.deciding, job, deadline, timeout)
        if outcome.status in DETERMINED and outcome.kind in ("decision", ""):
            self.decisions.put(key, outcome, len(outcome.body) + 512)
        return outcome

    async def run(self, job: Job, deadline: float, timeout: float) -> Outcome:
        if self.sandboxed is not None and screen.clear(job.query):
            # no rdflib parse needed (screen.py): the engine's parser decides, unless it meets an error
            outcome = await _run(self.sandboxed, dataclasses.replace(job, decision=SCREENED), deadline, timeout)
            if outcome.kind != UNDECIDED:
                return outcome
        outcome = await self.decide(job, deadline, timeout)
        if outcome.kind != "decision":
            return outcome
        decision = outcome.decision or {}
        job = dataclasses.replace(job, decision=decision)
        if decision.get("services"):                    # all allow-listed, or decide() had refused
            if self.federation is None:
                return error(403, "SERVICE är inte tillåtet här.\n(Federated query is not allowed.)")
            return await _run(self.federation, job, deadline, timeout)
        if self.sandboxed is None:                      # a remote store: its endpoint evaluates
            return error(503, "Ingen graf är laddad i frågeprocesserna.\n(No graph is loaded in the query workers.)")
        return await _run(self.sandboxed, job, deadline, timeout)

    def close(self) -> None:
        with self._demand_lock:
            if self._retiring is not None:
                self._retiring.cancel()
                self._retiring = None
        for pool in self._pools():
            pool.close()
        shutil.rmtree(self._dir, ignore_errors=True)
        _DIRS.discard(self._dir)


async def _run(pool: ProcessPool, job: Job, deadline: float, timeout: float) -> Outcome:
    try:
        outcome: Outcome = await pool.run(job, deadline)   # what the query worker sends back
        return outcome
    except Busy:
        return timed_out(timeout, busy=True)
    except TimedOut:
        return timed_out(timeout)
    except Died:
        return error(503, "Frågan krävde mer minne än servern tillåter, eller fick frågeprocessen att avbrytas, "
                          "och stoppades. Begränsa frågan (LIMIT, fler villkor).\n"
                          "(The query needed more memory than allowed, or crashed its worker.)")


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


@atexit.register
def _remove_dumps() -> None:
    for directory in list(_DIRS):
        shutil.rmtree(directory, ignore_errors=True)


__all__ = ["QueryPool", "WorkerFailed", "timed_out"]
