"""What the answer query keeps for a question that gives no condition is read once with the index
(Entry.kept, index.kept_by_answer_query), and a question's conditions drop what the ranking's own test drops
(tests/test_ask_conditions.py), so a question — every row of a comparison — is answered without a query per
agreement (issue 16): the flag is what the query keeps, the answers are the ones the query gives, and a
comparison's page asks the store nothing per agreement."""
from __future__ import annotations

import httpx
import pyoxigraph
import pytest

from vemgorvad.serve.ask.index import named, read_parts
from vemgorvad.serve.ask.sparql import unconditioned, without_parties
from vemgorvad.serve.ask.understanding import Interpretation
from vemgorvad.serve.present.compare import topic_question
from vemgorvad.store import EmbeddedStore

NO_CONDITION = Interpretation(question="", expanded="")


@pytest.fixture(scope="module")
def engine(ask_engine):
    return ask_engine


def test_the_unconditioned_query_is_the_answer_query_with_no_values_projected_to_its_provisions():
    template = without_parties(named("answer_candidates"))
    query = unconditioned(template)
    assert "#values" not in query and "VALUES" not in query
    head, _, body = query.partition("SELECT DISTINCT ?r WHERE {\n")
    assert head.strip().startswith("#") and "PREFIX vg:" in head and "SELECT" not in head
    assert body.startswith("SELECT ?r ?agreement") and body.rstrip().endswith("}")
    with pytest.raises(ValueError):
        unconditioned("PREFIX x: <y>\nASK { #values\n}")


def test_every_provisions_flag_is_what_the_answer_query_keeps_without_conditions(engine):
    entries = engine.index.entries
    queried = engine.queried(entries, NO_CONDITION)
    flagged = {e.iri for e in entries if e.kept}
    assert flagged == queried
    assert any(e.kept and e.by_parties for e in entries) and any(e.kept and not e.by_parties for e in entries)


def test_a_provision_the_answer_query_drops_is_not_kept(build_dir):
    """One agreement's graph with the vocabulary, as the build's worker reads its part, once as built and
    once with some responsibilities no longer typed vg:Responsibility (the answer query's first branch):
    those are then not kept, the rest are."""
    graph = [q for q in pyoxigraph.parse(path=str(build_dir / "dataset.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
             if q.graph_name.value.rsplit("/", 1)[-1] in ("vocabulary", "stockholm-vasterort")]
    store = pyoxigraph.Store()
    store.extend(graph)
    _, (whole,) = read_parts(EmbeddedStore(store))
    assert whole.entries and all(e.kept for e in whole.entries if e.answerable)
    typed = [e.iri for e in whole.entries if "Responsibility" in e.classes and e.bearer and not e.by_naming
             and not e.by_parties][::3]
    responsibility = pyoxigraph.NamedNode("https://w3id.org/vemgorvad/ontology#Responsibility")
    for q in graph:
        if q.subject.value in typed and q.object == responsibility:
            store.remove(q)
    _, (cut,) = read_parts(EmbeddedStore(store))
    assert typed and not any(e.kept for e in cut.entries if e.iri in typed)
    assert all(e.kept for e in cut.entries if e.iri not in typed and e.answerable)


def _questions(engine) -> list[tuple[str, str]]:
    """A topic question of a comparison for every agreement (a few topics), and questions naming nothing."""
    topics = sorted(engine.index.topic_labels)[::5]
    found = [(topic_question(engine.index.topic_labels[t]), key) for t in topics for key in engine.agreement_keys()]
    with_conditions = [(q, key) for q in ("Vem ansvarar för hjälpmedel för en 25-åring?", "Vem ansvarar för boendestöd för en 15-åring?",
                                          "Vem betalar placering på HVB som varar i 30 dagar?", "Vem kallar till SIP för barn?")
                       for key in ["", *engine.agreement_keys()]]
    return [*found, *with_conditions, ("Vem följer upp överenskommelsen?", ""), ("Vem kallar till SIP?", "")]


def test_answers_without_a_query_are_the_answers_with_it(engine, monkeypatch):
    """With and without conditions (an age, an age group, a duration), in one agreement and naming none."""
    questions = _questions(engine)
    assert any(engine.interpret(q).age_range for q, _ in questions) and any(engine.interpret(q).days for q, _ in questions)
    flagged = [engine._ask(q, key or None) for q, key in questions]
    monkeypatch.setattr(engine, "_allowed", lambda top, interp: engine.queried([c.entry for c in top], interp))
    assert [engine._ask(q, key or None) for q, key in questions] == flagged
    assert sum(bool(body["answers"]) for body in flagged) > len(flagged) // 2


def _counting(engine, monkeypatch) -> list[str]:
    asked: list[str] = []
    select = engine.store.select

    def counted(query, *args, **kwargs):
        asked.append(query)
        return select(query, *args, **kwargs)
    monkeypatch.setattr(engine.store, "select", counted)
    return asked


def test_a_comparisons_page_asks_the_store_nothing_per_agreement(engine, monkeypatch):
    keys = engine.agreement_keys()
    asked = _counting(engine, monkeypatch)
    bodies = engine.ask_many(topic_question(engine.index.topic_labels["kostnadsfordelning"]) + " ", keys)
    assert len(bodies) == len(keys) and any(b["answers"] for b in bodies.values())
    assert asked == []
    engine.ask_many("Vem ansvarar för boendestöd för en 37-åring?", keys)    # an age: the index applies it too
    assert asked == []
    engine.queried(engine.index.entries[:3], NO_CONDITION)
    assert len(asked) >= 1     # what asking the store looks like


def test_a_comparison_over_http_gives_the_rows_of_the_questions_answers(build_dir):
    """A real server: a page of a topic's comparison, each row what /api/ask gives for the topic's question in
    that agreement (its first answers, regulated or not)."""
    from oxigraph_server import shared_service
    service = shared_service("embedded", build_dir)
    with httpx.Client(base_url=service.url, timeout=60) as http:
        label = http.get("/api/topics").json()
        label = next(t["label"] for t in label if t["key"] == "hjalpmedel")
        body = http.get("/api/compare", params={"topic": "hjalpmedel", "per_page": 2, "page": 2}).json()
        assert body["page"] == 2 and body["per_page"] == 2 and len(body["agreements"]) == 2
        for row in body["agreements"]:
            asked = http.get("/api/ask", params={"q": topic_question(label), "agreement": row["agreement"]["key"]}).json()
            assert [a["responsibility"] for a in row["answers"]] == [a["responsibility"] for a in asked["answers"]][:3]
            assert row["regulated"] == bool(asked["answers"])
