"""The one size-limited reader of a request body, for every route that takes one (the gap check's
upload and report, the SPARQL protocol's POST). Each route says what "too large" is in its own
error format (a JSON `detail` or the protocol's plain text); this only decides when."""
from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request


async def read_limited(request: Request, limit: int, too_large: Callable[[int], Exception]) -> bytes:
    """The body, or `too_large(limit)` raised as soon as the declared length or the bytes received
    pass `limit`: an oversized body is never read in full (the error should close the connection,
    so the rest is not read either; clients that send `Expect: 100-continue` never send it at all)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
