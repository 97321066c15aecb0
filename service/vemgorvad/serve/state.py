"""What the request handlers share (``app.state.vg``): the settings, and the graph being served
with everything derived from it.

Everything derived from one store lives in one :class:`Served`: the SPARQL runtime (worker
processes, answer cache, descriptions and dumps), the ask engine's index and the gap check's
peers. A handler takes ``state.served`` once and uses that bundle throughout, so a reload — which
builds and warms a new bundle and then swaps it in with one assignment (reload.py) — can never
mix the old store with something derived from the new one.
"""
from __future__ import annotations

import threading
import time

from starlette.requests import Request

from ..settings import Settings
from ..store import GraphStore
from .ask import spelling
from .ask.engine import AskEngine
from .check.service import CheckService
from .observability.readiness import ASK_INDEX
from .sparql.runtime import SparqlRuntime


class Served:
    """One store and what is computed from it, each part made when first needed."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.sparql = SparqlRuntime(store, settings)
        self.ask: AskEngine | None = None
        self.check: CheckService | None = None
        self._lock = threading.Lock()

    def ask_engine(self) -> AskEngine:
        with self._lock:
            if self.ask is None:
                started = time.perf_counter()
                self.ask = AskEngine(self.store)
                ASK_INDEX.note(time.perf_counter() - started)
            return self.ask

    def check_service(self) -> CheckService:
        with self._lock:
            if self.check is None:
                self.check = CheckService(self.store, settings=self.settings)
            return self.check

    def warm(self) -> None:
        """Make every part now (before `serve` listens, before a reload swaps this bundle in): the
        answer index and the peers first (they read the named queries, so a broken one fails at
        once), then the workers of both pools, started side by side. It returns only when all of it
        is done, the spelling dictionary loaded too: nothing is left to load or start beside the
        first requests. (The dictionary's 2.5 s of pure Python and the gap-check workers' start,
        both left running after ready, held the event loop's interpreter lock and CPU while the
        attack suite ran: /health up to 490 ms.)"""
        self.ask_engine()
        check = self.check_service().start()
        self.sparql.pool()
        check.start(wait=True)
        spelling.wait()

    def close(self) -> None:
        """Stop the worker processes of this bundle."""
        self.sparql.close()
        if self.check is not None:
            self.check.close()


class State:
    """``app.state.vg``: the operator's settings and the bundle being served."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.settings = settings
        self.served = Served(store, settings)

    @property
    def store(self) -> GraphStore:
        return self.served.store

    def replace(self, served: Served) -> Served:
        """Serve `served` from now on; returns the bundle it replaces (still used by requests in
        flight, to be closed once they are done)."""
        old, self.served = self.served, served
        return old

    def close(self) -> None:
        self.served.close()


def state_of(request: Request) -> State:
    state: State = request.app.state.vg
    return state


def served(request: Request) -> Served:
    """The bundle a request works with, taken once."""
    return state_of(request).served
