"""What the service tells its operator: one JSON access-log line per request (logger
`vemgorvad.access`) and Prometheus metrics at GET /metrics, both fed by one ASGI middleware.

Code that decides a query timed out calls `note_timeout(source)`; the middleware puts the flag in
that request's log line and counts it (see flags.py for how the flag reaches the request)."""
from __future__ import annotations

from fastapi import FastAPI

from .access_log import configure_access_log
from .flags import note_timeout
from .metrics import Metrics, router
from .middleware import ObservabilityMiddleware

__all__ = ["configure_access_log", "install", "note_timeout"]


def install(app: FastAPI) -> None:
    """Add the middleware (outermost, so its latency covers every other layer) and GET /metrics."""
    app.state.metrics = Metrics(app)
    app.add_middleware(ObservabilityMiddleware, metrics=app.state.metrics)
    app.include_router(router)
