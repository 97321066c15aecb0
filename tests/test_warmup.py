"""The server's start-up answers every kind of request once before it listens (serve/warmup.py),
so that no later request imports a module on the event loop (first-use imports and schema builds
held the loop for 265-435 ms under `make attack` while /health waited).

Asserted on the mechanism, not on time: in a fresh interpreter, after the application's start-up
with the warm-up installed, requests of every kind the attack suite sends (queries, refused
queries, questions, uploads as multipart and as text, refusals) import no new module; the same
requests without the warm-up do import some (so the check can fail)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, sys
from fastapi.testclient import TestClient
from vemgorvad.settings import settings
from vemgorvad.store import open_store
from vemgorvad.serve.app import create_app
from vemgorvad.serve import warmup

app = create_app(open_store(None), settings())
if sys.argv[1] == "warm":
    warmup.install(app, "http://testserver")
query = {"Content-Type": "application/sparql-query"}
with TestClient(app) as client:
    before = set(sys.modules)
    statuses = [r.status_code for r in (
        client.get("/health"), client.get("/metrics"),
        client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"}),
        client.post("/sparql", content=b"PREFIX e: <http://e/> SELECT * { ?s e:a\\# ?o }", headers=query),
        client.post("/sparql", content=b"SELECT * { SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } }", headers=query),
        client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}),
        client.get("/sparql", headers={"Host": "elsewhere.example"}),
        client.get("/api/ask", params={"q": "Vem betalar för boendet?"}),
        client.get("/api/ask", params={"q": "vem ansvarar för " + "vårds" * 40 + "q"}),
        client.post("/api/check", files={"file": ("a.txt", "Kommunen ska ordna boende.".encode())}),
        client.post("/api/check", content="Regionen ska erbjuda vård.".encode(),
                    headers={"Content-Type": "text/plain"}),
        client.get("/id/%25"), client.get("/saknas"), client.request("PROPFIND", "/sparql"),
    )]
    new = sorted(set(sys.modules) - before)
print(json.dumps({"new": new, "statuses": statuses, "warmed": getattr(app.state, "warmed", {})}))
"""


def _run(mode: str, build_dir: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_after_the_warm_up_no_request_imports_a_module(build_dir):
    warm = _run("warm", build_dir)
    assert warm["warmed"] and all(0 < status < 500 for status in warm["warmed"].values()), warm["warmed"]
    assert all(status < 500 or status == 503 for status in warm["statuses"]), warm["statuses"]
    assert warm["new"] == [], warm["new"]


def test_without_the_warm_up_the_first_requests_import_modules(build_dir):
    cold = _run("cold", build_dir)
    assert cold["warmed"] == {}
    assert cold["new"], "the first requests imported nothing: the warm-up test above proves nothing"
