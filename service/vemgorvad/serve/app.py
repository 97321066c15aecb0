"""The FastAPI application: one store, the routers of each feature, uniform errors."""
from __future__ import annotations

from fastapi import FastAPI

from .. import __version__
from ..store import GraphStore
from . import errors
from .settings import Settings


class State:
    """What every request handler shares: the store and what was prepared from it at startup."""

    def __init__(self, store: GraphStore, settings: Settings):
        self.store = store
        self.settings = settings
        self.cache: dict = {}


def create_app(store: GraphStore, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="vemgörvad", version=__version__,
                  description="Vem gör vad enligt samverkansöverenskommelser mellan kommuner och regioner.")
    app.state.vg = State(store, settings)
    errors.install(app)
    from . import security
    security.install(app)
    from . import observability
    observability.install(app)
    from . import health
    app.include_router(health.router)
    from . import sparql
    sparql.install(app)
    from .ask import routes as ask_routes
    app.include_router(ask_routes.router)
    from .web.routes import router as web_router
    app.include_router(web_router)
    from .check import routes as check_routes
    app.include_router(check_routes.router)
    from . import reload
    app.include_router(reload.router)
    return app
