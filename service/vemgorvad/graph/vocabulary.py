"""The vocabulary graph: the ontology and SKOS schemes of ontology/, the laws of data/laws.json,
and the national actors of data/lexicon/actors.json — what every agreement graph refers to."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph
from pyoxigraph import Literal

from .. import __version__, paths
from ..extract.citations import law_table
from ..extract.citations.resolve import Provision
from ..extract.lexicon import lexicon
from ..places import Place, gazetteer
from .agreement import actor_iri
from .terms import (ID, RDF_TYPE, SOFTWARE, BlankNode, VOCABULARY_GRAPH, NamedNode, Quad, boolean, concept, date, dcterms, eli, iri, kind_iri,
                    law_iri, org, prov, provision_iri, rdfs, rpubl, skos, string, text, vg)

GENID = ID + "genid/"   # Skolem IRIs of the ontology files' blank nodes: under id/, so they dereference
IN_FORCE = NamedNode("http://data.europa.eu/eli/ontology#InForce-inForce")
NOT_IN_FORCE = NamedNode("http://data.europa.eu/eli/ontology#InForce-notInForce")

T = TypeVar("T", NamedNode, BlankNode, Literal, pyoxigraph.Triple)

#: adds one triple (subject, predicate, object) to the vocabulary graph
Add = Callable[[NamedNode, NamedNode, NamedNode | Literal], None]


def ontology_files() -> list[Path]:
    return sorted(paths.ONTOLOGY.glob("*.ttl"))


def _ontology_file(path: Path) -> list[Quad]:
    """The triples of one ontology/ file in the vocabulary graph. Its blank nodes (the lists of
    OWL axioms) become Skolem IRIs (RDF 1.1 Concepts 3.5) named by file and order: the same files
    always give the same bytes, every node of the graph dereferences, and no store hands out blank
    node labels (Virtuoso's nodeID:// labels are not valid in SPARQL results as pyoxigraph reads them)."""
    names: dict[str, NamedNode] = {}
    prefix = path.stem

    def stable(term: T) -> T | NamedNode:
        if isinstance(term, BlankNode):
            return names.setdefault(term.value, NamedNode(f"{GENID}{prefix}-{len(names)}"))
        return term
    return [Quad(stable(t.subject), t.predicate, stable(t.object), VOCABULARY_GRAPH)
            for t in pyoxigraph.parse(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE,
                                      base_iri="https://w3id.org/vemgorvad/")]


def vocabulary_quads() -> list[Quad]:
    quads: list[Quad] = []
    for path in ontology_files():
        quads += _ontology_file(path)

    def add(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        quads.append(Quad(s, p, o, VOCABULARY_GRAPH))
    _laws(add)
    _national_actors(add)
    _places(add)
    add(SOFTWARE, RDF_TYPE, prov.SoftwareAgent)
    add(SOFTWARE, rdfs.label, text("vemgörvad"))
    add(SOFTWARE, dcterms.hasVersion, string(__version__))
    return quads


def _laws(add: Add) -> None:
    table = law_table()
    for _key, law in sorted(table.items()):
        node = law_iri(law.series, law.sfs)
        add(node, RDF_TYPE, vg.Law)
        add(node, RDF_TYPE, eli.LegalResource)
        add(node, RDF_TYPE, rpubl.Myndighetsforeskrift if law.series != "SFS"
            else rpubl.Forordning if "förordning" in law.title.lower() else rpubl.Lag)
        add(node, rpubl.fsNummer, string(law.sfs))
        add(node, rdfs.label, text(f"{law.title} ({law.series} {law.sfs})"))
        add(node, dcterms.title, text(law.title))
        add(node, skos.altLabel, text(law.abbr))
        add(node, vg.verified, boolean(law.verified))
        if law.source:
            add(node, dcterms.source, string(law.source))
        if law.in_force_from:
            add(node, eli.first_date_entry_in_force, date(law.in_force_from))
        add(node, eli.in_force, NOT_IN_FORCE if law.repealed_by else IN_FORCE)
        if law.repealed_by:
            if law.repealed_on:
                add(node, eli.date_no_longer_in_force, date(law.repealed_on))
            successor = law_iri("SFS", law.repealed_by)
            add(node, eli.repealed_by, successor)
            add(node, vg.currentEquivalent, successor)
            if law.repealed_by not in table:     # a successor the law table does not describe: its number
                add(successor, RDF_TYPE, vg.Law)
                add(successor, rdfs.label, text(f"SFS {law.repealed_by}"))
        if law.series == "SFS":
            add(node, rdfs.seeAlso, NamedNode(f"https://lagen.nu/{law.sfs}"))
        for cited_as, entry in sorted(law.provisions.items()):
            provision = Provision.parse(cited_as, marked=True)
            if provision is None:
                continue
            chapter, section = provision.chapter, provision.section
            p = provision_iri(law.series, law.sfs, chapter, section)
            add(p, RDF_TYPE, vg.Provision)
            add(p, RDF_TYPE, eli.LegalResourceSubdivision)
            add(p, eli.is_part_of, node)
            if chapter:
                add(p, rpubl.kapitelnummer, string(chapter))
            add(p, rpubl.paragrafnummer, string(section))
            add(p, rdfs.label, text(f"{cited_as} {law.abbr} ({law.sfs})"))
            add(p, vg.verified, boolean(bool(entry.get("verified"))))
            if entry.get("topic"):
                add(p, dcterms.description, text(entry["topic"]))
            if entry.get("current_equivalent"):
                add(p, skos.note, string(entry["current_equivalent"]))   # the reference's own words
                current = _current_provision(entry["current_equivalent"])
                if current is not None:
                    sfs, provision_now = current
                    now = provision_iri("SFS", sfs, provision_now.chapter, provision_now.section)
                    add(p, vg.currentEquivalent, now)
                    _describe_provision(add, now, sfs, provision_now)
            if entry.get("source"):
                add(p, dcterms.source, string(entry["source"]))


CURRENT = re.compile(r"SFS (\d{4}:\d{1,4}) ((?:\d+ kap\. )?\d+(?: [a-h])? §)")


def _current_provision(note: str) -> tuple[str, Provision] | None:
    """The first provision a current_equivalent note of data/laws.json names ("SFS 2017:30
    16 kap. 4 §"); None when it names none."""
    match = CURRENT.search(note)
    provision = Provision.parse(match.group(2), marked=True) if match else None
    return (match.group(1), provision) if match and provision else None


def _describe_provision(add: Add, node: NamedNode, sfs: str, provision: Provision) -> None:
    """A provision that is today's equivalent of a repealed one: its law, numbers and label."""
    law = law_table().get(sfs)
    add(node, RDF_TYPE, vg.Provision)
    add(node, RDF_TYPE, eli.LegalResourceSubdivision)
    add(node, eli.is_part_of, law_iri("SFS", sfs))
    if provision.chapter:
        add(node, rpubl.kapitelnummer, string(provision.chapter))
    add(node, rpubl.paragrafnummer, string(provision.section))
    add(node, rdfs.label, text(f"{provision.key} {law.abbr if law else 'SFS'} ({sfs})"))


def _national_actors(add: Add) -> None:
    for entry in sorted(lexicon().entries.values(), key=lambda e: e.id):
        if entry.scope != "national" or entry.role == "staff":
            continue    # staff bear duties for their party (extract/bearers.py), not as actors of their own
        node = actor_iri(entry)
        add(node, RDF_TYPE, vg.OtherActor)
        add(node, RDF_TYPE, prov.Agent)
        if entry.role == "other":
            add(node, RDF_TYPE, org.Organization)
        add(node, rdfs.label, text(entry.sv))
        add(node, rdfs.label, text(entry.en, "en"))
        add(node, vg.principalKind, kind_iri("other"))


def _places(add: Add) -> None:
    """The gazetteer as a SKOS scheme of places (dcterms:Location): county ⊃ municipality ⊃
    district, SCB's codes as notations; agreements point here with dcterms:spatial. A district's
    period is a DCMI Period in dcterms:valid."""
    scheme = iri("place")
    add(scheme, RDF_TYPE, skos.ConceptScheme)
    add(scheme, rdfs.label, text("Län, kommuner och stadsdelar"))
    add(scheme, rdfs.label, text("Counties, municipalities and districts", "en"))
    add(scheme, dcterms.source, string(gazetteer().sources.get("municipalities", "")))
    for place in gazetteer().places.values():
        node = concept("place", place.id)
        add(node, RDF_TYPE, skos.Concept)
        add(node, RDF_TYPE, dcterms.Location)
        add(node, skos.inScheme, scheme)
        english = {"county": f"{place.name.removesuffix(' län').removesuffix('s')} County",
                   "municipality": f"{place.name} Municipality"}.get(place.kind, place.name)
        add(node, skos.prefLabel, text(place.label))
        add(node, skos.prefLabel, text(english, "en"))
        add(node, skos.notation, string(place.id))
        for definition in _place_definitions(place, english):
            add(node, skos.definition, definition)
        add(node, dcterms.type, text(place.district_kind or {"county": "län", "municipality": "kommun"}[place.kind]))
        for name in place.names:
            if name != place.label:
                add(node, skos.altLabel, text(name))
        if place.parent is None:
            add(scheme, skos.hasTopConcept, node)
            add(node, skos.topConceptOf, scheme)
        else:
            add(node, skos.broader, concept("place", place.parent))
        if place.valid_from or place.valid_to:
            period = "; ".join(f"{k}={v}" for k, v in (("start", place.valid_from), ("end", place.valid_to)) if v)
            add(node, dcterms.valid, Literal(period + ";", datatype=dcterms.Period))


def _place_definitions(place: Place, english: str) -> tuple[Literal, Literal]:
    gaz = gazetteer()
    if place.kind == "county":
        return (text(f"{place.name}, det område som {place.region} ansvarar för."),
                text(f"{english}, the area {place.region} is responsible for.", "en"))
    county = gaz[gaz.county_of(place.id)]
    if place.kind == "municipality":
        return (text(f"{place.label} i {county.name} (kommunkod {place.id})."),
                text(f"The municipality of {place.name} in {county.name} (municipality code {place.id}).", "en"))
    assert place.parent is not None, f"district {place.id} without a municipality"   # gazetteer.json's districts name one
    city = gaz[place.parent]
    return (text(f"{place.name}, {place.district_kind} i {city.label}."),
            text(f"{place.name}, a district ({place.district_kind}) of {city.label}.", "en"))
