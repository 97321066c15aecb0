"""The service's own address, configured by the operator — never taken from the client's Host
header: links in pages and descriptions, the service description, redirects and the base of
relative IRIs in a query all use `public_base_url`. Requests whose Host is not an allowed name get
a 400 before any route sees them (HostCheck)."""
from __future__ import annotations

import ipaddress
import urllib.parse

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ..settings import Settings

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def normalise_base(url: str) -> str:
    """An absolute http(s) URL ending in '/'; ValueError otherwise."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"VEMGORVAD_PUBLIC_BASE_URL ska vara en absolut http(s)-adress, inte {url!r}")
    if any(c in url for c in '<>"{}|^`\\ '):
        raise ValueError(f"VEMGORVAD_PUBLIC_BASE_URL innehåller otillåtna tecken: {url!r}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def default_base(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else ("::1" if host == "::" else host)
    try:
        if ipaddress.ip_address(shown).version == 6:
            shown = f"[{shown}]"
    except ValueError:
        pass
    return f"http://{shown}:{port}/"


def public_base_url(settings: Settings) -> str:
    configured = getattr(settings, "public_base_url", "") or ""
    return normalise_base(configured) if configured else "http://127.0.0.1:8000/"


def allowed_hosts(settings: Settings) -> frozenset[str] | None:
    """Host names (without port) a request may name; None accepts any."""
    configured = tuple(getattr(settings, "allowed_hosts", ()) or ())
    if "*" in configured:
        return None
    base_host = urllib.parse.urlsplit(public_base_url(settings)).hostname or ""
    return frozenset(h.lower().strip("[]") for h in (*configured, base_host, *LOOPBACK_NAMES) if h)


def host_name(header: str) -> str:
    """'example.org:8000' → 'example.org'; '[::1]:80' → '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """400 for a request whose Host header is not an allowed name (DNS rebinding, poisoned links)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed = allowed_hosts(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.allowed is not None:
            host = ""
            for name, value in scope.get("headers", []):
                if name == b"host":
                    host = value.decode("latin-1")
                    break
            if host_name(host) not in self.allowed:
                response = JSONResponse({"detail": "Okänt värdnamn i Host-huvudet; tjänsten svarar bara på sina "
                                                   "egna adresser (VEMGORVAD_ALLOWED_HOSTS)."}, status_code=400)
                return await response(scope, receive, send)
        await self.app(scope, receive, send)
