"""The automatable OOPS! pitfalls (https://oops.linkeddata.es/catalogue.jsp) on ontology/, plus
the CONTRACT's topic scheme. Pitfall numbers in the test names."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
VG = rdflib.Namespace("https://w3id.org/vemgorvad/ontology#")
TOPICS = ["parter", "malgrupp_psykisk_funktionsnedsattning", "malgrupp_missbruk", "malgrupp_barn_unga", "malgrupp_aldre", "syfte_mal", "ansvar_kommun", "ansvar_region", "gemensamt_ansvar", "sip", "utskrivning_slutenvard", "tvangsvard_lpt_lrv", "placering_hvb", "kostnadsfordelning", "hjalpmedel", "boende", "sysselsattning_arbete", "anhorigstod", "barn_som_anhoriga", "orosanmalan_barn", "sekretess_samtycke", "brukarinflytande", "samverkansorganisation", "avvikelser", "tvister", "uppfoljning", "giltighetstid", "implementering", "kompetensutveckling", "suicidprevention", "samsjuklighet", "tandvard", "lakemedelsassisterad_behandling", "spel_om_pengar", "lvm"]


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _own(graph: rdflib.Graph, kinds) -> set:
    return {s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(VG))}


CLASSES = (OWL.Class,)
PROPERTIES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_p38_there_is_one_ontology_declaration_with_version_licence_creator_and_date(ontology):
    declared = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert len(declared) == 1
    onto = declared[0]
    for prop in (OWL.versionIRI, DCTERMS.license, DCTERMS.creator, DCTERMS.created, DCTERMS.modified):
        assert ontology.value(onto, prop) is not None, prop


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_p08_every_term_has_a_label_and_a_definition(ontology, lang):
    terms = _own(ontology, CLASSES + PROPERTIES)
    assert len(terms) > 40
    for term in sorted(terms):
        labels = [l for l in ontology.objects(term, RDFS.label) if l.language == lang]
        definitions = [d for d in ontology.objects(term, SKOS.definition) if d.language == lang]
        assert len(labels) == 1, f"{term}: {len(labels)} labels @{lang}"
        assert definitions, f"{term}: no definition @{lang}"


def test_p34_p35_every_class_and_property_is_typed(ontology):
    used_as_class = {o for o in ontology.objects(None, RDFS.subClassOf) if isinstance(o, rdflib.URIRef)}
    used_as_class |= {o for p in (RDFS.domain, RDFS.range) for o in ontology.objects(None, p)}
    untyped = {t for t in used_as_class if str(t).startswith(str(VG))} - _own(ontology, CLASSES)
    assert not untyped


def test_p11_every_object_and_datatype_property_has_domain_and_range(ontology):
    for prop in sorted(_own(ontology, (OWL.ObjectProperty, OWL.DatatypeProperty))):
        assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no domain"
        assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no range"


def test_p04_no_class_or_property_is_unconnected(ontology):
    for term in sorted(_own(ontology, CLASSES)):
        connected = (any(ontology.objects(term, RDFS.subClassOf)) or any(ontology.subjects(RDFS.domain, term))
                     or any(ontology.subjects(RDFS.range, term)) or any(ontology.subjects(RDFS.subClassOf, term)))
        assert connected, f"{term} is connected to nothing"


def test_p22_naming_is_consistent(ontology):
    for term in _own(ontology, CLASSES):
        assert re.fullmatch(r"[A-Z][A-Za-z]+", term.split("#")[1]), term
    for term in _own(ontology, PROPERTIES):
        assert re.fullmatch(r"[a-z][A-Za-z]+", term.split("#")[1]), term


def test_p41_the_licence_is_a_resolvable_iri(ontology):
    onto = next(ontology.subjects(RDF.type, OWL.Ontology))
    assert str(ontology.value(onto, DCTERMS.license)).startswith("https://")


def test_the_built_graph_uses_only_declared_terms_of_the_ontology(build_dir, ontology):
    """P34/P35 in use: every vg: predicate and class the extraction writes is declared."""
    declared = _own(ontology, CLASSES + PROPERTIES)
    used = set()
    for line in (build_dir / "dataset.nq").read_text(encoding="utf-8").splitlines():
        used.update(re.findall(r"<(https://w3id\.org/vemgorvad/ontology#\w+)>", line))
    assert len(used) > 20
    undeclared = {u for u in used if rdflib.URIRef(u) not in declared}
    assert not undeclared


def test_the_topic_scheme_has_every_contract_key_with_swedish_and_english_labels(ontology):
    notations = {str(n): c for c, n in ontology.subject_objects(SKOS.notation)
                 if (c, RDF.type, SKOS.Concept) in ontology}
    assert set(TOPICS) <= set(notations)
    for key in TOPICS:
        langs = {l.language for l in ontology.objects(notations[key], SKOS.prefLabel)}
        assert {"sv", "en"} <= langs, key
