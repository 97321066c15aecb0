"""`vemgorvad serve`: open the store (refusing to start without a valid graph), then uvicorn."""
from __future__ import annotations

import uvicorn

from ..store import open_store
from .app import create_app
from .observability import configure_access_log


def serve(host: str, port: int, endpoint: str | None = None) -> int:
    store = open_store(endpoint)
    stats = store.stats()
    if stats["agreements"] == 0:
        from ..store import GraphMissing
        raise GraphMissing("grafen innehåller inga överenskommelser (the graph holds no agreements)")
    app = create_app(store)
    print(f"vemgörvad: {stats['agreements']} överenskommelser, {stats['triples']} tripler "
          f"({store.name}) på http://{host}:{port}/")
    configure_access_log()      # JSON lines on stderr; uvicorn's own access log stays off
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=10)
    return 0
