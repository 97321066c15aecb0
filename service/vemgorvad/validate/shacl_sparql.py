"""SHACL Core, compiled to SPARQL and run in Oxigraph.

pySHACL walks the data graph node by node in rdflib: 0.6–1 s of CPU for one agreement's graph,
the largest cost of a build after extraction. The same constraints, each written once as a
SPARQL query over all focus nodes of its shape, take Oxigraph a few milliseconds. The results are
those of pySHACL, constraint by constraint (tests/test_shacl_engine.py compares the two reports on
the seed agreements, the vocabulary and graphs broken on purpose):

- a value constraint (sh:class, sh:datatype, sh:nodeKind, sh:pattern, sh:minLength, sh:maxLength,
  sh:minInclusive … sh:maxExclusive, sh:in, sh:languageIn, sh:node, sh:or, sh:and, sh:not,
  sh:xone) gives one result per value node that fails it, with that node as sh:value;
- sh:minCount, sh:maxCount, sh:hasValue, sh:qualifiedMinCount and sh:qualifiedMaxCount give one
  result per focus node; sh:uniqueLang one per focus node and language used twice;
- a focus node of a node shape is its own value node; a property shape's value nodes are those
  its path reaches (an IRI, a sequence, sh:inversePath, sh:alternativePath, sh:zeroOrMorePath,
  sh:oneOrMorePath, sh:zeroOrOnePath);
- targets: sh:targetClass (through rdfs:subClassOf in the data), sh:targetNode,
  sh:targetSubjectsOf, sh:targetObjectsOf; sh:deactivated and sh:severity as SHACL says;
- a shape used by sh:node, sh:or, … is checked as a whole: the value conforms when no constraint
  of that shape (and of its property shapes) fails, as a SPARQL expression nested in the query.

Anything else in a shapes graph (sh:closed, property pairs, SHACL-SPARQL, recursion, a pattern
Oxigraph's regular expressions cannot run) is refused when the shapes are compiled, never skipped:
`Unsupported` names it, and shacl.py validates with pySHACL instead. SHACL-SPARQL constraints run
in Oxigraph already (shacl.validate_sparql).

Messages are the shape's sh:message where it has one (as in pySHACL); otherwise a short English
text of the same kind as pySHACL's.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph
import rdflib
import rdflib.collection
from rdflib import RDF, XSD
from rdflib.term import Node

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
TYPE_PATH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"

#: Value constraints: one result per failing value node.
VALUE_COMPONENTS: dict[Node, str] = {
    SH["class"]: "ClassConstraintComponent", SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent", SH.pattern: "PatternConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent", SH.maxLength: "MaxLengthConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent", SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent", SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH["in"]: "InConstraintComponent", SH.languageIn: "LanguageInConstraintComponent",
    SH.node: "NodeConstraintComponent", SH["or"]: "OrConstraintComponent", SH["and"]: "AndConstraintComponent",
    SH["not"]: "NotConstraintComponent", SH.xone: "XoneConstraintComponent",
}
#: Parameters that belong to another parameter's constraint, or that describe rather than constrain.
COMPANIONS = {SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
DESCRIPTIVE = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order, SH.group,
               SH.defaultValue, SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetObjectsOf,
               SH.targetSubjectsOf, SH.sparql, SH.declare, SH.prefixes, RDF.type,
               rdflib.RDFS.label, rdflib.RDFS.comment}
SHAPE_PARAMETERS = set(VALUE_COMPONENTS) | COMPANIONS | {SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang,
                                                          SH.qualifiedValueShape}
NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
#: Datatypes whose lexical form Oxigraph can check by a cast: an ill-formed literal fails sh:datatype.
CASTS = {str(XSD[name]) for name in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime",
                                     "int", "long", "nonNegativeInteger", "positiveInteger")}


class Unsupported(ValueError):
    """A shapes graph uses something this engine does not compile; use pySHACL for it."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL reports it."""
    focus: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
    component: str                 # the local name of the constraint component
    shape: str                     # the node shape's name, with the path for a property shape
    path: str | None               # the property shape's path in SPARQL syntax
    value: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None
    severity: str                  # "Violation", "Warning" or "Info"
    message: str

    def text(self) -> str:
        """`focus path: message`, the form build errors and reports show."""
        path = self.path or ""
        if path.startswith("<") and path.endswith(">") and ">" not in path[:-1]:
            path = path[1:-1]             # a single IRI, written as pySHACL's reports write it
        return f"{self.focus.value} {path}: {self.message}".replace("  ", " ").strip()


# --- SPARQL text of terms and paths ----------------------------------------------------------------

def sparql_term(node: Node) -> str:
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        lexical = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{lexical}"@{node.language}'
        return f'"{lexical}"^^<{node.datatype or XSD.string}>'
    raise Unsupported(f"a blank node {node} where a term was expected")


@dataclass
class Compiler:
    """Turns the shapes of one shapes graph into SPARQL; fresh variable names for nested shapes."""
    shapes: rdflib.Graph
    _names: Iterator[int] = field(default_factory=itertools.count)

    def var(self, stem: str) -> str:
        return f"?{stem}{next(self._names)}"

    def items(self, node: Node) -> list[Node]:
        if node != RDF.nil and (node, RDF.first, None) not in self.shapes:
            raise Unsupported(f"{node} is not an RDF list")
        return list(rdflib.collection.Collection(self.shapes, node))

    def path(self, node: Node) -> str:
        if isinstance(node, rdflib.URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.shapes:
            return "/".join(self.path(p) for p in self.items(node))
        for key, form in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                          (SH.zeroOrOnePath, "{}?")):
            inner = self.shapes.value(node, key)
            if inner is not None:
                return form.format(f"({self.path(inner)})")
        alternatives = self.shapes.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alternatives)) + ")"
        raise Unsupported(f"the path {node} is not a SHACL property path")

    def one(self, shape: Node, parameter: Node) -> Node:
        values = list(self.shapes.objects(shape, parameter))
        if len(values) != 1:
            raise Unsupported(f"{shape} has {len(values)} values of {parameter}, not one")
        return values[0]

    def integer(self, shape: Node, parameter: Node) -> int:
        value = self.one(shape, parameter)
        if not isinstance(value, rdflib.Literal) or not isinstance(value.value, int):
            raise Unsupported(f"{shape} {parameter} is not an integer")
        return int(value.value)

    # --- conditions on one value node ----------------------------------------------------------------

    def condition(self, shape: Node, parameter: Node, value: Node, v: str, trail: tuple[Node, ...]) -> str:
        """A SPARQL expression that is true when the value node `v` passes the constraint (never an
        error: an error would read as false inside FILTER and NOT)."""
        if parameter == SH["class"]:
            return f"EXISTS {{ {v} {TYPE_PATH} {sparql_term(value)} }}"
        if parameter == SH.datatype:
            check = f"isLiteral({v}) && sameTerm(datatype({v}), {sparql_term(value)})"
            if str(value) in CASTS:      # well-formed: the cast of its lexical form succeeds
                check += f" && isLiteral(COALESCE(<{value}>(STR({v})), <urn:x-invalid>))"
            return f"COALESCE({check}, false)"
        if parameter == SH.nodeKind:
            if value not in NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {value}")
            return NODE_KINDS[value].format(v=v)
        if parameter == SH.pattern:
            flags = self.shapes.value(shape, SH.flags)
            arguments = f"{sparql_term(rdflib.Literal(str(value)))}"
            if flags is not None:
                arguments += f", {sparql_term(rdflib.Literal(str(flags)))}"
            if not runnable_regex(arguments):
                raise Unsupported(f"sh:pattern {str(value)!r} is not a regular expression Oxigraph runs "
                                  f"(SHACL's XPath syntax has no look-around)")
            return f"COALESCE(!isBlank({v}) && REGEX(STR({v}), {arguments}), false)"
        if parameter in (SH.minLength, SH.maxLength):
            op = ">=" if parameter == SH.minLength else "<="
            return f"COALESCE(!isBlank({v}) && STRLEN(STR({v})) {op} {int(str(value))}, false)"
        if parameter in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            operators: dict[Node, str] = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
                                          SH.maxExclusive: "<"}
            op = operators[parameter]
            return f"COALESCE({v} {op} {sparql_term(value)}, false)"
        if parameter == SH["in"]:
            members = [f"sameTerm({v}, {sparql_term(m)})" for m in self.items(value)]
            return "(" + (" || ".join(members) or "false") + ")"
        if parameter == SH.languageIn:
            ranges = [f"langMatches(lang({v}), {sparql_term(rdflib.Literal(str(r)))})" for r in self.items(value)]
            return f"COALESCE(isLiteral({v}) && lang({v}) != \"\" && ({' || '.join(ranges) or 'false'}), false)"
        if parameter == SH.node:
            return self.conforms(value, v, trail)
        if parameter == SH["or"]:
            return "(" + (" || ".join(self.conforms(s, v, trail) for s in self.items(value)) or "false") + ")"
        if parameter == SH["and"]:
            return "(" + (" && ".join(self.conforms(s, v, trail) for s in self.items(value)) or "true") + ")"
        if parameter == SH["not"]:
            return f"!{self.conforms(value, v, trail)}"
        if parameter == SH.xone:
            ones = [f"IF({self.conforms(s, v, trail)}, 1, 0)" for s in self.items(value)]
            return f"({' + '.join(ones) or '0'}) = 1"
        raise Unsupported(f"{parameter}")

    # --- a whole shape as one condition (sh:node, sh:or, …) ------------------------------------------

    def conforms(self, shape: Node, x: str, trail: tuple[Node, ...] = ()) -> str:
        """A SPARQL expression true when the node `x` conforms to `shape` (every constraint of the
        shape and of its property shapes)."""
        if shape in trail:
            raise Unsupported(f"the shape {shape} refers to itself (recursive shapes are not defined in SHACL)")
        trail = (*trail, shape)
        if (shape, SH.deactivated, rdflib.Literal(True)) in self.shapes:
            return "true"
        if (shape, SH.sparql, None) in self.shapes:
            raise Unsupported(f"sh:sparql inside {shape}, a shape used by another shape")
        parts = [self.condition(shape, p, o, x, trail) for p, o in self.parameters(shape) if p in VALUE_COMPONENTS]
        for p, _o in self.parameters(shape):
            if p in (SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.qualifiedValueShape):
                raise Unsupported(f"{p} on a node shape {shape}")
        for prop in self.shapes.objects(shape, SH.property):
            if (prop, SH.deactivated, rdflib.Literal(True)) in self.shapes:
                continue
            path = self.path(self.one(prop, SH.path))
            for p, o in self.parameters(prop):
                parts.append(self.property_condition(prop, path, p, o, x, trail))
        return "(" + (" && ".join(p for p in parts if p) or "true") + ")"

    def property_condition(self, prop: Node, path: str, parameter: Node, value: Node, x: str, trail: tuple[Node, ...]) -> str:
        v = self.var("v")
        if parameter in VALUE_COMPONENTS:
            return f"NOT EXISTS {{ {x} {path} {v} FILTER(!({self.condition(prop, parameter, value, v, trail)})) }}"
        if parameter == SH.hasValue:
            return f"EXISTS {{ {x} {path} {sparql_term(value)} }}"
        if parameter == SH.uniqueLang:
            if value != rdflib.Literal(True):
                return ""
            w = self.var("w")
            return f"NOT EXISTS {{ {x} {path} {v}, {w} {unique_lang_clash(v, w)} }}"
        if parameter in (SH.minCount, SH.maxCount, SH.qualifiedValueShape):
            checks = []
            for name, bound, qualified in self.counts(prop, parameter):
                op = "<" if name.startswith(("Min", "QualifiedMin")) else ">"
                if op == "<" and bound <= 0:
                    continue
                if not qualified and op == "<" and bound == 1:
                    checks.append(f"EXISTS {{ {x} {path} {v} }}")
                    continue
                if not qualified and op == ">" and bound == 1:
                    w = self.var("w")
                    checks.append(f"NOT EXISTS {{ {x} {path} {v}, {w} FILTER(!sameTerm({v}, {w})) }}")
                    continue
                n = self.var("n")
                keep = f"FILTER({self.qualified(prop, v, trail)})" if qualified else ""
                group = f"{{ SELECT {x} (COUNT(DISTINCT {v}) AS {n}) WHERE {{ {x} {path} {v} {keep} }} GROUP BY {x} }}"
                if op == "<":
                    checks.append(f"EXISTS {{ {group} FILTER({n} >= {bound}) }}")
                else:
                    checks.append(f"NOT EXISTS {{ {group} FILTER({n} > {bound}) }}")
            return " && ".join(checks)
        return ""

    def counts(self, prop: Node, parameter: Node) -> list[tuple[str, int, bool]]:
        """(component, bound, qualified?) of a cardinality parameter."""
        if parameter == SH.minCount:
            return [("MinCountConstraintComponent", self.integer(prop, SH.minCount), False)]
        if parameter == SH.maxCount:
            return [("MaxCountConstraintComponent", self.integer(prop, SH.maxCount), False)]
        found = []
        if (prop, SH.qualifiedMinCount, None) in self.shapes:
            found.append(("QualifiedMinCountConstraintComponent", self.integer(prop, SH.qualifiedMinCount), True))
        if (prop, SH.qualifiedMaxCount, None) in self.shapes:
            found.append(("QualifiedMaxCountConstraintComponent", self.integer(prop, SH.qualifiedMaxCount), True))
        return found

    def qualified(self, prop: Node, v: str, trail: tuple[Node, ...]) -> str:
        """The value node conforms to the qualified value shape (and, when the shapes are declared
        disjoint, to none of its siblings)."""
        own = self.one(prop, SH.qualifiedValueShape)
        condition = self.conforms(own, v, trail)
        if (prop, SH.qualifiedValueShapesDisjoint, rdflib.Literal(True)) in self.shapes:
            for parent in self.shapes.subjects(SH.property, prop):
                for sibling_prop in self.shapes.objects(parent, SH.property):
                    for sibling in self.shapes.objects(sibling_prop, SH.qualifiedValueShape):
                        if sibling != own:
                            condition += f" && !{self.conforms(sibling, v, trail)}"
        return condition

    def parameters(self, shape: Node) -> list[tuple[Node, Node]]:
        """The constraint parameters of a shape, in a stable order; refuses what is not supported."""
        found = []
        for p, o in sorted(self.shapes.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
            if p in SHAPE_PARAMETERS:
                if p in COMPANIONS:
                    continue
                found.append((p, o))
            elif str(p).startswith(str(SH)) and p not in DESCRIPTIVE:
                raise Unsupported(f"{shape} uses {p}, which this engine does not compile")
        return found


def runnable_regex(arguments: str) -> bool:
    """Oxigraph compiles the pattern (and flags): REGEX of it is not an error."""
    solutions = pyoxigraph.Store().query(f'SELECT (REGEX("", {arguments}) AS ?ok) {{}}')
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return next(iter(solutions))["ok"] is not None


def unique_lang_clash(a: str, b: str) -> str:
    return (f"FILTER(isLiteral({a}) && isLiteral({b}) && lang({a}) != \"\" && !sameTerm({a}, {b}) "
            f"&& LCASE(lang({a})) = LCASE(lang({b})))")


# --- the compiled shapes -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """One constraint of a targeted shape as a query; rows are ?this (and ?value or ?lang)."""
    component: str
    shape: str
    path: str | None
    severity: str
    message: str | None
    query: str
    per_value: bool


class CompiledShapes:
    """Every targeted shape of a shapes graph (without its SHACL-SPARQL constraints) as queries."""

    def __init__(self, shapes: rdflib.Graph):
        self.compiler = Compiler(shapes)
        self.checks = list(self._compile(shapes))

    def _compile(self, shapes: rdflib.Graph) -> Iterator[Check]:
        targeted = sorted({s for p in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
                           for s in shapes.subjects(p, None)}, key=str)
        for shape in targeted:
            if (shape, SH.deactivated, rdflib.Literal(True)) in shapes:
                continue
            if (shape, SH.path, None) in shapes:
                raise Unsupported(f"the property shape {shape} has a target of its own")
            yield from self._shape_checks(shape, self._focus(shape), (shape,))

    def _shape_checks(self, shape: Node, focus: str, trail: tuple[Node, ...]) -> Iterator[Check]:
        """The checks of one node shape for the focus nodes `focus` selects (as ?this)."""
        c = self.compiler
        shapes = c.shapes
        name = _name(shape)
        for parameter, value in c.parameters(shape):
            if parameter not in VALUE_COMPONENTS:
                raise Unsupported(f"{parameter} on the node shape {shape}")
            yield self._value_check(shape, name, None, focus, "BIND(?this AS ?value)", parameter, value, trail)
        names = property_names(c, shape)
        for prop in sorted(shapes.objects(shape, SH.property), key=lambda p: names[p]):
            if (prop, SH.deactivated, rdflib.Literal(True)) in shapes:
                continue
            path = c.path(c.one(prop, SH.path))
            pname = names[prop]
            for parameter, value in c.parameters(prop):
                if parameter in VALUE_COMPONENTS:
                    yield self._value_check(prop, pname, path, focus, f"?this {path} ?value",
                                            parameter, value, trail)
                elif parameter == SH.uniqueLang:
                    if value == rdflib.Literal(True):
                        query = (f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} ?this {path} ?value, ?other "
                                 f"{unique_lang_clash('?value', '?other')} BIND(LCASE(lang(?value)) AS ?lang) }}")
                        yield self._check(prop, pname, path, "UniqueLangConstraintComponent", query, False)
                elif parameter == SH.hasValue:
                    query = (f"SELECT DISTINCT ?this WHERE {{ {focus} "
                             f"MINUS {{ ?this {path} {sparql_term(value)} }} }}")
                    yield self._check(prop, pname, path, "HasValueConstraintComponent", query, False)
                else:
                    for component, bound, qualified in c.counts(prop, parameter):
                        yield self._count_check(prop, pname, path, focus, component, bound, qualified)

    def _focus(self, shape: Node) -> str:
        shapes = self.compiler.shapes
        patterns = [f"{{ ?this {TYPE_PATH} {sparql_term(o)} }}" for o in shapes.objects(shape, SH.targetClass)]
        patterns += [f"{{ VALUES ?this {{ {sparql_term(o)} }} }}" for o in shapes.objects(shape, SH.targetNode)]
        patterns += [f"{{ ?this {sparql_term(o)} ?_t }}" for o in shapes.objects(shape, SH.targetSubjectsOf)]
        patterns += [f"{{ ?_t {sparql_term(o)} ?this }}" for o in shapes.objects(shape, SH.targetObjectsOf)]
        return "{ SELECT DISTINCT ?this WHERE { #focus\n" + " UNION ".join(patterns) + " } }"

    def _value_check(self, owner: Node, name: str, path: str | None, focus: str, values: str,
                     parameter: Node, value: Node, trail: tuple[Node, ...]) -> Check:
        if parameter == SH.node:
            return self._node_check(owner, name, path, focus, values, value, trail)
        if parameter == SH["class"]:        # MINUS joins once; FILTER NOT EXISTS would run per row
            test = f"MINUS {{ ?value {TYPE_PATH} {sparql_term(value)} }}"
        else:
            test = f"FILTER(!({self.compiler.condition(owner, parameter, value, '?value', trail)}))"
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} {test} }}"
        return self._check(owner, name, path, VALUE_COMPONENTS[parameter], query, True, parameter, value)

    def _node_check(self, owner: Node, name: str, path: str | None, focus: str, values: str, shape: Node,
                    trail: tuple[Node, ...]) -> Check:
        """sh:node as sets, not per value: the value nodes (the candidates) are checked against the
        shape's own checks, each a query over all of them, and those that fail any are the results.
        (A FILTER with one EXISTS per constraint evaluated per value node cost 0.7 s on one agreement.)"""
        shapes = self.compiler.shapes
        if shape in trail:
            raise Unsupported(f"the shape {shape} refers to itself (recursive shapes are not defined in SHACL)")
        if (shape, SH.sparql, None) in shapes:
            raise Unsupported(f"sh:sparql inside {shape}, a shape used by another shape")
        outer = f"{focus} {values}".replace("#focus\n", "\n")
        candidates = ("{ SELECT DISTINCT ?this WHERE { { SELECT (?value AS ?this) WHERE { "
                      f"{{ SELECT DISTINCT ?value WHERE {{ {outer} }} }} }} }} }} }}")
        failing = []
        if (shape, SH.deactivated, rdflib.Literal(True)) not in shapes:
            failing = [check.query for check in self._shape_checks(shape, candidates, (*trail, shape))]
        branches = " UNION ".join(f"{{ SELECT (?this AS ?value) WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {{ {q} }} }} }} }} }}"
                                  for q in failing)
        test = f"{{ {branches} }}" if failing else "FILTER(false)"
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} {test} }}"
        return self._check(owner, name, path, "NodeConstraintComponent", query, True, SH.node, shape)

    def _count_check(self, prop: Node, name: str, path: str, focus: str, component: str, bound: int,
                     qualified: bool) -> Check:
        keep = f"FILTER({self.compiler.qualified(prop, '?value', ())})" if qualified else ""
        minimum = component.startswith(("Min", "QualifiedMin"))
        if minimum and bound == 1 and not qualified:
            query = f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ ?this {path} ?value }} }}"
        else:
            counted = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                       f"OPTIONAL {{ ?this {path} ?value {keep} }} }} GROUP BY ?this")
            query = f"SELECT ?this WHERE {{ {{ {counted} }} FILTER(?n {'<' if minimum else '>'} {bound}) }}"
        return self._check(prop, name, path, component, query, False, bound=bound)

    def _check(self, owner: Node, name: str, path: str | None, component: str, query: str, per_value: bool,
               parameter: Node | None = None, value: Node | None = None, bound: int | None = None) -> Check:
        shapes = self.compiler.shapes
        severity = shapes.value(owner, SH.severity, default=SH.Violation)
        messages = list(shapes.objects(owner, SH.message))
        message = next((str(m) for m in messages if getattr(m, "language", None) in (None, "en")), None)
        if message is None:
            message = _default_message(component, path, value, bound, shapes)
        return Check(component, name, path, str(severity).rsplit("#", 1)[-1], message, query, per_value)

    # --- running them ---------------------------------------------------------------------------------

    def validate(self, store: pyoxigraph.Store, focus: Iterable[pyoxigraph.NamedNode] | None = None,
                 union: bool = False) -> list[Result]:
        """Every result over the store's default graph (or the union of its graphs). With `focus`,
        only those focus nodes are validated (their values may lie anywhere in the data)."""
        restrict = ""
        if focus is not None:
            nodes = " ".join(f"<{n.value}>" for n in focus)
            restrict = f"VALUES ?this {{ {nodes} }}\n"
        results = []
        for check in self.checks:
            query = check.query.replace("#focus\n", restrict + "#focus\n", 1) if restrict else check.query
            solutions = store.query(query, use_default_graph_as_union=union)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            for row in solutions:
                value = row["value"] if check.per_value else None
                results.append(Result(row["this"], check.component, check.shape, check.path, value,
                                      check.severity, check.message or ""))
        return results


def property_names(c: Compiler, shape: Node) -> dict[Node, str]:
    """Each property shape of a node shape named `<shape> path`; property shapes of one node shape
    on the same path are told apart by a number (#1, #2 …, in the order of their parameters)."""
    by_path: dict[str, list[Node]] = {}
    for prop in c.shapes.objects(shape, SH.property):
        by_path.setdefault(c.path(c.one(prop, SH.path)), []).append(prop)
    names = {}
    for path, props in by_path.items():
        if len(props) == 1:
            names[props[0]] = f"{_name(shape)} {path}"
            continue
        def key(prop: Node) -> tuple[tuple[str, str], ...]:
            return tuple(sorted((str(p), "" if isinstance(o, rdflib.BNode) else str(o))
                                for p, o in c.shapes.predicate_objects(prop)))
        for i, prop in enumerate(sorted(props, key=key), 1):
            names[prop] = f"{_name(shape)} {path} #{i}"
    return names


def _name(shape: Node) -> str:
    return f"<{shape}>" if isinstance(shape, rdflib.URIRef) else "[]"


def _default_message(component: str, path: str | None, value: Node | None, bound: int | None,
                     shapes: rdflib.Graph) -> str:
    on = f" on {path}" if path else ""
    texts = {
        "MinCountConstraintComponent": f"Less than {bound} values{on}",
        "MaxCountConstraintComponent": f"More than {bound} values{on}",
        "QualifiedMinCountConstraintComponent": f"Less than {bound} values{on} conform to the qualified shape",
        "QualifiedMaxCountConstraintComponent": f"More than {bound} values{on} conform to the qualified shape",
        "UniqueLangConstraintComponent": "More than one String shares the same Language",
        "HasValueConstraintComponent": f"Node{on} does not contain the value {value}",
        "ClassConstraintComponent": f"Value does not have class {value}",
        "DatatypeConstraintComponent": f"Value is not Literal with datatype {value}",
        "NodeKindConstraintComponent": f"Value is not of Node Kind {value}",
        "PatternConstraintComponent": f"Value does not match pattern '{value}'",
        "MinLengthConstraintComponent": f"String length not >= {value}",
        "MaxLengthConstraintComponent": f"String length not <= {value}",
        "MinInclusiveConstraintComponent": f"Value is not >= {value}",
        "MaxInclusiveConstraintComponent": f"Value is not <= {value}",
        "MinExclusiveConstraintComponent": f"Value is not > {value}",
        "MaxExclusiveConstraintComponent": f"Value is not < {value}",
        "InConstraintComponent": "Value is not in the list of allowed values",
        "LanguageInConstraintComponent": "String language is not in the allowed languages",
        "NodeConstraintComponent": f"Value does not conform to Shape {value}",
        "OrConstraintComponent": "Node does not conform to one or more shapes in the sh:or list",
        "AndConstraintComponent": "Node does not conform to all shapes in the sh:and list",
        "NotConstraintComponent": f"Node conforms to the shape {value}, which it must not",
        "XoneConstraintComponent": "Node does not conform to exactly one shape in the sh:xone list",
    }
    return texts[component]
