"""One pure ASGI middleware for both the access log and the request metrics (pure ASGI rather than
BaseHTTPMiddleware: no extra task per request, and streamed or file responses pass through untouched).
The latency is measured until the last byte of the response was handed to the server."""
from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import access_log
from .flags import RequestFlags, current, warming
from .metrics import Metrics

REQUEST_ID = b"x-request-id"


def route_template(scope: Scope) -> str | None:
    """The path template of the route that handled the request (`/api/queries/{name}`), or None
    when no route matched; never the raw path."""
    route = scope.get("route")
    return getattr(route, "path_format", None) or getattr(route, "path", None)


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = next((v for k, v in scope.get("headers", ()) if k == REQUEST_ID), None)
        rid = access_log.request_id(incoming)
        raw_rid = rid.encode("ascii")
        flags = RequestFlags()
        token = current.set(flags)
        status = 500            # what the server answers if the app raises before it starts a response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != REQUEST_ID]
                headers.append((REQUEST_ID, raw_rid))
                message = {**message, "headers": headers}
            await send(message)

        self.metrics.in_progress.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current.reset(token)
            self.metrics.in_progress.dec()
            seconds = time.perf_counter() - started
            route = route_template(scope)
            if not warming.get():       # serve's own warm-up requests are neither logged nor counted
                self.metrics.observe(scope["method"], route, status, seconds, flags.timeouts)
                access_log.write(rid, scope["method"], route, status, seconds, flags.timeouts)
