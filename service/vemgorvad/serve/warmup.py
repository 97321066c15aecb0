"""Every kind of request answered once, in the server's own event loop, before it listens.

The first request of each kind does work no later one does: Python imports modules on first use
(anyio's thread backend at the first request run in a thread, the multipart parser at the first
upload), FastAPI builds its validators, starlette its middleware stack, anyio starts the event
loop's first threads. Measured with a monitor of the event loop during `make attack` (a callback
every 5 ms, the loop thread's stack dumped when it was late): the longest stalls, 265-435 ms, were
such first-use imports and schema builds on the event loop, while /health waited behind them.

So `serve` installs `warm` as part of the application's start-up (its lifespan, which uvicorn
runs in the loop that will serve, before it binds the port): one request of each kind goes
through the whole application (every middleware, the routes, the workers), and only then does
the server listen and answer /health. The requests are the service's own (a question, a query,
a small upload, a few refusals), their answers are discarded; a failure is logged and never
stops the start (the checks that refuse to start are serve's own, before this). They are left out
of the access log and the request metrics (observability/flags.py, `warming`)."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from .observability.flags import warming

log = logging.getLogger("vemgorvad.serve")

_QUERY = {"Content-Type": "application/sparql-query"}
#: (method, path, httpx keyword arguments): one of each kind a client sends, the refusals included.
REQUESTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("GET", "/health", {}),
    ("GET", "/metrics", {}),
    ("GET", "/sparql", {"params": {"query": "ASK { ?s ?p ?o }"}}),
    ("POST", "/sparql", {"content": b"SELECT * WHERE { ?s ?p ?o } LIMIT 1", "headers": _QUERY}),
    ("POST", "/sparql", {"data": {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}}),
    ("POST", "/sparql", {"content": b"SELECT * WHERE { ?s ?p ", "headers": _QUERY}),
    ("GET", "/sparql", {"headers": {"Accept": "text/turtle"}}),
    ("GET", "/sparql", {"headers": {"Accept": "text/html"}}),
    ("GET", "/api/ask", {"params": {"q": "Vem ansvarar för boendestöd?"}}),
    ("GET", "/api/ask", {}),
    ("POST", "/api/check", {"files": {"file": ("prov.txt", "Kommunen ansvarar för boendestöd.".encode())}}),
    ("POST", "/api/check", {"content": "Regionen ansvarar för vården.".encode(),
                            "headers": {"Content-Type": "text/plain"}}),
    ("POST", "/api/check", {"content": b"\x00", "headers": {"Content-Type": "image/png"}}),
    ("GET", "/id/%25", {}),
    ("GET", "/finns-inte", {}),
    ("PROPFIND", "/sparql", {}),
    ("GET", "/", {}),
)


async def warm(app: Any, base_url: str) -> dict[str, int]:
    """Send REQUESTS through `app` in the running loop; the status of each ('METHOD path #i')."""
    statuses: dict[str, int] = {}
    token = warming.set(True)           # left out of the access log and the metrics
    try:
        return await _send_all(app, base_url, statuses)
    finally:
        warming.reset(token)


async def _send_all(app: Any, base_url: str, statuses: dict[str, int]) -> dict[str, int]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
    async with httpx.AsyncClient(transport=transport, base_url=base_url, timeout=120) as client:
        for i, (method, path, kwargs) in enumerate(REQUESTS):
            try:
                statuses[f"{method} {path} #{i}"] = (await client.request(method, path, **kwargs)).status_code
            except Exception as err:     # a warm-up that fails costs its warmth, never the start
                log.warning("warm-up %s %s: %s", method, path, type(err).__name__)
                statuses[f"{method} {path} #{i}"] = -1
    return statuses


def install(app: Any, base_url: str, then: Callable[[], Any] | None = None) -> None:
    """Run `warm` at the application's start-up, after whatever start-up it already has; then
    `then` (serve: freeze the heap, the warm-up's own objects included)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with inner(application) as state:
            app.state.warmed = await warm(app, base_url)
            if then is not None:
                then()
            yield state

    app.router.lifespan_context = lifespan
