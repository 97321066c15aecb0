"""The result cap is counted on pyoxigraph's own TSV as it is written (results._solutions_tsv): one
line per solution whatever the terms hold (a newline or tab inside a literal is escaped), so the
count is exact at the cap, and the writing stops as soon as the cap is passed."""
from __future__ import annotations

import pyoxigraph
import pytest

from vemgorvad.serve.sparql.results import ResultTooLarge, _CountedTSV, _solutions_tsv

E = "http://example.org/"


@pytest.fixture(scope="module")
def store():
    store = pyoxigraph.Store()
    tricky = ("rad ett\nrad två", "flik\there", 'citat "x"\r\n', "")
    store.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{E}s{i}"), pyoxigraph.NamedNode(f"{E}p"),
                                 pyoxigraph.Literal(tricky[i % len(tricky)] + str(i), language="sv"))
                 for i in range(3000))
    return store


def solutions(store, limit_clause: str = ""):
    return store.query(f"SELECT ?s ?o ?missing WHERE {{ ?s <{E}p> ?o }} {limit_clause}")


@pytest.mark.parametrize("rows", [0, 1, 2999, 3000])
def test_the_count_is_the_number_of_solutions_up_to_the_cap(store, rows):
    body, count = _solutions_tsv(solutions(store, f"LIMIT {rows}"), limit=3000)
    assert count == rows
    back = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.TSV)
    assert [v.value for v in back.variables] == ["s", "o", "missing"]
    assert sorted(str(s["o"]) for s in back) == sorted(str(s["o"]) for s in solutions(store, f"LIMIT {rows}"))


def test_one_solution_past_the_cap_is_too_large(store):
    with pytest.raises(ResultTooLarge):
        _solutions_tsv(solutions(store), limit=2999)


def test_writing_stops_soon_after_the_cap(store):
    out = _CountedTSV(limit=10)
    with pytest.raises(ResultTooLarge):
        solutions(store).serialize(out, format=pyoxigraph.QueryResultsFormat.TSV)
    assert sum(len(c) for c in out.chunks) < 64 * 1024         # at most a few chunks kept, not 3000 rows
