"""The one exception a route raises for an error the user gets: an HTTP status, a readable `detail`
(Swedish where staff read it), headers and extra JSON fields; errors.py turns it into the response.

On its own, without FastAPI, so that the modules the SPARQL query workers import (the size- and
time-limited body reader among them) can raise it without loading the web framework into every
worker process (tests/test_worker_entries.py)."""
from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None, **extra: object) -> None:
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra
