"""Security headers on every response, added in one place (a pure ASGI middleware, so streamed
and file responses get them too):

- `X-Content-Type-Options: nosniff` on everything: a browser never guesses a type, so a Turtle
  dump or a plain-text SPARQL error can never be run as a script or page;
- on every HTML response that does not set its own policy, a strict Content-Security-Policy: no
  script at all, styles only from this origin, no framing. Pages that need more (the staff pages,
  YASGUI) set their own policy, which is left as it is.
"""
from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: For HTML pages that run no script (linked-data pages, their 404 pages).
DEFAULT_HTML_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
                       "form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DEFAULT_HTML_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)
