"""GET /health: ready, with the number of agreements and triples served.

Answered outside the pools that client work uses: an async route (no server thread from the shared
pool) whose one possibly slow step — a remote store's size, the first time — runs on the operators'
own small thread pool (ops.py), so a flood of queries or checks never delays it. Once the size is
known (serve's warm-up reads it), the answer is made on the event loop itself, with no hop to a
thread: under load each hop waits for the interpreter lock behind the requests' own work."""
from __future__ import annotations

from fastapi import APIRouter, Request

from ..store import GraphStore
from .ops import off_pool

router = APIRouter()


@router.get("/health", tags=["drift"], summary="Tjänstens status")
async def health(request: Request) -> dict[str, str | int]:
    store: GraphStore = request.app.state.vg.store
    known = store.known_stats()
    stats = known if known is not None else await off_pool(store.stats)
    return {"status": "ok", "agreements": stats["agreements"], "triples": stats["triples"]}
