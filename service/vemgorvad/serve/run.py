"""`vemgorvad serve`: open the store (refusing to start without a valid graph), then uvicorn."""
from __future__ import annotations

import uvicorn

from ..store import open_store
from .app import create_app
from .reload import install_sighup
from .startup import allow_stale_from_env, check_graph, exit_zero_on_sigterm
from .observability import configure_access_log


def serve(host: str, port: int, endpoint: str | None = None, allow_stale: bool = False) -> int:
    exit_zero_on_sigterm()
    store = open_store(endpoint)
    stats = check_graph(store, allow_stale or allow_stale_from_env())   # missing, invalid or stale: refuse
    app = create_app(store)
    install_sighup(app)
    print(f"vemgörvad: {stats['agreements']} överenskommelser, {stats['triples']} tripler "
          f"({store.name}) på http://{host}:{port}/")
    configure_access_log()      # JSON lines on stderr; uvicorn's own access log stays off
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=10)
    return 0
