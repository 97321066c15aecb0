"""The ask index is made by `vemgorvad build` and read by `serve` (serve/ask/saved.py): the build's
file, put together from each agreement's part (made from that agreement's graph alone), holds the
same index the whole store gives, also when it takes the compound splits of the index before a
change; a file of another graph or version is not read, and a rebuild that changed nothing takes the
current build's file instead of making it again."""
from __future__ import annotations

import hashlib
import json
import pickle
import random
import shutil
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

import bm25s
import numpy as np
import pyoxigraph
import pytest

from vemgorvad import thesaurus
from vemgorvad.serve.ask import saved
from vemgorvad.serve.ask.index import B, K1, Common, Index, Part, _bm25
from vemgorvad.serve.ask.text import content_stems, stem, words
from vemgorvad.serve.ask.understanding import stopwords
from vemgorvad.store import EmbeddedStore


@pytest.fixture(scope="module")
def manifest(build_dir):
    return json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def computed(embedded_store) -> Index:
    return Index(embedded_store)


@pytest.fixture(scope="module")
def served(ask_engine) -> Index:
    """The session's service's index (read from the build's file): the agreements' texts and vocabulary,
    for the checks that need an index of the graph but not one computed afresh."""
    return ask_engine.index


@pytest.fixture(scope="module")
def graphs(build_dir) -> tuple[list[pyoxigraph.Quad], dict[str, list[pyoxigraph.Quad]]]:
    """The seeds' dump: the vocabulary graph's quads, and each agreement's graph's by key."""
    by_graph: dict[str, list[pyoxigraph.Quad]] = defaultdict(list)
    for q in pyoxigraph.parse(path=str(build_dir / "dataset.nq"), format=pyoxigraph.RdfFormat.N_QUADS):
        by_graph[q.graph_name.value.rsplit("/", 1)[-1]].append(q)
    vocabulary = by_graph.pop("vocabulary")
    return vocabulary, dict(by_graph)


@pytest.fixture(scope="module")
def part_files(graphs, tmp_path_factory) -> list[Path]:
    """Every agreement's part of the index, made from its graph and the vocabulary as the build's
    worker makes it."""
    vocabulary, by_key = graphs
    folder = tmp_path_factory.mktemp("parts")
    files = []
    for key, quads in sorted(by_key.items()):
        files.append(folder / f"{key}.part")
        files[-1].write_bytes(saved.part(key, quads, vocabulary))
    return files


def parts(files: list[Path], leave_out: str | None = None) -> tuple[Common, list[Part]]:
    found = [pickle.loads(f.read_bytes())[1:] for f in files]
    return found[0][0], [p for _, p in found if p.key != leave_out]


@pytest.fixture(scope="module")
def made(build_dir, manifest, part_files, tmp_path_factory) -> Path:
    """A build folder with the seeds' dump, its ask index made as the build makes it from the parts
    (no current build to take it from). The index's key holds the code's digest, so the session's
    build, made before an edit of the code, may hold a file that is rightly not read any more."""
    folder = tmp_path_factory.mktemp("builds") / "b1"
    folder.mkdir()
    shutil.copyfile(build_dir / "dataset.nq", folder / "dataset.nq")
    assert saved.make(folder, tmp_path_factory.mktemp("var"), manifest["dataset_sha256"],
                      manifest["quads"], part_files)
    return folder


def same(a: Index, b: Index) -> None:
    assert [asdict(e) for e in a.entries] == [asdict(e) for e in b.entries]
    for name in ("agreements", "regulates", "topic_labels", "labels", "texts", "joint", "by_agreement",
                 "by_section", "by_topic", "by_own_topic", "by_agreement_topic"):
        assert getattr(a, name) == getattr(b, name), name
    assert (a.vocab.frequency, a.vocab.documents) == (b.vocab.frequency, b.vocab.documents)
    assert a.vocab.splits() == b.vocab.splits()
    tokens = sorted(b.vocab.frequency)
    for which in ("own", "context", "heading"):
        for start in range(0, len(tokens), 40):
            assert np.array_equal(a.scores(which, tokens[start:start + 40]), b.scores(which, tokens[start:start + 40]))


# The build's index put together from its parts against the index computed from the whole graph: each of these
# parses the whole dump, makes every agreement's part and a whole index at least twice (4.5 s of CPU together in a
# test-fast run), an integration check of the build that runs in the full run.
@pytest.mark.slow
def test_the_parts_of_the_agreements_put_together_are_the_index_of_the_whole_graph(part_files, computed):
    common, found = parts(part_files)
    assert [p.key for p in found] == sorted(computed.agreements)
    same(Index(common=common, parts=found), computed)


@pytest.mark.slow
@pytest.mark.parametrize("changed", ["sormland", "uppsala"])
def test_splits_taken_from_the_index_before_a_change_give_the_index_made_afresh(part_files, computed, changed):
    """After an agreement comes (or goes), the new index takes the earlier one's compound splits
    that no stem that came or went can touch, and is the index made without them."""
    common, fewer = parts(part_files, leave_out=changed)
    before = Index(common=common, parts=fewer)
    kept = before.vocab.splits().valid_for(computed.vocab)
    assert 0 < len(kept) < len(before.vocab.splits().splits)      # some are taken, some made again
    same(Index(common=common, parts=parts(part_files)[1], splits=before.vocab.splits()), computed)
    fresh = Index(common=common, parts=parts(part_files, leave_out=changed)[1])
    same(Index(common=common, parts=parts(part_files, leave_out=changed)[1], splits=computed.vocab.splits()), fresh)


def test_a_snowball_stem_is_a_prefix_of_its_word(served):
    """What Splits.valid_for rests on: the stem of every word of the agreements begins the word."""
    for text in served.texts.values():
        for word in words(text):
            assert word.startswith(stem(word)), word


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


def test_an_index_made_with_another_thesaurus_is_not_read(made, manifest, monkeypatch):
    # a new version of Debian's mythes-sv changes the synonym table the index keeps: its key changes
    now = saved.key(manifest["dataset_sha256"])
    assert saved.read(made / saved.FILE, now) is not None
    monkeypatch.setattr(thesaurus, "digest", lambda: "1" * 64)
    other = saved.key(manifest["dataset_sha256"])
    assert other != now and saved.read(made / saved.FILE, other) is None


@pytest.mark.slow   # needs a build folder whose index is made from the parts, as the build makes it
def test_a_rebuild_of_the_same_graph_takes_the_current_builds_index(made, manifest, tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "current").symlink_to(made)
    (tmp_path / "b2").mkdir()
    assert not saved.make(tmp_path / "b2", var, manifest["dataset_sha256"], manifest["quads"], [])
    for name in (saved.FILE, saved.SPLITS):
        assert (tmp_path / "b2" / name).stat().st_ino == (made / name).stat().st_ino


def test_the_bm25_matrix_is_the_one_bm25s_makes(computed):
    """index.bm25s_index makes bm25s's own score matrix with numpy over all documents at once: every
    token's scores, and those of questions of several tokens, are bm25s's to the last bit (empty
    documents too)."""
    stop = stopwords()
    for docs in ([content_stems(e.quote, computed.vocab, stop) for e in computed.entries],
                 [content_stems(e.section, computed.vocab, stop) for e in computed.entries] + [[]]):
        reference = bm25s.BM25(k1=K1, b=B)
        reference.index([d or [""] for d in docs], show_progress=False)
        made = _bm25(docs)
        tokens = sorted({t for d in docs for t in d})
        rng = random.Random(16)
        for query in [[t] for t in tokens] + [rng.sample(tokens, 6) for _ in range(100)]:
            assert np.array_equal(made.get_scores(query), reference.get_scores(query)), query


def test_a_words_stems_remembered_are_the_stems_made_afresh(served):
    """Index remembers each word's stems while it is built (content_stems' memo): the same stems,
    in the same order, as content_stems without it, for every text of every agreement."""
    memo: dict[str, tuple[str, ...]] = {}
    stop = stopwords()
    for text in served.texts.values():
        for paragraph in text.split("\n")[:400]:
            assert content_stems(paragraph, served.vocab, stop, memo) == content_stems(paragraph, served.vocab, stop)
    assert memo and all(isinstance(v, tuple) for v in memo.values())
