"""The evaluating query workers load the build's own N-Quads dump (hard-linked into the pool's
folder, so a later build pruning its folder cannot take it away), not a dump of the store written
again at every start; without a build's file the store is dumped as before."""
from __future__ import annotations

import os
import shutil
import time

import pyoxigraph

from vemgorvad.serve.sparql.pool import QueryPool
from vemgorvad.serve.sparql.results import Job
from vemgorvad.serve.sparql.runtime import SparqlRuntime
from vemgorvad.settings import Settings
from vemgorvad.store import EmbeddedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = (("solutions", "application/sparql-results+json", "JSON"),)


def _count(pool: QueryPool) -> bytes:
    outcome = pool.sandboxed.run_blocking(  # type: ignore[union-attr]
        Job(COUNT, formats=JSON, decision={"form": "SELECT"}), time.monotonic() + 60)
    assert outcome.status == 200, outcome.body
    return bytes(outcome.body)


def test_the_workers_load_the_builds_dump_through_a_link(build_dir, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(build_dir, copy)
    store = EmbeddedStore.from_build(copy)
    runtime = SparqlRuntime(store, Settings(query_workers=1, query_shared_quads=10**9))
    try:
        pool = runtime.pool()
        dump = pool.sandboxed.init["dump"]  # type: ignore[union-attr]
        assert os.path.samefile(dump, copy / "dataset.nq")           # the build's file, not a new one
        shutil.rmtree(copy)                                          # a later build prunes this one
        lane = pool.sandboxed
        assert lane is not None
        lane._replace(lane._idle.popleft())                          # its worker killed and replaced
        deadline = time.monotonic() + 120
        while not lane._idle and time.monotonic() < deadline:
            time.sleep(0.2)
        expected = str(len(store.store)).encode()
        assert expected in _count(pool)                              # the replacement loaded the whole graph
    finally:
        runtime.close()


def test_without_a_build_the_store_is_dumped(embedded_store):
    pool = QueryPool(embedded_store.store, size=1, shared_quads=10**9)
    try:
        dump = pool.sandboxed.init["dump"]  # type: ignore[union-attr]
        assert os.stat(dump).st_nlink == 1
        assert str(len(embedded_store.store)).encode() in _count(pool)
    finally:
        pool.close()


def test_a_shared_store_is_loaded_from_the_builds_dump(build_dir, embedded_store):
    """A graph of query_shared_quads or more: one on-disk store for all workers, bulk-loaded from
    the build's file; the workers answer from it exactly as from the store."""
    pool = QueryPool(embedded_store.store, size=1, shared_quads=1, source=str(build_dir / "dataset.nq"))
    try:
        assert "store" in pool.sandboxed.init  # type: ignore[union-attr]
        assert str(len(embedded_store.store)).encode() in _count(pool)
    finally:
        pool.close()


def test_a_national_graph_is_served_from_one_read_only_copy_on_disk(build_dir, embedded_store):
    """From query_shared_quads on (on_disk_from), the server's own store is a read-only RocksDB
    copy that the evaluating workers open too: no copy of the graph in any process's heap."""
    store = EmbeddedStore.from_build(build_dir, on_disk_from=1)
    runtime = SparqlRuntime(store, Settings(query_workers=1, query_shared_quads=1))
    try:
        assert store.disk is not None and os.path.isdir(store.disk)
        assert len(store.store) == len(embedded_store.store)
        probe = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/vemgorvad/ontology#Responsibility> }"
        assert store.values(probe) == embedded_store.values(probe)
        try:
            store.store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/a"), pyoxigraph.NamedNode("http://e/b"),
                                            pyoxigraph.NamedNode("http://e/c")))
            written = True
        except (OSError, RuntimeError):
            written = False
        assert not written                                          # read-only
        pool = runtime.pool()
        assert pool.sandboxed is not None and pool.sandboxed.init["store"] == store.disk
        assert str(len(embedded_store.store)).encode() in _count(pool)
    finally:
        runtime.close()
        store.close()
    assert not os.path.exists(store.disk)


def test_below_the_threshold_the_graph_is_in_memory(build_dir):
    store = EmbeddedStore.from_build(build_dir, on_disk_from=10**9)
    assert store.disk is None
