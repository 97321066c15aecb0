"""The access log: one JSON line per request on `vemgorvad.access` with request id, method, route
template, status, latency and timeout flag; the request id honoured or made and returned; never a
query string, a question, a SPARQL query or uploaded content; and `vemgorvad serve` writes it to
stderr with uvicorn's own access log off."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from vemgorvad.serve import warmup
from vemgorvad.serve.app import create_app
from vemgorvad.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {"time", "request_id", "method", "route", "status", "duration_ms", "timeout"}
SECRET = "hemligmarkör7q"          # in every kind of user input below; must never reach a log line
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def client(embedded_store):
    app = create_app(embedded_store, Settings(query_timeout=1.0, query_workers=2))
    with TestClient(app) as c:
        yield c


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="vemgorvad.access")

    def read() -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "vemgorvad.access"]
    return read


def test_one_json_line_per_request_with_the_fields(client, lines):
    client.get("/health")
    client.get("/api/queries/cost_rules")
    client.get("/sidan-finns-inte")
    logged = lines()
    assert len(logged) == 3
    for entry in logged:
        assert set(entry) >= FIELDS
        assert isinstance(entry["duration_ms"], (int, float)) and entry["duration_ms"] >= 0
        assert entry["timeout"] is False and entry["method"] == "GET"
    assert [(e["route"], e["status"]) for e in logged] == [
        ("/health", 200), ("/api/queries/{name}", 200), (None, 404)]


def test_the_warm_up_is_neither_logged_nor_counted(embedded_store, lines):
    """serve's own warm-up requests (serve/warmup.py) are nobody's traffic: no access-log line, no
    request counted in /metrics; the first real request after them is both."""
    app = create_app(embedded_store, Settings(query_timeout=5.0, query_workers=1))
    warmup.install(app, "http://testserver")
    with TestClient(app) as c:
        assert len(app.state.warmed) == len(warmup.REQUESTS)
        assert lines() == []
        metrics = c.get("/metrics", timeout=30).text
    assert [e["route"] for e in lines()] == ["/metrics"]
    counted = [line for line in metrics.splitlines() if line.startswith("vemgorvad_http_requests_total{")]
    assert not any('route="/api/ask"' in line or 'route="/sparql"' in line for line in counted), counted


def test_request_id_is_honoured_when_sane_and_made_otherwise(client, lines):
    sane = client.get("/health", headers={"X-Request-ID": "4f1c-abc_9.1"})
    assert sane.headers["x-request-id"] == "4f1c-abc_9.1"
    insane = client.get("/health", headers={"X-Request-ID": "<script>alert(1)</script>"})
    made = client.get("/health")
    long = client.get("/health", headers={"X-Request-ID": "a" * 500})
    ids = [r.headers["x-request-id"] for r in (insane, made, long)]
    assert all(len(i) == 32 and all(c in "0123456789abcdef" for c in i) for i in ids)
    assert len(set(ids)) == 3
    assert [e["request_id"] for e in lines()] == ["4f1c-abc_9.1", *ids]


def test_timeout_flag_is_set_when_a_query_times_out(client, lines):
    assert client.post("/sparql", data={"query": CARTESIAN}).status_code == 503
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    timed_out, ordinary = lines()
    assert (timed_out["route"], timed_out["status"], timed_out["timeout"]) == ("/sparql", 503, True)
    assert timed_out["timeout_source"] == "sparql"
    assert ordinary["timeout"] is False and "timeout_source" not in ordinary
    assert timed_out["duration_ms"] >= 900


def test_no_user_input_is_logged(client, caplog, lines):
    client.get("/api/ask", params={"q": f"Vem ansvarar för {SECRET}?"})
    client.get("/sparql", params={"query": f'SELECT * WHERE {{ ?s ?p "{SECRET}" }}'})
    client.post("/sparql", content=f'ASK {{ ?s ?p "{SECRET}" }}', headers={"Content-Type": "application/sparql-query"})
    client.get(f"/api/queries/cost_rules?agreement={SECRET}")
    client.get(f"/id/{SECRET}")
    client.get(f"/{SECRET}")
    client.post("/api/check", files={"file": (f"{SECRET}.txt", f"Överenskommelse {SECRET}\n1. Parter\n".encode())})
    client.post("/api/check", content=f"Överenskommelse {SECRET}".encode(), headers={"Content-Type": "text/plain"})
    logged = lines()
    assert len(logged) == 8
    assert SECRET not in caplog.text and SECRET not in json.dumps(logged, ensure_ascii=False)
    assert {e["route"] for e in logged} == {"/api/ask", "/sparql", "/api/queries/{name}", "/id/{path}",
                                           "/api/check", None}


def test_serve_writes_json_lines_to_stderr_and_no_uvicorn_access_log(build_dir, tmp_path):
    from tests.oxigraph_server import free_port
    port = free_port()
    stderr = tmp_path / "stderr.txt"
    env = {**os.environ, "VEMGORVAD_QUERY_WORKERS": "1"}
    with open(stderr, "wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "vemgorvad.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/health", timeout=2)
                    break
                except httpx.TransportError:
                    assert process.poll() is None and time.monotonic() < deadline, stderr.read_text()
                    time.sleep(0.2)
            sent = httpx.get(base + "/api/ask", params={"q": f"Vem betalar {SECRET}?"},
                             headers={"X-Request-ID": "drift-42"}, timeout=30)
            assert sent.status_code == 200 and sent.headers["x-request-id"] == "drift-42"
            httpx.get(base + "/metrics", timeout=10)
        finally:
            process.terminate()
            process.wait(20)
    text = stderr.read_text(encoding="utf-8")
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert SECRET not in text
    assert "HTTP/1.1" not in text             # uvicorn's access log format
    ask = [e for e in entries if e["route"] == "/api/ask"]
    assert len(ask) == 1 and ask[0]["request_id"] == "drift-42" and ask[0]["status"] == 200
    assert any(e["route"] == "/metrics" and e["status"] == 200 for e in entries)
    assert all(set(e) >= FIELDS for e in entries)
