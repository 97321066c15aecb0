"""A running service switches to a new build without failing a request: `POST /admin/reload` with the
operator's token (from `vemgorvad add --reload-url`) and SIGHUP, while clients hammer /api/ask,
/api/agreements and /sparql. Real `vemgorvad serve` processes on a copy of the project."""
from __future__ import annotations

import os
import shutil
import signal
import threading
import time
import urllib.parse
from pathlib import Path

from fastapi.testclient import TestClient

from project_copy import EXTRA, Server, run_cli, source_text

TOKEN = "prov-nyckel-123"
COUNT_AGREEMENTS = ("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a "
                    "<https://w3id.org/vemgorvad/ontology#Agreement> }")
QUESTION = "Vem ansvarar för att kalla till SIP?"


class Hammer:
    """Clients in threads, each looping over ask, the agreement list and SPARQL, recording every
    answer with when it started and ended."""

    def __init__(self, server: Server, clients: int = 4):
        self.server = server
        self.stop = threading.Event()
        self.records: list[tuple[float, float, str, int, int | None]] = []   # start, end, route, status, agreements
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(clients)]

    def _run(self, i: int) -> None:
        sparql = "/sparql?query=" + urllib.parse.quote(COUNT_AGREEMENTS)
        n = 0
        while not self.stop.is_set():
            route = ("ask", "agreements", "sparql")[(i + n) % 3]
            n += 1
            start = time.monotonic()
            try:
                if route == "ask":
                    status, body = self.server.get("/api/ask?q=" + urllib.parse.quote(QUESTION), timeout=60)
                    count = None
                elif route == "agreements":
                    status, body = self.server.get("/api/agreements", timeout=60)
                    count = len(body) if status == 200 else None
                else:
                    status, body = self.server.request(sparql, headers={"Accept": "application/sparql-results+json"},
                                                       timeout=60)
                    count = int(body["results"]["bindings"][0]["n"]["value"]) if status == 200 else None
            except OSError as err:       # a refused or dropped connection is a failed request too
                status, count = -1, None
                body = str(err)
            with self.lock:
                self.records.append((start, time.monotonic(), route, status, count))

    def __enter__(self) -> Hammer:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(60)

    def check(self, old: int, new: int, window: tuple[float, float]) -> dict:
        failed = [r for r in self.records if r[3] != 200]
        assert not failed, failed[:5]
        counted = sorted((r for r in self.records if r[4] is not None), key=lambda r: r[0])
        assert {r[4] for r in counted} <= {old, new}
        # once an answer from the new graph has ended, no request started later gets the old graph
        first_new_end = min((r[1] for r in counted if r[4] == new), default=None)
        assert first_new_end is not None, "no answer ever came from the new graph"
        late_old = [r for r in counted if r[4] == old and r[0] > first_new_end]
        assert not late_old, late_old[:3]
        during = [r for r in self.records if r[1] >= window[0] and r[0] <= window[1]]
        return {"requests": len(self.records), "during_reload": len(during)}


def wait_for(predicate, timeout: float = 120, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def test_reload_route_is_operator_only(embedded_store):
    from vemgorvad.serve.app import create_app
    from vemgorvad.settings import Settings
    off = TestClient(create_app(embedded_store, Settings(reload_token=None)))
    answer = off.post("/admin/reload")
    assert answer.status_code == 404 and "VEMGORVAD_RELOAD_TOKEN" in answer.json()["detail"]
    on = TestClient(create_app(embedded_store, Settings(reload_token=TOKEN)))
    missing = on.post("/admin/reload")
    assert missing.status_code == 401 and missing.json()["detail"] and missing.headers["www-authenticate"] == "Bearer"
    wrong = on.post("/admin/reload", headers={"Authorization": "Bearer " + TOKEN + "x"})
    assert wrong.status_code == 403 and "nyckel" in wrong.json()["detail"]
    assert on.post("/admin/reload", headers={"Authorization": "Basic " + TOKEN}).status_code == 401
    assert on.get("/admin/reload").status_code == 405
    same = on.post("/admin/reload", headers={"Authorization": "Bearer " + TOKEN})
    assert same.status_code == 200 and same.json()["status"] == "unchanged"   # the served build is current


def test_add_with_reload_url_switches_a_running_server_under_load(home, tmp_path):
    upload = tmp_path / "uppsala.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    with Server(home, VEMGORVAD_RELOAD_TOKEN=TOKEN) as server:
        assert server.get("/health")[1]["agreements"] == 2
        with Hammer(server) as hammer:
            wait_for(lambda: len(hammer.records) >= 20)
            started = time.monotonic()
            done = run_cli(home, "add", str(upload), "--workers", "1", "--reload-url", server.base,
                           VEMGORVAD_RELOAD_TOKEN=TOKEN)
            ended = time.monotonic()
            assert done.returncode == 0, done.stderr
            wait_for(lambda: any(r[4] == 3 and r[0] > ended for r in hammer.records))
        figures = hammer.check(2, 3, (started, ended))
        reload_line = [line for line in done.stdout.splitlines() if "laddade om" in line]
        assert reload_line, done.stdout
        assert server.get("/health")[1]["agreements"] == 3
        status, body = server.get("/api/ask?q=" + urllib.parse.quote(QUESTION) + "&agreement=uppsala")
        assert status == 200 and all(a["agreement"]["key"] == "uppsala" for a in body["answers"])
        keys = {a["key"] for a in server.get("/api/agreements")[1]}
        assert keys == {"stockholm-vasterort", "vastra-gotaland", "uppsala"}
        again = server.request("/admin/reload", method="POST", headers={"Authorization": "Bearer " + TOKEN})
        assert again[0] == 200 and again[1]["status"] == "unchanged"
    print(f"\nreload by add --reload-url: {figures['requests']} requests, {figures['during_reload']} during the "
          f"add and reload, 0 failed")


def test_sighup_switches_to_the_new_build_under_load(home, tmp_path):
    new_key = tmp_path / "ny.txt"
    new_key.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    with Server(home) as server:
        with Hammer(server) as hammer:
            wait_for(lambda: len(hammer.records) >= 20)
            assert run_cli(home, "add", str(new_key), "--workers", "1").returncode == 0
            assert server.get("/health")[1]["agreements"] == 2          # nothing changes without a signal
            started = time.monotonic()
            server.signal(signal.SIGHUP)
            wait_for(lambda: server.get("/health")[1]["agreements"] == 3)
            switched = time.monotonic()
            wait_for(lambda: any(r[4] == 3 and r[0] > switched for r in hammer.records))
        figures = hammer.check(2, 3, (started, switched))
        log = wait_for(lambda: "graf omladdad" in server.output() and server.output())
        seconds = float(log.split("graf omladdad")[1].split("[")[1].split(" s]")[0])
        assert server.process.poll() is None                               # SIGHUP did not stop it
    print(f"\nreload by SIGHUP: {seconds} s inside the server, {switched - started:.2f} s signal to switch, "
          f"{figures['requests']} requests, {figures['during_reload']} during the reload, 0 failed")


def test_a_build_that_cannot_be_served_is_not_switched_to(home):
    with Server(home, VEMGORVAD_RELOAD_TOKEN=TOKEN) as server:
        before = server.get("/health")[1]
        current = home / "var" / "current"
        broken = current.resolve().parent / "broken"
        shutil.copytree(current.resolve(), broken)
        dataset = broken / "dataset.nq"
        dataset.write_bytes(dataset.read_bytes()[:1000])
        link = home / "var" / ".current-test"
        os.symlink(Path("builds") / "broken", link)
        os.replace(link, current)
        status, body = server.request("/admin/reload", method="POST", headers={"Authorization": "Bearer " + TOKEN})
        assert status == 409 and "tidigare grafen" in body["detail"]
        server.signal(signal.SIGHUP)
        wait_for(lambda: "omladdning misslyckades" in server.output())
        assert server.get("/health")[1] == before
        assert server.get("/api/agreements")[0] == 200


def test_stemming_is_safe_across_threads():
    """A reload builds the ask index in a thread while requests stem their questions in others; a
    Snowball stemmer shared between threads corrupts its state (IndexError → 500)."""
    import random

    from vemgorvad.serve.ask.text import stem
    rng = random.Random(7)
    words = ["".join(rng.choice("abdefgiklmnorstuvåäö") for _ in range(rng.randint(4, 14))) for _ in range(80000)]
    expected = [stem.__wrapped__(w) for w in words[:2000]]
    errors, results = [], {}

    def work(i):
        try:
            results[i] = [stem.__wrapped__(w) for w in words[i::4]]
        except Exception as err:
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert results[0][:500] == expected[0::4][:500]
