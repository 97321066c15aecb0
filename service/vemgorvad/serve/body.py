"""The one size- and time-limited reader of a request body, for every route that takes one (the gap
check's upload and report, the SPARQL protocol's POST). Each route says what "too large" and "too
slow" are in its own error format (a JSON `detail` or the protocol's plain text); this only
decides when."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.requests import Request

from .deadline import arrival
from .api_error import ApiError

#: The longest a body may take to arrive when the route gives no limit of its own, counted from
#: the request's arrival (its headers).
BODY_SECONDS = 60.0


def too_slow_default(seconds: float) -> Exception:
    return ApiError(408, f"Begäran kom inte fram i tid (högst {seconds:g} s); skicka den igen.",
                    {"Connection": "close"})


async def read_limited(request: Request, limit: int, too_large: Callable[[int], Exception],
                       seconds: float | None = None,
                       too_slow: Callable[[float], Exception] = too_slow_default) -> bytes:
    """The body, or `too_large(limit)` raised as soon as the declared length or the bytes received
    pass `limit`: an oversized body is never read in full (the error should close the connection,
    so the rest is not read either; clients that send `Expect: 100-continue` never send it at all).
    A body still arriving `seconds` after the request did (a client that trickles it, a byte at a
    time, to hold the connection: slowloris) gets `too_slow(seconds)` then, whatever its size."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    seconds = BODY_SECONDS if seconds is None else seconds
    until = arrival(request) + seconds
    chunks, size = [], 0
    stream = request.stream().__aiter__()
    while True:
        try:
            async with asyncio.timeout(max(0.0, until - time.monotonic())):
                chunk = await stream.__anext__()
        except StopAsyncIteration:
            break
        except TimeoutError:
            raise too_slow(seconds) from None
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
