"""The W3C SPARQL 1.1 Protocol test suite (tests/w3c-protocol/protocol/manifest.ttl, a copy of
the W3C files) run against /sparql, on the embedded store, an Oxigraph server and Virtuoso, each loaded
with the suite's data. Every query test, positive and negative, must pass. The update tests are
intended deviations (this endpoint is read-only, see README): their update request must be
refused with 403 and change nothing. The service-description suite's three checks run as well."""
from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from oxigraph_server import STORE_KINDS, LiveService, OxigraphServer, shared, shared_virtuoso

SUITE = Path(__file__).parent / "w3c-protocol"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
HTS = "http://www.w3.org/2011/http-statusCodes#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def manifest() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    path = SUITE / "protocol" / "manifest.ttl"
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.as_uri())
    return store


def _list(store, head):
    items = []
    nil = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")
    first = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
    rest = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
    while head != nil:
        items.append(next(store.quads_for_pattern(head, first, None)).object)
        head = next(store.quads_for_pattern(head, rest, None)).object
    return items


def _one(store, subject, predicate):
    found = [q.object for q in store.quads_for_pattern(subject, pyoxigraph.NamedNode(predicate), None)]
    return found[0] if found else None


def _all(store, subject, predicate):
    return [q.object for q in store.quads_for_pattern(subject, pyoxigraph.NamedNode(predicate), None)]


def load_tests():
    store = manifest()
    root = next(store.quads_for_pattern(None, pyoxigraph.NamedNode(MF + "entries"), None))
    tests = []
    for entry in _list(store, root.object):
        name = entry.value.rsplit("#", 1)[1]
        action = _one(store, entry, MF + "action")
        requests = []
        for req in _list(store, _one(store, action, HT + "requests")):
            body = _one(store, req, HT + "body")
            headers = {}
            header_list = _one(store, req, HT + "headers")
            if header_list is not None:
                for h in _list(store, header_list):
                    headers[_one(store, h, HT + "fieldName").value] = _one(store, h, HT + "fieldValue").value
            resp = _one(store, req, HT + "resp")
            requests.append({
                "method": _one(store, req, HT + "methodName").value,
                "path": _one(store, req, HT + "absolutePath").value,
                "body": None if body is None else (_one(store, body, CNT + "chars").value,
                                                   _one(store, body, CNT + "characterEncoding").value),
                "headers": headers,
                "status": {s.value.rsplit("#", 1)[1] for s in _all(store, resp, MF + "expectedStatus")},
                "boolean": _one(store, resp, MF + "expectedBoolean"),
                "format": _one(store, resp, MF + "expectedFormat"),
            })
        tests.append((name, requests))
    return tests


def suite_data() -> bytes:
    """The suite's graphs (ut:graphData: file and graph name) as N-Quads."""
    store = manifest()
    quads = pyoxigraph.Store()
    for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(UT + "graphData"), None):
        graph = _one(store, q.object, UT + "graph")
        label = _one(store, q.object, RDFS + "label")
        path = Path(graph.value.removeprefix("file://"))
        quads.load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(label.value))
    return quads.dump(format=pyoxigraph.RdfFormat.N_QUADS)


TESTS = load_tests()


@pytest.fixture(scope="module", params=STORE_KINDS)
def service(request, tmp_path_factory):
    from vemgorvad.serve.app import create_app
    from vemgorvad.store import EmbeddedStore, RemoteStore
    data = suite_data()
    if request.param == "embedded":
        store = pyoxigraph.Store()
        store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
        backend = EmbeddedStore(store)
    else:
        dump = tmp_path_factory.mktemp("w3c") / "data.nq"
        dump.write_bytes(data)
        if request.param == "virtuoso":
            backend = RemoteStore(shared_virtuoso(dump).endpoint)
        else:
            oxigraph = shared(f"w3c-oxigraph:{dump}", lambda: OxigraphServer(dump).start())
            backend = RemoteStore(oxigraph.endpoint)
    live = LiveService(create_app(backend)).start()
    yield live
    live.stop()


def send(service, request) -> httpx.Response:
    path = request["path"].replace("/sparql/", "/sparql", 1)     # the manifest's prefix → our endpoint
    content = None
    if request["body"] is not None:
        chars, encoding = request["body"]
        content = chars.encode(encoding)
    return httpx.request(request["method"], service.url + path, content=content, headers=request["headers"],
                         timeout=30)


def check_format(response, expected: str):
    media = response.headers.get("content-type", "").split(";")[0]
    allowed = {
        "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
        "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                    "text/tab-separated-values"},
        "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
    }[expected]
    assert media in allowed, media


def boolean(response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media.endswith("json"):
        return json.loads(response.content)["boolean"]
    doc = xml.dom.minidom.parseString(response.content)
    return doc.getElementsByTagName("boolean")[0].firstChild.data == "true"


QUERY_TESTS = [(n, r) for n, r in TESTS if not n.startswith("update_")]
UPDATE_TESTS = [(n, r) for n, r in TESTS if n.startswith("update_")]


def test_the_suite_is_complete():
    assert len(TESTS) == 34 and len(UPDATE_TESTS) == 7


@pytest.mark.parametrize("name,requests", QUERY_TESTS, ids=[n for n, _ in QUERY_TESTS])
def test_query_protocol(service, name, requests):
    for request in requests:
        response = send(service, request)
        if "StatusCode4xx" in request["status"]:
            assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
            assert response.text.strip(), "a 4xx needs a message"
        else:
            assert 200 <= response.status_code < 400, (name, response.status_code, response.text)
        if request["format"] is not None:
            check_format(response, request["format"].value)
        if request["boolean"] is not None:
            assert boolean(response) == (request["boolean"].value == "true"), name


@pytest.mark.parametrize("name,requests", UPDATE_TESTS, ids=[n for n, _ in UPDATE_TESTS])
def test_update_protocol_is_an_intended_deviation(service, name, requests):
    before = httpx.get(service.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}, timeout=30).json()
    response = send(service, requests[0])
    assert response.status_code == 403 and "skrivskyddad" in response.text
    after = httpx.get(service.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}, timeout=30).json()
    assert before == after


def test_service_description_suite(service):
    """returns-rdf, has-endpoint-triple, conforms-to-schema."""
    response = httpx.get(service.url + "/sparql", headers={"Accept": "text/turtle, application/rdf+xml;q=0.9"}, timeout=30)
    assert response.status_code == 200
    media = response.headers["content-type"].split(";")[0]
    sd = pyoxigraph.Store()
    sd.load(response.content, format=pyoxigraph.RdfFormat.from_media_type(media))
    prefix = "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
    assert sd.query(prefix + f"ASK {{ ?s a sd:Service ; sd:endpoint <{service.url}/sparql> }}")
    assert sd.query(prefix + "ASK { ?s a sd:Service ; sd:supportedLanguage ?l . FILTER(?l IN (sd:SPARQL10Query, "
                             "sd:SPARQL11Query, sd:SPARQL11Update)) ?s sd:defaultDataset ?d . "
                             "?d sd:defaultGraph ?g . ?g a sd:Graph }")
    assert not sd.query(prefix + "ASK { ?s sd:supportedLanguage sd:SPARQL11Update }")
