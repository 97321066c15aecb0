"""One agreement, from its bytes to its validated graph: ingest → extract → graph → rules →
validate. Every entry point goes through :func:`process` — `vemgorvad build` (once per agreement,
in worker processes), `vemgorvad add` (through the build) and the gap check (an upload). The build
adds only caching, ordering and publishing around it; the gap check only the comparison with the
law and the peers.

    result = process(data, "utkast.pdf", "uppladdad")           # the record from the text itself
    result = process(data, record.file, record.key, record)       # the catalogue's record

The result keeps every stage: the normalised document, the extraction, what the text says about
itself, the quads of the agreement's named graph *after* the SPARQL rules (so the graph.nq a build
writes is the graph it serves), and the SHACL result of that graph. :func:`stage_files` renders
the stages as the files a build keeps per agreement (ferenda-style).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph
import rdflib

from .catalogue import Record
from .corrections import Correction, apply_corrections
from .extract.clauses import extract
from .extract.coverage import Reading, passages
from .extract.metadata import Metadata, describe, describe_parties
from .extract.model import Clause, Extraction
from .extract.parties import find_parties
from .graph.agreement import AgreementGraph
from .graph.terms import agreement_graph
from .graph.vocabulary import vocabulary_quads
from .ingest import Document, ingest_bytes
from .validate.rules import apply_rules
from .validate.shacl import ShaclResult, Support, load_shapes, support, validate_quads, validate_sparql


@dataclass(frozen=True)
class Vocabulary:
    """What every agreement's graph is made and checked against, loaded once per process: the
    vocabulary graph (ontology, SKOS schemes, laws, national actors), the part of it the shapes
    look at, and the integrity shapes."""
    quads: list[pyoxigraph.Quad]
    support: Support
    shapes: rdflib.Graph


@cache
def vocabulary() -> Vocabulary:
    quads = vocabulary_quads()
    shapes = load_shapes()
    return Vocabulary(quads, support(quads, shapes), shapes)


@dataclass
class Processed:
    """One agreement after the pipeline (see the module docstring)."""
    record: Record
    doc: Document
    extraction: Extraction
    metadata: Metadata
    quads: list[pyoxigraph.Quad]
    rules: dict[str, int]
    shacl: ShaclResult
    reading: Reading    # what each passage does with each topic (coverage.passages): read once, for the graph and the report


def metadata(doc: Document, title_fallback: str) -> Metadata:
    """What an agreement says about itself (title, parties, validity), without building its graph
    or extracting its clauses (describe reads only the parties of an extraction); `title_fallback`
    stands in for a title the text does not give."""
    return describe_parties(doc, find_parties(doc), title_fallback)


def process(data: bytes, filename: str, key: str, record: Record | None = None,
            corrections: Sequence[Correction] = (), max_chars: int | None = None) -> Processed:
    """Bytes → the validated graph of one agreement. `record` is its catalogue record; without one
    (an upload) the record is what the text says about itself. With `max_chars`, a longer text is
    refused (413) as soon as it is read."""
    doc = ingest_bytes(data, filename, max_chars)   # IngestError, in Swedish and English, for what cannot be read
    extraction = extract(doc, key, as_of=record.valid_from if record else None)
    extraction.corrections_applied = apply_corrections(extraction, list(corrections))
    metadata = describe(doc, extraction, filename)
    if record is None:
        record = Record(key, filename or f"{key}.txt", metadata.title, parties=list(metadata.parties),
                        valid_from=metadata.valid_from, valid_to=metadata.valid_to)
    reading = passages(doc, extraction)
    made = AgreementGraph(record.as_dict(), doc, extraction, reading).build()
    # rules, then validation, on the agreement's graph beside the vocabulary it refers to
    vocab = vocabulary()
    store = pyoxigraph.Store()
    store.extend(vocab.quads)
    store.extend(made)
    rules = apply_rules(store)
    quads = list(store.quads_for_pattern(None, None, None, agreement_graph(key)))
    shacl = (validate_sparql(store, vocab.shapes, agreement_graph(key).value)
             + validate_quads(quads, vocab.support, vocab.shapes))
    return Processed(record, doc, extraction, metadata, quads, rules, shacl, reading)


# --- the stages as files ---------------------------------------------------------------------------

def nquads(quads: Iterable[pyoxigraph.Quad]) -> bytes:
    """N-Quads, one quad a line, sorted: the same graph always gives the same bytes."""
    return sorted_nquads(pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"")


def sorted_nquads(data: bytes) -> bytes:
    """N-Quads in a canonical line order, each quad once."""
    return b"".join(sorted(set(data.splitlines(keepends=True))))


def stage_files(result: Processed) -> dict[str, bytes]:
    """normalised.txt, structure.json, clauses.json and graph.nq of one agreement."""
    doc, extraction = result.doc, result.extraction
    structure = {
        "sections": [{"heading": s.heading, "level": s.level, "parent": s.parent, "start": s.start,
                      "end": s.end} for s in doc.sections],
        "blocks": [{"kind": b.kind, "start": b.start, "end": b.end, "section": b.section,
                    "list": b.list_id, "intro": b.intro} for b in doc.blocks],
        "repairs": doc.repairs,
        "footnotes": {n: f.text for n, f in doc.footnotes.items()},
    }
    return {
        "normalised.txt": doc.text.encode("utf-8"),
        "structure.json": json.dumps(structure, ensure_ascii=False, indent=1).encode("utf-8"),
        "clauses.json": json.dumps([clause_json(c) for c in extraction.clauses], ensure_ascii=False,
                                   indent=1).encode("utf-8"),
        "graph.nq": nquads(result.quads),
    }


def clause_json(c: Clause) -> dict[str, Any]:
    b = c.bearer
    return {
        "start": c.start, "end": c.end, "kind": c.unit_kind, "section": c.section, "text": c.text,
        "quote": c.quote, "topics": c.topics, "target_groups": c.target_groups, "activities": c.activities,
        "bearer": None if b is None else {"kind": b.kind, "mode": b.mode, "principal": b.principal.id if b.principal else None,
                                          "unit": b.unit.id if b.unit else None, "label": b.label,
                                          "method": b.method, "confidence": b.confidence},
        "class": c.deontic_class, "strength": c.modality.strength, "cue": c.modality.cue,
        "rule": c.modality.reason, "bearer_source": c.bearer_source, "intro": c.intro or None,
        "duties": c.duty_kinds, "conditions": c.conditions.text_sv(), "statement": c.statement,
        "citations": [{"text": x.text, "sfs": x.sfs, "series": x.series,
                       "provisions": [p.key for p in x.provisions]} for x in c.citations],
        "curated": c.curated,
    }
