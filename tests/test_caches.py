"""The caches of serve/caches.py: typed keys made one way, values computed once from the served
graph however many requests ask at the same time, and every cache bounded in bytes."""
from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from vemgorvad.serve.app import create_app
from vemgorvad.serve.caches import Key, Memo
from vemgorvad.settings import load_settings


def test_keys_are_equal_by_name_and_parts_only():
    assert Key[bytes]("dump", ("uppsala", "TURTLE")) == Key[bytes]("dump", ("uppsala", "TURTLE"))
    assert Key[bytes]("dump", ("uppsala", "TURTLE")) != Key[bytes]("dump", ("uppsala", "N_TRIPLES"))
    assert Key[bytes]("dump", ("uppsala",)) != Key[bytes]("service-description", ("uppsala",))
    assert len({Key[str]("a"), Key[str]("a"), Key[str]("b")}) == 2


def test_a_value_asked_for_by_many_requests_at_once_is_computed_once():
    memo, threads, calls, arrived = Memo(1), 8, [], []
    lock = threading.Lock()

    def compute() -> str:
        calls.append(1)
        while len(arrived) < threads:        # every request has reached memo.get before the value is done
            time.sleep(0.001)
        time.sleep(0.05)                     # and has had the chance to look for it
        return "value"

    def ask(results: list[str]) -> None:
        with lock:
            arrived.append(1)
        results.append(memo.get(Key[str]("facts"), compute))

    results: list[str] = []
    workers = [threading.Thread(target=ask, args=(results,)) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=30)
    assert results == ["value"] * threads and len(calls) == 1
    assert memo.get(Key[str]("facts"), lambda: "other") == "value"


def test_the_memo_stays_within_its_bytes_and_never_keeps_a_value_larger_than_its_share():
    memo = Memo(max_mb=1)
    for i in range(40):
        memo.get(Key[bytes]("dump", (str(i),)), lambda: b"x" * 100_000)
    assert memo.bytes <= 1024 * 1024 and 5 <= len(memo) <= 10
    computed = []
    for _ in range(2):
        memo.get(Key[bytes]("dump", ("big",)), lambda: computed.append(1) or b"x" * 600_000)
    assert len(computed) == 2 and memo.bytes <= 1024 * 1024
    off = Memo(max_mb=0)
    assert [off.get(Key[int]("n"), lambda: 1) for _ in range(2)] == [1, 1] and len(off) == 0


def test_dumps_and_descriptions_of_the_served_graph_are_kept_within_the_configured_bound(embedded_store):
    app = create_app(embedded_store, load_settings(derived_cache_mb=4))
    with TestClient(app) as client:
        sent = 0
        for ext in ("ttl", "nt", "nq", "jsonld"):
            for key in ("uppsala", "sormland", "vastmanland"):
                response = client.get(f"/download/{key}.{ext}")
                assert response.status_code == 200
                sent += len(response.content)
        memo = app.state.vg.served.sparql._memo
        assert sent > 8 * 1024 * 1024 and 0 < memo.bytes <= 4 * 1024 * 1024
