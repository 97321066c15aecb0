"""GET /metrics: Prometheus text that prometheus_client's own parser reads, counters that move with
requests, timeouts counted by where they happened, the graph's size and the build from its manifest,
and one registry per app."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from vemgorvad.serve.app import create_app
from vemgorvad.serve.check.service import CheckService
from vemgorvad.settings import Settings
from vemgorvad.store import QueryTimeout

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def scrape(client) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics as {(name, sorted labels): value}, parsed by prometheus_client."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def client(embedded_store):
    app = create_app(embedded_store, Settings(query_timeout=1.0, query_workers=2))
    with TestClient(app) as c:
        yield c


def test_graph_size_and_build_come_from_the_store_and_manifest(client, embedded_store):
    samples = scrape(client)
    stats = embedded_store.stats()
    manifest = embedded_store.manifest        # the build's manifest.json as the store read it
    assert manifest["build_id"] and manifest["built_at"]
    assert value(samples, "vemgorvad_graph_triples") == stats["triples"] > 0
    assert value(samples, "vemgorvad_graph_agreements") == stats["agreements"] >= 5
    assert value(samples, "vemgorvad_build_info", build_id=manifest["build_id"], built_at=manifest["built_at"]) == 1
    assert value(samples, "vemgorvad_build_duration_seconds") == pytest.approx(manifest["seconds"])
    # the build id starts with the local time of the build; the timestamp must be within a day of it
    from datetime import datetime
    stamp = datetime.strptime(manifest["build_id"][:15], "%Y%m%dT%H%M%S").timestamp()
    assert abs(value(samples, "vemgorvad_build_timestamp_seconds") - stamp) < 86400
    assert value(samples, "vemgorvad_store_info", kind="embedded") == 1


def test_request_counters_and_latency_move_by_route_template(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/health").status_code == 200
    assert client.get("/api/queries/cost_rules").status_code == 200
    assert client.get("/finns-inte-alls").status_code == 404
    assert client.post("/health").status_code == 405
    after = scrape(client)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("vemgorvad_http_requests_total", route="/health", method="GET", status="200") == 3
    assert moved("vemgorvad_http_requests_total", route="/health", method="POST", status="405") == 1
    assert moved("vemgorvad_http_requests_total", route="/api/queries/{name}", method="GET", status="200") == 1
    assert moved("vemgorvad_http_requests_total", route="unmatched", method="GET", status="404") == 1
    assert moved("vemgorvad_http_request_duration_seconds_count", route="/health") == 4
    assert moved("vemgorvad_http_request_duration_seconds_bucket", route="/health", le="+Inf") == 4
    assert moved("vemgorvad_http_request_duration_seconds_sum", route="/health") > 0
    # the raw path of an unmatched request never becomes a label
    assert not any("finns-inte-alls" in str(key) for key in after)
    # the scrape before this one was counted too (requests are counted when their response is sent)
    assert moved("vemgorvad_http_requests_total", route="/metrics", method="GET", status="200") >= 1


def test_sparql_timeout_is_counted(client):
    before = scrape(client)
    response = client.post("/sparql", data={"query": CARTESIAN})
    assert response.status_code == 503
    after = scrape(client)
    assert value(after, "vemgorvad_query_timeouts_total", source="sparql") - \
        value(before, "vemgorvad_query_timeouts_total", source="sparql") == 1
    assert value(after, "vemgorvad_http_requests_total", route="/sparql", method="POST", status="503") - \
        value(before, "vemgorvad_http_requests_total", route="/sparql", method="POST", status="503") == 1
    # an ordinary query afterwards is not a timeout
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert value(scrape(client), "vemgorvad_query_timeouts_total", source="sparql") == \
        value(after, "vemgorvad_query_timeouts_total", source="sparql")


def test_gap_check_timeout_is_counted(embedded_store):
    app = create_app(embedded_store)
    service = CheckService(embedded_store, timeout=0.05)     # a fresh worker process cannot answer in 50 ms
    app.state.vg.served.check = service
    try:
        with TestClient(app) as c:
            response = c.post("/api/check", content="Överenskommelse om samverkan.\n".encode(),
                              headers={"Content-Type": "text/plain"})
            assert response.status_code == 422
            assert "för lång tid" in response.json()["detail"]
            samples = scrape(c)
    finally:
        service.close()
    assert value(samples, "vemgorvad_query_timeouts_total", source="check") == 1
    assert value(samples, "vemgorvad_query_timeouts_total", source="sparql") == 0


class SlowStore:
    """The embedded store, except that its SELECTs time out (as a remote store's can)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def select(self, query, timeout=None):
        raise QueryTimeout("the SPARQL endpoint did not answer in time")

    def values(self, query):
        self.select(query)


def test_store_timeout_is_counted(embedded_store):
    app = create_app(SlowStore(embedded_store))
    with TestClient(app) as c:
        response = c.get("/api/queries/cost_rules")
        assert response.status_code == 503
        samples = scrape(c)
    assert value(samples, "vemgorvad_query_timeouts_total", source="store") == 1


def test_each_app_has_its_own_registry(embedded_store):
    first, second = create_app(embedded_store), create_app(embedded_store)
    assert first.state.metrics.registry is not second.state.metrics.registry
    with TestClient(first) as a, TestClient(second) as b:
        for _ in range(2):
            a.get("/health")
        samples_a, samples_b = scrape(a), scrape(b)
    assert value(samples_a, "vemgorvad_http_requests_total", route="/health", method="GET", status="200") == 2
    assert value(samples_b, "vemgorvad_http_requests_total", route="/health", method="GET", status="200") == 0


def test_ask_threads_and_those_busy_past_their_request_are_exported(client):
    """A question's work that runs on after its request ended (a store query cannot be interrupted)
    is visible: how many such threads there are now and how many questions ever did."""
    from vemgorvad.serve.ask.routes import ASK_THREADS
    assert client.get("/api/ask", params={"q": "Vem ansvarar för hjälpmedel?"}).status_code == 200
    samples = scrape(client)
    assert value(samples, "vemgorvad_ask_threads") == ASK_THREADS.started >= 1
    assert value(samples, "vemgorvad_ask_threads_overdue") == ASK_THREADS.overdue_now
    assert ("vemgorvad_ask_overdue_questions_total", ()) in samples
