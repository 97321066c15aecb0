"""Structured access log: one JSON object per line on the logger `vemgorvad.access`.

Each line has the request id, method, route *template* (e.g. `/api/queries/{name}`, never the
raw path or its query string, which carry user input), status, latency in ms and whether a query
or check timed out. Request bodies, query strings and uploaded files are never logged."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import TextIO

logger = logging.getLogger("vemgorvad.access")

#: An incoming X-Request-ID is kept only if it looks like an id (UUIDs, hex, base64, `abc-123`).
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")


def request_id(incoming: bytes | None) -> str:
    """The client's X-Request-ID if it is sane, otherwise a new random one."""
    if incoming:
        try:
            text = incoming.decode("ascii")
        except UnicodeDecodeError:
            text = ""
        if _SANE_ID.fullmatch(text):
            return text
    return uuid.uuid4().hex


def write(rid: str, method: str, route: str | None, status: int, seconds: float, timeouts: list[str]) -> None:
    if not logger.isEnabledFor(logging.INFO):
        return
    entry = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z",
        "request_id": rid,
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "timeout": bool(timeouts),
    }
    if timeouts:
        entry["timeout_source"] = timeouts[0]
    logger.info(json.dumps(entry, ensure_ascii=False))


class _AccessHandler(logging.StreamHandler[TextIO]):
    """The handler configure_access_log installs (so a second call replaces it, not adds one)."""


def configure_access_log(stream: TextIO | None = None) -> logging.Handler:
    """Send the access log to stderr (or `stream`), one bare JSON line per request; for `vemgorvad serve`."""
    handler = _AccessHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for old in [h for h in logger.handlers if isinstance(h, _AccessHandler)]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler
