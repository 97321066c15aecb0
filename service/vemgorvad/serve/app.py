"""The FastAPI application: one store, the routers of each feature, uniform errors."""
from __future__ import annotations

from fastapi import FastAPI

from .. import __version__
from ..settings import Settings
from ..settings import settings as process_settings
from ..store import GraphStore
from . import compression, errors, health, linked_data, named_queries, reload, security
from .ask import routes as ask_routes
from .check import routes as check_routes
from .observability.install import install as install_observability
from .sparql import endpoint as sparql_endpoint
from .sparql.lane import SparqlLane
from .deadline import Arrival
from .state import State
from .urls import HostCheck
from .web import routes as web_routes


def create_app(store: GraphStore, settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="vemgörvad", version=__version__, docs_url=None, redoc_url=None,
                  description="Vem gör vad enligt samverkansöverenskommelser mellan kommuner och regioner.")
    app.state.vg = State(store, settings or process_settings())
    errors.install(app)
    app.add_middleware(SparqlLane)      # innermost: GET/POST /sparql past the router (sparql/lane.py)
    security.install(app)
    install_observability(app)
    compression.install(app)
    app.include_router(health.router)
    app.include_router(sparql_endpoint.router)     # SPARQL for integrators: /sparql, named queries,
    app.include_router(named_queries.router)       # linked data
    app.include_router(linked_data.router)
    app.include_router(ask_routes.router)
    app.include_router(web_routes.router)
    app.include_router(check_routes.router)
    app.include_router(reload.router)
    app.add_middleware(HostCheck, settings=app.state.vg.settings)
    app.add_middleware(Arrival)          # outermost: a request's deadline counts from here
    return app
