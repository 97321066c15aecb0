"""GET and POST /sparql go past FastAPI's router (serve/sparql/lane.py) and keep every guarantee
of the layers around them: the route in the access log and the metrics, the security, CORS and
request-id headers, the Host check, the app's exception handlers (a store failure is still the
designed JSON error, an unexpected one the Swedish 500); any other method still reaches the
router (preflight, 405 with Allow)."""
from __future__ import annotations

import fastapi.routing
import pytest
from fastapi.testclient import TestClient

from vemgorvad.serve.app import create_app
from vemgorvad.serve.sparql import lane
from vemgorvad.settings import Settings
from vemgorvad.store import QueryFailed

ASK = "ASK { ?s ?p ?o }"


@pytest.fixture
def client(embedded_store):
    with TestClient(create_app(embedded_store, Settings()), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def routed(monkeypatch):
    """Counts the requests FastAPI's routes handle."""
    seen: list[str] = []
    original = fastapi.routing.APIRoute.handle

    async def counting(self, scope, receive, send):
        seen.append(f"{scope['method']} {scope['path']}")
        await original(self, scope, receive, send)
    monkeypatch.setattr(fastapi.routing.APIRoute, "handle", counting)
    return seen


def test_get_and_post_take_the_lane_with_the_headers_and_the_route(client, routed):
    got = client.get("/sparql", params={"query": ASK}, headers={"x-request-id": "lane-1"})
    posted = client.post("/sparql", content=ASK, headers={"Content-Type": "application/sparql-query"})
    assert (got.status_code, posted.status_code) == (200, 200), (got.text, posted.text)
    assert got.json()["boolean"] is True
    for response in (got, posted):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["x-request-id"]
    assert got.headers["x-request-id"] == "lane-1"
    assert routed == []                                       # no FastAPI route handled them
    client.get("/health")
    assert routed == ["GET /health"]
    metrics = client.get("/metrics").text
    assert 'route="/sparql"' in metrics and 'method="POST"' in metrics


def test_other_methods_and_paths_still_reach_the_router(client, routed):
    assert client.options("/sparql", headers={"Origin": "http://x", "Access-Control-Request-Method": "POST"}
                          ).status_code == 204
    refused = client.put("/sparql", content=ASK)
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, POST, OPTIONS"
    assert client.get("/sparql/", params={"query": ASK}, follow_redirects=False).status_code in (307, 404)
    assert routed[:1] == ["OPTIONS /sparql"]


def test_the_host_check_and_the_exception_handlers_still_apply(client, monkeypatch):
    assert client.get("/sparql", params={"query": ASK}, headers={"Host": "evil.example"}).status_code == 400

    async def failing(request):
        raise QueryFailed("the store said no")
    monkeypatch.setattr(lane, "sparql", failing)
    failed = client.get("/sparql", params={"query": ASK})
    assert failed.status_code == 400 and "the store said no" in failed.json()["detail"]

    async def broken(request):
        raise RuntimeError("a bug")
    monkeypatch.setattr(lane, "sparql", broken)
    crashed = client.get("/sparql", params={"query": ASK})
    assert crashed.status_code == 500 and "oväntat fel" in crashed.json()["detail"]
