"""GET /health: ready, with the number of agreements and triples served.

Answered outside the pools that client work uses: an async route (no server thread from the shared
pool) whose one possibly slow step — a remote store's size, the first time — runs on the operators'
own small thread pool (ops.py), so a flood of queries or checks never delays it."""
from __future__ import annotations

from fastapi import APIRouter, Request

from .ops import off_pool

router = APIRouter()


@router.get("/health", tags=["drift"], summary="Tjänstens status")
async def health(request: Request) -> dict:
    stats = await off_pool(request.app.state.vg.store.stats)
    return {"status": "ok", "agreements": stats["agreements"], "triples": stats["triples"]}
