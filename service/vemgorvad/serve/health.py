"""GET /health: ready, with the number of agreements and triples served."""
from __future__ import annotations

from fastapi import APIRouter, Request

router = APIRouter()


@router.get("/health", tags=["drift"], summary="Tjänstens status")
def health(request: Request) -> dict:
    stats = request.app.state.vg.store.stats()
    return {"status": "ok", "agreements": stats["agreements"], "triples": stats["triples"]}
