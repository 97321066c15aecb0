"""Linked data: every IRI minted under https://w3id.org/vemgorvad/ dereferences through the
service (HTML for browsers, RDF by content negotiation), and the dumps hold the whole graph."""
from __future__ import annotations

import httpx
import pyoxigraph
import pytest

from oxigraph_server import STORE_KINDS, shared_service

BASE = "https://w3id.org/vemgorvad/"
COST_RULE = BASE + "id/agreement/uppsala/clause/32254-32558-kommun"


@pytest.fixture(scope="module", params=STORE_KINDS)
def service(request, build_dir):
    return shared_service(request.param, build_dir)


def minted_documents(store) -> set[str]:
    """Every IRI of the project's namespace in the graph, without its #fragment."""
    iris = set()
    for quad in store.store:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(BASE):
                iris.add(term.value.split("#", 1)[0])
    return iris


def parse(response) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    media = response.headers["content-type"].split(";")[0]
    store.load(response.content, format=pyoxigraph.RdfFormat.from_media_type(media))
    return store


@pytest.mark.slow   # one request for each of several thousand IRIs
def test_every_minted_iri_dereferences(service, embedded_store):
    documents = minted_documents(embedded_store)
    assert len(documents) > 1000
    failures = []
    with httpx.Client(base_url=service.url, timeout=30, headers={"Accept": "application/n-triples"}) as client:
        for iri in sorted(documents):
            response = client.get("/" + iri[len(BASE):])
            if response.status_code != 200:
                failures.append((iri, response.status_code))
                continue
            if "/graph/" in iri or iri.endswith("/dataset") or iri.startswith(BASE + "ontology/"):
                continue
            subjects = {q.subject.value.split("#", 1)[0] for q in parse(response)}
            if iri not in subjects:
                failures.append((iri, "not described"))
    assert failures == []


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"])
def test_resource_in_rdf_formats_with_its_quote(service, accept):
    response = httpx.get(service.url + "/id/agreement/uppsala/clause/32254-32558-kommun", headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = parse(response)
    ask = ("PREFIX vg: <https://w3id.org/vemgorvad/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#> "
           f"ASK {{ <{COST_RULE}> vg:costShare ?share ; vg:evidence ?e . ?e oa:hasSelector ?s . ?s oa:exact ?quote }}")
    assert graph.query(ask)


def test_html_page_for_a_responsibility_shows_quote_agreement_and_section(service, embedded_store):
    import html
    exact = embedded_store.values(f"SELECT ?q WHERE {{ <{COST_RULE}> <https://w3id.org/vemgorvad/ontology#evidence>/"
                                  f"<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?q }}")[0]["q"]
    response = httpx.get(service.url + "/id/agreement/uppsala/clause/32254-32558-kommun",
                         headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert f"<blockquote>{html.escape(exact)}</blockquote>" in page
    assert 'href="/id/agreement/uppsala"' in page            # the agreement, linked through this server
    assert 'href="/id/agreement/uppsala/section/48"' in page   # its section
    assert "Överenskommelse:" in page and "Avsnitt:" in page
    assert "Kommunen" in page                                 # labels, not bare IRIs
    assert 'href="/ontology#costShare"' in page


def test_a_responsibility_page_shows_its_class_strength_and_where_its_bearer_came_from(service, embedded_store):
    """Issue 12 item 6: a list item's page says it is an obligation (ska), who bears it and that
    the list introduction said so, and shows the introduction above the quote as context."""
    import html
    row = embedded_store.values("""PREFIX vg: <https://w3id.org/vemgorvad/ontology#>
        SELECT ?r ?intro WHERE { ?r a vg:Obligation ; vg:agreement/<http://purl.org/dc/terms/identifier> "uppsala" ;
            vg:bearerSource <https://w3id.org/vemgorvad/id/bearer-source/intro> ; vg:listIntroduction ?intro ;
            vg:bearer ?b } ORDER BY ?r LIMIT 1""")[0]
    page = httpx.get(service.url + "/" + row["r"][len(BASE):], headers={"Accept": "text/html"}, timeout=30).text
    assert "<strong>Skyldighet</strong> (ska)" in page
    assert "enligt punktlistans inledning" in page
    assert f'<p class="intro">{html.escape(row["intro"])} …</p>' in page
    agentless = embedded_store.values("""PREFIX vg: <https://w3id.org/vemgorvad/ontology#>
        SELECT ?r WHERE { ?r a vg:Responsibility ; vg:bearerSource <https://w3id.org/vemgorvad/id/bearer-source/none> }
        ORDER BY ?r LIMIT 1""")[0]["r"]
    page = httpx.get(service.url + "/" + agentless[len(BASE):], headers={"Accept": "text/html"}, timeout=30).text
    assert "Ansvarig: anges inte i texten" in page


def test_ontology_and_its_terms(service):
    page = httpx.get(service.url + "/ontology", headers={"Accept": "text/html"}, timeout=30).text
    assert 'id="Responsibility"' in page and 'id="costShare"' in page
    graph = parse(httpx.get(service.url + "/ontology", headers={"Accept": "text/turtle"}, timeout=30))
    assert graph.query("ASK { <https://w3id.org/vemgorvad/ontology#Responsibility> a <http://www.w3.org/2002/07/owl#Class> }")


def _graph_dumps_hold_the_graph(service, iri: str, count: int) -> None:
    """A graph's Turtle download and its page by content negotiation (N-Quads) hold its `count` triples."""
    key = iri.rsplit("/", 1)[1]
    ttl = httpx.get(service.url + f"/download/{key}.ttl", timeout=30)
    assert len(list(pyoxigraph.parse(ttl.content, format=pyoxigraph.RdfFormat.TURTLE))) == count
    negotiated = httpx.get(service.url + f"/graph/{key}", headers={"Accept": "application/n-quads"}, timeout=30)
    nq = list(pyoxigraph.parse(negotiated.content, format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(nq) == count and {q.graph_name.value for q in nq} == {iri}


def test_a_graphs_iri_and_dumps(service, embedded_store):
    """The smallest agreement graph in both forms, and its page: the inner loop's check of the dumps
    (test_graph_iris_and_dumps, in the full run, reads every graph and the whole dataset twice)."""
    graphs = embedded_store.stats()["graphs"]
    iri, count = min(((i, n) for i, n in graphs.items() if i.startswith(BASE + "graph/") and not i.endswith("/vocabulary")),
                     key=lambda item: item[1])
    _graph_dumps_hold_the_graph(service, iri, count)
    page = httpx.get(service.url + "/graph/uppsala", headers={"Accept": "text/html"}, timeout=30).text
    assert "/download/uppsala.ttl" in page and 'href="/id/agreement/uppsala"' in page


@pytest.mark.slow   # the whole dataset, in two forms, and every graph in two more: four parses of the graph
def test_graph_iris_and_dumps(service, embedded_store):
    stats = embedded_store.stats()
    dataset = httpx.get(service.url + "/download/dataset.nq", timeout=30)
    assert dataset.status_code == 200 and "attachment" in dataset.headers["content-disposition"]
    quads = list(pyoxigraph.parse(dataset.content, format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(quads) == stats["triples"]
    trig = httpx.get(service.url + "/download/dataset.trig", timeout=30)
    assert len(list(pyoxigraph.parse(trig.content, format=pyoxigraph.RdfFormat.TRIG))) == stats["triples"]
    for iri, count in stats["graphs"].items():
        _graph_dumps_hold_the_graph(service, iri, count)
    page = httpx.get(service.url + "/graph/uppsala", headers={"Accept": "text/html"}, timeout=30).text
    assert "/download/uppsala.ttl" in page and 'href="/id/agreement/uppsala"' in page


def test_dataset_page_lists_graphs_and_downloads(service):
    page = httpx.get(service.url + "/dataset", headers={"Accept": "text/html"}, timeout=30).text
    for key in ("uppsala", "sormland", "vocabulary"):
        assert f'href="/graph/{key}"' in page
    assert "/download/dataset.nq" in page


def test_not_found_and_bad_requests(service):
    missing = httpx.get(service.url + "/id/agreement/nowhere", headers={"Accept": "text/turtle"}, timeout=30)
    assert missing.status_code == 404 and "finns inte" in missing.json()["detail"]
    html = httpx.get(service.url + "/id/agreement/nowhere", headers={"Accept": "text/html"}, timeout=30)
    assert html.status_code == 404 and "finns inte" in html.text
    assert httpx.get(service.url + "/id/x", headers={"Accept": "image/png"}, timeout=30).status_code == 406
    assert httpx.get(service.url + "/download/nowhere.ttl", timeout=30).status_code == 404
    assert httpx.get(service.url + "/download/dataset.ttl", timeout=30).status_code == 404
    assert httpx.get(service.url + "/id/agreement/uppsala", params={"format": "docx"}, timeout=30).status_code == 400
    odd = httpx.get(service.url + "/id/agreement/uppsala%3E%20%7B%7D", headers={"Accept": "text/turtle"}, timeout=30)
    assert odd.status_code in (400, 404) and "detail" in odd.json()
