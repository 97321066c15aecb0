"""The claim "conditions are applied in SPARQL" (README, serve/ask/engine.py) backed: the answer
query (queries/answer_candidates.rq with the question's age, age group and duration in its VALUES
block) keeps exactly the responsibilities whose conditions hold, for every responsibility of the
graph and for ages and durations on either side of every limit the agreements set. The ranking
applies the same test first (features.py `conditions_hold`, so it does not score what the graph
will drop); this proves the two never disagree, so the `sparql` an answer returns selects exactly
its answers."""
from __future__ import annotations

import pytest

from vemgorvad.serve.ask.features import conditions_hold
from vemgorvad.serve.ask.sparql import answer_query
from vemgorvad.serve.ask.understanding import Interpretation


@pytest.fixture(scope="module")
def engine(ask_engine):
    return ask_engine


def kept(engine, iris, interp) -> set[str]:
    _, rows = engine.store.select(answer_query(engine.answer_query, iris, interp))
    return {row["r"].value for row in rows}


def interpretations(entries) -> list[Interpretation]:
    """No condition; each age limit the graph holds, one below and one above; age groups across
    them; each duration limit and one day either side."""
    ages = {a + d for e in entries for a in (e.min_age, e.max_age) if a is not None for d in (-1, 0, 1)}
    days = {n + d for e in entries if e.more_than_days is not None for n in [e.more_than_days] for d in (-1, 0, 1)}
    found = [Interpretation(question="", expanded="")]
    found += [Interpretation(question="", expanded="", age=a, age_range=(a, a)) for a in sorted(ages) if a >= 0]
    found += [Interpretation(question="", expanded="", age_group="g", age_range=r) for r in [(0, 17), (13, 20), (18, 64), (65, 120)]]
    found += [Interpretation(question="", expanded="", days=n) for n in sorted(days) if n >= 0]
    found += [Interpretation(question="", expanded="", age=a, age_range=(a, a), days=n) for a in (15, 25) for n in (1, 365)]
    return found


# the same unit over a small set of candidates in the inner loop (every conditional responsibility and as many
# without a condition) and over every responsibility of the graph in the full run (3.4 s of CPU in a test-fast run)
@pytest.mark.parametrize("candidates", ["conditional and as many others", pytest.param("all", marks=pytest.mark.slow)])
def test_the_answer_query_keeps_exactly_the_responsibilities_whoseconditions_hold(engine, candidates):
    entries = engine.index.entries
    everything = kept(engine, [e.iri for e in entries], Interpretation(question="", expanded=""))
    responsibilities = [e for e in entries if e.iri in everything]
    conditional = [e for e in responsibilities if {e.min_age, e.max_age, e.more_than_days} != {None}]
    assert len(conditional) >= 5, "the graph has responsibilities with age or duration conditions"
    if candidates != "all":
        with_condition = {e.iri for e in conditional}
        others = [e for e in responsibilities if e.iri not in with_condition]
        responsibilities = conditional + others[:len(conditional)]
    checked = interpretations(conditional)
    assert len(checked) > 15
    dropped = 0
    for interp in checked:
        expected = {e.iri for e in responsibilities if conditions_hold(e, interp)}
        assert kept(engine, [e.iri for e in responsibilities], interp) == expected, (interp.age_range, interp.days)
        dropped += len(responsibilities) - len(expected)
    assert dropped > 0, "some condition removed a responsibility"
