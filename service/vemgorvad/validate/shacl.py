"""SHACL validation of the built graph against the shapes in shapes/.

Core constraints run compiled to SPARQL in Oxigraph (shacl_sparql.py; pySHACL, which gives the
same results, is the reference the tests compare it with). SHACL-SPARQL constraints (sh:sparql) run in Oxigraph, once per
shape over all focus nodes instead of once per focus node: pyshacl's per-node evaluation in
rdflib took four seconds for one agreement, Oxigraph takes milliseconds for all five. The result
is the same — a SELECT with $this pre-bound returns the rows of the unbound query with
?this = that node — for the shapes here, whose targets are sh:targetClass or sh:targetObjectsOf.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph
import pyshacl
import rdflib
import rdflib.collection
from rdflib.term import Node

from .. import paths
from .rdflib_bridge import term
from .shacl_sparql import CompiledShapes, Result, Unsupported

log = logging.getLogger(__name__)

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass
class ShaclResult:
    conforms: bool
    violations: int
    warnings: int
    messages: list[str] = field(default_factory=list)

    def __add__(self, other: ShaclResult) -> ShaclResult:
        return ShaclResult(self.conforms and other.conforms, self.violations + other.violations,
                           self.warnings + other.warnings, self.messages + other.messages)


def load_shapes(names: tuple[str, ...] = ("integrity.ttl",)) -> rdflib.Graph:
    shapes = rdflib.Graph()
    for name in names:
        shapes.parse(paths.SHAPES / name, format="turtle")
    return shapes


def core_shapes(shapes: rdflib.Graph) -> rdflib.Graph:
    """The shapes without their SHACL-SPARQL constraints."""
    core = rdflib.Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def validate_core(data: rdflib.Graph, shapes: rdflib.Graph) -> ShaclResult:
    """pySHACL on a throw-away data graph (validated in place). The build runs the compiled engine
    (shacl_sparql.py) instead; this is the reference it is compared with (tests/test_shacl_engine.py)."""
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                           allow_warnings=True, abort_on_first=False, inplace=True)
    return summarise(conforms, report)


Subject = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple


@dataclass(frozen=True)
class Support:
    """The vocabulary triples the shapes can look at — types, subclass links, and the properties
    their paths follow — by subject, and the class hierarchy. Everything else (most labels,
    comments, alignments) cannot change a result."""
    by_subject: dict[Subject, list[pyoxigraph.Triple]]
    hierarchy: list[pyoxigraph.Triple]


def shape_predicates(shapes: rdflib.Graph) -> set[str]:
    """rdf:type, rdfs:subClassOf and every IRI in a shape's sh:path."""
    found = {str(rdflib.RDF.type), str(rdflib.RDFS.subClassOf)}
    todo = list(shapes.objects(None, SH.path))
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, rdflib.URIRef):
            found.add(str(node))
        else:
            todo.extend(o for p, o in shapes.predicate_objects(node) if p != rdflib.RDF.rest or o != rdflib.RDF.nil)
    return found


def target_predicates(shapes: rdflib.Graph) -> set[str]:
    """The predicates of sh:targetObjectsOf: a triple with one makes its object a focus node."""
    return {str(p) for p in shapes.objects(None, SH.targetObjectsOf)}


def support(vocabulary: list[pyoxigraph.Quad], shapes: rdflib.Graph) -> Support:
    predicates = shape_predicates(shapes)
    by_subject: dict[Subject, list[pyoxigraph.Triple]] = {}
    hierarchy: list[pyoxigraph.Triple] = []
    for q in vocabulary:
        if q.predicate.value in predicates:
            triple = pyoxigraph.Triple(q.subject, q.predicate, q.object)
            by_subject.setdefault(q.subject, []).append(triple)
            if q.predicate.value == str(rdflib.RDFS.subClassOf):
                hierarchy.append(triple)
    return Support(by_subject, hierarchy)


def data_graph(quads: Iterable[pyoxigraph.Quad], support: Support) -> list[pyoxigraph.Triple]:
    """One agreement's graph with the part of the vocabulary that types the concepts, laws and
    places it refers to (and what those refer to), and the class hierarchy (for sh:class and
    sh:targetClass through subclasses). The rest of the vocabulary is not this graph's to
    validate: `validate_vocabulary` checks it once per build."""
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
    return triples + supporting([t.object for t in triples if isinstance(t.object, pyoxigraph.NamedNode)], support)


def supporting(objects: Iterable[pyoxigraph.NamedNode], support: Support) -> list[pyoxigraph.Triple]:
    """What of the vocabulary a graph whose IRI objects are `objects` needs beside it: the triples
    about those IRIs and, in turn, about the IRIs they refer to; then the class hierarchy."""
    found: list[pyoxigraph.Triple] = []
    seen: set[pyoxigraph.NamedNode] = set()
    todo = list(objects)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in support.by_subject.get(node, ()):
            found.append(triple)
            if isinstance(triple.object, pyoxigraph.NamedNode):
                todo.append(triple.object)
    found.extend(support.hierarchy)
    return found


def validate_triples(triples: list[pyoxigraph.Triple], shapes: rdflib.Graph) -> ShaclResult:
    """Core constraints (compiled to SPARQL; pySHACL for shapes the compiler refuses) on a graph
    given as triples."""
    engine = compiled(shapes)
    if engine is None:
        return validate_core(_rdflib(triples), core_shapes(shapes))
    return outcome(engine.validate(_store(triples)))


def _store(triples: Iterable[pyoxigraph.Triple]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.DefaultGraph()) for t in triples)
    return store


def _rdflib(triples: Iterable[pyoxigraph.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph


def validate_quads(quads: Iterable[pyoxigraph.Quad], support: Support, shapes: rdflib.Graph) -> ShaclResult:
    """Core constraints on one agreement's graph (see data_graph). Quads of one named graph are
    validated in a store of that graph with its support added (graph_store), the union of its
    graphs standing for the data graph; others as data_graph's triples."""
    quads = list(quads)
    engine = compiled(shapes)
    graph = _one_named_graph(quads)
    if engine is None or graph is None:
        return validate_triples(data_graph(quads, support), shapes)
    return outcome(engine.validate(graph_store(quads, support, graph), union=True))


def _one_named_graph(quads: list[pyoxigraph.Quad]) -> pyoxigraph.NamedNode | None:
    graphs = {q.graph_name for q in quads}
    graph = graphs.pop() if len(graphs) == 1 else None
    return graph if isinstance(graph, pyoxigraph.NamedNode) else None


def graph_store(quads: list[pyoxigraph.Quad], support: Support, graph: pyoxigraph.NamedNode) -> pyoxigraph.Store:
    """data_graph(quads, support) as a store holding one named graph, `graph` (the quads' own):
    the quads go in as they are and the support is found from the graph's distinct IRI objects,
    so the agreement's twelve thousand triples are not made into Python objects twice (0.10 ->
    0.04 s for the largest agreement). The same triples as _store(data_graph(…)); query it with
    the union of its graphs as the default graph."""
    store = pyoxigraph.Store()
    store.extend(quads)
    objects = store.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER isIRI(?o) }", use_default_graph_as_union=True)
    assert isinstance(objects, pyoxigraph.QuerySolutions)
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)
                 for t in supporting([row[0] for row in objects], support))
    return store


def validate_shared(quads: Iterable[pyoxigraph.Quad], support: Support, shapes: rdflib.Graph,
                    focus: list[pyoxigraph.NamedNode]) -> ShaclResult:
    """Core constraints on the `focus` nodes only, over `quads` from several graphs taken together
    (their union, each triple once) with the vocabulary they refer to: what several agreements say
    about one node (a principal, a law), validated as one description."""
    if not focus:
        return ShaclResult(True, 0, 0)
    triples = data_graph(quads, support)
    engine = compiled(shapes)
    if engine is not None:
        return outcome(engine.validate(_store(triples), focus=focus))
    _, report, _ = pyshacl.validate(_rdflib(triples), shacl_graph=core_shapes(shapes), inference="none",
                                    advanced=True, allow_warnings=True, inplace=True, focus_nodes=[term(f) for f in focus])
    return summarise(False, report)


def validate_vocabulary(vocabulary: list[pyoxigraph.Quad], shapes: rdflib.Graph) -> ShaclResult:
    """Core constraints on the vocabulary graph's own nodes (concepts, laws, places), once."""
    found = support(vocabulary, shapes)
    return validate_triples([t for triples in found.by_subject.values() for t in triples], shapes)


def compiled(shapes: rdflib.Graph) -> CompiledShapes | None:
    """The core shapes of a shapes graph, compiled once per process; None when the compiler
    refuses one of them (validate with pySHACL then)."""
    key = (id(shapes), len(shapes))
    if key not in _COMPILED:
        _COMPILED.clear()
        try:
            _COMPILED[key] = CompiledShapes(core_shapes(shapes))
        except Unsupported as err:
            log.info("SHACL: pySHACL validates these shapes (%s)", err)
            _COMPILED[key] = None
    return _COMPILED[key]


_COMPILED: dict[tuple[int, int], CompiledShapes | None] = {}


def outcome(results: list[Result]) -> ShaclResult:
    violations = sum(1 for r in results if r.severity == "Violation")
    return ShaclResult(violations == 0, violations, len(results) - violations, sorted(r.text() for r in results))


def summarise(conforms: bool, report: rdflib.Graph) -> ShaclResult:
    violations = warnings = 0
    messages: list[str] = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity == SH.Violation:
            violations += 1
        else:
            warnings += 1
        messages.append(_message(report, result))
    return ShaclResult(violations == 0, violations, warnings, sorted(messages))


def _message(report: rdflib.Graph, result: Node) -> str:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    message = next((str(m) for m in report.objects(result, SH.resultMessage)
                    if getattr(m, "language", None) in (None, "en")), "")
    return f"{focus} {path or ''}: {message}".replace("  ", " ").strip()


def validate_sparql(store: pyoxigraph.Store, shapes: rdflib.Graph, graph: str | None = None) -> ShaclResult:
    """Every sh:sparql constraint of every shape, over the whole store (union of its graphs); with
    `graph`, only for focus nodes of that named graph (the vocabulary beside it is validated once)."""
    violations = 0
    messages: list[str] = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if (constraint, SH.deactivated, rdflib.Literal(True)) in shapes:
            continue
        select = str(shapes.value(constraint, SH.select))
        prefixes = _prefixes(shapes, constraint)
        message = next((str(m) for m in shapes.objects(constraint, SH.message)
                        if isinstance(m, rdflib.Literal) and m.language == "en"), "")
        for target in _targets(shapes, shape, graph):
            query = prefixes + _bind_target(select, target)
            rows = store.query(query, use_default_graph_as_union=True)
            if not isinstance(rows, pyoxigraph.QuerySolutions):
                raise ValueError(f"sh:select of {constraint} is not a SELECT query")
            for row in rows:
                violations += 1
                messages.append(f"{row['this'].value} : {message}")
    return ShaclResult(violations == 0, violations, 0, sorted(set(messages)))


def _prefixes(shapes: rdflib.Graph, constraint: Node) -> str:
    lines: list[str] = []
    for declarer in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarer, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines) + "\n"


def _targets(shapes: rdflib.Graph, shape: Node, graph: str | None = None) -> list[str]:
    def within(pattern: str) -> str:
        return f"GRAPH <{graph}> {{ {pattern} }}" if graph else pattern
    patterns = [within("?this a ?_type .") + f" ?_type {RDFS_SUBCLASS}* <{cls}> ."
                for cls in shapes.objects(shape, SH.targetClass)]
    patterns += [within(f"?_subject <{prop}> ?this .") for prop in shapes.objects(shape, SH.targetObjectsOf)]
    patterns += [within(f"?this <{prop}> ?_object .") for prop in shapes.objects(shape, SH.targetSubjectsOf)]
    if not patterns:
        raise ValueError(f"shape {shape} has SPARQL constraints but no target this engine supports")
    return patterns


def _bind_target(select: str, target: str) -> str:
    query = select.replace("$this", "?this")
    head, body = query.split("{", 1)
    return head + "{ " + target + " " + body
