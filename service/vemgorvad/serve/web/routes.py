"""The Swedish web page for staff: static HTML pages and their static assets.

The pages are HTML rendered once at import from Jinja templates (pages/: one frame, page.html.j2,
with the head, menu and footer; each page fills it); `static/*.js` (ES modules) call the JSON API and render with DOM APIs
only, so the pages work under a strict Content-Security-Policy: no inline script, no inline style,
nothing fetched from another origin. Everything is read once at import and served from memory with
an ETag, so a repeat visit costs a 304.
"""
from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..api_error import ApiError
from ..templating import ENV

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"

#: The policy every page is served with. `connect-src 'self'` is what the scripts need for the API.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
#: URL path → page template. Only these are pages; nothing else under /web is served but the assets.
PAGES = {"/": "index.html.j2", "/granska": "granska.html.j2"}

router = APIRouter(include_in_schema=False)


class _File:
    __slots__ = ("body", "etag", "media_type")

    def __init__(self, body: bytes, media_type: str):
        self.body = body
        self.media_type = media_type
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


def _load(directory: Path) -> dict[str, _File]:
    if not directory.is_dir():
        return {}
    return {p.name: _File(p.read_bytes(), MEDIA_TYPES[p.suffix])
            for p in sorted(directory.iterdir()) if p.is_file() and p.suffix in MEDIA_TYPES}


_PAGES = {name: _File(ENV.get_template(name).render().encode("utf-8"), MEDIA_TYPES[".html"])
          for name in PAGES.values()}
_STATIC = _load(STATIC_DIR)


def _send(request: Request, f: _File, cache: str) -> Response:
    headers = {"ETag": f.etag, "Cache-Control": cache, **SECURITY_HEADERS}
    inm = request.headers.get("if-none-match", "")
    if f.etag in (tag.strip() for tag in inm.split(",")):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        return Response(status_code=200, headers={**headers, "Content-Length": str(len(f.body))},
                        media_type=f.media_type)
    return Response(f.body, media_type=f.media_type, headers=headers)


def _page(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def page(request: Request) -> Response:
        return _send(request, _PAGES[name], "no-cache")
    return page


for _path, _name in PAGES.items():
    if _name in _PAGES:
        router.add_api_route(_path, _page(_name), methods=["GET", "HEAD"], name=f"web:{_name.removesuffix('.j2')}")


@router.api_route("/web/{name}", methods=["GET", "HEAD"], name="web:static")
async def static_file(request: Request, name: str) -> Response:
    f = _STATIC.get(name)
    if f is None:
        raise ApiError(404, "Filen finns inte.")
    # Revalidated on every use (cheap: a 304) so a new release never mixes old and new modules.
    return _send(request, f, "no-cache")
