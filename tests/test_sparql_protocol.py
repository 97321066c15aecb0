"""/sparql as a SPARQL 1.1 Protocol query endpoint, driven by SPARQLWrapper (a real client) for
every format and operation, and by httpx for the protocol details, against the embedded store
and against a real Oxigraph server holding the same dump."""
from __future__ import annotations

import csv
import io

import httpx
import pyoxigraph
import pytest
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from oxigraph_server import STORE_KINDS, shared_service

VG = "https://w3id.org/vemgorvad/ontology#"
PREFIX = f"PREFIX vg: <{VG}> PREFIX dcterms: <http://purl.org/dc/terms/> "
AGREEMENTS = PREFIX + "SELECT ?key WHERE { ?a a vg:Agreement ; dcterms:identifier ?key } ORDER BY ?key"
KEYS = ["sormland", "stockholm-vasterort", "uppsala", "vastmanland", "vastra-gotaland"]


@pytest.fixture(scope="module", params=STORE_KINDS)
def service(request, build_dir):
    return shared_service(request.param, build_dir)


def wrapper(service, query, fmt=JSON, method=POST, direct=False):
    w = SPARQLWrapper(service.url + "/sparql")
    w.setTimeout(60)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    if method == POST:
        w.setRequestMethod(POSTDIRECTLY if direct else URLENCODED)
    return w


@pytest.mark.parametrize("method,direct", [(GET, False), (POST, False), (POST, True)])
def test_select_json_by_get_post_form_and_post_direct(service, method, direct):
    result = wrapper(service, AGREEMENTS, JSON, method, direct).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    rows = result.convert()["results"]["bindings"]
    assert [r["key"]["value"] for r in rows] == KEYS


def test_select_xml(service):
    doc = wrapper(service, AGREEMENTS, XML).query().convert()
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert values == KEYS


def test_select_csv_and_tsv(service):
    text = wrapper(service, AGREEMENTS, CSV).query().convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["key"] and [r[0] for r in rows[1:]] == KEYS
    tsv = wrapper(service, AGREEMENTS, TSV).query().convert().decode("utf-8").splitlines()
    assert tsv[0] == "?key" and tsv[1:] == [f'"{k}"' for k in KEYS]


def test_ask_json_and_xml(service):
    ask = PREFIX + 'ASK { ?a dcterms:identifier "uppsala" }'
    assert wrapper(service, ask, JSON).query().convert()["boolean"] is True
    doc = wrapper(service, PREFIX + 'ASK { ?a dcterms:identifier "nowhere" }', XML).query().convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "false"


CONSTRUCT = PREFIX + "CONSTRUCT { ?a dcterms:identifier ?key } WHERE { ?a a vg:Agreement ; dcterms:identifier ?key }"


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_construct_in_rdf_formats(service, fmt):
    result = wrapper(service, CONSTRUCT, fmt).query()
    converted = result.convert()
    if isinstance(converted, bytes):   # SPARQLWrapper hands Turtle back as bytes
        import rdflib
        converted = rdflib.Graph().parse(data=converted, format="turtle")
    keys = sorted(str(o) for o in converted.objects())
    assert keys == KEYS


def test_construct_n_triples_and_n_quads(service):
    for media in ("application/n-triples", "application/n-quads"):
        w = wrapper(service, CONSTRUCT, TURTLE)
        w.addCustomHttpHeader("Accept", media)
        response = w.query().response
        assert response.headers["Content-Type"].startswith(media)
        fmt = pyoxigraph.RdfFormat.from_media_type(media)
        assert len(list(pyoxigraph.parse(response.read(), format=fmt))) == 5


def test_describe_defaults_to_turtle(service):
    response = httpx.post(service.url + "/sparql", content="DESCRIBE <https://w3id.org/vemgorvad/id/agreement/uppsala>",
                          headers={"Content-Type": "application/sparql-query", "Accept": "*/*"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.TURTLE))
    assert any(t.object == pyoxigraph.Literal("uppsala") for t in triples)


def test_form_post_with_charset_parameter(service):
    response = httpx.post(service.url + "/sparql", content="query=" + httpx.QueryParams({"q": AGREEMENTS})["q"].replace(" ", "+"),
                          headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}, timeout=30)
    assert response.status_code == 200
    response = httpx.post(service.url + "/sparql", data={"query": AGREEMENTS},
                          headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}, timeout=30)
    assert [b["key"]["value"] for b in response.json()["results"]["bindings"]] == KEYS


def test_default_graph_is_the_union_of_agreement_graphs(service):
    count = PREFIX + "SELECT (COUNT(?a) AS ?n) WHERE { ?a a vg:Agreement }"
    assert wrapper(service, count).query().convert()["results"]["bindings"][0]["n"]["value"] == "5"


def test_default_and_named_graph_parameters(service):
    w = wrapper(service, PREFIX + "SELECT ?key WHERE { ?a a vg:Agreement ; dcterms:identifier ?key }")
    w.addDefaultGraph("https://w3id.org/vemgorvad/graph/uppsala")
    assert [b["key"]["value"] for b in w.query().convert()["results"]["bindings"]] == ["uppsala"]
    w = wrapper(service, PREFIX + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a a vg:Agreement } } ORDER BY ?g")
    w.addNamedGraph("https://w3id.org/vemgorvad/graph/sormland")
    w.addNamedGraph("https://w3id.org/vemgorvad/graph/vastmanland")
    assert [b["g"]["value"].rsplit("/", 1)[1] for b in w.query().convert()["results"]["bindings"]] == [
        "sormland", "vastmanland"]


def test_unknown_graph_is_empty_not_an_error(service):
    w = wrapper(service, "SELECT * WHERE { ?s ?p ?o }")
    w.addDefaultGraph("https://example.org/no-such-graph")
    assert w.query().convert()["results"]["bindings"] == []


def test_from_clause_restricts_the_default_graph(service):
    query = PREFIX + "SELECT ?key FROM <https://w3id.org/vemgorvad/graph/vastmanland> WHERE { ?a a vg:Agreement ; dcterms:identifier ?key }"
    assert [b["key"]["value"] for b in wrapper(service, query).query().convert()["results"]["bindings"]] == ["vastmanland"]


@pytest.mark.parametrize("accept,expected", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ("text/*;q=0.8, application/sparql-results+json;q=0.2", "text/csv"),
    ("application/json", "application/json"),
    ("text/html;q=0.1, */*;q=0.9", "application/sparql-results+json"),
])
def test_select_negotiation_follows_q_values(service, accept, expected):
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(service.url + "/sparql", params={"query": AGREEMENTS}, headers=headers, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("accept,expected", [
    ("*/*", "text/turtle"),
    ("application/ld+json, text/turtle;q=0.5", "application/ld+json"),
    ("application/rdf+xml;q=0.9, application/n-triples", "application/n-triples"),
    ("application/trig", "application/trig"),
])
def test_construct_negotiation_follows_q_values(service, accept, expected):
    response = httpx.get(service.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


def test_nothing_acceptable_is_406_with_the_choices(service):
    response = httpx.get(service.url + "/sparql", params={"query": AGREEMENTS}, headers={"Accept": "image/png"}, timeout=30)
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    response = httpx.get(service.url + "/sparql", params={"query": CONSTRUCT},
                         headers={"Accept": "application/sparql-results+json, text/turtle;q=0"}, timeout=30)
    assert response.status_code == 406


def test_limits_are_announced_and_a_large_result_is_an_error_not_a_truncation(service):
    everything = "SELECT * WHERE { ?s ?p ?o }"
    response = httpx.get(service.url + "/sparql", params={"query": everything}, timeout=60)
    assert response.status_code == 422
    assert response.headers["x-result-limit"] == "10000"
    assert "LIMIT 10000" in response.text
    page = httpx.get(service.url + "/sparql", params={"query": everything + " LIMIT 10000"}, timeout=60)
    assert page.status_code == 200 and page.headers["x-result-limit"] == "10000"
    assert len(page.json()["results"]["bindings"]) == 10000


def test_cors_headers_and_preflight(service):
    response = httpx.options(service.url + "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"}, timeout=30)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    answer = httpx.get(service.url + "/sparql", params={"query": AGREEMENTS}, headers={"Origin": "https://example.org"}, timeout=30)
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "X-Result-Limit" in answer.headers["access-control-expose-headers"]


def _graph(response) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    fmt = pyoxigraph.RdfFormat.from_media_type(response.headers["content-type"].split(";")[0])
    store.load(response.content, format=fmt)
    return store


def test_service_description_on_get_without_query(service):
    response = httpx.get(service.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    sd = _graph(response)
    endpoint = service.url + "/sparql"
    ask = lambda q: bool(sd.query("PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
                                  "PREFIX void: <http://rdfs.org/ns/void#> " + q))
    assert ask(f"ASK {{ ?s a sd:Service ; sd:endpoint <{endpoint}> ; sd:supportedLanguage sd:SPARQL11Query ; "
               f"sd:feature sd:UnionDefaultGraph ; sd:defaultDataset ?d . ?d sd:namedGraph/sd:name "
               f"<https://w3id.org/vemgorvad/graph/uppsala> }}")
    assert ask("ASK { ?s sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_CSV> }")
    assert not ask("ASK { ?s sd:feature sd:BasicFederatedQuery }")


def test_void_counts_match_the_store(service, embedded_store):
    response = httpx.get(service.url + "/dataset", headers={"Accept": "application/n-triples"}, timeout=30)
    void = _graph(response)
    stats = embedded_store.stats()
    rows = list(void.query("PREFIX void: <http://rdfs.org/ns/void#> SELECT ?g ?n WHERE { "
                           "<https://w3id.org/vemgorvad/dataset> void:subset ?g . ?g void:triples ?n }"))
    assert {r["g"].value: int(r["n"].value) for r in rows} == stats["graphs"]
    total = list(void.query("PREFIX void: <http://rdfs.org/ns/void#> SELECT ?n WHERE { "
                            "<https://w3id.org/vemgorvad/dataset> void:triples ?n }"))
    assert int(total[0]["n"].value) == stats["triples"]
    vocabularies = {r["v"].value for r in void.query("PREFIX void: <http://rdfs.org/ns/void#> SELECT ?v WHERE { "
                                                     "<https://w3id.org/vemgorvad/dataset> void:vocabulary ?v }")}
    assert {VG, "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/oa#"} <= vocabularies
    assert httpx.get(service.url + "/.well-known/void", timeout=30).status_code in (200, 303)


def test_answers_are_cached_until_the_store_changes(service):
    query = AGREEMENTS + " LIMIT 3"
    first = httpx.get(service.url + "/sparql", params={"query": query}, timeout=30)
    second = httpx.get(service.url + "/sparql", params={"query": query}, timeout=30)
    assert first.headers["x-cache"] == "miss" and second.headers["x-cache"] == "hit"
    assert first.content == second.content


def test_browser_gets_yasgui_served_from_this_server(service):
    page = httpx.get(service.url + "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'src="yasgui/yasgui.min.js"' in page.text
    import re
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and not [a for a in assets if "//" in a]   # every script, style and link is on this server
    script = httpx.get(service.url + "/yasgui/yasgui.min.js", timeout=30)
    assert script.status_code == 200 and len(script.content) > 500_000
    assert httpx.get(service.url + "/yasgui/yasgui.min.css", timeout=30).status_code == 200
    assert "MIT" in httpx.get(service.url + "/yasgui/LICENSE", timeout=30).text
    assert httpx.get(service.url + "/yasgui/..%2Fapp.py", timeout=30).status_code == 404


def _chromium() -> str:
    import shutil
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "the browser tests need Debian's chromium (make browser)"
    return found


def test_yasgui_runs_a_query_in_a_browser_with_no_internet(build_dir):
    """A real browser opens /sparql, YASGUI loads from this server alone (every request to
    another host is blocked and recorded) and shows the results of a query."""
    from playwright.sync_api import sync_playwright
    service = shared_service("embedded", build_dir)
    outside: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith((service.url, "data:", "blob:")):
            return route.continue_()
        outside.append(url)
        return route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", route)
            from urllib.parse import quote
            page.goto(service.url + "/sparql?query=" + quote(AGREEMENTS, safe=""))
            page.wait_for_function("window.yasgui && window.yasgui.getTab()")
            assert "dcterms:identifier" in page.evaluate("window.yasgui.getTab().getQuery()")
            page.evaluate("window.yasgui.getTab().query()")
            page.wait_for_selector("text=vastra-gotaland", timeout=15000)
            cells = page.inner_text(".yasr")
            assert all(key in cells for key in KEYS)
        finally:
            browser.close()
    assert outside == []


def test_yasgui_shows_result_values_as_text_never_as_markup(build_dir):
    """An IRI holding ' (which ended YASR's href attribute) and literals holding tags are shown as
    the text they are: no element and no attribute comes out of a result value, and only http(s)
    IRIs become links."""
    from playwright.sync_api import sync_playwright
    service = shared_service("embedded", build_dir)
    iri = "http://example.org/x'onmouseover='document.body.id=1'data-pwn='1"
    query = (f"SELECT ?iri ?text ?typed ?other WHERE {{ BIND(IRI(\"{iri}\") AS ?iri) "
             "BIND(\"<img id='pwn2' src='x'>\"@sv AS ?text) "
             f"BIND(STRDT(\"<i id='pwn3'>i</i>\", IRI(\"{iri}\")) AS ?typed) "
             "BIND(IRI(\"javascript:alert(1)\") AS ?other) }")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            from urllib.parse import quote
            page.goto(service.url + "/sparql?query=" + quote(query, safe=""))
            page.wait_for_function("window.yasgui && window.yasgui.getTab()")
            page.evaluate("window.yasgui.getTab().query()")
            page.wait_for_selector(".yasr .nonIri", timeout=15000)
            for pwn in ("pwn2", "pwn3"):
                assert page.query_selector(f"#{pwn}") is None, pwn
            assert page.query_selector(".yasr [data-pwn]") is None
            assert page.query_selector(".yasr [onmouseover]") is None
            text = page.inner_text(".yasr")
            assert "<img id='pwn2' src='x'>" in text and "<i id='pwn3'>i</i>" in text
            hrefs = page.eval_on_selector_all(".yasr a", "els => els.map(e => e.getAttribute('href'))")
            assert iri in hrefs
            assert not any((h or "").startswith("javascript:") for h in hrefs)
        finally:
            browser.close()


def test_protocol_fidelity_for_client_libraries(client):
    """The cases client libraries stumbled on: a valid language tag that reads like a keyword, an
    unknown extension function (an error for that solution, not a failed query), Java's default
    Accept, ASK as CSV/TSV that a CSV reader reads, 405 with the full Allow list and CORS for any
    method, and a deeply nested query answered with a 400, not a crashed worker."""
    import rdflib.plugins.sparql.results.csvresults as csvresults
    service = client.get("/sparql", params={"query": 'SELECT ?x WHERE { BIND("a"@service AS ?x) }'})
    assert service.status_code == 200 and service.json()["results"]["bindings"][0]["x"]["xml:lang"] == "service"
    unknown = client.get("/sparql", params={"query": "SELECT ?s ?y WHERE { VALUES ?s { 1 2 } "
                                                     "BIND(<http://example.org/fn>(?s) AS ?y) }"})
    assert unknown.status_code == 200 and len(unknown.json()["results"]["bindings"]) == 2
    filtered = client.get("/sparql", params={"query": "SELECT ?s WHERE { VALUES ?s { 1 2 } "
                                                       "FILTER(<http://example.org/fn>(?s)) }"})
    assert filtered.status_code == 200 and filtered.json()["results"]["bindings"] == []
    java = client.get("/sparql", params={"query": "ASK {}"},
                      headers={"Accept": "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"})
    assert java.status_code == 200 and java.headers["content-type"].startswith("application/sparql-results+json")
    for media in ("text/csv", "text/tab-separated-values"):
        ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": media})
        assert ask.status_code == 200 and ask.headers["content-type"].startswith(media)
        lines = ask.text.split()
        assert lines[0].lstrip("?") == "_askResult" and lines[1] == "true"
        if media == "text/csv":
            parsed = csvresults.CSVResultParser().parse(__import__("io").StringIO(ask.text))
            assert [str(row[0]) for row in parsed] == ["true"]
    for method in ("PUT", "DELETE", "PATCH", "PROPFIND", "TRACE"):
        wrong = client.request(method, "/sparql")
        assert wrong.status_code == 405, method
        assert set(wrong.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST", "OPTIONS"}
        assert wrong.headers["access-control-allow-origin"] == "*"
    nested = "SELECT * WHERE " + "{ " * 2000 + "?s ?p ?o " + "} " * 2000
    deep = client.post("/sparql", content=nested.encode(), headers={"Content-Type": "application/sparql-query"})
    assert deep.status_code == 400
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
