"""SPARQL for integrators: the SPARQL 1.1 Protocol query endpoint at /sparql (read-only; default
graph = union of the agreement graphs), its service description and VoID, YASGUI for browsers.

Queries from clients run in worker processes (pool.py) so that the operator's time limit really
stops them; answers are cached until the store changes (a rebuild). See endpoint.py for the flow.
"""
from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Include the integrator routers: /sparql, linked data, named queries."""
    from .. import linked_data, named_queries
    from .endpoint import router
    app.include_router(router)
    app.include_router(named_queries.router)
    app.include_router(linked_data.router)
