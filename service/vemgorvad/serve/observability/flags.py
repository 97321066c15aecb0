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


def note_timeout(source: str) -> None:
    """Mark the current request as having hit a query or check time limit."""
    flags = current.get()
    if flags is not None:
        flags.timeouts.append(source)
