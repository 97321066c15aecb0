"""The remote path asks a store for at most one row more than the result limit when it can say so
without changing the query's meaning (serve/sparql/remote.py `capped`, on the decision that
rdflib's parse gave, decide.py); every query it rewrites still parses, and every query it cannot
rewrite safely goes as it came."""
from __future__ import annotations

import pyoxigraph
import pytest

import dataclasses

from vemgorvad.serve.sparql.decide import decide
from vemgorvad.serve.sparql.remote import capped


def decided(query: str) -> dict:
    return dataclasses.asdict(decide(query))


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } # a comment at the end",
    "PREFIX limit: <http://e/> SELECT ?limit WHERE { ?limit limit:values 'LIMIT 3' }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1)",
])
def test_a_select_without_limit_asks_for_one_row_more_and_still_parses(query):
    rewritten = capped(query, decided(query), 10000)
    assert rewritten.endswith("\nLIMIT 10001")
    pyoxigraph.Store().query(rewritten)        # parses (and runs on an empty store)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 5",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s",      # Virtuoso: sorted LIMIT ≤ 10000
    "SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://e/a> }",
    "SELECT * WHERE { VALUES ?s { <http://e/a> } ?s ?p ?o }",
    "SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } limit 3 } }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o }",
])
def test_queries_it_cannot_cap_safely_go_as_they_came(query):
    assert capped(query, decided(query), 10000) == query
