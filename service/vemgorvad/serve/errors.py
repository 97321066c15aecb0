"""Every error the service returns is JSON with a readable `detail` (Swedish where staff read it)
and never a stack trace."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ..store import GraphMissing, QueryFailed, QueryTimeout
from .api_error import ApiError
from .observability.flags import note_timeout
from .sparql.http import wrong_method

log = logging.getLogger("vemgorvad")


def _allowed(request: Request) -> str:
    """Every method some route takes at this path (the Allow header of a 405)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE or any(route.matches({**request.scope, "method": m})[0] == Match.FULL
                                      for m in ("POST", "OPTIONS")):
            methods |= set(getattr(route, "methods", None) or ())
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return ", ".join(sorted(methods, key=lambda m: order.index(m) if m in order else len(order)))


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, err: ApiError) -> Response:
        return JSONResponse({"detail": err.detail, **err.extra}, status_code=err.status, headers=err.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        detail = err.detail if isinstance(err.detail, str) else "Ogiltig begäran."
        if err.status_code == 404 and detail == "Not Found":
            detail = "Sidan eller resursen finns inte."
        elif err.status_code == 405:
            if request.url.path == "/sparql":
                return wrong_method(request)
            detail = "Metoden stöds inte för den här adressen."
            return JSONResponse({"detail": detail}, status_code=405, headers={"Allow": _allowed(request)})
        return JSONResponse({"detail": detail}, status_code=err.status_code, headers=getattr(err, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []) if p != 'query')}: {e.get('msg')}"
                             for e in err.errors()[:5])
        return JSONResponse({"detail": f"Ogiltiga parametrar: {problems}"}, status_code=400)

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, err: QueryTimeout) -> Response:
        note_timeout("store")
        return JSONResponse({"detail": f"Frågan tog för lång tid och avbröts ({err})."}, status_code=503)

    @app.exception_handler(QueryFailed)
    async def failed(request: Request, err: QueryFailed) -> Response:
        return JSONResponse({"detail": f"Frågan kunde inte besvaras: {err}"}, status_code=400)

    @app.exception_handler(GraphMissing)
    async def missing(request: Request, err: GraphMissing) -> Response:
        return JSONResponse({"detail": str(err)}, status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": "Ett oväntat fel inträffade. Felet är loggat."}, status_code=500)
