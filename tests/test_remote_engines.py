"""The same answers from every store: the service on an Oxigraph server and on Virtuoso, each
holding the build's dump, gives what it gives on the embedded store — every named query, the
answers to staff questions and a gap check's peer counts. Where a store's SPARQL differs the query
is written in portable SPARQL 1.1 (queries/README.md); the differences that remain are the order
of GROUP_CONCAT, which SPARQL leaves unspecified (compared as sets here)."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from oxigraph_server import REMOTE_KINDS, remote_endpoint, shared_service
from vemgorvad.serve import named_queries
from vemgorvad.store import RemoteStore

QUESTIONS = [line.strip() for line in
             (Path(__file__).parent / "bench" / "questions.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
GROUP_CONCAT = re.compile(r'GROUP_CONCAT\((?:[^()]|\([^()]*\))*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)',
                          re.IGNORECASE | re.DOTALL)


def concatenated(text: str) -> dict[str, str]:
    """The variables a query fills with GROUP_CONCAT, with their separators: the order of the
    parts is the store's (SPARQL 1.1 leaves it unspecified), so they are compared as sets."""
    return {variable: separator for separator, variable in GROUP_CONCAT.findall(text)}


@pytest.fixture(scope="module", params=REMOTE_KINDS)
def kind(request):
    return request.param


@pytest.fixture(scope="module")
def remote(kind, build_dir):
    return shared_service(kind, build_dir)


@pytest.fixture(scope="module")
def embedded(build_dir):
    return shared_service("embedded", build_dir)


def _rows(store, query) -> tuple[list[str], list[tuple]]:
    variables, rows = store.select(query.text)
    separated = concatenated(query.text)
    normalised = []
    for row in rows:
        values = []
        for v in variables:
            b = row.get(v)
            value = None if b is None else (b.kind, b.value, b.lang, b.datatype)
            if b is not None and v in separated:   # the concatenation of nothing: "" or unbound (Oxigraph)
                value = (b.kind, tuple(sorted(b.value.split(separated[v]))), b.lang, b.datatype) if b.value else None
            values.append(value)
        normalised.append(tuple(values))
    return variables, sorted(normalised, key=repr)


def test_the_concatenated_columns_are_found():
    assert concatenated(named_queries.load("responsibility_index").text) == {
        "topics": " ", "ownTopics": " ", "duties": " ", "groups": " ", "situations": " ", "legalBasis": "; "}


@pytest.mark.parametrize("name", sorted(q.name for q in named_queries.all_queries()))
def test_every_named_query_gives_the_same_rows(kind, build_dir, embedded_store, name):
    query = named_queries.load(name)
    store = RemoteStore(remote_endpoint(kind, Path(build_dir) / "dataset.nq"))
    assert _rows(store, query) == _rows(embedded_store, query)


def test_the_store_counts_only_the_dataset_graphs(kind, build_dir, embedded_store):
    store = RemoteStore(remote_endpoint(kind, Path(build_dir) / "dataset.nq"))
    assert store.stats() == embedded_store.stats()
    assert store.ask("ASK { ?a a <https://w3id.org/vemgorvad/ontology#Agreement> }") is True
    assert store.ask("ASK { ?a a <https://w3id.org/vemgorvad/ontology#NoSuchClass> }") is False


def _answer(service, question: str) -> dict:
    response = httpx.get(service.url + "/api/ask", params={"q": question}, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    return {"status": body["status"], "interpretation": body.get("interpretation"),
            "answers": [(a["responsibility"], a["principal"]["kind"], a["quote"], a.get("score"))
                        for a in body["answers"]]}


@pytest.mark.parametrize("question", QUESTIONS)
def test_staff_questions_get_the_same_answers(remote, embedded, question):
    assert _answer(remote, question) == _answer(embedded, question)


def test_a_gap_check_counts_the_same_peers(remote, embedded):
    text = ("Överenskommelse mellan Region Exempel och kommunerna i länet.\n\n"
            "1. Tvister\nTvister mellan parterna ska lösas i den gemensamma ledningsgruppen.\n\n"
            "2. Hjälpmedel\nRegionen ansvarar för hjälpmedel till personer över 21 år.\n")
    def report(service):
        body = httpx.post(service.url + "/api/check", content=text.encode("utf-8"),
                          headers={"Content-Type": "text/plain"}, timeout=60).json()
        return [(t["topic"], t["status"], t["peers"]) for t in body["topics"]]
    assert report(remote) == report(embedded)
