"""A server that is ready when it says so (issue 16 item 2): three users asking at once right after
a start share one answer index (no request builds its own). Whether the index and the query
workers are made before the first `/health` answers is serve's warm-up (the security branch); the
test for that joins when it lands. Runs the real command on a copy of the project (project_copy.py)."""
from __future__ import annotations

import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from prometheus_client.parser import text_string_to_metric_families

from project_copy import Server

QUESTIONS = ("Vem betalar vid placering på HVB?", "Vem kallar till SIP?",
             "Vem ansvarar för boendestöd för en 40-åring?")


def metric(server: Server, name: str) -> float:
    status, body = server.get("/metrics", timeout=60)
    assert status == 200 and isinstance(body, str)
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name:
                return sample.value
    raise AssertionError(f"{name} not in /metrics")


def test_three_first_questions_at_once_share_one_index(home):
    with Server(home, VEMGORVAD_ANSWER_CACHE_MB=0) as server:   # start() returns at the first /health 200
        # at most the one index built at start (serve's warm-up) before any question
        assert metric(server, "vemgorvad_ask_index_builds_total") <= 1

        def ask(question: str) -> tuple[int, dict]:
            return server.get("/api/ask?q=" + urllib.parse.quote(question), timeout=120)

        with ThreadPoolExecutor(len(QUESTIONS)) as pool:
            answers = list(pool.map(ask, QUESTIONS))
        assert [status for status, _ in answers] == [200] * len(QUESTIONS)
        assert all(body.get("answers") or body.get("nearest") for _, body in answers)
        assert metric(server, "vemgorvad_ask_index_builds_total") == 1        # no request built its own
        status, _ = server.get("/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), timeout=60)
        assert status == 200
