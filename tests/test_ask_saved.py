"""The ask index is made by `vemgorvad build` and read by `serve` (serve/ask/saved.py): the build's
file holds the same index the store gives, a file of another graph or version is not read, and a
rebuild that changed nothing takes the current build's file instead of making it again."""
from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from vemgorvad.serve.ask import saved
from vemgorvad.serve.ask.index import Index
from vemgorvad.store import EmbeddedStore


@pytest.fixture(scope="module")
def manifest(build_dir):
    return json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def computed(embedded_store) -> Index:
    return Index(embedded_store)


@pytest.fixture(scope="module")
def made(build_dir, manifest, tmp_path_factory) -> Path:
    """A build folder with the seeds' dump, its ask index made as the build makes it (no current
    build to take it from). The index's key holds the code's digest, so the session's build, made
    before an edit of the code, may hold a file that is rightly not read any more."""
    folder = tmp_path_factory.mktemp("builds") / "b1"
    folder.mkdir()
    shutil.copyfile(build_dir / "dataset.nq", folder / "dataset.nq")
    assert saved.make(folder, tmp_path_factory.mktemp("var"), manifest["dataset_sha256"],
                                   manifest["quads"])
    return folder


def test_the_build_leaves_the_index_beside_the_graph(build_dir, manifest):
    assert manifest["dataset_sha256"] == hashlib.sha256((build_dir / "dataset.nq").read_bytes()).hexdigest()
    assert (build_dir / saved.FILE).stat().st_size > 0


def test_serve_reads_the_builds_index_and_it_is_the_index_of_the_graph(made, manifest, computed):
    assert saved.has_key(made / saved.FILE, saved.key(manifest["dataset_sha256"]))
    store = EmbeddedStore(EmbeddedStore.from_dump(made / "dataset.nq").store, made, manifest)
    loaded, from_build = saved.for_store(store)
    assert from_build
    assert [(e.iri, e.agreement, e.kind, e.bearer, e.quote) for e in loaded.entries] == \
           [(e.iri, e.agreement, e.kind, e.bearer, e.quote) for e in computed.entries]
    assert [(e.own, e.context, e.section_topics, e.named) for e in loaded.entries] == \
           [(e.own, e.context, e.section_topics, e.named) for e in computed.entries]
    assert loaded.vocab.frequency == computed.vocab.frequency and loaded.vocab.documents == computed.vocab.documents
    assert dict(loaded.by_topic) == dict(computed.by_topic) and loaded.texts == computed.texts
    tokens = sorted(computed.vocab.frequency)[:40]
    for which in ("own", "context", "heading"):
        assert np.array_equal(loaded.scores(which, tokens), computed.scores(which, tokens))


def test_an_index_of_another_graph_or_version_is_not_read(made, manifest, tmp_path):
    other = saved.key("0" * 64)
    assert saved.read(made / saved.FILE, other) is None
    assert saved.read(tmp_path / "missing.pickle", other) is None
    (tmp_path / "broken.pickle").write_bytes(pickle.dumps(other)[:-3])
    assert saved.read(tmp_path / "broken.pickle", other) is None
    # a store whose manifest names another dump computes its index from the graph
    store = EmbeddedStore(EmbeddedStore.from_dump(made / "dataset.nq").store, made,
                          {**manifest, "dataset_sha256": "0" * 64})
    index, from_build = saved.for_store(store)
    assert not from_build and len(index.entries) > 0


def test_a_rebuild_of_the_same_graph_takes_the_current_builds_index(made, manifest, tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "current").symlink_to(made)
    (tmp_path / "b2").mkdir()
    assert not saved.make(tmp_path / "b2", var, manifest["dataset_sha256"], manifest["quads"])
    assert (tmp_path / "b2" / saved.FILE).stat().st_ino == (made / saved.FILE).stat().st_ino
