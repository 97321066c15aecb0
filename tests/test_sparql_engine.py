"""The Oxigraph server process that evaluates /sparql on national-scale graphs (serve/sparql/engine.py):
it can accept the service's connections but open none (a SERVICE sent to it directly reaches nothing),
it dies with the service, and one that died is replaced while the query workers evaluate /sparql.
The protocol, safety and W3C suites run on it too (the "engine" store kind, tests/oxigraph_server.py)."""
from __future__ import annotations

import asyncio
import os
import signal
import time
import urllib.error
import urllib.parse
import urllib.request

import httpx
import rdflib
import rdflib.compare
import pytest

from oxigraph_server import shared_service
from vemgorvad.serve.procpool import STARTED
from vemgorvad.serve.sparql import screen
from vemgorvad.serve.sparql.engine import Engine, EngineFailed
from vemgorvad.serve.sparql.pool import QueryPool
from vemgorvad.serve.sparql.results import Job
from vemgorvad.serve.sparql.runtime import SparqlRuntime
from vemgorvad.settings import Settings
from vemgorvad.store import EmbeddedStore

SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/vemgorvad/ontology#Agreement> }"


def test_the_engine_opens_no_connection_even_for_a_service_sent_to_it(build_dir, listener):
    engine = Engine(str(build_dir / "dataset.nq"), timeout=5).start()
    try:
        with open(f"/proc/{engine.pid}/status", encoding="ascii") as status:
            assert "Seccomp:\t2" in status.read()           # a filter is loaded (sandbox.listen_only)
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
        url = f"http://127.0.0.1:{engine.port}/query?" + urllib.parse.urlencode({"query": query})
        # the engine's connect() is refused (EACCES), which Oxigraph writes after its 200 header
        body = urllib.request.urlopen(url, timeout=10).read()
        assert b"Permission denied" in body
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        engine.close()
    assert engine.process is None


def test_an_engine_that_cannot_load_its_dump_fails_to_start(tmp_path):
    broken = tmp_path / "dataset.nq"
    broken.write_text("<http://e/a> <http://e/b> .\nnot n-quads at all\n", encoding="utf-8")
    with pytest.raises(EngineFailed):
        Engine(str(broken), timeout=5).start()


def test_a_killed_engine_is_replaced_and_the_workers_answer_meanwhile(build_dir):
    service = shared_service("engine", build_dir)
    engine = service.app.state.vg.served.sparql.engine
    assert engine is not None and engine.ready
    first, restarts = engine.pid, engine.restarts
    evaluators = STARTED["query:evaluate"]
    os.kill(first, signal.SIGKILL)
    back_by = time.monotonic() + 60
    while time.monotonic() < back_by:
        answer = httpx.get(service.url + "/sparql", params={"query": SIMPLE}, timeout=30)
        assert answer.status_code == 200, answer.text        # never a 503 while the engine is replaced
        assert answer.json()["results"]["bindings"][0]["n"]["value"] == "5"
        assert httpx.get(service.url + "/health", timeout=10).status_code == 200
        if engine.restarts > restarts and engine.ready:
            break
    assert engine.restarts == restarts + 1 and engine.pid != first
    assert STARTED["query:evaluate"] > evaluators           # the workers were started to answer meanwhile
    answer = httpx.get(service.url + "/sparql", params={"query": SIMPLE}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == "5"


def test_evaluating_workers_on_demand_start_when_asked_and_stop_later(build_dir, embedded_store):
    """Beside an engine the evaluating workers cost nothing until the engine is replaced: started by
    evaluate_now() (a query waits for the first one up), stopped evaluate_later() — one of them,
    whatever the pool's size (they run beside a new engine loading the dump)."""
    pool = QueryPool(embedded_store.store, size=2, shared_quads=1, source=str(build_dir / "dataset.nq"),
                     evaluate_on_demand=True)
    job = Job(SIMPLE, formats=(("solutions", "application/sparql-results+json", "JSON"),))
    try:
        deciding = set(pool.deciding.pids())
        assert set(pool.pids()) == deciding                 # no evaluating worker yet
        pool.evaluate_now()
        outcome = asyncio.run(pool.run(job, time.monotonic() + 60, 60))
        assert outcome.status == 200, outcome.body
        assert b'"5"' in outcome.body
        evaluating = set(pool.pids()) - deciding
        assert len(evaluating) == 1
        pool.evaluate_later(0.2)
        pool.evaluate_now()                                 # asked again in time: they stay
        time.sleep(0.5)
        assert set(pool.pids()) - deciding == evaluating
        pool.evaluate_later(0.2)
        gone_by = time.monotonic() + 10
        while set(pool.pids()) != deciding and time.monotonic() < gone_by:
            time.sleep(0.05)
        assert set(pool.pids()) == deciding
        for pid in evaluating:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            else:
                raise AssertionError(f"evaluating worker {pid} still runs")
        pool.evaluate_now()                                 # and start again when asked
        outcome = asyncio.run(pool.run(job, time.monotonic() + 60, 60))
        assert outcome.status == 200, outcome.body
    finally:
        pool.close()


def test_the_engine_survives_the_deepest_nesting_a_cleared_text_can_hold(build_dir):
    """The constructs of test_sparql_screen's stack test, as long as the screen allows, sent to the
    engine itself: its request threads get the stack the screen's bound is measured for (Rust's
    default 2 MiB let 600 unclosed `{` abort the whole engine)."""
    n = screen.max_chars()
    engine = Engine(str(build_dir / "dataset.nq"), timeout=5).start()
    try:
        first = engine.pid
        texts = [head + unit * (n - len(head)) for head, unit in (
            ("ASK{", "{"), ("ASK{FILTER(", "("), ("ASK{?s ?p ", "["), ("ASK{FILTER(", "!"),
            ("ASK{?s ?p ", "("), ("ASK{?s ", "("))]
        texts.append("ASK{" + "{" * ((n - 5) // 2) + "}" * ((n - 5) // 2) + "}")
        for text in texts:
            assert len(text) <= n and screen.clear(text)
            body = urllib.parse.urlencode({"query": text}).encode()
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{engine.port}/query", data=body, timeout=30).read()
            except urllib.error.HTTPError as err:
                assert err.code == 400, err.code          # a syntax error, answered
            assert engine.process is not None and engine.process.poll() is None, text[:20]
        assert engine.pid == first and engine.restarts == 0
    finally:
        engine.close()


def test_the_engine_is_used_from_its_threshold_on(build_dir):
    """From `query_engine_quads` quads on (1 M by default: a national graph), never at 0, and not
    while SERVICE endpoints are allow-listed (those queries need the federation worker)."""
    store = EmbeddedStore.from_build(build_dir)
    quads = store.stats()["triples"]
    assert quads < Settings().query_engine_quads and not SparqlRuntime(store, Settings()).uses_engine()
    assert SparqlRuntime(store, Settings(query_engine_quads=quads)).uses_engine()
    assert not SparqlRuntime(store, Settings(query_engine_quads=quads + 1)).uses_engine()
    assert not SparqlRuntime(store, Settings(query_engine_quads=0)).uses_engine()
    assert not SparqlRuntime(store, Settings(query_engine_quads=1, service_allowlist=("http://e/",))).uses_engine()


SELECT_ROWS = ("SELECT ?a ?title WHERE { ?a a <https://w3id.org/vemgorvad/ontology#Agreement> ; "
               "<http://purl.org/dc/terms/title> ?title } ORDER BY ?a")
CONSTRUCT_ROWS = ("CONSTRUCT { ?a <http://purl.org/dc/terms/title> ?title } WHERE { ?a a "
                  "<https://w3id.org/vemgorvad/ontology#Agreement> ; <http://purl.org/dc/terms/title> ?title }")
ASK_ONE = "ASK { ?a a <https://w3id.org/vemgorvad/ontology#Agreement> }"


@pytest.mark.parametrize(("query", "accept"), [
    *((SELECT_ROWS, media) for media in ("application/sparql-results+json", "application/sparql-results+xml",
                                        "text/csv", "text/tab-separated-values")),
    *((ASK_ONE, media) for media in ("application/sparql-results+json", "text/csv", "text/tab-separated-values")),
    *((CONSTRUCT_ROWS, media) for media in ("application/n-triples", "text/turtle", "application/ld+json",
                                           "application/rdf+xml")),
])
def test_the_engine_answers_every_format_as_the_workers_do(build_dir, query, accept):
    """The engine's answer is passed on as it came when the client asked for the format it was asked
    in (TSV, N-Triples), else read once and written as the workers write it: the same bytes as the
    workers' answer (graphs: the same triples), the same row count, in every format."""
    answers = []
    for kind in ("embedded", "engine"):
        service = shared_service(kind, build_dir)
        response = httpx.get(service.url + "/sparql", params={"query": query}, headers={"Accept": accept},
                             timeout=60)
        assert response.status_code == 200, response.text
        answers.append(response)
    workers, engine = answers
    assert engine.headers["content-type"] == workers.headers["content-type"]
    if query is CONSTRUCT_ROWS:
        rdf_format = {"application/n-triples": "nt", "text/turtle": "turtle", "application/ld+json": "json-ld",
                         "application/rdf+xml": "xml"}[accept]
        graphs = [rdflib.Graph().parse(data=r.content, format=rdf_format) for r in answers]
        assert len(graphs[0]) > 0 and rdflib.compare.isomorphic(*graphs)
    else:
        assert engine.content == workers.content
