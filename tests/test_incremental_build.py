"""The incremental build (buildcache.py, build.py): each agreement's pipeline result is cached by
the digest of its text, record and corrections and of the code and data the pipeline depends on.
An add runs the pipeline for the added agreement only, a lexicon change for all of them, and the
graph built from the cache is byte for byte the graph built without it. Runs the real command on
a copy of the project (project_copy.py)."""
from __future__ import annotations

import json
import pickle
import shutil
from dataclasses import asdict
from pathlib import Path

import numpy as np

from project_copy import EXTRA, KEYS, run_cli, source_text
from vemgorvad.serve.ask import saved
from vemgorvad.serve.ask.engine import AskEngine
from vemgorvad.store import EmbeddedStore


def manifest(home: Path) -> dict:
    return json.loads((home / "var" / "current" / "manifest.json").read_text(encoding="utf-8"))


def cached(home: Path) -> dict[str, bool]:
    return {a["key"]: a["cached"] for a in manifest(home)["agreements"]}


def dataset(home: Path) -> bytes:
    return (home / "var" / "current" / "dataset.nq").read_bytes()


def build(home: Path) -> None:
    done = run_cli(home, "build", "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr


def from_scratch(home: Path, tmp_path: Path) -> bytes:
    """The dataset a build without any cache makes of the same project."""
    fresh = tmp_path / "fresh"
    shutil.copytree(home, fresh, symlinks=True, ignore=shutil.ignore_patterns("var"))
    build(fresh)
    assert not any(cached(fresh).values())
    return dataset(fresh)


def test_the_template_build_filled_the_cache(template):
    assert set(cached(template)) == set(KEYS) and not any(cached(template).values())
    entries = {p.name for p in (template / "var" / "cache" / "agreements").iterdir()}
    assert entries == {a["digest"] for a in manifest(template)["agreements"]}
    # the build's agreement folders are the cache entries, linked, not copies
    key = KEYS[0]
    digest = next(a["digest"] for a in manifest(template)["agreements"] if a["key"] == key)
    built = template / "var" / "current" / "agreements" / key / "graph.nq"
    assert built.samefile(template / "var" / "cache" / "agreements" / digest / "graph.nq")


def test_a_rebuild_of_unchanged_data_runs_no_pipeline_and_gives_the_same_graph(home, template):
    build(home)
    assert all(cached(home).values()) and manifest(home)["timings"]["cached"] == len(KEYS)
    assert dataset(home) == dataset(template)


def ask_parts(home: Path) -> dict[str, tuple[int, int]]:
    """Each agreement's cached part of the ask index: its inode and modification time."""
    found = {}
    for a in manifest(home)["agreements"]:
        stat = (home / "var" / "cache" / "agreements" / a["digest"] / saved.PART_FILE).stat()
        found[a["key"]] = (stat.st_ino, stat.st_mtime_ns)
    return found


QUESTIONS = ("Vem ansvarar för hjälpmedel för en 25-åring?", "Vem kallar till SIP?",
             "Vem betalar placering på HVB?", "Vem ansvarar för tandvård i Uppsala?")


def answers(home: Path) -> list[dict]:
    engine = AskEngine(EmbeddedStore.from_build(home / "var" / "current"))
    assert engine.index_from_build     # the build's ask-index.pickle, not one computed here
    return [engine.ask(q) for q in QUESTIONS]


def test_add_runs_the_pipeline_for_the_added_agreement_only(home, tmp_path):
    before = ask_parts(home)
    upload = tmp_path / f"{EXTRA}.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    done = run_cli(home, "add", str(upload), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert cached(home) == {**{k: True for k in KEYS}, EXTRA: False}
    assert dataset(home) == from_scratch(home, tmp_path)
    # the ask index: the unchanged agreements' parts are the cached ones, not made again, and the
    # index put together from them is the index a build from scratch makes, answers and all
    after = ask_parts(home)
    assert {k: after[k] for k in KEYS} == before and set(after) == {*KEYS, EXTRA}
    added, fresh = (saved.read(h / "var" / "current" / saved.FILE, saved.key(manifest(h)["dataset_sha256"]))
                    for h in (home, tmp_path / "fresh"))
    assert added is not None and fresh is not None and manifest(home)["timings"]["ask_index_made"] == 1
    assert [asdict(e) for e in added.entries] == [asdict(e) for e in fresh.entries]
    assert (added.vocab.frequency, added.vocab.documents) == (fresh.vocab.frequency, fresh.vocab.documents)
    assert added.vocab.splits() == fresh.vocab.splits()
    assert (added.agreements, added.regulates, added.texts, added.joint) == \
           (fresh.agreements, fresh.regulates, fresh.texts, fresh.joint)
    tokens = sorted(fresh.vocab.frequency)
    for which in ("own", "context", "heading"):
        for start in range(0, len(tokens), 50):
            assert np.array_equal(added.scores(which, tokens[start:start + 50]),
                                  fresh.scores(which, tokens[start:start + 50]))
    assert answers(home) == answers(tmp_path / "fresh")


def test_a_changed_text_runs_the_pipeline_for_that_agreement_only(home):
    key = KEYS[1]
    path = home / "data" / "agreements" / f"{key}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(home)
    assert cached(home) == {KEYS[0]: True, key: False}


def test_a_lexicon_change_runs_the_pipeline_for_every_agreement(home, tmp_path):
    lexicon = sorted((home / "data" / "lexicon").rglob("*.json"))[0]
    entries = json.loads(lexicon.read_text(encoding="utf-8"))
    lexicon.write_text(json.dumps(entries, ensure_ascii=False, indent=3), encoding="utf-8")   # same entries, other bytes
    build(home)
    assert not any(cached(home).values())
    # entries no retained build uses are gone; those of the builds kept are there
    builds = [p for p in (home / "var" / "builds").iterdir() if not p.name.startswith(".")]
    used = {a["digest"] for b in builds for a in json.loads((b / "manifest.json").read_text())["agreements"]}
    assert {p.name for p in (home / "var" / "cache" / "agreements").iterdir()} == used


def test_the_ontology_and_the_shapes_are_part_of_the_key(home):
    shapes = home / "shapes" / "integrity.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    build(home)
    assert not any(cached(home).values())


def _shared(build_dir: Path):
    from vemgorvad.build import Shared, shared_part
    from vemgorvad.pipeline import vocabulary
    from vemgorvad.validate.shacl import target_predicates
    targeting = frozenset(f"<{p}>".encode() for p in target_predicates(vocabulary().shapes))
    shared = Shared()
    for folder in sorted((build_dir / "agreements").iterdir()):
        about, links = pickle.loads(shared_part(folder.name, (folder / "graph.nq").read_bytes(), targeting))
        shared.about += about.splitlines(keepends=True)
        shared.links += links.splitlines(keepends=True)
    return shared


def test_an_entry_without_its_shared_part_gets_it_from_its_graph(home):
    """The lines the cross-agreement pass reads, cached with each agreement by its worker: an entry
    without them (made by an earlier version) gets them from its graph.nq, the same bytes, and the
    build the same dataset."""
    from vemgorvad.build import SHARED_PART
    first = manifest(home)["agreements"][0]["digest"]
    part = home / "var" / "cache" / "agreements" / first / SHARED_PART
    made = part.read_bytes()
    before = dataset(home)
    part.unlink()
    build(home)
    assert part.read_bytes() == made and dataset(home) == before


def test_the_cross_agreement_pass_validates_a_shared_node_as_all_agreements_describe_it(build_dir):
    """A region described by two agreements, each on its own valid, with two different kinds of
    principal between them: only the pass over the nodes several agreements describe sees it."""
    from vemgorvad.build import _shared_shacl
    shared = _shared(build_dir)
    assert shared.about and shared.links
    assert _shared_shacl(shared).violations == 0
    region = "https://w3id.org/vemgorvad/id/org/uppsala/region"
    assert any(line.startswith(f"<{region}> ".encode()) for line in shared.about)
    kind = "https://w3id.org/vemgorvad/ontology#principalKind"
    shared.about.append(f"<{region}> <{kind}> <https://w3id.org/vemgorvad/id/principal-kind/kommun> "
                        f"<https://w3id.org/vemgorvad/graph/another> .\n".encode())
    result = _shared_shacl(shared)
    assert result.violations == 1 and region in result.messages[0] and kind in result.messages[0]


def test_an_entry_without_its_ask_index_part_gets_it_from_its_graph(home, template):
    """A cache entry made by a build that did not make the ask index (build() without it) gets its
    part from its graph.nq when a build needs it; the index is the same."""
    first = manifest(home)["agreements"][0]["digest"]
    part = home / "var" / "cache" / "agreements" / first / saved.PART_FILE
    made = pickle.loads(part.read_bytes())
    part.unlink()
    (home / "var" / "current" / saved.FILE).unlink()       # so the build makes the index again
    build(home)
    assert all(cached(home).values()) and manifest(home)["timings"]["ask_index_made"] == 1
    assert pickle.loads(part.read_bytes()) == made       # the same part (its sets pickle in another order)
    index, before = (saved.read(h / "var" / "current" / saved.FILE, saved.key(manifest(h)["dataset_sha256"]))
                     for h in (home, template))
    assert index is not None and before is not None
    assert [asdict(e) for e in index.entries] == [asdict(e) for e in before.entries]
