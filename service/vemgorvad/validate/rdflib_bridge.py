"""pyoxigraph terms → rdflib terms, for the libraries (pyshacl, owlready2 export) that need rdflib."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
import rdflib


def term(t: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
         | pyoxigraph.DefaultGraph) -> rdflib.URIRef | rdflib.BNode | rdflib.Literal:
    if isinstance(t, pyoxigraph.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, pyoxigraph.BlankNode):
        return rdflib.BNode(t.value)
    if isinstance(t, pyoxigraph.Literal):
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        datatype = t.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(datatype))
    raise TypeError(f"unsupported term {t!r}")


def to_graph(quads: Iterable[pyoxigraph.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for q in quads:
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return graph
