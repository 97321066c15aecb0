"""Any SPARQL 1.1 endpoint as the store, through SPARQLWrapper. The endpoint must hold the same
dump (dataset.nq, one named graph per agreement) and expose the union of its named graphs as
the default graph (Oxigraph server: --union-default-graph; Fuseki: tdb:unionDefaultGraph;
Virtuoso: the default without FROM).

Two deviations of Virtuoso's result format are read here, in one place (`canonical_json`), so the
queries stay plain SPARQL 1.1: an ASK answered as one row of `__ASK_RETVAL` (1 or 0) instead of
`{"boolean": …}`, and xsd:boolean values written 1/0 — legal lexical forms, made canonical
(true/false) so every store gives the same values. Graphs other than the dataset's (Virtuoso's
own system graphs) are left out of the counts."""
from __future__ import annotations

import json
import urllib.error
from typing import Any

from SPARQLWrapper import ASK, CONSTRUCT, JSON, N3, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.Wrapper import QueryResult
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, SPARQLWrapperException

from .base import Binding, GraphMissing, GraphStore, QueryFailed, QueryTimeout, Rows, Stats

AGREEMENT_GRAPHS = "https://w3id.org/vemgorvad/graph/"
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
ASK_ROW = "__ASK_RETVAL"


def canonical_json(data: dict[str, Any]) -> dict[str, Any]:
    """SPARQL JSON results as the standard writes them: Virtuoso's one-row ASK as a boolean
    result, and xsd:boolean values in their canonical form."""
    variables = data.get("head", {}).get("vars")
    bindings = data.get("results", {}).get("bindings", [])
    if "boolean" not in data and variables == [ASK_ROW]:
        value = bindings[0][ASK_ROW]["value"] if bindings and ASK_ROW in bindings[0] else "0"
        return {"head": {}, "boolean": value in ("1", "true")}
    for row in bindings:
        for value in row.values():
            if value.get("datatype") == BOOLEAN and value.get("value") in ("1", "0"):
                value["value"] = "true" if value["value"] == "1" else "false"
    return data


def canonical_json_bytes(body: bytes) -> bytes:
    """`canonical_json` on a response body, unchanged when it needs nothing."""
    if b"__ASK_RETVAL" not in body and BOOLEAN.encode() not in body:
        return body
    return json.dumps(canonical_json(json.loads(body))).encode("utf-8")


def _json(result: QueryResult) -> dict[str, Any]:
    """The SPARQL JSON results of a SELECT or ASK, canonical."""
    data = result.convert()
    if not isinstance(data, dict):
        raise QueryFailed("the endpoint did not answer with SPARQL JSON results")
    return canonical_json(data)


class RemoteStore(GraphStore):
    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0):
        self.endpoint = endpoint
        self.timeout = timeout
        self._stats: Stats | None = None
        self.manifest: dict[str, Any] = {}

    def _wrapper(self, query: str, timeout: float | None, form: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)   # the protocol's content negotiation only: no format=/output= parameters,
        wrapper.setQuery(query)       # which some stores (Virtuoso) obey over Accept
        # The caller knows the form. SPARQLWrapper guesses it from the text and takes a word such as
        # "drop" in a comment for an update, which it then sends as `update=`.
        wrapper.queryType = form
        wrapper.setTimeout(int(max(1, timeout or self.timeout)))
        return wrapper

    def _call(self, query: str, fmt: str, timeout: float | None, form: str) -> QueryResult:
        wrapper = self._wrapper(query, timeout, form)
        wrapper.setReturnFormat(fmt)
        try:
            return wrapper.query()
        except QueryBadFormed as err:
            raise QueryFailed(f"syntax error: {str(err).splitlines()[0]}") from None
        except TimeoutError:
            raise QueryTimeout("the SPARQL endpoint did not answer in time") from None
        except (EndPointNotFound, urllib.error.URLError, ConnectionError) as err:
            raise GraphMissing(f"SPARQL-ändpunkten {self.endpoint} svarar inte ({err})") from None
        except SPARQLWrapperException as err:
            raise QueryFailed(str(err).splitlines()[0]) from None

    def select(self, query: str, timeout: float | None = None) -> tuple[list[str], Rows]:
        data = _json(self._call(query, JSON, timeout, SELECT))
        variables = data["head"].get("vars", [])
        rows: Rows = []
        for raw in data.get("results", {}).get("bindings", []):
            row: dict[str, Binding | None] = {}
            for v in variables:
                b = raw.get(v)
                if b is None:
                    row[v] = None
                else:
                    kind = {"typed-literal": "literal"}.get(b["type"], b["type"])
                    datatype = b.get("datatype")
                    if datatype == "http://www.w3.org/2001/XMLSchema#string":
                        datatype = None
                    row[v] = Binding(kind, b["value"], b.get("xml:lang"), datatype)
            rows.append(row)
        return variables, rows

    def ask(self, query: str, timeout: float | None = None) -> bool:
        return bool(_json(self._call(query, JSON, timeout, ASK)).get("boolean"))

    def construct(self, query: str, timeout: float | None = None) -> bytes:
        wrapper = self._wrapper(query, timeout, CONSTRUCT)
        wrapper.setReturnFormat(N3)
        wrapper.addCustomHttpHeader("Accept", "application/n-triples")
        try:
            response = wrapper.query().response.read()
        except QueryBadFormed as err:
            raise QueryFailed(f"syntax error: {str(err).splitlines()[0]}") from None
        except (EndPointNotFound, urllib.error.URLError, ConnectionError) as err:
            raise GraphMissing(f"SPARQL-ändpunkten {self.endpoint} svarar inte ({err})") from None
        return response

    def stats(self) -> Stats:
        if self._stats is None:
            graphs: dict[str, int] = {}
            for row in self.values("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
                g, n = row["g"], row["n"]
                if g is not None and n is not None and g.startswith(AGREEMENT_GRAPHS):   # not a store's own graphs
                    graphs[g] = int(n)
            agreements = sum(1 for g in graphs if g.startswith(AGREEMENT_GRAPHS) and not g.endswith("/vocabulary"))
            self._stats = {"agreements": agreements, "triples": sum(graphs.values()), "graphs": graphs}
        return self._stats

