"""The graph in an in-process pyoxigraph store, loaded from the current build."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph

from .. import paths
from . import disk as on_disk
from .base import Binding, GraphMissing, GraphStore, QueryFailed, Rows, Stats

AGREEMENT_GRAPHS = "https://w3id.org/vemgorvad/graph/"


def binding(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple | None
            ) -> Binding | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return Binding("uri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Binding("bnode", term.value)
    if isinstance(term, pyoxigraph.Literal):
        datatype: str | None = term.datatype.value if term.datatype else None
        if term.language or datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = None
        return Binding("literal", term.value, term.language, datatype)
    return Binding("literal", str(term))


def _lexical(term: Any) -> str | None:
    """The lexical value binding() gives a term (None for an unbound variable)."""
    if term is None:
        return None
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


class EmbeddedStore(GraphStore):
    name = "embedded"

    def __init__(self, store: pyoxigraph.Store, build_dir: Path | None = None, manifest: dict[str, Any] | None = None,
                 disk: str | None = None):
        self.store = store
        self.build_dir = build_dir
        self.manifest = manifest or {}
        self.disk = disk            # the folder of a read-only on-disk store (from_build's on_disk_from)
        self._stats: Stats | None = None

    @classmethod
    def from_build(cls, build_dir: Path | str | None = None, on_disk_from: int | None = None) -> EmbeddedStore:
        """The current build's graph in memory; from `on_disk_from` quads on (a national graph), in a
        read-only on-disk store that the query workers share: the one the build wrote beside the dump
        when there is one, else the dump bulk-loaded (store/disk.py)."""
        build_dir = Path(build_dir or paths.CURRENT)
        dataset = build_dir / "dataset.nq"
        manifest = build_dir / "manifest.json"
        if not dataset.exists() or not manifest.exists():
            raise GraphMissing(f"ingen byggd graf i {build_dir} – kör 'vemgorvad build' först "
                               f"(no built graph in {build_dir}; run 'vemgorvad build' first)")
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            wanted = on_disk_from is not None and int(meta.get("quads") or 0) >= on_disk_from
            built = build_dir / on_disk.STORE
            loaded = cls.from_disk(built) if wanted and built.is_dir() else cls.from_dump(dataset, wanted)
        except (ValueError, SyntaxError, OSError, RuntimeError) as err:
            why = " ".join(str(err).split())[:300]
            raise GraphMissing(f"grafen i {build_dir} är trasig ({why}); bygg om med 'vemgorvad build' "
                               f"(the graph in {build_dir} is broken; rebuild)") from None
        if len(loaded.store) != meta.get("quads"):
            loaded.close()
            raise GraphMissing(f"grafen i {build_dir} är ofullständig ({len(loaded.store)} av {meta.get('quads')} "
                               f"tripler); bygg om med 'vemgorvad build' (incomplete graph; rebuild)")
        loaded.build_dir, loaded.manifest = build_dir.resolve(), meta
        return loaded

    @classmethod
    def from_dump(cls, dataset: Path, disk: bool = False) -> EmbeddedStore:
        """An N-Quads dump in memory, or bulk-loaded into a read-only on-disk store (store/disk.py)
        that close() removes."""
        if disk:
            store, folder = on_disk.loaded(dataset)
            return cls(store, disk=folder)
        store = pyoxigraph.Store()
        store.bulk_load(path=str(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
        return cls(store)

    @classmethod
    def from_disk(cls, built: Path) -> EmbeddedStore:
        """The store a build wrote beside its dump (store/disk.py), opened read-only through links."""
        store, folder = on_disk.opened(built)
        return cls(store, disk=folder)

    def close(self) -> None:
        """Remove the on-disk copy, if there is one (a reload's retired store)."""
        if self.disk is not None:
            on_disk.remove(self.disk)

    def _run(self, query: str) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
        try:
            return self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise QueryFailed(f"syntax error: {err}") from None
        except (OSError, ValueError, RuntimeError) as err:
            raise QueryFailed(str(err)) from None

    def select(self, query: str, timeout: float | None = None) -> tuple[list[str], Rows]:
        result = self._run(query)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise QueryFailed("not a SELECT query")
        variables = [v.value for v in result.variables]
        rows: Rows = [{v: binding(solution[v]) for v in variables} for solution in result]
        return variables, rows

    def values(self, query: str) -> list[dict[str, str | None]]:
        """SELECT rows as {var: lexical value or None}, as GraphStore.values gives them, read straight
        from pyoxigraph's terms (no Binding per value: the ask index reads ~110 k rows at N = 100)."""
        result = self._run(query)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise QueryFailed("not a SELECT query")
        names = [v.value for v in result.variables]
        return [{name: _lexical(term) for name, term in zip(names, solution, strict=True)} for solution in result]

    def ask(self, query: str, timeout: float | None = None) -> bool:
        result = self._run(query)
        if not isinstance(result, pyoxigraph.QueryBoolean):
            raise QueryFailed("not an ASK query")
        return bool(result)

    def construct(self, query: str, timeout: float | None = None) -> bytes:
        result = self._run(query)
        if not isinstance(result, pyoxigraph.QueryTriples):
            raise QueryFailed("not a CONSTRUCT or DESCRIBE query")
        return result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""

    def stats(self) -> Stats:
        if self._stats is None:
            graphs: dict[str, int] = {}
            rows = self.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            assert isinstance(rows, pyoxigraph.QuerySolutions)
            for row in rows:
                graphs[row["g"].value] = int(row["n"].value)
            agreements = sum(1 for g in graphs if g.startswith(AGREEMENT_GRAPHS) and not g.endswith("/vocabulary"))
            self._stats = {"agreements": agreements, "triples": len(self.store), "graphs": graphs}
        return self._stats
