"""OWL reasoning with owlready2 and its bundled HermiT (Java) over what it can reason about: the
TBox of ontology/ with the vocabularies — the SKOS schemes, the laws of data/laws.json, the places
of the gazetteer and the national actors. HermiT checks that this is consistent: no class is
unsatisfiable, and no individual of the vocabularies breaks an axiom (two disjoint classes — the
ontology declares its top classes pairwise disjoint —, a domain or range into a disjoint class, a
functional property with two values). It also classifies the classes (the manifest records how
many subclass axioms it inferred). The agreement graphs' thousands of instances are not given to
it (seconds per thousand individuals): the SHACL shapes check them, the disjointness axioms
included (shapes/integrity.ttl, vgs:DisjointClassesShape), and SPARQL rules add what follows from
the vocabularies (queries/rules/).

The result is cached by a hash of the inputs, so a build re-runs HermiT only when the ontology,
the vocabularies or the actor lexicon changed.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import owlready2
import pyoxigraph


class ReasonerMissing(RuntimeError):
    """HermiT cannot run (no Java); the message is one line."""


@dataclass
class ReasoningResult:
    consistent: bool
    classes: int
    inferred_subclass_axioms: int
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cached: bool = False
    inputs: str = ""


def inputs_hash(ntriples: bytes) -> str:
    return hashlib.sha256(ntriples).hexdigest()[:16]


def reason(ntriples: bytes, cache_file: Path | None = None) -> ReasoningResult:
    digest = inputs_hash(ntriples)
    if cache_file is not None and cache_file.exists():
        try:
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
            if cached.get("inputs") == digest:
                return ReasoningResult(**{**cached, "cached": True})
        except (ValueError, TypeError):
            pass
    result = _run_hermit(ntriples)
    result.inputs = digest
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(asdict(result), ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def _run_hermit(ntriples: bytes) -> ReasoningResult:

    started = time.perf_counter()
    world = owlready2.World()
    with tempfile.NamedTemporaryFile(suffix=".nt", delete=False) as handle:
        handle.write(ntriples)
        path = handle.name
    try:
        onto = world.get_ontology("file://" + path).load(format="ntriples")
        before = _subclass_pairs(world)
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            consistent = True
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
        except FileNotFoundError:
            raise ReasonerMissing("Java saknas: OWL-kontrollen (HermiT) behöver Java; kör 'make java' "
                                  "(Java is missing; HermiT needs it)") from None
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes()) if consistent else []
        after = _subclass_pairs(world)
        classes = len(list(world.classes()))
    finally:
        Path(path).unlink(missing_ok=True)
    return ReasoningResult(consistent and not unsatisfiable, classes, len(after - before), unsatisfiable,
                           round(time.perf_counter() - started, 2))


def _subclass_pairs(world: owlready2.World) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for cls in world.classes():
        for parent in cls.is_a:
            if hasattr(parent, "iri"):
                pairs.add((cls.iri, parent.iri))
    return pairs


XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"
RDFS_LITERAL = "<http://www.w3.org/2000/01/rdf-schema#Literal>"


def tbox_ntriples(quads: Iterable[pyoxigraph.Quad]) -> bytes:
    """The vocabulary graph as N-Triples, for the reasoner. HermiT implements exactly the OWL 2
    datatype map, which has no xsd:date: ranges of xsd:date are given to it as rdfs:Literal and
    date values are left out — neither can make the ontology inconsistent."""
    lines = set()
    for q in quads:
        obj = str(q.object)
        if obj.endswith("^^" + XSD_DATE):
            continue
        if obj == XSD_DATE:
            obj = RDFS_LITERAL
        lines.add(f"{q.subject} {q.predicate} {obj} .\n")
    return "".join(sorted(lines)).encode("utf-8")

