"""The middleware and GET /metrics on an app."""
from __future__ import annotations

from fastapi import FastAPI

from .metrics import Metrics, router
from .middleware import ObservabilityMiddleware


def install(app: FastAPI) -> None:
    """Add the middleware (outermost, so its latency covers every other layer) and GET /metrics."""
    app.state.metrics = Metrics(app)
    app.add_middleware(ObservabilityMiddleware, metrics=app.state.metrics)
    app.include_router(router)
