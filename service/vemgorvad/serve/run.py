"""`vemgorvad serve`: open the store (refusing to start without a valid graph), then uvicorn."""
from __future__ import annotations

import uvicorn

from ..settings import settings
from ..store import GraphMissing, open_store
from . import heap, protocol, warmup
from .app import create_app
from .observability import configure_access_log
from .reload import install_sighup
from .startup import check_graph, check_resources, exit_zero_on_sigterm
from .urls import default_base, normalise_base


def serve(host: str, port: int, endpoint: str | None = None, allow_stale: bool = False) -> int:
    exit_zero_on_sigterm()
    config = settings()
    try:
        base = normalise_base(config.public_base_url or default_base(host, port))
    except ValueError as err:
        raise GraphMissing(str(err)) from None
    config = config.model_copy(update={"public_base_url": base})
    check_resources()                   # ontology, shapes, queries, language data: refuse in one line
    store = open_store(endpoint, on_disk_from=config.query_shared_quads)
    stats = check_graph(store, allow_stale or config.allow_stale)   # missing, invalid or stale: refuse
    app = create_app(store, config)
    install_sighup(app)
    try:
        app.state.vg.served.warm()      # workers and the answer index up before the first request
    except (OSError, ValueError, RuntimeError, KeyError) as err:
        raise GraphMissing(f"tjänsten kunde inte förbereda sina svar ({type(err).__name__}: "
                           f"{' '.join(str(err).split())[:300]}) (the service could not get ready)") from None
    # every kind of request once, in uvicorn's loop, before it listens; then the warm heap out of
    # the collector's way (heap.py)
    warmup.install(app, base, then=heap.freeze)
    print(f"vemgörvad: {stats['agreements']} överenskommelser, {stats['triples']} tripler "
          f"({store.name}) på {base}")
    configure_access_log()      # JSON lines on stderr; uvicorn's own access log stays off
    server = uvicorn.Server(protocol.config(app, host, port, config.max_header_kb, log_level="warning",
                                            access_log=False, timeout_graceful_shutdown=10))
    server.run()
    return 0 if server.started else 1   # as uvicorn.run: a server that never listened (port taken) failed
