"""The compiled SHACL engine (validate/shacl_sparql.py) gives pySHACL's report.

Both engines validate the same data graphs — each seed agreement as the build validates it, the
vocabulary, and copies of an agreement broken on purpose — and must report the same results:
focus node, constraint component, shape, path, value and severity, with the shape's own
sh:message where it has one. The broken copies are made by generic operators (drop a triple, add
a second value, change a literal's datatype, language or form, put a literal where an IRI was and
the other way round, push a number out of range, copy a node, move a value to a node of another
kind) applied with a fixed seed to triples of every predicate the shapes look at; every compiled
check must fire in at least one copy, so each one is compared with pySHACL on a real failure, not only on a clean graph.
"""
from __future__ import annotations

import random
from collections import defaultdict

import pyoxigraph
import pytest
import rdflib

from vemgorvad.graph.vocabulary import vocabulary_quads
from vemgorvad.validate import shacl
from vemgorvad.validate.rdflib_bridge import term
from vemgorvad.validate.shacl_sparql import SH, CompiledShapes, Compiler, Unsupported, property_names

XSD = "http://www.w3.org/2001/XMLSchema#"
NS = "https://w3id.org/vemgorvad/"


@pytest.fixture(scope="module")
def shapes():
    return shacl.load_shapes()


@pytest.fixture(scope="module")
def support(shapes):
    return shacl.support(vocabulary_quads(), shapes)


@pytest.fixture(scope="module")
def agreements(build_dir):
    store = pyoxigraph.Store()
    store.bulk_load(path=str(build_dir / "dataset.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    graphs = {}
    for graph in store.named_graphs():
        if graph.value.startswith(NS + "graph/") and not graph.value.endswith("/vocabulary"):
            graphs[graph.value.rsplit("/", 1)[1]] = list(store.quads_for_pattern(None, None, None, graph))
    return graphs


# --- the two reports, as comparable rows -------------------------------------------------------------

def _ox(node) -> str | None:
    """An rdflib or pyoxigraph term as N-Triples text."""
    if node is None:
        return None
    if isinstance(node, rdflib.term.Node):
        node = {rdflib.URIRef: lambda n: pyoxigraph.NamedNode(str(n)),
                rdflib.BNode: lambda n: pyoxigraph.BlankNode(str(n))}.get(type(node), _literal)(node)
    return str(node)


def _literal(node: rdflib.Literal) -> pyoxigraph.Literal:
    if node.language:
        return pyoxigraph.Literal(str(node), language=node.language)
    return pyoxigraph.Literal(str(node), datatype=pyoxigraph.NamedNode(str(node.datatype or XSD + "string")))


def _explicit_messages(shapes: rdflib.Graph) -> dict[str, str]:
    """Shape name (as the engine names it) → its English sh:message, for shapes that have one."""
    compiler = Compiler(shapes)
    found = {}
    for shape in set(shapes.subjects(SH.message, None)):
        message = next((str(m) for m in shapes.objects(shape, SH.message) if m.language in (None, "en")), None)
        for name in _names(compiler, shapes, shape):
            found[name] = message
    return found


def _names(compiler: Compiler, shapes: rdflib.Graph, shape) -> list[str]:
    path = shapes.value(shape, SH.path)
    if path is None:
        return [f"<{shape}>" if isinstance(shape, rdflib.URIRef) else "[]"]
    return [property_names(compiler, parent)[shape] for parent in shapes.subjects(SH.property, shape)]


def reference(triples, shapes: rdflib.Graph) -> set[tuple]:
    """pySHACL's results, as rows."""
    data = rdflib.Graph()
    for t in triples:
        data.add((term(t.subject), term(t.predicate), term(t.object)))
    core = shacl.core_shapes(shapes)
    _, report, _ = __import__("pyshacl").validate(data, shacl_graph=core, inference="none", advanced=True,
                                                  allow_warnings=True, abort_on_first=False, inplace=True)
    explicit = _explicit_messages(core)
    rows = set()
    for result in report.objects(None, SH.result):          # the report's results (not nested sh:detail)
        source = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        path_text = Compiler(report).path(path) if path is not None else None
        name = (f"<{source}>" if isinstance(source, rdflib.URIRef) and path is None
                else _names(Compiler(core), core, source)[0])
        message = None
        if name in explicit:
            message = next((str(m) for m in report.objects(result, SH.resultMessage)
                            if getattr(m, "language", None) in (None, "en")), None)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[1]
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[1]
        rows.add((_ox(report.value(result, SH.focusNode)), component, name, path_text,
                  _ox(report.value(result, SH.value)), severity, message))
    return rows


def compiled_rows(triples, shapes: rdflib.Graph) -> set[tuple]:
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.DefaultGraph()) for t in triples)
    explicit = _explicit_messages(shacl.core_shapes(shapes))
    return {(_ox(r.focus), r.component, r.shape, r.path, _ox(r.value), r.severity,
             r.message if r.shape in explicit else None)
            for r in shacl.compiled(shapes).validate(store)}


RANGES = {"MinInclusiveConstraintComponent", "MaxInclusiveConstraintComponent", "MinExclusiveConstraintComponent",
          "MaxExclusiveConstraintComponent"}


def spec_over_pyshacl(row: tuple) -> bool:
    """The one place the engines differ: an ill-formed literal ("2020-13-45"^^xsd:date) compared
    with a range bound. SHACL: a value that cannot be compared is a result, for sh:minInclusive and
    sh:maxInclusive alike; pySHACL falls back to rdflib's lexical ordering and so reports only one
    of the two. The compiled engine follows the specification."""
    if row[1] not in RANGES or row[4] is None:
        return False
    literal = pyoxigraph.parse(f"<urn:s> <urn:p> {row[4]} .", format=pyoxigraph.RdfFormat.N_TRIPLES)
    value = next(iter(literal)).object
    return bool(getattr(term(value), "ill_typed", False))


# --- clean graphs ------------------------------------------------------------------------------------

def test_every_seed_agreement_gives_the_same_report(agreements, support, shapes):
    assert len(agreements) >= 5
    for key, quads in sorted(agreements.items()):
        triples = shacl.data_graph(quads, support)
        assert compiled_rows(triples, shapes) == reference(triples, shapes), key


def test_the_vocabulary_gives_the_same_report(support, shapes):
    triples = [t for ts in support.by_subject.values() for t in ts]
    assert compiled_rows(triples, shapes) == reference(triples, shapes)


# --- broken graphs -----------------------------------------------------------------------------------

def _literal_variants(o: pyoxigraph.Literal, rng: random.Random) -> list:
    string = pyoxigraph.NamedNode(XSD + "string")
    integer = pyoxigraph.NamedNode(XSD + "integer")
    return [
        pyoxigraph.Literal(o.value, datatype=string) if o.datatype != string else pyoxigraph.Literal(o.value, language="sv"),
        pyoxigraph.Literal(o.value + "x", language=o.language) if o.language else pyoxigraph.Literal("Ej Giltig " + o.value),
        pyoxigraph.Literal("", language=o.language) if o.language else pyoxigraph.Literal(""),
        pyoxigraph.Literal(rng.choice(["-5", "999", "1.5", "inte-ett-tal"]), datatype=integer),
        pyoxigraph.Literal(rng.choice(["2", "-0.5"]), datatype=pyoxigraph.NamedNode(XSD + "decimal")),
        pyoxigraph.Literal("2020-13-45", datatype=pyoxigraph.NamedNode(XSD + "date")),
        pyoxigraph.NamedNode("urn:x-test:" + str(rng.randrange(10**6))),
        pyoxigraph.BlankNode(),
    ]


def _iri_variants(o, rng: random.Random) -> list:
    return [pyoxigraph.NamedNode(f"{o.value}-andra" if isinstance(o, pyoxigraph.NamedNode) else "urn:x-test:b"),
            pyoxigraph.Literal(o.value), pyoxigraph.BlankNode(), pyoxigraph.Literal("3", language="sv")]


#: What a turn does to one triple of every (predicate, subject's classes): (operator, variant). The
#: rdf:type triples take their turns after the others, so that a node stays a focus node while its
#: other triples are damaged.
SCHEDULE = [("drop", 0), ("add", 0), ("copy", 0), *(("replace", i) for i in range(8)), ("add", 1), ("add", 6),
            ("drop", 0), ("add", 2), ("copy", 0)]
TYPE_SCHEDULE = [("drop", 0), ("replace", 0), ("add", 0), ("copy", 0)]
TURNS = len(SCHEDULE) + len(TYPE_SCHEDULE)


def broken_copy(triples: list, predicates: set[str], rng: random.Random, share: float, turn: int = 0) -> list:
    """The graph with generic damage done to triples whose predicate the shapes look at: a random
    share of them, and one triple of every (predicate, subject's classes) with the operations of
    SCHEDULE taking turns, so rare ones are damaged in every way over the turns. A triple is dropped,
    doubled with another value, has its object replaced, or its object node copied (a second node
    with the same description); and values are moved to nodes of other kinds (_transplants)."""
    by_subject = defaultdict(list)
    types = defaultdict(set)
    for t in triples:
        by_subject[t.subject].append(t)
        if t.predicate.value == str(rdflib.RDF.type):
            types[t.subject].add(t.object.value)
    groups = defaultdict(list)          # (predicate, the subject's classes) → triples
    for t in triples:
        if t.predicate.value in predicates:
            groups[t.predicate.value, tuple(sorted(types[t.subject]))].append(t)
    operators = [op for op, _ in SCHEDULE]
    chosen = [(t, rng.choice(operators), rng.randrange(8)) for t in triples
              if t.predicate.value in predicates and rng.random() < share]
    for i, ((predicate, _), ts) in enumerate(sorted(groups.items())):
        typing = predicate == str(rdflib.RDF.type)
        if typing == (turn >= len(SCHEDULE)):
            schedule = TYPE_SCHEDULE if typing else SCHEDULE
            chosen.append((rng.choice(ts), *schedule[(turn + i) % len(schedule)]))
    out = list(triples)
    out.extend(_transplants(triples, predicates, types, by_subject, turn))
    removed = set()
    for t, operator, variant in chosen:
        o = t.object
        variants = _literal_variants(o, rng) if isinstance(o, pyoxigraph.Literal) else _iri_variants(o, rng)
        other = variants[variant % len(variants)]
        if operator in ("drop", "replace"):
            removed.add(t)
        if operator in ("add", "replace"):
            out.append(pyoxigraph.Triple(t.subject, t.predicate, other))
        if operator == "copy" and by_subject.get(o):
            copy = pyoxigraph.NamedNode(f"{o.value}-kopia") if isinstance(o, pyoxigraph.NamedNode) else pyoxigraph.BlankNode()
            out.append(pyoxigraph.Triple(t.subject, t.predicate, copy))
            out.extend(pyoxigraph.Triple(copy, d.predicate, d.object) for d in by_subject[o])
    return [t for t in out if t not in removed]


def _transplants(triples: list, predicates: set[str], types: dict, by_subject: dict, turn: int) -> list:
    """A value moved to a node of another kind: for every predicate the shapes look at and every
    set of classes a subject has, one subject of those classes without the predicate gets one of
    its values (a bearer on a description, a duty kind on a permission). The pairs are shared out
    over the turns that leave types alone, so every pair is tried once, on a node that keeps its
    kind, and no copy is damaged beyond recognition."""
    values = defaultdict(list)
    for t in triples:
        if t.predicate.value in predicates and t.predicate.value != str(rdflib.RDF.type):
            values[t.predicate].append(t.object)
    kinds = defaultdict(list)                # the subject's classes → subjects, in a fixed order
    for subject in sorted(by_subject, key=lambda n: n.value):
        if types[subject]:
            kinds[tuple(sorted(types[subject]))].append(subject)
    pairs = [(p, k) for p in sorted(values, key=lambda n: n.value) for k in sorted(kinds)]
    if turn >= len(SCHEDULE):       # a turn that damages types could retype the node a value moves to
        return []
    added = []
    for predicate, kind in pairs[turn::len(SCHEDULE)]:
        subject = next((s for s in kinds[kind] if all(t.predicate != predicate for t in by_subject[s])), None)
        if subject is not None:
            added.append(pyoxigraph.Triple(subject, predicate, values[predicate][0]))
    return added


def sample(quads: list, predicates: set[str], clauses: int = 30) -> list:
    """An agreement with only some of its clauses, so that pySHACL validates each broken copy in a
    fraction of a second: the first ones, and for every predicate the shapes look at and every
    class a clause has, the first clause with it (so a rare value such as a cost share or an age
    limit, and a rare kind of clause such as a permission, are there to be damaged)."""
    clause = pyoxigraph.NamedNode("https://w3id.org/vemgorvad/ontology#Clause")
    rdf_type = pyoxigraph.NamedNode(str(rdflib.RDF.type))
    all_clauses = sorted({q.subject.value for q in quads if q.predicate == rdf_type and q.object == clause})
    kept = set(all_clauses[:clauses])
    first: dict[tuple[str, str], str] = {}
    for q in quads:
        if q.subject.value in all_clauses and (q.predicate.value in predicates or q.predicate == rdf_type):
            key = (q.predicate.value, q.object.value if q.predicate == rdf_type else "")
            first[key] = min(first.get(key, q.subject.value), q.subject.value)
    kept |= set(first.values())
    return [q for q in quads if q.subject.value not in all_clauses or q.subject.value in kept]


def test_broken_copies_give_the_same_report_and_every_check_fires(agreements, support, shapes):
    predicates = shacl.shape_predicates(shapes)
    clean = shacl.data_graph(sample(agreements["uppsala"], predicates), support)   # validity, age limits, cost shares
    fired: set[tuple[str, str]] = set()
    rng = random.Random(20240611)
    for turn in range(TURNS):
        share = (0.0, 0.02, 0.05, 0.1)[turn % 4]
        broken = broken_copy(clean, predicates, rng, share, turn)
        ours = compiled_rows(broken, shapes)
        theirs = reference(broken, shapes)
        assert theirs - ours == set()
        assert [row for row in ours - theirs if not spec_over_pyshacl(row)] == []
        fired |= {(row[2], row[1]) for row in ours}
    checks = {(c.shape, c.component) for c in shacl.compiled(shapes).checks}
    assert sorted(checks - fired) == [], f"checks that never fired on a broken copy: {sorted(checks - fired)}"


def test_one_graphs_store_holds_the_data_graph_and_gives_its_results(agreements, support, shapes):
    """validate_quads validates quads of one named graph in graph_store's store (the quads as they
    are, the support found from the graph's IRI objects) instead of data_graph's triples: the same
    triples, and the same results, for every seed and for broken copies of one."""
    def as_quads(triples, graph):
        return [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples]

    def reference_result(quads):
        return shacl.validate_triples(shacl.data_graph(quads, support), shapes)

    for key, quads in sorted(agreements.items()):
        graph = quads[0].graph_name
        store = shacl.graph_store(quads, support, graph)
        expected = {pyoxigraph.Triple(t.subject, t.predicate, t.object) for t in shacl.data_graph(quads, support)}
        assert {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store} == expected, key
        assert shacl.validate_quads(quads, support, shapes) == reference_result(quads), key
    predicates = shacl.shape_predicates(shapes)
    quads = sample(agreements["uppsala"], predicates)
    graph = quads[0].graph_name
    rng = random.Random(14)
    found = 0
    for turn in range(8):
        broken = as_quads(broken_copy([pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads],
                                      predicates, rng, 0.05, turn), graph)
        result = shacl.validate_quads(broken, support, shapes)
        assert result == reference_result(broken), turn
        found += result.violations + result.warnings
    assert found > 0    # the broken copies did break something


def test_the_vocabulary_broken_gives_the_same_report(support, shapes):
    triples = [t for ts in support.by_subject.values() for t in ts]
    rng = random.Random(7)
    broken = broken_copy(triples, shacl.shape_predicates(shapes), rng, 0.05)
    rows = compiled_rows(broken, shapes)
    assert rows and rows == reference(broken, shapes)


# --- what the engine refuses -------------------------------------------------------------------------

@pytest.mark.parametrize("constraint", [
    "sh:closed true", "sh:property [ sh:path ex:p ; sh:equals ex:q ]", "sh:property [ sh:path ex:p ; sh:lessThan ex:q ]",
    "sh:property [ sh:path ex:p ; sh:node ex:S ]",
])
def test_what_it_cannot_compile_is_refused_not_skipped(constraint):
    shapes = rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; {constraint} .""", format="turtle")
    with pytest.raises(Unsupported):
        CompiledShapes(shapes)


def test_shapes_it_cannot_compile_are_validated_by_pyshacl(agreements, support):
    """A pattern with a look-ahead (Python's regular expressions run it, SHACL's XPath syntax and
    Oxigraph's do not): the compiler refuses it and the same call validates with pySHACL."""
    shapes = shacl.load_shapes()
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix vg: <https://w3id.org/vemgorvad/ontology#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <urn:x-test:ForbiddenTitle> a sh:NodeShape ; sh:targetClass vg:Agreement ;
            sh:property [ sh:path dcterms:title ; sh:pattern "^(?!FÖRBJUDEN)" ] .""", format="turtle")
    with pytest.raises(Unsupported):
        CompiledShapes(shacl.core_shapes(shapes))
    triples = shacl.data_graph(agreements["sormland"], support)
    assert shacl.validate_triples(triples, shapes).violations == 0
    title = pyoxigraph.NamedNode("http://purl.org/dc/terms/title")
    renamed = [pyoxigraph.Triple(t.subject, t.predicate, pyoxigraph.Literal("FÖRBJUDEN titel"))
               if t.predicate == title and t.subject.value.endswith("/agreement/sormland") else t for t in triples]
    result = shacl.validate_triples(renamed, shapes)
    assert result.violations == 1 and "agreement/sormland" in result.messages[0]
