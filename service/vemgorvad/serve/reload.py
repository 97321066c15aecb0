"""Switching a running service to a new build without dropping a request (operator only).

Triggers: `POST /admin/reload` with `Authorization: Bearer <VEMGORVAD_RELOAD_TOKEN>` (the route
answers 404 while no token is configured), or SIGHUP to the `vemgorvad serve` process.

A reload opens `var/current` as a new store and prepares everything derived from it before anyone
sees it: the SPARQL runtime with its worker processes started, the ask engine's index, the gap
check's peers (state.Served). Then one assignment swaps the new bundle in, so nothing derived from
the old store is served with the new one. A request already
running finishes on the old store; the old runtime's workers and the check's worker are stopped
once every request that could still use them has passed its deadline. A build that cannot be
opened leaves the old graph serving.
"""
from __future__ import annotations

import hmac
import logging
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from .. import paths
from . import heap
from ..store import EmbeddedStore, GraphMissing, GraphStore, RemoteStore
from .api_error import ApiError
from .startup import check_graph
from .state import Served, State

log = logging.getLogger("vemgorvad")
router = APIRouter(tags=["drift"])
_RELOADING = threading.Lock()
RETIRE_MARGIN = 5.0   # seconds past the query deadline before the old store's workers are stopped
STATUS_SV = {"reloaded": "omladdad", "unchanged": "oförändrad"}


def _build_id(store: GraphStore) -> str | None:
    return (getattr(store, "manifest", None) or {}).get("build_id")


def reload_graph(app: FastAPI) -> dict[str, Any]:
    """Open the current build and switch the app to it; one reload at a time. Raises GraphMissing
    (old graph still serving) when the new build cannot be served."""
    with _RELOADING:
        started = time.perf_counter()
        state: State = app.state.vg
        old = state.store
        new: GraphStore
        if isinstance(old, RemoteStore):
            new = RemoteStore(old.endpoint, old.timeout)
        else:
            if getattr(old, "build_dir", None) == paths.CURRENT.resolve():
                stats = old.stats()
                return {"status": "unchanged", "build": _build_id(old), "agreements": stats["agreements"],
                        "triples": stats["triples"], "seconds": round(time.perf_counter() - started, 3)}
            new = EmbeddedStore.from_build(paths.CURRENT, state.settings.query_shared_quads)
        stats = check_graph(new, allow_stale=True)
        served = Served(new, state.settings)       # everything derived from the new store, warmed
        served.warm()                               # worker processes up before the switch
        retired = state.replace(served)
        grace = float(state.settings.query_timeout) + RETIRE_MARGIN
        timer = threading.Timer(grace, _retire, args=([retired],))     # a box: _retire drops the last reference
        timer.daemon = True
        timer.start()
        return {"status": "reloaded", "build": _build_id(new), "previous": _build_id(old),
                "agreements": stats["agreements"], "triples": stats["triples"],
                "seconds": round(time.perf_counter() - started, 3)}


def _retire(box: list[Served]) -> None:
    served = box.pop()
    try:
        served.close()
        if isinstance(served.store, EmbeddedStore):
            served.store.close()        # its on-disk copy, if it had one
    except Exception:  # a worker already gone: nothing left to stop
        log.warning("closing the previous graph's workers after a reload failed", exc_info=True)
    del served
    heap.refreeze()         # what the previous graph left is collected, the new one frozen (heap.py)


@router.post("/admin/reload", summary="Byt till senaste bygget av grafen (endast drift, kräver nyckel)")
async def admin_reload(request: Request) -> dict[str, Any]:
    token = request.app.state.vg.settings.reload_token
    if not token:
        raise ApiError(404, "Omladdning via HTTP är inte påslagen: starta tjänsten med VEMGORVAD_RELOAD_TOKEN "
                            "eller skicka SIGHUP till processen.")
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "Omladdning kräver driftens nyckel: Authorization: Bearer <nyckel>.",
                       headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(403, "Fel nyckel för omladdning.")
    try:
        return await run_in_threadpool(reload_graph, request.app)
    except GraphMissing as err:
        raise ApiError(409, f"Det nya bygget kan inte användas, den tidigare grafen används fortfarande: {err}") from None


def install_sighup(app: FastAPI) -> None:
    """SIGHUP reloads in a background thread; the event loop keeps serving meanwhile."""
    def handler(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=_reload_and_report, args=(app,), name="vemgorvad-reload", daemon=True).start()
    signal.signal(signal.SIGHUP, handler)


def _reload_and_report(app: FastAPI) -> None:
    try:
        result = reload_graph(app)
    except GraphMissing as err:
        print(f"vemgörvad: omladdning misslyckades, den tidigare grafen används: {' '.join(str(err).split())}",
              file=sys.stderr, flush=True)
        return
    except Exception as err:  # never let a reload take the server down
        log.exception("reload failed")
        print(f"vemgörvad: omladdning misslyckades ({type(err).__name__}), den tidigare grafen används",
              file=sys.stderr, flush=True)
        return
    print(f"vemgörvad: graf {STATUS_SV[result['status']]}: {result['build']} – {result['agreements']} överenskommelser, "
          f"{result['triples']} tripler [{result['seconds']} s]", file=sys.stderr, flush=True)
