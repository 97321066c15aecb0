"""Per-request flags set deep inside the work (a query killed at its deadline, a gap check stopped)
and read by the middleware once the response is sent.

The middleware puts a fresh `RequestFlags` in a context variable before it calls the app. Context
variables are copied into every task and worker thread the request starts (anyio's threadpool
copies the context), and a copy still points at the same object, so `note_timeout()` called in a
thread marks the request that started it. Outside a request (the CLI, tests) it does nothing."""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

#: Where a timeout can come from: the SPARQL endpoint's worker pool (or remote endpoint), the gap
#: check's worker process, a store query raising QueryTimeout (a remote store), or /api/ask past its deadline.
SOURCES = ("sparql", "check", "store", "ask")


@dataclass
class RequestFlags:
    timeouts: list[str] = field(default_factory=list)


current: ContextVar[RequestFlags | None] = ContextVar("vemgorvad_request_flags", default=None)

#: True while `serve` sends its own warm-up requests through the application (serve/warmup.py) in
#: its start-up: they are nobody's traffic, so the access log and the request metrics leave them
#: out. A context variable, not a header or an address, so no client can ask to be left out.
warming: ContextVar[bool] = ContextVar("vemgorvad_warming", default=False)


def note_timeout(source: str) -> None:
    """Mark the current request as having hit a query or check time limit."""
    flags = current.get()
    if flags is not None:
        flags.timeouts.append(source)
