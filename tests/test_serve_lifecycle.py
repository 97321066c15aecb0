"""`vemgorvad serve` refuses a missing, invalid or stale graph in one line with a non-zero exit, and
SIGTERM lets a request in flight finish before the process exits with 0. Real processes on a copy
of the project (project_copy.py)."""
from __future__ import annotations

import json
import signal
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from project_copy import Server, free_port, run_cli


def slow_query(n: int) -> str:
    """A query that takes seconds (n × n rows counted) and then answers."""
    return ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { GRAPH ?g { ?a ?b ?c } } LIMIT %d } "
            "{ SELECT ?d WHERE { GRAPH ?h { ?d ?e ?f } } LIMIT %d } }" % (n, n))


def refused(home: Path, *args, **env) -> str:
    """Run `vemgorvad serve` expecting a refusal; the one line it printed."""
    done = run_cli(home, "serve", "--port", str(free_port()), *args, timeout=60, **env)
    assert done.returncode != 0, done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert lines[0].startswith("vemgorvad: ")
    return lines[0]


def current(home: Path) -> Path:
    return (home / "var" / "current").resolve()


def test_missing_graph_is_refused(home):
    (home / "var" / "current").unlink()
    line = refused(home)
    assert "ingen byggd graf" in line and "vemgorvad build" in line


def test_truncated_graph_is_refused(home):
    dataset = current(home) / "dataset.nq"
    data = dataset.read_bytes()
    dataset.write_bytes(data[: len(data) // 2])
    line = refused(home)
    assert ("trasig" in line or "ofullständig" in line) and "vemgorvad build" in line


def test_manifest_that_does_not_describe_the_graph_is_refused(home):
    manifest = current(home) / "manifest.json"
    meta = json.loads(manifest.read_text(encoding="utf-8"))
    meta["agreements"] = meta["agreements"][:1]
    manifest.write_text(json.dumps(meta), encoding="utf-8")
    line = refused(home)
    assert "manifest" in line and "vastra-gotaland" in line


def test_unreadable_manifest_is_refused(home):
    (current(home) / "manifest.json").write_text("{ not json", encoding="utf-8")
    line = refused(home)
    assert "trasig" in line


@pytest.mark.parametrize("change", ["agreement text", "catalogue", "lexicon", "new file"])
def test_stale_graph_is_refused_and_can_be_overridden(home, change):
    agreements = home / "data" / "agreements"
    if change == "agreement text":
        with open(agreements / "vastra-gotaland.txt", "a", encoding="utf-8") as f:
            f.write("\nKommunen ansvarar för en ny uppgift.\n")
    elif change == "catalogue":
        catalogue = json.loads((agreements / "agreements.json").read_text(encoding="utf-8"))
        catalogue[0]["title"] += " (reviderad)"
        (agreements / "agreements.json").write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    elif change == "lexicon":
        lexicon = next((home / "data" / "lexicon").glob("*.json"))
        lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        (agreements / "ny.txt").write_text((agreements / "vastra-gotaland.txt").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    line = refused(home)
    assert "inaktuell" in line and "vemgorvad build" in line
    expected = "övriga data" if change == "lexicon" else "data/agreements"
    assert expected in line
    with Server(home, "--allow-stale") as server:
        assert server.get("/health")[0] == 200
    with Server(home, VEMGORVAD_ALLOW_STALE="1") as server:
        assert server.get("/health")[0] == 200


def test_build_without_data_fingerprint_is_refused(home):
    manifest = current(home) / "manifest.json"
    meta = json.loads(manifest.read_text(encoding="utf-8"))
    del meta["data_fingerprint"]
    manifest.write_text(json.dumps(meta), encoding="utf-8")
    assert "fingeravtryck" in refused(home)


def test_formatting_the_catalogue_is_not_a_change(home):
    catalogue = home / "data" / "agreements" / "agreements.json"
    records = json.loads(catalogue.read_text(encoding="utf-8"))
    catalogue.write_text(json.dumps(list(reversed(records)), ensure_ascii=True, indent=4), encoding="utf-8")
    with Server(home) as server:
        assert server.get("/health")[1]["agreements"] == 2


#: uvicorn's graceful shutdown lasts at most this long (serve/run.py); a request still running then is
#: cancelled, by design. The request in flight is sized to take about a fifth of it.
GRACEFUL_S = 10.0


def _sized(server: Server, accept: dict) -> tuple[int, float]:
    """A slow_query size whose query takes about GRACEFUL_S / 5 on this machine now (a query twice
    as long, n x n rows, takes four times as long): a fixed size took longer than the graceful
    shutdown on a busy machine, and the in-flight request was cancelled, as it should be."""
    n, seconds = 1500, 0.0
    for _ in range(4):
        started = time.perf_counter()
        assert server.request("/sparql?query=" + urllib.parse.quote(slow_query(n)), headers=accept)[0] == 200
        seconds = time.perf_counter() - started
        if seconds >= GRACEFUL_S / 10:
            break
        n = min(6000, int(n * min(2.0, (GRACEFUL_S / 5 / max(seconds, 0.01)) ** 0.5)) + 1)
    return n, seconds


def test_sigterm_finishes_the_request_in_flight_and_exits_zero(home):
    with Server(home, VEMGORVAD_QUERY_TIMEOUT="120") as server:
        accept = {"Accept": "application/sparql-results+json"}
        n, alone = _sized(server, accept)         # the query's own time, workers warm
        result: dict = {}

        def slow():
            started = time.perf_counter()
            result["answer"] = server.request("/sparql?query=" + urllib.parse.quote(slow_query(n + 1)),
                                              headers=accept, timeout=120)
            result["seconds"] = time.perf_counter() - started

        client = threading.Thread(target=slow)
        client.start()
        time.sleep(min(0.5, alone / 3))
        server.signal(signal.SIGTERM)
        client.join(120)
        code = server.process.wait(timeout=60)
        out = server.output()
    status, body = result["answer"]
    assert status == 200, (body, out[-4000:])
    assert body["results"]["bindings"][0]["n"]["value"] == str((n + 1) * (n + 1))
    assert code == 0, server.output()[-2000:]
    assert "Traceback" not in server.output()
    assert result["seconds"] > min(0.5, alone / 3)   # it was in flight when the signal came



@pytest.mark.parametrize("damage, words", [
    (lambda h: (h / "queries" / "coverage.rq").unlink(), "coverage"),
    (lambda h: (h / "queries" / "passage.rq").write_text("SELECT * WHERE { ?s ", encoding="utf-8"), "passage.rq"),
    (lambda h: [f.unlink() for f in (h / "queries").glob("*.rq")], "queries"),
    (lambda h: (h / "shapes" / "integrity.ttl").unlink(), "shapes/integrity.ttl"),
    (lambda h: (h / "shapes" / "completeness.ttl").write_text("@prefix broken", encoding="utf-8"), "completeness.ttl"),
    (lambda h: (h / "ontology" / "topics.ttl").unlink(), "ontology/topics.ttl"),
    (lambda h: (h / "ontology" / "activities.ttl").write_text("<a> <b> ", encoding="utf-8"), "activities.ttl"),
    (lambda h: (h / "data" / "lexicon" / "question.json").write_text("{", encoding="utf-8"), "question.json"),
    (lambda h: (h / "data" / "laws.json").unlink(), "laws.json"),
])
def test_missing_or_broken_resources_are_refused_in_one_line(home, damage, words):
    """What the endpoints need besides the graph: without it /health would say ok while /api/ask
    and /api/check fail, so serve refuses to start instead."""
    damage(home)
    line = refused(home)
    assert words in line, line
