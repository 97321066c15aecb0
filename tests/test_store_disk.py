"""A national graph's read-only on-disk store (store/disk.py): written once by the build beside its
dump, opened at start through hard links instead of bulk-loading the dump again — the same graph,
never written to, and not taken away when a later build prunes the build's folder."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from project_copy import EXTRA, run_cli, source_text
from vemgorvad.store import EmbeddedStore, GraphMissing
from vemgorvad.store import disk as on_disk

PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/vemgorvad/ontology#Responsibility> }"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _files(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Each file of a folder with its size, modification time and inode."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.iterdir()}


@pytest.fixture
def build_with_store(build_dir, tmp_path) -> Path:
    """A copy of the session's build with the store a build above the threshold writes."""
    copy = tmp_path / "build"
    shutil.copytree(build_dir, copy, ignore=shutil.ignore_patterns(on_disk.STORE))
    on_disk.Background(lambda: on_disk.write(copy / "dataset.nq", copy / on_disk.STORE)).wait()
    return copy


def test_the_builds_store_is_opened_read_only_through_links(build_with_store, embedded_store):
    built = build_with_store / on_disk.STORE
    before = _files(built)
    store = EmbeddedStore.from_build(build_with_store, on_disk_from=1)
    try:
        assert store.disk is not None and Path(store.disk) != built
        for name in before:                             # the build's files, linked, not copied
            assert (Path(store.disk) / name).samefile(built / name)
        assert len(store.store) == len(embedded_store.store)
        assert store.values(PROBE) == embedded_store.values(PROBE)
        assert store.values(GRAPHS) == embedded_store.values(GRAPHS)
        with pytest.raises((OSError, RuntimeError)):
            store.store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/a"), pyoxigraph.NamedNode("http://e/b"),
                                            pyoxigraph.NamedNode("http://e/c")))
        shutil.rmtree(build_with_store)                 # a later build prunes the served build's folder
        assert store.values(PROBE) == embedded_store.values(PROBE)
    finally:
        store.close()
    assert not os.path.exists(store.disk)


def test_serving_the_store_writes_nothing_into_the_build(build_with_store):
    built = build_with_store / on_disk.STORE
    before = _files(built)
    store = EmbeddedStore.from_build(build_with_store, on_disk_from=1)
    store.values(GRAPHS)
    store.close()
    assert _files(built) == before


def test_below_the_threshold_the_store_is_not_used(build_with_store):
    store = EmbeddedStore.from_build(build_with_store, on_disk_from=10**9)
    assert store.disk is None                           # in memory, as before


def test_a_broken_store_is_refused_in_one_line(build_with_store):
    built = build_with_store / on_disk.STORE
    for table in built.glob("*.sst"):
        table.write_bytes(b"")
    with pytest.raises(GraphMissing) as refused:
        store = EmbeddedStore.from_build(build_with_store, on_disk_from=1)
        store.values(GRAPHS)        # a store that opened must still not answer from empty tables
        store.close()
    assert "\n" not in str(refused.value)


def test_a_store_that_cannot_be_written_reports_its_cause_when_waited_for(tmp_path):
    writer = on_disk.Background(lambda: on_disk.write(tmp_path / "no-such-dump.nq", tmp_path / on_disk.STORE))
    with pytest.raises(FileNotFoundError):
        writer.wait()


def test_a_build_above_the_threshold_writes_its_store_and_serve_reads_it(home):
    done = run_cli(home, "build", "--quiet", "--workers", "1", VEMGORVAD_QUERY_SHARED_QUADS=1)
    assert done.returncode == 0, done.stderr
    current = (home / "var" / "current").resolve()
    assert (current / on_disk.STORE).is_dir()
    store = EmbeddedStore.from_build(current, on_disk_from=1)
    try:
        reference = EmbeddedStore.from_dump(current / "dataset.nq")
        assert len(store.store) == len(reference.store)
        assert store.values(GRAPHS) == reference.values(GRAPHS)
    finally:
        store.close()
    done = run_cli(home, "build", "--quiet", "--workers", "1")         # below the default threshold
    assert done.returncode == 0, done.stderr
    assert not ((home / "var" / "current").resolve() / on_disk.STORE).exists()


def _lines(store: pyoxigraph.Store) -> list[bytes]:
    return sorted((store.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b"").splitlines())


def test_an_add_revises_the_current_store_into_the_same_graph_a_whole_load_gives(home, tmp_path):
    """`add` writes the current build's store again with the added agreement's graph and the
    vocabulary (its table files linked, not copied): the same quads as the new dump loaded whole."""
    done = run_cli(home, "build", "--quiet", "--workers", "1", VEMGORVAD_QUERY_SHARED_QUADS=1)
    assert done.returncode == 0, done.stderr
    before = (home / "var" / "current").resolve() / on_disk.STORE
    tables = {p.stat().st_ino for p in before.glob("*.sst")}
    upload = tmp_path / "Uppsala län 2013.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    done = run_cli(home, "add", str(upload), "--workers", "1", VEMGORVAD_QUERY_SHARED_QUADS=1)
    assert done.returncode == 0, done.stderr
    current = (home / "var" / "current").resolve()
    assert current != before.parent
    assert tables & {p.stat().st_ino for p in (current / on_disk.STORE).glob("*.sst")}   # revised, not reloaded
    store = EmbeddedStore.from_build(current, on_disk_from=1)
    try:
        whole = EmbeddedStore.from_dump(current / "dataset.nq")
        assert "uppsala-lan-2013" in str(store.values(GRAPHS))
        assert _lines(store.store) == _lines(whole.store)
    finally:
        store.close()
