"""The vocabulary graph: the ontology and SKOS schemes of ontology/, the laws of data/laws.json,
and the national actors of data/lexicon/actors.json — what every agreement graph refers to."""
from __future__ import annotations

import re

import pyoxigraph

from .. import paths
from ..extract.citations import law_table
from ..extract.lexicon import lexicon
from .agreement import actor_iri
from .terms import (RDF_TYPE, VOCABULARY_GRAPH, NamedNode, Quad, boolean, date, dcterms, eli, kind_iri, law_iri,
                    org, prov, provision_iri, rdfs, rpubl, skos, string, text, vg)

IN_FORCE = NamedNode("http://data.europa.eu/eli/ontology#InForce-inForce")
NOT_IN_FORCE = NamedNode("http://data.europa.eu/eli/ontology#InForce-notInForce")


def ontology_files() -> list:
    return sorted(paths.ONTOLOGY.glob("*.ttl"))


def vocabulary_quads() -> list[Quad]:
    quads: list[Quad] = []
    for path in ontology_files():
        for triple in pyoxigraph.parse(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE,
                                       base_iri="https://w3id.org/vemgorvad/"):
            quads.append(Quad(triple.subject, triple.predicate, triple.object, VOCABULARY_GRAPH))
    add = lambda s, p, o: quads.append(Quad(s, p, o, VOCABULARY_GRAPH))  # noqa: E731
    _laws(add)
    _national_actors(add)
    return quads


def _laws(add) -> None:
    table = law_table()
    for key, law in sorted(table.items()):
        node = law_iri(law.series, law.sfs)
        add(node, RDF_TYPE, vg.Law)
        add(node, RDF_TYPE, eli.LegalResource)
        add(node, RDF_TYPE, rpubl.Myndighetsforeskrift if law.series != "SFS"
            else rpubl.Forordning if "förordning" in law.title.lower() else rpubl.Lag)
        add(node, rpubl.fsNummer, string(law.sfs))
        add(node, rdfs.label, text(f"{law.title} ({law.series} {law.sfs})"))
        add(node, dcterms.title, text(law.title))
        add(node, skos.altLabel, text(law.abbr))
        add(node, vg.inLawTable, boolean(True))
        add(node, vg.verified, boolean(law.verified))
        if law.source:
            add(node, dcterms.source, string(law.source))
        if law.in_force_from:
            add(node, eli.first_date_entry_in_force, date(law.in_force_from))
        add(node, eli.in_force, NOT_IN_FORCE if law.repealed_by else IN_FORCE)
        if law.repealed_by:
            add(node, eli.date_no_longer_in_force, date(law.repealed_on))
            successor = table.get(law.repealed_by)
            add(node, eli.repealed_by, law_iri("SFS", law.repealed_by))
            add(node, vg.currentEquivalent, string(
                f"{successor.title} (SFS {law.repealed_by})" if successor else f"SFS {law.repealed_by}"))
        if law.series == "SFS":
            add(node, rdfs.seeAlso, NamedNode(f"https://lagen.nu/{law.sfs}"))
        for cited_as, entry in sorted(law.provisions.items()):
            match = re.match(r"(?:(\d+) kap\. )?(\d+(?: [a-h])?) §", cited_as)
            if not match:
                continue
            chapter, section = match.group(1), match.group(2)
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
                add(p, vg.currentEquivalent, string(entry["current_equivalent"]))
            if entry.get("source"):
                add(p, dcterms.source, string(entry["source"]))


def _national_actors(add) -> None:
    for entry in sorted(lexicon().entries.values(), key=lambda e: e.id):
        if entry.scope != "national":
            continue
        node = actor_iri(entry)
        add(node, RDF_TYPE, vg.OtherActor)
        add(node, RDF_TYPE, prov.Agent)
        if entry.role == "other":
            add(node, RDF_TYPE, org.Organization)
        add(node, rdfs.label, text(entry.sv))
        add(node, rdfs.label, text(entry.en, "en"))
        add(node, vg.principalKind, kind_iri("other"))

