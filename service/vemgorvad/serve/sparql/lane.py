"""GET and POST /sparql straight from the middleware stack to the endpoint (a pure ASGI layer):
FastAPI's routing — matching the path against every route, its request wrapping, its dependency
solving (none for this endpoint), the AsyncExitStack — is a third of the server's CPU for a small
query and guarantees nothing this endpoint needs. What the guarantees need stays around it: every
middleware outside this one (arrival time for the deadline, the Host check, the body limit, the
access log and metrics, which see the route as `/sparql`, the security headers) and the app's
exception handlers, run by the same ExceptionMiddleware the router would have used. Any other
method (OPTIONS, a 405), path or scope goes on to the app as before; the routes stay declared, so
`/openapi.json` still describes the endpoint."""
from __future__ import annotations

from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from .endpoint import router, sparql

PATH = "/sparql"
METHODS = ("GET", "POST")


async def _endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    response = await sparql(Request(scope, receive, send))
    await response(scope, receive, send)


class SparqlLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._lane: ASGIApp | None = None
        self._routes: dict[str, BaseRoute | None] = {}

    def _build(self, app: ASGIApp) -> ASGIApp:
        """The endpoint inside the app's own exception handlers (the 500 handler is the outermost
        middleware's, as in Starlette's own stack)."""
        handlers = {key: handler for key, handler in getattr(app, "exception_handlers", {}).items()
                    if key not in (500, Exception)}
        for method in METHODS:      # the endpoint's own declared routes (its router has no prefix)
            self._routes[method] = next(
                (r for r in router.routes if getattr(r, "path", None) == PATH
                 and method in (getattr(r, "methods", None) or ())), None)
        return ExceptionMiddleware(_endpoint, handlers=handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in METHODS or _route_path(scope) != PATH:
            await self.app(scope, receive, send)
            return
        lane = self._lane
        if lane is None:
            lane = self._lane = self._build(scope["app"])
        scope["route"] = self._routes.get(scope["method"])      # the access log's and metrics' route
        await lane(scope, receive, send)


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path
