"""The remote path asks a store for at most one row more than the result limit when it can say so
without changing the query's meaning (serve/sparql/remote.py `capped`); every query it rewrites
still parses, and every query it cannot rewrite safely goes as it came."""
from __future__ import annotations

import pyoxigraph
import pytest

from vemgorvad.serve.sparql.remote import capped


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } # a comment at the end",
    "PREFIX limit: <http://e/> SELECT ?limit WHERE { ?limit limit:values 'LIMIT 3' }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1)",
])
def test_a_select_without_limit_asks_for_one_row_more_and_still_parses(query):
    rewritten = capped(query, "SELECT", 10000)
    assert rewritten.endswith("\nLIMIT 10001")
    pyoxigraph.Store().query(rewritten)        # parses (and runs on an empty store)


@pytest.mark.parametrize("query,form", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 5", "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", "SELECT"),      # Virtuoso: sorted LIMIT ≤ 10000
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://e/a> }", "SELECT"),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } limit 3 } }", "SELECT"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("ASK { ?s ?p ?o }", "ASK"),
])
def test_queries_it_cannot_cap_safely_go_as_they_came(query, form):
    assert capped(query, form, 10000) == query
