"""Completeness: does an agreement regulate what the law requires (sh:Violation) and what
recommended practice expects (sh:Warning)? One SHACL shape per requirement of
data/requirements.json; shapes/completeness.ttl is generated from it:

    python -m vemgorvad.validate.completeness      # rewrite shapes/completeness.ttl
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any
from functools import cache

import pyshacl
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.collection import Collection

from .. import paths
from ..extract.citations import law_table
from ..extract.citations.resolve import Provision
from ..graph.terms import ID, VG, law_iri, provision_iri
from .shacl import summarise

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VGNS = Namespace(VG)
SHAPES = Namespace("https://w3id.org/vemgorvad/shapes/completeness#")
OUTPUT = paths.SHAPES / "completeness.ttl"


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
    name: dict
    description: dict
    message: dict
    basis: tuple[Basis, ...]

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
                             _bases(r["basis"])) for r in _data()["requirements"])


@cache
def together() -> tuple[Together, ...]:
    return tuple(Together(t["code"], tuple(t["requirements"]), t["severity"], t["message"], _bases(t["basis"]))
                 for t in _data().get("together", []))


def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.bind("sh", SH)
    g.bind("vg", VGNS)
    g.bind("vgc", SHAPES)
    g.bind("skos", SKOS)
    for r in requirements():
        shape = SHAPES[r.id]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, VGNS.Agreement))
        g.add((shape, SH.severity, SH.Violation if r.severity == "violation" else SH.Warning))
        for field, prop in (("name", SH.name), ("description", SH.description), ("message", SH.message)):
            for lang in ("sv", "en"):
                g.add((shape, prop, Literal(getattr(r, field)[lang], lang=lang)))
        alternatives = []
        for topic in r.topics:
            node, prop_shape = BNode(f"{r.id}-{topic}"), BNode(f"{r.id}-{topic}-regulates")
            g.add((node, SH.property, prop_shape))
            g.add((prop_shape, SH.path, VGNS.regulates))
            g.add((prop_shape, SH.hasValue, URIRef(f"{ID}topic/{topic}")))
            alternatives.append(node)
        head = BNode(f"{r.id}-alternatives")
        Collection(g, head, alternatives)
        g.add((shape, SH["or"], head))
        for b in r.basis:
            g.add((shape, SKOS.note, Literal(b.label, lang="sv")))
            provision = Provision.parse(b.provision or "")
            target = provision_iri("SFS", b.sfs, provision.chapter, provision.section) if provision \
                else law_iri("SFS", b.sfs)
            g.add((shape, RDFS.seeAlso, URIRef(target.value)))
    return g


def render() -> str:
    header = ("# Generated from data/requirements.json by `python -m vemgorvad.validate.completeness`; edit the data\n"
              "# file, not this one. One shape per requirement: sh:Violation where the law requires it,\n"
              "# sh:Warning for recommended practice.\n")
    return header + shapes_graph().serialize(format="longturtle")


def check_agreement(agreement_iri: str, regulated: set[str]):
    """SHACL results of the completeness shapes for one agreement that regulates these topics."""
    data = rdflib.Graph()
    node = URIRef(agreement_iri)
    data.add((node, RDF.type, VGNS.Agreement))
    for topic in regulated:
        data.add((node, VGNS.regulates, URIRef(f"{ID}topic/{topic}")))
    conforms, report, _ = pyshacl.validate(data, shacl_graph=_loaded_shapes(), inference="none",
                                           allow_warnings=True)
    return summarise(conforms, report), report


@cache
def _loaded_shapes() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(OUTPUT, format="turtle")
    return g


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)
