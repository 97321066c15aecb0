"""Issue 10's smaller items: the Host header is never trusted (configured public URL, allowed hosts),
caches are bounded in bytes with their keys and nothing is memoised per client header, /docs and
/redoc load nothing from outside (they are off), /id/%25 is a 400, a reload token's whitespace is
not part of it, and /health answers while every query worker is busy."""
from __future__ import annotations

import threading
import time

import httpx
from fastapi.testclient import TestClient

from vemgorvad.serve.app import create_app
from vemgorvad.serve.caches import ByteBoundedCache
from vemgorvad.settings import load_settings


def test_the_host_header_is_refused_unless_allowed_and_never_used_for_links(embedded_store):
    settings = load_settings(public_base_url="https://vemgorvad.example/", allowed_hosts=())
    app = create_app(embedded_store, settings)
    with TestClient(app, base_url="http://evil.example") as client:
        for path in ("/sparql", "/api/ask/", "/health"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 400 and "Host" in response.json()["detail"], path
    with TestClient(app, base_url="https://vemgorvad.example") as client:
        sd = client.get("/sparql", headers={"Accept": "text/turtle"})
        assert sd.status_code == 200 and "<https://vemgorvad.example/sparql>" in sd.text
        redirect = client.get("/api/ask/", follow_redirects=False)
        assert "evil" not in redirect.headers.get("location", "")


def test_the_service_description_is_not_kept_per_host(embedded_store):
    app = create_app(embedded_store, load_settings(allowed_hosts=("*",)))
    with TestClient(app) as client:
        for i in range(40):
            client.get("/sparql", headers={"Host": f"h{i}.example", "Accept": "text/turtle"})
        memo = app.state.vg.served.sparql._memo
        assert len(memo) <= 3, list(memo)


def test_the_answer_cache_counts_keys_and_stays_within_its_bytes():
    cache = ByteBoundedCache(max_mb=1)
    for i in range(300):
        cache.put(("SELECT * {} #" + "x" * 20_000 + str(i), None, None, ()), ("application/json", b"{}", 0), 2)
    assert cache.bytes <= 1024 * 1024 and len(cache) < 60
    off = ByteBoundedCache(max_mb=0)
    off.put("k", "v", 1)
    assert off.get("k") is None


def test_docs_are_off_and_bad_resource_paths_are_400(client):
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200
    response = client.get("/id/%25")
    assert response.status_code == 400 and response.json()["detail"]


def test_a_reload_token_with_surrounding_whitespace_matches(embedded_store, monkeypatch):
    monkeypatch.setenv("VEMGORVAD_RELOAD_TOKEN", "  s3cret-token\n")
    settings = load_settings()
    assert settings.reload_token == "s3cret-token"
    app = create_app(embedded_store, settings)
    with TestClient(app) as client:
        assert client.post("/admin/reload", headers={"Authorization": "Bearer wrong"}).status_code == 403
        answer = client.post("/admin/reload", headers={"Authorization": "Bearer s3cret-token"})
        assert answer.status_code in (200, 409), answer.text


def test_health_answers_while_every_query_worker_is_busy(build_dir):
    from oxigraph_server import shared_service
    service = shared_service("embedded", build_dir, query_timeout=3)
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } #"
    statuses: list[int] = []

    def heavy(i: int) -> None:
        started = time.monotonic()
        r = httpx.get(service.url + "/sparql", params={"query": cartesian + str(i)}, timeout=30)
        statuses.append(r.status_code)
        assert time.monotonic() - started < 3 + 1.5     # the deadline counts from arrival, queueing included
    threads = [threading.Thread(target=heavy, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    worst = 0.0
    with httpx.Client(timeout=5) as client:
        for _ in range(10):
            started = time.monotonic()
            assert client.get(service.url + "/health").status_code == 200
            worst = max(worst, time.monotonic() - started)
            time.sleep(0.1)
    for t in threads:
        t.join(30)
    assert set(statuses) == {503}
    assert worst < 1.0, worst
