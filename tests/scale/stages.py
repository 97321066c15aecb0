"""CPU and wall of each stage of the build's work per agreement (build._agreement: ingest, extract,
graph, rules, SHACL, and writing the stage files, the cache entry and the derived parts), in one
process, on every STEP-th agreement of a project (a `make scale` corpus), after one agreement to warm
up (the vocabulary, shapes and lexicon are loaded once per worker). With --profile FILE, a cProfile
of the measured agreements too (it inflates pure-Python stages several times: read it for where,
not how much).

    VEMGORVAD_HOME=/tmp/vemgorvad-scale/N100 VEMGORVAD_VAR=/tmp/vemgorvad-scale/N100/var \\
        python -m tests.scale.stages 10 [--profile build.prof]
"""
from __future__ import annotations

import argparse
import cProfile
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph

from vemgorvad import build, buildcache, paths, pipeline
from vemgorvad.catalogue import Record, load_catalogue
from vemgorvad.corrections import apply_corrections, load_corrections
from vemgorvad.graph.terms import agreement_graph
from vemgorvad.peers import agreement_part as peer_part
from vemgorvad.serve.ask import saved

TIMES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])


@contextmanager
def stage(name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        TIMES[name][0] += time.perf_counter() - wall
        TIMES[name][1] += time.process_time() - cpu


def one(record: Record, cache: Path) -> None:
    """What build._agreement does, stage by stage (pipeline.process spelled out)."""
    data, key = record.path.read_bytes(), record.key
    with stage("ingest"):
        doc = pipeline.ingest_bytes(data, record.file, None)
    with stage("extract"):
        extraction = pipeline.extract(doc, key, as_of=record.valid_from)
        extraction.corrections_applied = apply_corrections(extraction, load_corrections(paths.CORRECTIONS).get(key, []))
        metadata = pipeline.describe(doc, extraction, record.file)
        reading = pipeline.passages(doc, extraction)
    with stage("graph"):
        made = pipeline.AgreementGraph(record.as_dict(), doc, extraction, reading).build()
    with stage("rules"):
        vocab = pipeline.vocabulary()
        store = pyoxigraph.Store()
        store.extend(vocab.quads)
        store.extend(made)
        rules = pipeline.apply_rules(store)
        quads = list(store.quads_for_pattern(None, None, None, agreement_graph(key)))
    with stage("shacl (compiled, agreement)"):
        shacl = pipeline.validate_sparql(store, vocab.shapes, agreement_graph(key).value)
    with stage("shacl (core, with support)"):
        shacl = shacl + pipeline.validate_quads(quads, vocab.support, vocab.shapes)
    result = pipeline.Processed(record, doc, extraction, metadata, quads, rules, shacl, reading)
    with stage("write: stage files"):
        files = pipeline.stage_files(result)
    with stage("write: ask index part"):
        graph = list(pyoxigraph.parse(files["graph.nq"], format=pyoxigraph.RdfFormat.N_QUADS))
        files[saved.PART_FILE] = saved.part(key, graph, vocab.quads)
    with stage("write: peers part"):
        peer_part(key, result.quads, build._topics())
    with stage("write: cache entry"):
        buildcache.store(cache, key, files, {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", type=int, help="measure every STEP-th agreement")
    parser.add_argument("--profile", default=None, help="write a cProfile of the measured agreements here")
    args = parser.parse_args()
    records = load_catalogue()
    sample = records[::args.step]
    with tempfile.TemporaryDirectory(prefix="stages-") as cache:
        one(records[-1], Path(cache))
        TIMES.clear()
        profile = cProfile.Profile(time.process_time) if args.profile else None
        if profile:
            profile.enable()
        for record in sample:
            one(record, Path(cache))
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
    n = len(sample)
    cpu = sum(c for _, c in TIMES.values())
    print(f"{n} agreements; per agreement {sum(w for w, _ in TIMES.values()) / n:.2f} s wall, {cpu / n:.2f} CPU-s")
    for name, (wall, c) in sorted(TIMES.items(), key=lambda kv: -kv[1][1]):
        print(f"  {name:28s} {c / n:6.3f} CPU-s ({100 * c / cpu:4.1f} %)  {wall / n:6.3f} s wall")


if __name__ == "__main__":
    main()
