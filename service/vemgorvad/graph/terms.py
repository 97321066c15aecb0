"""Namespaces and the IRIs the project mints. One namespace, stable from build to build: an IRI
depends only on the agreement key and the position of what it names in the normalised text."""
from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from ..keys import slug

BASE = "https://w3id.org/vemgorvad/"
ONTOLOGY = BASE + "ontology"
VG = ONTOLOGY + "#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

PREFIXES = {
    "vg": VG,
    "id": ID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "rpubl": "http://rinfo.lagrummet.se/ns/2008/11/rinfo/publ#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}


class Namespace:
    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)


vg = Namespace(VG)
#: The standard vocabularies, each under its prefix of PREFIXES
rdf, rdfs, xsd, skos, dcterms, org, prov, oa, rpubl, eli, odrl, void = (Namespace(PREFIXES[prefix]) for prefix in (
    "rdf", "rdfs", "xsd", "skos", "dcterms", "org", "prov", "oa", "rpubl", "eli", "odrl", "void"))

RDF_TYPE = rdf.type
VOCABULARY_GRAPH = NamedNode(GRAPH + "vocabulary")
SOFTWARE = NamedNode(ID + "agent/vemgorvad")      # the prov:SoftwareAgent that extracts every statement


def iri(path: str) -> NamedNode:
    return NamedNode(ID + path)


def agreement_graph(key: str) -> NamedNode:
    return NamedNode(GRAPH + key)


def agreement_iri(key: str) -> NamedNode:
    return iri(f"agreement/{key}")


def concept(scheme: str, key: str) -> NamedNode:
    return iri(f"{scheme}/{key}")


def kind_iri(kind: str) -> NamedNode:
    return concept("principal-kind", {"kommun+region": "kommun-region"}.get(kind, kind))


def law_iri(series: str, number: str) -> NamedNode:
    return iri(f"law/{slug(series)}-{number.replace(':', '-')}")


def provision_iri(series: str, number: str, chapter: str | None, section: str) -> NamedNode:
    part = (f"k{chapter}-" if chapter else "") + "p" + section.replace(" ", "")
    return NamedNode(law_iri(series, number).value + "/" + part)


def text(value: str, lang: str = "sv") -> Literal:
    return Literal(value, language=lang)


def string(value: str) -> Literal:
    return Literal(value)


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=xsd.integer)


def non_negative(value: int) -> Literal:
    """An offset. xsd:integer, not xsd:nonNegativeInteger: Oxigraph stores derived integer types
    as xsd:integer, and the graph must read the same from every store."""
    if value < 0:
        raise ValueError(f"negative offset {value}")
    return Literal(str(int(value)), datatype=xsd.integer)


def decimal(value: float) -> Literal:
    return Literal(f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}", datatype=xsd.decimal)


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=xsd.boolean)


def date(value: str) -> Literal:
    return Literal(value, datatype=xsd.date)


__all__ = ["BlankNode", "Literal", "NamedNode", "Quad"]
