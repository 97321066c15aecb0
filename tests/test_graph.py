"""The built graph: stable IRIs and bytes, one graph per agreement, provenance on every
responsibility, SHACL that catches a broken graph, OWL consistency, and a build that refuses bad
input without publishing anything."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from vemgorvad.graph.vocabulary import vocabulary_quads
from vemgorvad.validate.reasoning import reason, tbox_ntriples
from vemgorvad.validate.shacl import load_shapes, support, validate_quads, validate_sparql

ROOT = Path(__file__).resolve().parents[1]
NS = "https://w3id.org/vemgorvad/"
VG = NS + "ontology#"
KEYS = [r["key"] for r in json.loads((ROOT / "data/agreements/agreements.json").read_text(encoding="utf-8"))]
PREFIXES = (f"PREFIX vg: <{VG}> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")


def _home_copy(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, home / name)
    return home


def _build(home: Path, var: Path, *extra: str, seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "VEMGORVAD_HOME": str(home), "VEMGORVAD_VAR": str(var), "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "vemgorvad.cli", "build", "--quiet", *extra],
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def dataset(embedded_store) -> pyoxigraph.Store:
    """The built dataset.nq as the session's store holds it (read only: a test that changes the
    graph works on a copy, _broken_copy)."""
    return embedded_store.store


def _rows(store, query: str) -> list:
    return list(store.query(PREFIXES + query, use_default_graph_as_union=True))


#: "Every ?r lacking the pattern" as MINUS, not FILTER NOT EXISTS: the pattern shares ?r, so both mean the
#: same here, but Oxigraph evaluates NOT EXISTS once per ?r with the selector's `?x a …` unbound (6.5 s of CPU
#: for the source-position pattern over 623 responsibilities) and MINUS once for all (0.01 s).
def _lacking(subject_pattern: str, pattern: str) -> str:
    return f"SELECT ?r WHERE {{ {subject_pattern} MINUS {{ {pattern} }} }}"


# --- shape of the graph ------------------------------------------------------------------------

def test_the_same_input_gives_byte_identical_sorted_nquads(build_dir, tmp_path):
    """Another process, another hash seed, one worker instead of several: the same bytes."""
    result = _build(_home_copy(tmp_path), tmp_path / "var", "--workers", "1", seed="4711")
    assert result.returncode == 0, result.stderr
    again = (tmp_path / "var" / "current" / "dataset.nq").read_bytes()
    assert again == (build_dir / "dataset.nq").read_bytes()
    lines = again.decode("utf-8").splitlines()
    assert lines == sorted(lines)


def test_one_named_graph_per_agreement_plus_the_vocabulary(dataset):
    graphs = {str(g.value) for g in dataset.named_graphs()}
    assert {NS + "graph/" + key for key in KEYS} <= graphs
    assert len(graphs) == len(KEYS) + 1


def test_every_minted_iri_is_under_the_project_namespace(dataset):
    agreement_graphs = {NS + "graph/" + key for key in KEYS}
    for quad in dataset.quads_for_pattern(None, None, None, None):
        if isinstance(quad.subject, pyoxigraph.NamedNode) and quad.graph_name.value in agreement_graphs:
            assert quad.subject.value.startswith(NS), quad


@pytest.mark.parametrize("pattern", [
    "?r vg:dutyKind ?x", "?r vg:topic ?x", "?r vg:deonticStrength ?x", "?r vg:bearerSource ?x",
    "?r prov:wasDerivedFrom ?x",
    "?r vg:evidence/oa:hasSelector ?x . ?x a oa:TextQuoteSelector ; oa:exact ?q",
    "?r vg:evidence/oa:hasSelector ?x . ?x a oa:TextPositionSelector ; oa:start ?s ; oa:end ?e",
    "?r vg:evidence/prov:wasDerivedFrom ?y . ?y oa:hasSource/a vg:SourceFile ; oa:hasSelector ?x . "
    "?x a vg:SourcePositionSelector , oa:TextPositionSelector ; oa:start ?s ; oa:end ?e",
    "?r prov:wasGeneratedBy ?a . ?a a prov:Activity ; prov:used ?text ; prov:wasAssociatedWith ?software",
])
def test_every_responsibility_has_duty_topic_strength_and_provenance(dataset, pattern):
    missing = _rows(dataset, _lacking("?r a vg:Responsibility .", pattern))
    assert missing == []


def test_how_a_bearer_was_found_is_a_qualified_generation(dataset):
    """A responsibility's bearer says how, and how surely, it was found; an agentless duty (issue 12
    item 2: no bearer, never a guess) has no bearer to qualify and says so by its bearer source."""
    generation = ("?r prov:qualifiedGeneration ?g . ?g a prov:Generation ; prov:activity ?a ; "
                  "vg:method/skos:notation ?m ; vg:confidence ?c")
    assert _rows(dataset, _lacking("?r a vg:Responsibility ; vg:bearer ?b .", generation)) == []
    agentless = _rows(dataset, "SELECT ?r WHERE { ?r a vg:Responsibility . FILTER NOT EXISTS { ?r vg:bearer ?b } }")
    assert agentless
    assert _rows(dataset, "SELECT ?r WHERE { ?r a vg:Responsibility ; vg:bearerSource/skos:notation ?s . "
                          "FILTER NOT EXISTS { ?r vg:bearer ?b } FILTER(?s != 'none') }") == []


@pytest.mark.parametrize("pattern", [
    "?a dcterms:coverage ?county", "?a dcterms:hasPart ?s . ?s a vg:Section", "?a dcterms:spatial ?place",
])
def test_agreements_use_standard_properties_for_parts_and_coverage(dataset, pattern):
    """Parts and coverage (dcterms) on every seed agreement: all five name a county and have sections."""
    missing = _rows(dataset, f"SELECT ?a WHERE {{ ?a a vg:Agreement . FILTER NOT EXISTS {{ {pattern} }} }}")
    assert missing == []


def test_validity_is_given_with_eli_dates(dataset):
    """The catalogue's validity period, as ELI dates on the agreement."""
    for record in json.loads((ROOT / "data/agreements/agreements.json").read_text(encoding="utf-8")):
        for field, prop in (("valid_from", "first_date_entry_in_force"), ("valid_to", "date_no_longer_in_force")):
            rows = _rows(dataset, f"SELECT ?d WHERE {{ <{NS}id/agreement/{record['key']}> eli:{prop} ?d }}")
            assert [r["d"].value for r in rows] == ([record[field]] if record.get(field) else [])


def test_a_repealed_provision_links_to_the_provision_in_force_today(dataset):
    rows = _rows(dataset, """
        SELECT ?old ?now ?label WHERE { GRAPH <https://w3id.org/vemgorvad/graph/vocabulary> {
          ?old vg:currentEquivalent ?now . ?now a vg:Provision ; eli:is_part_of ?law ; rdfs:label ?label } }""")
    hsl = [r for r in rows if r["old"].value.endswith("/law/sfs-1982-763/p3f")]
    assert hsl and hsl[0]["now"].value.endswith("/law/sfs-2017-30/k16-p4") and "16 kap. 4 §" in hsl[0]["label"].value


def test_every_agreement_has_responsibilities_of_both_principals(dataset):
    rows = _rows(dataset, """
        SELECT ?g (COUNT(DISTINCT ?k) AS ?kinds) WHERE { GRAPH ?g { ?r a vg:Responsibility ; vg:bearerKind ?k } }
        GROUP BY ?g""")
    assert len(rows) == len(KEYS)
    assert all(int(row["kinds"].value) >= 2 for row in rows)


def test_labels_are_given_in_swedish_and_english_on_every_concept(dataset):
    rows = _rows(dataset, """
        SELECT ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> .
          FILTER NOT EXISTS { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?sv , ?en .
                              FILTER (lang(?sv) = "sv" && lang(?en) = "en") } }""")
    assert rows == []


# --- SHACL catches a broken graph --------------------------------------------------------------

@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


@pytest.fixture(scope="module")
def vocabulary(shapes):
    return support(vocabulary_quads(), shapes)


def _broken_copy(dataset: pyoxigraph.Store, update: str) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(dataset.quads_for_pattern(None, None, None, None))
    store.update(PREFIXES + update)
    return store


def test_the_built_graph_conforms(dataset, shapes):
    assert validate_sparql(dataset, shapes).violations == 0


@pytest.mark.parametrize("update, words", [
    ("""DELETE { GRAPH ?g { ?q oa:exact ?v } } INSERT { GRAPH ?g { ?q oa:exact "inte citatet" } }
        WHERE { { SELECT ?g ?q ?v WHERE { GRAPH ?g { ?q a oa:TextQuoteSelector ; oa:exact ?v } } LIMIT 1 } }""",
     "(oa:exact)"),
    ("""INSERT { GRAPH ?g { ?r vg:minAge 30 ; vg:maxAge 20 } }
        WHERE { { SELECT ?g ?r WHERE { GRAPH ?g { ?r a vg:Responsibility } FILTER NOT EXISTS { ?r vg:minAge ?a }
                  FILTER NOT EXISTS { ?r vg:maxAge ?b } } LIMIT 1 } }""",
     "valid range"),
])
def test_sparql_constraints_catch_a_wrong_quote_and_an_impossible_age_range(dataset, shapes, update, words):
    result = validate_sparql(_broken_copy(dataset, update), shapes)
    assert result.violations >= 1
    assert any(words in message for message in result.messages)


def test_the_disjointness_shape_catches_a_node_of_two_disjoint_classes(dataset, shapes):
    """HermiT sees only the vocabularies; in the agreement graphs the ontology's disjointness
    axioms are checked by a SHACL shape that reads them from the vocabulary graph."""
    update = """INSERT { GRAPH ?g { ?r a vg:Section } }
                WHERE { { SELECT ?g ?r WHERE { GRAPH ?g { ?r a vg:Responsibility } } LIMIT 1 } }"""
    result = validate_sparql(_broken_copy(dataset, update), shapes)
    assert result.violations >= 1 and any("disjoint" in m for m in result.messages)


def test_core_constraints_catch_a_responsibility_without_a_bearer_kind(dataset, shapes, vocabulary):
    graph = pyoxigraph.NamedNode(NS + "graph/stockholm-vasterort")
    quads = list(dataset.quads_for_pattern(None, None, None, graph))
    assert validate_quads(quads, vocabulary, shapes).violations == 0
    bearer_kind = pyoxigraph.NamedNode(VG + "bearerKind")
    victim = next(q.subject for q in quads if q.predicate == bearer_kind)
    broken = [q for q in quads if not (q.subject == victim and q.predicate == bearer_kind)]
    result = validate_quads(broken, vocabulary, shapes)
    assert result.violations >= 1
    assert any("typ av ansvarig" in m or "bearer kind" in m for m in result.messages)


# --- OWL ---------------------------------------------------------------------------------------

@pytest.mark.slow   # HermiT runs in Java, a process of its own
def test_the_ontology_with_its_vocabularies_is_consistent_under_hermit():
    result = reason(tbox_ntriples(vocabulary_quads()))
    assert result.consistent and not result.unsatisfiable
    assert result.classes > 20


@pytest.mark.slow   # HermiT runs in Java, a process of its own
def test_hermit_finds_an_individual_in_two_disjoint_classes():
    """The ontology says a municipality is not a region; an organisation that is both is caught."""
    bad = (f"<{NS}id/test/both> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{VG}Municipality> .\n"
           f"<{NS}id/test/both> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{VG}Region> .\n").encode()
    result = reason(tbox_ntriples(vocabulary_quads()) + bad)
    assert not result.consistent


@pytest.mark.slow   # HermiT runs in Java, a process of its own
def test_hermit_finds_a_vocabulary_concept_typed_as_an_agreement():
    """What HermiT checks in every build: the ontology's axioms (disjoint classes, domains and
    ranges) against every individual of the vocabularies — concepts, laws, places, national actors."""
    bad = (f"<{NS}id/topic/sip> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{VG}Agreement> .\n").encode()
    assert not reason(tbox_ntriples(vocabulary_quads()) + bad).consistent


# --- a build that must not be published --------------------------------------------------------

def test_a_build_with_an_unreadable_agreement_names_the_file_and_publishes_nothing(tmp_path):
    home = _home_copy(tmp_path)
    (home / "data/agreements/sormland.txt").write_bytes(bytes(range(256)) * 64)
    result = _build(home, tmp_path / "var")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "sormland.txt" in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "var" / "current").exists()


def test_a_build_with_a_catalogue_pointing_to_a_missing_file_fails_in_one_line(tmp_path):
    home = _home_copy(tmp_path)
    (home / "data/agreements/uppsala.txt").unlink()
    result = _build(home, tmp_path / "var")
    assert result.returncode != 0
    assert "uppsala.txt" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "var" / "current").exists()


@pytest.mark.parametrize("pattern", ["?r vg:bearerKind ?x", "?r vg:bearer ?x"])
def test_a_responsibility_has_a_bearer_exactly_when_the_text_gives_one(dataset, pattern):
    """Issue 12 item 2: an agentless duty is still a responsibility, with no bearer (never a guess)
    and bearer source "none"; every other responsibility names its bearer."""
    given = _rows(dataset, f"""SELECT ?r WHERE {{ ?r a vg:Responsibility ; vg:bearerSource ?s .
        FILTER (?s != <https://w3id.org/vemgorvad/id/bearer-source/none>) FILTER NOT EXISTS {{ {pattern} }} }}""")
    guessed = _rows(dataset, f"""SELECT ?r WHERE {{ ?r a vg:Responsibility ;
        vg:bearerSource <https://w3id.org/vemgorvad/id/bearer-source/none> . {pattern} }}""")
    assert given == [] and guessed == []
    agentless = _rows(dataset, """SELECT ?r WHERE { ?r a vg:Responsibility ;
        vg:bearerSource <https://w3id.org/vemgorvad/id/bearer-source/none> }""")
    assert agentless, "the seeds have agentless duties (\"ska en plan upprättas\")"


def test_only_obligations_and_recommendations_are_responsibilities(dataset):
    """CONTRACT: a vg:Responsibility is an obligation (a prohibition included) or a recommendation,
    never a permission or a description; every clause has exactly one deontic class."""
    wrong = _rows(dataset, """SELECT ?r WHERE { ?r a vg:Responsibility .
        FILTER NOT EXISTS { { ?r a vg:Obligation } UNION { ?r a vg:Recommendation } UNION { ?r a vg:Prohibition } } }""")
    assert wrong == []
    both = _rows(dataset, """SELECT ?r WHERE { ?r a vg:Responsibility . { ?r a vg:Permission } UNION { ?r a vg:Description } }""")
    assert both == []
    classes = _rows(dataset, """SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a vg:Clause ; a ?c .
        VALUES ?c { vg:Obligation vg:Recommendation vg:Permission vg:Description } } GROUP BY ?c""")
    assert len(classes) == 4, "the seeds have obligations, recommendations, permissions and descriptions"
    strength = _rows(dataset, """SELECT ?r WHERE { ?r a vg:Permission .
        FILTER NOT EXISTS { ?r vg:deonticStrength <https://w3id.org/vemgorvad/id/strength/may> } }""")
    assert strength == []
