"""Any SPARQL 1.1 endpoint as the store, through SPARQLWrapper. The endpoint must hold the same
dump (dataset.nq, one named graph per agreement) and expose the union of its named graphs as
the default graph (Oxigraph server: --union-default-graph; Fuseki: tdb:unionDefaultGraph)."""
from __future__ import annotations

import urllib.error

from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, SPARQLWrapperException

from .base import Binding, GraphMissing, GraphStore, QueryFailed, QueryTimeout

AGREEMENT_GRAPHS = "https://w3id.org/vemgorvad/graph/"


class RemoteStore(GraphStore):
    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0):
        self.endpoint = endpoint
        self.timeout = timeout
        self._stats = None
        self.manifest = {}

    def _wrapper(self, query: str, timeout: float | None) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setQuery(query)
        wrapper.setTimeout(int(max(1, timeout or self.timeout)))
        return wrapper

    def _call(self, query: str, fmt, timeout: float | None):
        wrapper = self._wrapper(query, timeout)
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

    def select(self, query: str, timeout: float | None = None):
        data = self._call(query, JSON, timeout).convert()
        variables = data["head"].get("vars", [])
        rows = []
        for raw in data.get("results", {}).get("bindings", []):
            row = {}
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
        return bool(self._call(query, JSON, timeout).convert().get("boolean"))

    def construct(self, query: str, timeout: float | None = None) -> bytes:
        wrapper = self._wrapper(query, timeout)
        wrapper.setReturnFormat(N3)
        wrapper.addCustomHttpHeader("Accept", "application/n-triples")
        try:
            response = wrapper.query().response.read()
        except QueryBadFormed as err:
            raise QueryFailed(f"syntax error: {str(err).splitlines()[0]}") from None
        except (EndPointNotFound, urllib.error.URLError, ConnectionError) as err:
            raise GraphMissing(f"SPARQL-ändpunkten {self.endpoint} svarar inte ({err})") from None
        return response

    def stats(self) -> dict:
        if self._stats is None:
            graphs = {}
            for row in self.values("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
                graphs[row["g"]] = int(row["n"])
            agreements = sum(1 for g in graphs if g.startswith(AGREEMENT_GRAPHS) and not g.endswith("/vocabulary"))
            self._stats = {"agreements": agreements, "triples": sum(graphs.values()), "graphs": graphs}
        return self._stats

