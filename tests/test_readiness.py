"""A server that is ready when it says so (issue 16 item 2): `vemgorvad serve` makes the answer
index and starts the query workers before it listens, so at its first `/health` 200 the index is
built (once), every query worker — deciding and evaluating — and both gap-check workers are up and
the spelling dictionary is loaded; three users asking at once
right after that, and a first SPARQL query, build no index and start no worker of their own (they
share the one built at start); the warm heap is frozen (heap.py). Asserted on the mechanism (counts at /metrics), not on wall time.
Runs the real command on a copy of the project (project_copy.py)."""
from __future__ import annotations

import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from prometheus_client.parser import text_string_to_metric_families

from project_copy import Server

QUESTIONS = ("Vem betalar vid placering på HVB?", "Vem kallar till SIP?",
             "Vem ansvarar för boendestöd för en 40-åring?")
QUERY_WORKERS = 2


def metrics(server: Server) -> dict[tuple[str, tuple], float]:
    status, body = server.get("/metrics", timeout=60)
    assert status == 200 and isinstance(body, str)
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body) for sample in family.samples}


def warm_counts(server: Server) -> dict[str, float]:
    seen = metrics(server)
    started = {dict(labels)["kind"]: value for (name, labels), value in seen.items()
               if name == "vemgorvad_workers_started_total"}
    return {"index builds": seen[("vemgorvad_ask_index_builds_total", ())],
            "deciding workers": started.get("query:decide", 0.0),
            "evaluating workers": started.get("query:evaluate", 0.0),
            "check workers": started.get("check", 0.0),
            "spelling dictionary": seen[("vemgorvad_spelling_dictionary_loaded", ())]}


def test_ready_only_when_warm_and_three_first_questions_share_one_index(home):
    # start() returns at the first /health 200
    with Server(home, VEMGORVAD_ANSWER_CACHE_MB=0, VEMGORVAD_QUERY_WORKERS=QUERY_WORKERS) as server:
        at_ready = warm_counts(server)
        # the gap check's two lanes and the spelling dictionary too: nothing loads beside the first requests
        assert at_ready == {"index builds": 1, "deciding workers": QUERY_WORKERS,
                            "evaluating workers": QUERY_WORKERS, "check workers": 2,
                            "spelling dictionary": 1}, at_ready
        # the warm heap (index, vocabularies) is frozen out of the garbage collector's full passes
        assert metrics(server)[("vemgorvad_gc_frozen_objects", ())] > 100_000

        def ask(question: str) -> tuple[int, dict]:
            return server.get("/api/ask?q=" + urllib.parse.quote(question), timeout=120)

        with ThreadPoolExecutor(len(QUESTIONS)) as pool:
            answers = list(pool.map(ask, QUESTIONS))
        assert [status for status, _ in answers] == [200] * len(QUESTIONS)
        assert all(body.get("answers") or body.get("nearest") for _, body in answers)
        status, _ = server.get("/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), timeout=60)
        assert status == 200
        assert warm_counts(server) == at_ready       # no request built an index or started a worker
