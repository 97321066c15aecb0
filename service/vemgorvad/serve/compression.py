"""gzip for what is large and compresses well: the static files of the pages and of YASGUI (the
1 MB bundle goes out as ~300 KB) and the dumps of the graph. Starlette's GZipMiddleware does the
work (it honours Accept-Encoding, sets Vary and skips small bodies); this only chooses the paths,
so API answers and SPARQL results — small, or streamed with their own limits — are left as they are."""
from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

PREFIXES = ("/web/", "/yasgui/", "/download/")
MINIMUM_SIZE = 1024


class CompressStatic:
    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...] = PREFIXES, minimum_size: int = MINIMUM_SIZE) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=6)
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(self.prefixes):
            return await self.gzip(scope, receive, send)
        return await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(CompressStatic)
