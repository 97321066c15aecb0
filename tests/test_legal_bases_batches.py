"""The cards of a whole /api/compare page: more responsibilities than one named query takes (a page
of 50 agreements shows up to 150) are looked up in batches, with the same facts as one by one."""
from __future__ import annotations

from vemgorvad.serve.named_queries import MAX_VALUES
from vemgorvad.serve.present.facts import legal_bases


def test_more_responsibilities_than_one_query_takes_get_the_facts_each_gets_alone(embedded_store, ask_engine):
    iris = sorted({e.iri for e in ask_engine.index.entries if e.answerable})[:MAX_VALUES * 2 + 7]
    assert len(iris) > MAX_VALUES * 2
    together = legal_bases(embedded_store, iris)        # "Högst 100 värden" before
    alone: dict[str, list] = {}
    for start in range(0, len(iris), 40):
        alone |= legal_bases(embedded_store, iris[start:start + 40])
    assert together == alone
    assert sum(len(facts) for facts in together.values()) > 0    # some rest on a law
