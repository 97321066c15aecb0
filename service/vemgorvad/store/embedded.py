"""The graph in an in-process pyoxigraph store, loaded from the current build."""
from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph

from .. import paths
from .base import Binding, GraphMissing, GraphStore, QueryFailed, Rows, Stats

AGREEMENT_GRAPHS = "https://w3id.org/vemgorvad/graph/"
_DISKS: set[str] = set()        # on-disk copies made by this process, removed at exit


def _on_disk(dataset: Path) -> tuple[pyoxigraph.Store, str]:
    """The dump bulk-loaded into a RocksDB store in a folder of its own, opened read-only: the
    graph lives in files (read through the OS page cache), not in this process's heap, and the
    query workers open the same folder read-only instead of each holding a copy."""
    folder = tempfile.mkdtemp(prefix="vemgorvad-graph-")
    _DISKS.add(folder)
    writer = pyoxigraph.Store(folder)
    writer.bulk_load(path=str(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
    writer.flush()
    del writer                  # closed: from here on it is only read
    return pyoxigraph.Store.read_only(folder), folder


@atexit.register
def _remove_disks() -> None:
    for folder in list(_DISKS):
        shutil.rmtree(folder, ignore_errors=True)


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
        read-only on-disk store that the query workers share (see _on_disk)."""
        build_dir = Path(build_dir or paths.CURRENT)
        dataset = build_dir / "dataset.nq"
        manifest = build_dir / "manifest.json"
        if not dataset.exists() or not manifest.exists():
            raise GraphMissing(f"ingen byggd graf i {build_dir} – kör 'vemgorvad build' först "
                               f"(no built graph in {build_dir}; run 'vemgorvad build' first)")
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            loaded = cls.from_dump(dataset, on_disk_from is not None and int(meta.get("quads") or 0) >= on_disk_from)
        except (ValueError, SyntaxError, OSError) as err:
            raise GraphMissing(f"grafen i {build_dir} är trasig ({err}); bygg om med 'vemgorvad build' "
                               f"(the graph in {build_dir} is broken; rebuild)") from None
        if len(loaded.store) != meta.get("quads"):
            loaded.close()
            raise GraphMissing(f"grafen i {build_dir} är ofullständig ({len(loaded.store)} av {meta.get('quads')} "
                               f"tripler); bygg om med 'vemgorvad build' (incomplete graph; rebuild)")
        loaded.build_dir, loaded.manifest = build_dir.resolve(), meta
        return loaded

    @classmethod
    def from_dump(cls, dataset: Path, on_disk: bool = False) -> EmbeddedStore:
        """An N-Quads dump in memory, or in a read-only on-disk store (see _on_disk) that close() removes."""
        if on_disk:
            store, disk = _on_disk(dataset)
            return cls(store, disk=disk)
        store = pyoxigraph.Store()
        store.bulk_load(path=str(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
        return cls(store)

    def close(self) -> None:
        """Remove the on-disk copy, if there is one (a reload's retired store)."""
        if self.disk is not None:
            shutil.rmtree(self.disk, ignore_errors=True)
            _DISKS.discard(self.disk)

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
