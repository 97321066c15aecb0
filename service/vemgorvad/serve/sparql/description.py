"""The SPARQL Service Description (sd:) of the endpoint and the VoID description of the dataset:
one void:Dataset for the whole graph (its default graph is the union of the agreement graphs)
with one subset per named graph, triple counts, class partitions, the vocabularies used, the
SPARQL endpoint and the dumps. Built from the store's own answers, once per store."""
from __future__ import annotations

from functools import partial
from typing import TypedDict

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ...graph.terms import BASE, GRAPH, PREFIXES
from ...settings import Settings
from ...store import GraphStore
from ...store.base import Stats
from ..caches import Key

DATASET = BASE + "dataset"
RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG"]
DUMP_FORMATS = ["nq", "trig"]
GRAPH_DUMP_FORMATS = ["ttl", "nt", "nq", "jsonld", "rdf"]


def _n(prefix: str, local: str) -> NamedNode:
    return NamedNode(PREFIXES[prefix] + local)


def _int(value: int) -> Literal:
    return Literal(str(int(value)), datatype=_n("xsd", "integer"))


def graph_key(graph_iri: str) -> str:
    return graph_iri[len(GRAPH):] if graph_iri.startswith(GRAPH) else graph_iri


class Facts(TypedDict):
    """What the descriptions say of the served graph."""
    stats: Stats
    titles: dict[str, tuple[str, str | None]]   # agreement key → (its IRI, its title)
    classes: list[tuple[str, int]]              # class IRI → instances
    vocabularies: list[str]                     # namespaces of the terms used


def facts(store: GraphStore) -> Facts:
    """What the descriptions say, from the store (works for embedded and remote stores)."""
    stats = store.stats()
    titles: dict[str, tuple[str, str | None]] = {}
    for row in store.values(
            "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX vg: <https://w3id.org/vemgorvad/ontology#> "
            "SELECT ?key ?agreement ?title WHERE { ?agreement a vg:Agreement ; dcterms:identifier ?key . "
            "OPTIONAL { ?agreement dcterms:title ?title } }"):
        key, agreement = row["key"], row["agreement"]
        if key is not None and agreement is not None:   # both always bound: the pattern requires them
            titles[key] = (agreement, row["title"])
    classes = [(c, int(n)) for r in store.values(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c ORDER BY ?c")
        if (c := r["c"]) is not None and (n := r["n"]) is not None]
    used = {p for r in store.values("SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }") if (p := r["p"]) is not None}
    used |= {c for c, _ in classes}
    vocabularies = sorted(ns for ns in set(PREFIXES.values()) | {PREFIXES["vg"]}
                          if any(term.startswith(ns) and term != ns for term in used)
                          and ns not in (BASE + "id/",))
    return {"stats": stats, "titles": titles, "classes": classes, "vocabularies": vocabularies}


#: facts() of the served store, computed once (SparqlRuntime.memo).
FACTS: Key[Facts] = Key("void-facts")


def void_triples(info: Facts, base_url: str) -> list[Triple]:
    dataset = NamedNode(DATASET)
    void, sd, dcterms = partial(_n, "void"), partial(_n, "sd"), partial(_n, "dcterms")
    stats = info["stats"]
    out = [
        Triple(dataset, RDF_TYPE, void("Dataset")),
        Triple(dataset, RDF_TYPE, sd("Dataset")),
        Triple(dataset, dcterms("title"), Literal("vemgörvad – vem gör vad enligt samverkansöverenskommelser", language="sv")),
        Triple(dataset, dcterms("title"), Literal("vemgörvad – who does what under collaboration agreements", language="en")),
        Triple(dataset, dcterms("description"), Literal(
            "Ansvar, kostnadsregler och villkor ur samverkansöverenskommelser mellan kommuner och regioner, "
            "med varje uppgift kopplad till sitt citat. En namngiven graf per överenskommelse; "
            "standardgrafen är unionen av alla namngivna grafer.", language="sv")),
        Triple(dataset, dcterms("description"), Literal(
            "Responsibilities, cost rules and conditions from collaboration agreements between Swedish "
            "municipalities and regions, each tied to its quote. One named graph per agreement; the default "
            "graph is the union of all named graphs.", language="en")),
        Triple(dataset, _n("foaf", "homepage"), NamedNode(base_url)),
        Triple(dataset, void("sparqlEndpoint"), NamedNode(base_url + "sparql")),
        Triple(dataset, void("uriSpace"), Literal(BASE + "id/")),
        Triple(dataset, void("triples"), _int(stats["triples"])),
    ]
    out += [Triple(dataset, void("dataDump"), NamedNode(f"{base_url}download/dataset.{ext}")) for ext in DUMP_FORMATS]
    out += [Triple(dataset, void("vocabulary"), NamedNode(ns)) for ns in info["vocabularies"]]
    for cls, count in info["classes"]:
        part = BlankNode()
        out += [Triple(dataset, void("classPartition"), part), Triple(part, void("class"), NamedNode(cls)),
                Triple(part, void("entities"), _int(count))]
    default_graph = BlankNode()
    out += [Triple(dataset, sd("defaultGraph"), default_graph), Triple(default_graph, RDF_TYPE, sd("Graph")),
            Triple(default_graph, void("triples"), _int(stats["triples"])),
            Triple(default_graph, dcterms("description"), Literal(
                "Unionen av alla namngivna grafer.", language="sv"))]
    for iri, count in sorted(stats["graphs"].items()):
        graph = NamedNode(iri)
        key = graph_key(iri)
        named = BlankNode()
        out += [Triple(dataset, void("subset"), graph), Triple(graph, RDF_TYPE, void("Dataset")),
                Triple(graph, void("triples"), _int(count)),
                Triple(dataset, sd("namedGraph"), named), Triple(named, RDF_TYPE, sd("NamedGraph")),
                Triple(named, sd("name"), graph), Triple(named, sd("graph"), graph),
                Triple(graph, RDF_TYPE, sd("Graph"))]
        out += [Triple(graph, void("dataDump"), NamedNode(f"{base_url}download/{key}.{ext}")) for ext in GRAPH_DUMP_FORMATS]
        if key in info["titles"]:
            agreement, title = info["titles"][key]
            out.append(Triple(graph, _n("foaf", "primaryTopic"), NamedNode(agreement)))
            out.append(Triple(dataset, void("exampleResource"), NamedNode(agreement)))
            if title:
                out.append(Triple(graph, dcterms("title"), Literal(title, language="sv")))
        elif key == "vocabulary":
            out.append(Triple(graph, dcterms("title"), Literal("Ontologi och begreppsscheman", language="sv")))
    return out


def service_triples(info: Facts, base_url: str, settings: Settings) -> list[Triple]:
    sd = partial(_n, "sd")
    service = BlankNode()
    out = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, sd("endpoint"), NamedNode(base_url + "sparql")),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultEntailmentRegime"), NamedNode("http://www.w3.org/ns/entailment/Simple")),
        Triple(service, sd("defaultDataset"), NamedNode(DATASET)),
        Triple(service, _n("rdfs", "comment"), Literal(
            f"Endast läsning (SPARQL 1.1 Query). Tidsgräns {settings.query_timeout:g} s per fråga, högst "
            f"{settings.result_limit} rader eller tripler per svar (större svar ger ett fel, aldrig ett "
            f"avkortat svar). SERVICE bara till tillåtna ändpunkter; FROM hämtar aldrig något.", language="sv")),
        Triple(service, _n("rdfs", "comment"), Literal(
            f"Read-only (SPARQL 1.1 Query). Time limit {settings.query_timeout:g} s per query, at most "
            f"{settings.result_limit} rows or triples per answer (larger answers are an error, never truncated). "
            f"SERVICE only to allow-listed endpoints; FROM never fetches anything.", language="en")),
    ]
    if settings.service_allowlist:
        out.append(Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    out += [Triple(service, sd("resultFormat"), NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    return out + void_triples(info, base_url)
