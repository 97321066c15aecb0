"""What /sparql refuses and how it protects the server: no updates, no requests to other hosts
because of a query, a time limit that really stops the work, capped bodies, and a clear 4xx/503
for every malformed request — while other clients keep being answered."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import POST, SPARQLWrapper

from oxigraph_server import STORE_KINDS, LiveService, OxigraphServer, release_remote, shared_service
from vemgorvad.serve.app import create_app
from vemgorvad.settings import Settings
from vemgorvad.store import EmbeddedStore

TIMEOUT = 1.5
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/vemgorvad/ontology#Agreement> }"


@pytest.fixture(scope="module", params=STORE_KINDS)
def service(request, build_dir):
    yield shared_service(request.param, build_dir, oxigraph_timeout=2, query_timeout=TIMEOUT)
    if request.param != "embedded":
        release_remote(request.param, Path(build_dir) / "dataset.nq", 2)


def count_triples(service) -> int:
    r = httpx.get(service.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}, timeout=30)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


class Background:
    """Another client asking simple queries all along; records status codes and latencies."""

    def __init__(self, service):
        self.service = service
        self.results: list[tuple[int, float]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        with httpx.Client(timeout=10) as client:
            while not self.stop.is_set():
                started = time.monotonic()
                r = client.get(self.service.url + "/sparql", params={"query": SIMPLE, "n": str(len(self.results))})
                self.results.append((r.status_code, time.monotonic() - started))
                time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)


@pytest.mark.parametrize("request_kwargs", [
    {"method": "GET", "params": {"update": "CLEAR ALL"}},
    {"method": "POST", "data": {"update": "DROP ALL"}},
    {"method": "POST", "content": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
     "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "POST", "data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "GET", "params": {"query": "PREFIX x: <urn:x#> LOAD <http://127.0.0.1:9/data.ttl>"}},
    {"method": "GET", "params": {"query": "# harmless?\nCLEAR GRAPH <https://w3id.org/vemgorvad/graph/uppsala>"}},
])
def test_updates_are_refused_and_change_nothing(service, request_kwargs):
    before = count_triples(service)
    response = httpx.request(url=service.url + "/sparql", timeout=30, **request_kwargs)
    assert response.status_code == 403
    assert "skrivskyddad" in response.text
    assert count_triples(service) == before


def test_update_through_sparqlwrapper_is_refused(service):
    w = SPARQLWrapper(service.url + "/sparql")
    w.setTimeout(30)
    w.setMethod(POST)
    w.setQuery("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(Exception) as raised:
        w.query()
    assert "403" in str(raised.value)


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z . # comment }} \n SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_nothing_is_contacted(service, template, listener):
    response = httpx.get(service.url + "/sparql", params={"query": template.format(port=listener.port)}, timeout=30)
    time.sleep(0.3)
    assert response.status_code == 403
    assert "SERVICE" in response.text
    assert listener.connections == 0


def test_from_never_fetches_and_service_in_a_string_is_just_text(service, listener):
    url = f"http://127.0.0.1:{listener.port}/data.ttl"
    response = httpx.get(service.url + "/sparql", params={"query": f"SELECT * FROM <{url}> FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}"}, timeout=30)
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    text = httpx.get(service.url + "/sparql", params={
        "query": 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1/> { }" AS ?x) }'}, timeout=30)
    assert text.status_code == 200
    time.sleep(0.3)
    assert listener.connections == 0


def test_allow_listed_service_is_used(build_dir):
    """Its own Oxigraph server and its own service, stopped at the end: no other test's queries or
    release of a shared server can stand in its way. Explicit timeouts: the federation worker starts
    on first use, which takes seconds on a loaded machine."""
    oxigraph = OxigraphServer(build_dir / "dataset.nq", 30).start()
    service = None
    try:
        service = LiveService(create_app(EmbeddedStore.from_build(build_dir),
                                         Settings(service_allowlist=(oxigraph.endpoint,)))).start()
        query = (f"SELECT ?key WHERE {{ SERVICE <{oxigraph.endpoint}> {{ ?a a <https://w3id.org/vemgorvad/ontology#Agreement> ; "
                 f"<http://purl.org/dc/terms/identifier> ?key }} }} ORDER BY ?key")
        with httpx.Client(timeout=httpx.Timeout(120, connect=10)) as client:
            response = client.get(service.url + "/sparql", params={"query": query})
            assert response.status_code == 200, response.text
            assert len(response.json()["results"]["bindings"]) == 5
            sd = client.get(service.url + "/sparql", headers={"Accept": "application/n-triples"}).text
            assert "BasicFederatedQuery" in sd
    finally:
        if service is not None:
            service.stop()
        oxigraph.stop()


def test_timeout_stops_the_query_and_others_are_served_meanwhile(service):
    with Background(service) as other:
        started = time.monotonic()
        response = httpx.get(service.url + "/sparql", params={"query": CARTESIAN, "timeout": "600"},
                             headers={"X-Query-Timeout": "600", "Timeout": "600"}, timeout=30)
        elapsed = time.monotonic() - started
        time.sleep(0.3)
    assert response.status_code == 503
    assert "avbröts" in response.text and response.headers["content-type"].startswith("text/plain")
    assert TIMEOUT - 0.1 <= elapsed < TIMEOUT + 1.0, elapsed    # the client cannot raise the limit
    answered = [status for status, _ in other.results]
    assert len(answered) >= 5 and set(answered) == {200}
    assert max(latency for _, latency in other.results) < 1.0
    engine = service.app.state.vg.served.sparql.engine
    if engine is not None:
        # Oxigraph's own --timeout-s does not stop a cartesian COUNT: the engine whose answer is overdue
        # (deadline + forward.OVERDUE_GRACE) is replaced, which stops the work, and serves again
        first = engine.pid
        replaced_by = time.monotonic() + 60
        while not (engine.restarts and engine.ready and engine.pid not in (first, None)) \
                and time.monotonic() < replaced_by:
            time.sleep(0.1)
        assert engine.restarts >= 1 and engine.ready and engine.pid not in (first, None)
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)
    elif service.app.state.vg.store.name == "embedded":
        pool = service.app.state.vg.served.sparql._pool
        killed = [pid for pid, _ in pool.killed]
        assert killed, "the worker running the query was not stopped"
        for pid in killed:                        # SIGKILL went at once; reaping follows in a thread
            gone_by = time.monotonic() + 10
            while time.monotonic() < gone_by:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            with pytest.raises(ProcessLookupError):   # the process is gone: its work has stopped
                os.kill(pid, 0)
        assert not (set(killed) & set(pool.pids()))
    # the endpoint answers normally afterwards
    assert httpx.get(service.url + "/sparql", params={"query": SIMPLE}, timeout=30).status_code == 200


def _bad_requests(url: str):
    big = b"query=" + b"A" * (10 * 1024 * 1024)
    return [
        ("syntax error", httpx.Request("GET", url, params={"query": "SELECT * WHERE { ?s ?p "}), 400, "Syntaxfel"),
        ("two queries", httpx.Request("GET", url + "?query=ASK%7B%7D&query=SELECT%20*%20%7B%7D"), 400, "mer än en fråga"),
        ("wrong media type", httpx.Request("POST", url, content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415, "text/plain"),
        ("no media type", httpx.Request("POST", url, content=b"query=ASK%20%7B%7D"), 415, "Content-Type"),
        ("utf-16 declared", httpx.Request("POST", url, content="ASK {}".encode("utf-16"),
                                          headers={"Content-Type": "application/sparql-query; charset=UTF-16"}), 415, "UTF-8"),
        ("utf-16 undeclared", httpx.Request("POST", url, content="ASK {}".encode("utf-16"),
                                            headers={"Content-Type": "application/sparql-query"}), 400, "UTF-8"),
        ("10 MB body", httpx.Request("POST", url, content=big,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"}), 413, "för stor"),
        ("empty query", httpx.Request("GET", url, params={"query": "  "}), 400, "tom"),
        ("bad graph IRI", httpx.Request("GET", url, params={"query": "ASK {}", "default-graph-uri": "not an iri"}), 400, "IRI"),
        ("bad percent-encoding", httpx.Request("GET", url + "?query=%FF%FE"), 400, "UTF-8"),
        ("PUT", httpx.Request("PUT", url, content=b"ASK {}"), 405, "stöds inte"),
        ("SERVICE to loopback", httpx.Request("GET", url, params={
            "query": "SELECT * { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }"}), 403, "SERVICE"),
        ("update", httpx.Request("POST", url, data={"update": "CLEAR ALL"}), 403, "skrivskyddad"),
        ("cartesian product", httpx.Request("GET", url, params={"query": CARTESIAN + " LIMIT 1"}), 503, "avbröts"),
    ]


def test_bad_input_gets_a_clear_error_in_time_while_others_are_served(service):
    url = service.url + "/sparql"
    with Background(service) as other, httpx.Client(timeout=30) as client:
        for name, request, status, words in _bad_requests(url):
            started = time.monotonic()
            response = client.send(request)
            elapsed = time.monotonic() - started
            assert response.status_code == status, (name, response.status_code, response.text[:300])
            assert words in response.text, (name, response.text[:300])
            assert "Traceback" not in response.text
            assert elapsed < TIMEOUT + 1.0, (name, elapsed)
    assert other.results and {status for status, _ in other.results} == {200}


def test_the_bad_requests_are_also_bad_concurrently(service):
    """All the malformed requests at once, from parallel clients, plus well-behaved clients."""
    url = service.url + "/sparql"
    outcomes = {}

    def send(name, request, status):
        with httpx.Client(timeout=30) as client:
            outcomes[name] = (client.send(request).status_code, status)

    with Background(service) as other:
        threads = [threading.Thread(target=send, args=(n, r, s)) for n, r, s, _ in _bad_requests(url)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert all(got == want for got, want in outcomes.values()), \
        {name: got for name, (got, want) in outcomes.items() if got != want}
    assert {status for status, _ in other.results} == {200}


def test_a_forged_host_header_cannot_smuggle_a_query(service, listener):
    host = f"a> SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }} #"
    response = httpx.get(service.url + "/sparql", params={"query": "# nothing but a comment"},
                         headers={"Host": host}, timeout=30)
    time.sleep(0.3)
    assert response.status_code == 400
    assert listener.connections == 0
