"""Store: where the graph lives while serving. The embedded store is pyoxigraph in this process;
the remote store is any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso).
Everything above this package talks SPARQL through the same small interface."""

from pathlib import Path

from .base import GraphMissing, GraphStore, QueryFailed, QueryTimeout
from .embedded import EmbeddedStore
from .remote import RemoteStore

__all__ = ["EmbeddedStore", "GraphMissing", "GraphStore", "QueryFailed", "QueryTimeout", "RemoteStore", "open_store"]


def open_store(endpoint: str | None = None, build_dir: Path | str | None = None, on_disk_from: int | None = None) -> GraphStore:
    if endpoint:
        return RemoteStore(endpoint)
    return EmbeddedStore.from_build(build_dir, on_disk_from)
