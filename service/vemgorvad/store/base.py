"""The interface every store offers: SPARQL SELECT/ASK/CONSTRUCT returning plain Python values,
plus what the service needs to describe itself."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TypedDict


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


class Stats(TypedDict):
    """What a store holds: agreement graphs, triples, and triples by graph IRI."""
    agreements: int
    triples: int
    graphs: dict[str, int]


#: the rows of a SELECT result, a value or None (unbound) for each variable
Rows = list[dict[str, Binding | None]]


def bound(row: dict[str, Binding | None], name: str) -> str:
    """The value of a variable its query always binds (QueryFailed should a store leave it unbound)."""
    binding = row[name]
    if binding is None:
        raise QueryFailed(f"?{name} is unbound in a row of a query that always binds it")
    return binding.value


class GraphStore(ABC):
    name = "store"
    _stats: Stats | None = None      # stats() once computed (the graph of a store never changes)

    @abstractmethod
    def select(self, query: str, timeout: float | None = None) -> tuple[list[str], Rows]:
        """Variables and rows of a SELECT query (default graph = union of all graphs)."""

    @abstractmethod
    def ask(self, query: str, timeout: float | None = None) -> bool:
        """The answer of an ASK query."""

    @abstractmethod
    def construct(self, query: str, timeout: float | None = None) -> bytes:
        """N-Triples of a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def stats(self) -> Stats:
        """{"agreements": int, "triples": int, "graphs": {iri: count}} for /health and VoID."""

    def known_stats(self) -> Stats | None:
        """stats() if it has been computed already (never blocks, never queries), else None."""
        return self._stats

    def values(self, query: str) -> list[dict[str, str | None]]:
        """SELECT rows as {var: lexical value or None}: the common case for the service's own queries."""
        _, rows = self.select(query)
        return [{k: (v.value if v is not None else None) for k, v in row.items()} for row in rows]
