"""Time limits counted from a request's arrival, not from when a thread or a worker takes it up.

`Arrival` (the outermost middleware) notes time.monotonic() when the request's headers are in;
`deadline(request, seconds)` is that moment plus the limit. Work that runs in the server process
itself (/api/ask) checks the deadline as it goes (`check()` with the deadline set in a context
variable by `limited`), so a request past its time stops working instead of going on unseen.
"""
from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("vemgorvad_deadline", default=None)


class DeadlineExceeded(Exception):
    """The request's time is up."""


class Arrival:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["arrival"] = time.monotonic()
        await self.app(scope, receive, send)


def arrival(request: Request) -> float:
    return request.scope.get("state", {}).get("arrival") or time.monotonic()


def deadline(request: Request, seconds: float) -> float:
    return arrival(request) + seconds


@contextmanager
def limited(until: float) -> Iterator[None]:
    token = _DEADLINE.set(until)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check() -> None:
    """Raise DeadlineExceeded when the current request's time is up (no-op outside a request)."""
    until = _DEADLINE.get()
    if until is not None and time.monotonic() > until:
        raise DeadlineExceeded


def remaining() -> float | None:
    until = _DEADLINE.get()
    return None if until is None else until - time.monotonic()
