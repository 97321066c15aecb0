"""Completeness: does an agreement regulate what the law requires of its kind (sh:Violation) and
what recommended practice expects (sh:Warning)? One SHACL shape per requirement of
data/requirements.json, and one per rule of requirements the law states together;
shapes/completeness.ttl is generated from it:

    python -m vemgorvad.validate.completeness      # rewrite shapes/completeness.ttl

Each kind of agreement (extract/kinds.py) is a class, and a shape targets the kinds its
requirement applies to: an agreement is checked only against what is asked of its kind. A
requirement is met when the agreement regulates one of its topics (vg:regulates) or refers it to
another named agreement or document (vg:regulatesByReference). The gap report's requirement
findings are the results of this validation (serve/check/report.py), so the shapes are the one
definition of what is required.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any
from functools import cache

import pyoxigraph
import pyshacl
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.collection import Collection

from .. import paths
from ..extract.citations import law_table
from ..extract.kinds import kinds
from ..extract.citations.resolve import Provision
from ..graph.terms import ID, VG, law_iri, provision_iri
from .shacl import ShaclResult, outcome, summarise
from .shacl_sparql import CompiledShapes, Unsupported

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VGNS = Namespace(VG)
SHAPES = Namespace("https://w3id.org/vemgorvad/shapes/completeness#")
OUTPUT = paths.SHAPES / "completeness.ttl"
KIND = f"{ID}agreement-kind/"


@dataclass(frozen=True)
class Basis:
    sfs: str
    provision: str | None
    label: str
    verified: bool | None
    source: str


@dataclass(frozen=True)
class Requirement:
    id: str
    topics: tuple[str, ...]
    severity: str                # violation | warning
    name: dict[str, str]
    description: dict[str, str]
    message: dict[str, str]
    basis: tuple[Basis, ...]
    kinds: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "law" if self.severity == "violation" else "recommended"

    def basis_text(self) -> str:
        return "; ".join(b.label + ("" if b.verified is not False else " (uppgiften ej verifierad)") for b in self.basis)


@dataclass(frozen=True)
class Together:
    """Requirements the law states together: meeting some but not all of them is a finding."""
    code: str
    requirements: tuple[str, ...]
    severity: str
    message: dict[str, str]
    basis: tuple[Basis, ...]
    kinds: tuple[str, ...] = ()

    def basis_text(self) -> str:
        return ", ".join(b.label for b in self.basis)


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((paths.DATA / "requirements.json").read_text(encoding="utf-8"))
    return data


def _bases(entries: list[dict[str, Any]]) -> tuple[Basis, ...]:
    table = law_table()
    bases = []
    for b in entries:
        law = table.get(b["sfs"])
        entry = law.provisions.get(b["provision"]) if (law and b["provision"]) else None
        verified = (entry.get("verified") if entry else law.verified) if law else None
        source = (entry.get("source") if entry else law.source) if law else ""
        bases.append(Basis(b["sfs"], b["provision"], b["label"], verified, source or ""))
    return tuple(bases)


@cache
def requirements() -> tuple[Requirement, ...]:
    return tuple(Requirement(r["id"], tuple(r["topics"]), r["severity"], r["name"], r["description"], r["message"],
                             _bases(r["basis"]), tuple(r["kinds"])) for r in _data()["requirements"])


@cache
def together() -> tuple[Together, ...]:
    return tuple(Together(t["code"], tuple(t["requirements"]), t["severity"], t["message"], _bases(t["basis"]),
                          tuple(t["kinds"])) for t in _data().get("together", []))


@dataclass(frozen=True)
class Result:
    """One result of the completeness validation: which shape (a requirement's id or a together
    rule's code), how severe, and its Swedish message."""
    shape: str
    severity: str                # violation | warning
    message: str


def kind_iri(key: str) -> URIRef:
    return URIRef(f"{KIND}{key}")


def _met(g: rdflib.Graph, r: Requirement, prefix: str = "") -> BNode:
    """A node shape met when the agreement regulates one of the requirement's topics, or refers it
    to another document."""
    alternatives: list[rdflib.term.Node] = []
    for topic in r.topics:
        for prop in (VGNS.regulates, VGNS.regulatesByReference):
            name = f"{prefix}{r.id}-{topic}-{prop.split('#')[-1]}"
            node, prop_shape = BNode(name), BNode(f"{name}-value")
            g.add((node, SH.property, prop_shape))
            g.add((prop_shape, SH.path, prop))
            g.add((prop_shape, SH.hasValue, URIRef(f"{ID}topic/{topic}")))
            alternatives.append(node)
    met, head = BNode(f"{prefix}{r.id}-met"), BNode(f"{prefix}{r.id}-alternatives")
    Collection(g, head, alternatives)
    g.add((met, SH["or"], head))
    return met


def _texts(g: rdflib.Graph, shape: URIRef, **texts: dict[str, str]) -> None:
    props = {"name": SH.name, "description": SH.description, "message": SH.message}
    for field, value in texts.items():
        for lang in ("sv", "en"):
            g.add((shape, props[field], Literal(value[lang], lang=lang)))


def _bases_to(g: rdflib.Graph, shape: URIRef, bases: tuple[Basis, ...]) -> None:
    for b in bases:
        g.add((shape, SKOS.note, Literal(b.label, lang="sv")))
        provision = Provision.parse(b.provision or "")
        target = provision_iri("SFS", b.sfs, provision.chapter, provision.section) if provision \
            else law_iri("SFS", b.sfs)
        g.add((shape, RDFS.seeAlso, URIRef(target.value)))


def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.bind("sh", SH)
    g.bind("vg", VGNS)
    g.bind("vgc", SHAPES)
    g.bind("skos", SKOS)
    g.bind("kind", Namespace(KIND))
    for k in kinds():
        g.add((kind_iri(k.key), RDF.type, RDFS.Class))
        g.add((kind_iri(k.key), RDFS.subClassOf, VGNS.Agreement))
        g.add((kind_iri(k.key), RDFS.label, Literal(k.name["sv"], lang="sv")))
        g.add((kind_iri(k.key), RDFS.label, Literal(k.name["en"], lang="en")))
    for r in requirements():
        shape = SHAPES[r.id]
        g.add((shape, RDF.type, SH.NodeShape))
        for key in r.kinds:
            g.add((shape, SH.targetClass, kind_iri(key)))
        g.add((shape, SH.severity, SH.Violation if r.severity == "violation" else SH.Warning))
        _texts(g, shape, name=r.name, description=r.description, message=r.message)
        g.add((shape, SH.node, _met(g, r)))
        _bases_to(g, shape, r.basis)
    by_id = {r.id: r for r in requirements()}
    for rule in together():  # all of them met, or none (none is each requirement's own finding)
        shape = SHAPES[rule.code]
        g.add((shape, RDF.type, SH.NodeShape))
        for key in rule.kinds:
            g.add((shape, SH.targetClass, kind_iri(key)))
        g.add((shape, SH.severity, SH.Violation if rule.severity == "violation" else SH.Warning))
        _texts(g, shape, message=rule.message)
        parts: list[rdflib.term.Node] = [_met(g, by_id[r], f"{rule.code}-") for r in rule.requirements]
        nots: list[rdflib.term.Node] = []  # each node once in the graph, so the Turtle writes every list inline
        for i, required in enumerate(rule.requirements):
            negated = BNode(f"{rule.code}-not-{i}")
            g.add((negated, SH["not"], _met(g, by_id[required], f"{rule.code}-not-")))
            nots.append(negated)
        every, none_, either = BNode(f"{rule.code}-all"), BNode(f"{rule.code}-none"), BNode(f"{rule.code}-either")
        all_list, none_list = BNode(f"{rule.code}-all-list"), BNode(f"{rule.code}-none-list")
        Collection(g, all_list, parts)
        Collection(g, none_list, nots)
        g.add((every, SH["and"], all_list))
        g.add((none_, SH["and"], none_list))
        Collection(g, either, [every, none_])
        g.add((shape, SH["or"], either))
        _bases_to(g, shape, rule.basis)
    return g


def render() -> str:
    header = ("# Generated from data/requirements.json by `python -m vemgorvad.validate.completeness`; edit the data\n"
              "# file, not this one. One shape per requirement: sh:Violation where the law requires it,\n"
              "# sh:Warning for recommended practice.\n")
    return header + shapes_graph().serialize(format="longturtle")


def _agreement_graph(agreement_iri: str, regulated: AbstractSet[str], referenced: AbstractSet[str],
                     kind: str | None) -> rdflib.Graph:
    """The agreement as the completeness shapes see it: its kind and the topics it regulates or refers."""
    data = rdflib.Graph()
    node = URIRef(agreement_iri)
    data.add((node, RDF.type, VGNS.Agreement))
    if kind is not None:
        data.add((node, RDF.type, kind_iri(kind)))
    for topic in regulated:
        data.add((node, VGNS.regulates, URIRef(f"{ID}topic/{topic}")))
    for topic in referenced:
        data.add((node, VGNS.regulatesByReference, URIRef(f"{ID}topic/{topic}")))
    return data


def check_agreement(agreement_iri: str, regulated: AbstractSet[str], referenced: AbstractSet[str] = frozenset(),
                    kind: str | None = None,
                    engine: str = "compiled") -> tuple[ShaclResult, rdflib.Graph | None, list[Result]]:
    """The completeness shapes' validation of one agreement of this kind that regulates these
    topics and refers those to other documents: (summary, pySHACL's report graph or None, results).
    The shapes run compiled to SPARQL in Oxigraph (validate/shacl_sparql.py: a few milliseconds,
    where pySHACL took a quarter of a second of every gap check); engine="pyshacl" runs pySHACL,
    the reference the tests compare the two with."""
    data = _agreement_graph(agreement_iri, regulated, referenced, kind)
    compiled = _compiled()
    if engine == "compiled" and compiled is not None:
        store = pyoxigraph.Store()
        store.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(str(s)), pyoxigraph.NamedNode(str(p)),
                                     pyoxigraph.NamedNode(str(o)), pyoxigraph.DefaultGraph()) for s, p, o in data)
        found = compiled.validate(store)
        results = sorted({Result(r.shape.strip("<>")[len(str(SHAPES)):], r.severity.lower(), _swedish(r.shape))
                          for r in found if r.shape.startswith(f"<{SHAPES}")},
                         key=lambda r: (r.severity != "violation", r.shape))
        return outcome(found), None, results
    conforms, report, _ = pyshacl.validate(data, shacl_graph=_loaded_shapes(), inference="none",
                                           allow_warnings=True)
    return summarise(conforms, report), report, results_of(report)


@cache
def _compiled() -> CompiledShapes | None:
    try:
        return CompiledShapes(_loaded_shapes())
    except Unsupported:
        return None


@cache
def _swedish(shape: str) -> str:
    """A shape's Swedish sh:message (the compiled engine reports the English one)."""
    return next((str(m) for m in _loaded_shapes().objects(URIRef(shape.strip("<>")), SH.message)
                 if getattr(m, "language", None) == "sv"), "")


def results_of(report: rdflib.Graph) -> list[Result]:
    """The validation report's results as findings are made from them, in a stable order."""
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        if not isinstance(shape, URIRef) or not str(shape).startswith(str(SHAPES)):
            continue
        severity = "violation" if report.value(result, SH.resultSeverity) == SH.Violation else "warning"
        message = next((str(m) for m in report.objects(result, SH.resultMessage)
                        if getattr(m, "language", None) == "sv"), "")
        results.append(Result(str(shape)[len(str(SHAPES)):], severity, message))
    return sorted(set(results), key=lambda r: (r.severity != "violation", r.shape))


@cache
def _loaded_shapes() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(OUTPUT, format="turtle")
    return g


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)
