"""`vemgorvad serve`: open the store (refusing to start without a valid graph), then uvicorn."""
from __future__ import annotations

import uvicorn

from ..settings import settings
from ..store import open_store
from .app import create_app
from .observability import configure_access_log
from .reload import install_sighup
from .startup import check_graph, exit_zero_on_sigterm


def serve(host: str, port: int, endpoint: str | None = None, allow_stale: bool = False) -> int:
    exit_zero_on_sigterm()
    config = settings()
    store = open_store(endpoint)
    stats = check_graph(store, allow_stale or config.allow_stale)   # missing, invalid or stale: refuse
    app = create_app(store, config)
    install_sighup(app)
    print(f"vemgörvad: {stats['agreements']} överenskommelser, {stats['triples']} tripler "
          f"({store.name}) på http://{host}:{port}/")
    configure_access_log()      # JSON lines on stderr; uvicorn's own access log stays off
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=10)
    return 0
