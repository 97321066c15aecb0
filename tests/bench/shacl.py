"""`make bench` part `shacl`: the core shapes on each agreement's graph, pySHACL and the compiled
engine (validate/shacl_sparql.py) side by side in one run — CPU seconds of this process
(time.process_time), so the figures say what the validation costs rather than how busy the shared
machine was. Both engines see the same data graph (shacl.data_graph: the agreement and the
vocabulary nodes it refers to); pySHACL's figure includes loading it into rdflib, as the build did."""
from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph

from vemgorvad.graph.vocabulary import vocabulary_quads
from vemgorvad.validate import shacl
from vemgorvad.validate.rdflib_bridge import term

ROOT = Path(__file__).resolve().parents[2]
NS = "https://w3id.org/vemgorvad/graph/"


def _graphs(dataset: Path) -> dict[str, list]:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
    return {g.value.rsplit("/", 1)[1]: list(store.quads_for_pattern(None, None, None, g))
            for g in store.named_graphs() if g.value.startswith(NS) and not g.value.endswith("/vocabulary")}


def _pyshacl(triples, shapes) -> shacl.ShaclResult:
    import rdflib
    data = rdflib.Graph()
    for t in triples:
        data.add((term(t.subject), term(t.predicate), term(t.object)))
    return shacl.validate_core(data, shacl.core_shapes(shapes))


def run(dataset: Path | None = None) -> dict:
    shapes = shacl.load_shapes()
    support = shacl.support(vocabulary_quads(), shapes)
    shacl.compiled(shapes)                       # compiled once per process, as in a build worker
    rows = {}
    for key, quads in sorted(_graphs(dataset or ROOT / "var" / "current" / "dataset.nq").items()):
        triples = shacl.data_graph(quads, support)
        t = time.process_time()
        ours = shacl.validate_triples(triples, shapes)
        compiled = time.process_time() - t
        t = time.process_time()
        theirs = _pyshacl(triples, shapes)
        reference = time.process_time() - t
        same = (ours.violations, ours.warnings) == (theirs.violations, theirs.warnings)
        rows[key] = {"triples": len(triples), "pyshacl_cpu_s": round(reference, 3),
                     "compiled_cpu_s": round(compiled, 3), "same_counts": same}
        print(f"shacl {key:28s} {len(triples):6d} triples: pySHACL {reference:6.3f} CPU-s, compiled "
              f"{compiled:6.3f} CPU-s ({reference / max(compiled, 1e-9):5.1f}×), results "
              f"{ours.violations}/{ours.warnings} vs {theirs.violations}/{theirs.warnings}")
    total_ref = sum(r["pyshacl_cpu_s"] for r in rows.values())
    total_ours = sum(r["compiled_cpu_s"] for r in rows.values())
    print(f"shacl per agreement (mean of {len(rows)}): pySHACL {total_ref / len(rows):.3f} CPU-s, "
          f"compiled {total_ours / len(rows):.3f} CPU-s")
    return rows
