"""Small HTTP helpers shared by the integrator endpoints: CORS headers, a CORS preflight answer,
plain-text errors (what SPARQL clients and YASGUI show best) and negotiated RDF responses."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Result-Limit, X-Query-Timeout, X-Result-Limit-Exceeded, X-Cache, Content-Type",
}


def with_cors(headers: dict[str, str] | None = None) -> dict[str, str]:
    return {**CORS, **(headers or {})}


def preflight(request: Request, methods: str = "GET, POST, OPTIONS") -> Response:
    asked = request.headers.get("access-control-request-headers")
    return Response(status_code=204, headers={
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": asked or "Accept, Content-Type",
        "Access-Control-Max-Age": "86400",
        "Allow": methods,
        "Vary": "Origin, Access-Control-Request-Headers",
    })


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status_code=status,
                    media_type="text/plain; charset=utf-8", headers=with_cors(headers))


def wrong_method(request: Request) -> Response:
    """405 for any method /sparql does not take, with the full Allow list and CORS."""
    return text_error(405, f"Metoden {request.method} stöds inte. Använd GET eller POST för frågor; "
                           f"ändpunkten är skrivskyddad.\n(Method not allowed.)", {"Allow": "GET, POST, OPTIONS"})
