"""The interface every store offers: SPARQL SELECT/ASK/CONSTRUCT returning plain Python values,
plus what the service needs to describe itself."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


class GraphMissing(RuntimeError):
    """No built graph to serve (run `vemgorvad build`)."""


class QueryFailed(RuntimeError):
    """The store rejected or failed a query; the message is safe to show."""


class QueryTimeout(QueryFailed):
    """The query ran past its time limit and was stopped."""


@dataclass
class Binding:
    """One value of a SELECT row: kind is uri, literal or bnode; lang/datatype for literals."""
    kind: str
    value: str
    lang: str | None = None
    datatype: str | None = None


class GraphStore(ABC):
    name = "store"
    _stats: dict | None = None      # stats() once computed (the graph of a store never changes)

    @abstractmethod
    def select(self, query: str, timeout: float | None = None) -> tuple[list[str], list[dict[str, Binding]]]:
        """Variables and rows of a SELECT query (default graph = union of all graphs)."""

    @abstractmethod
    def ask(self, query: str, timeout: float | None = None) -> bool:
        """The answer of an ASK query."""

    @abstractmethod
    def construct(self, query: str, timeout: float | None = None) -> bytes:
        """N-Triples of a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def stats(self) -> dict:
        """{"agreements": int, "triples": int, "graphs": {iri: count}} for /health and VoID."""

    def known_stats(self) -> dict | None:
        """stats() if it has been computed already (never blocks, never queries), else None."""
        return self._stats

    def values(self, query: str) -> list[dict[str, str | None]]:
        """SELECT rows as {var: lexical value or None}: the common case for the service's own queries."""
        _, rows = self.select(query)
        return [{k: (v.value if v is not None else None) for k, v in row.items()} for row in rows]
