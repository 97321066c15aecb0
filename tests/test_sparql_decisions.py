"""What a query text may do is decided once (serve/sparql/pool.py): the decision — or the refusal —
is kept by the exact text, base IRI and SERVICE allow-list it was decided with, so a query asked
again goes straight to an evaluating worker; the answer itself is evaluated again every time.

The deciding workers are shut here after the first round: a text decided before is still
answered (from its kept decision, evaluated afresh), a text never seen cannot be (no worker
decides it), and nothing decided for one base IRI or allow-list is used for another. The texts
here carry the word "from" in a comment, so the screen (screen.py) sends them to the decision."""
from __future__ import annotations

import asyncio
import time

import pytest

from vemgorvad.serve.sparql.pool import QueryPool
from vemgorvad.serve.sparql.results import Job

JSON = (("solutions", "application/sparql-results+json", "JSON"),
        ("boolean", "application/sparql-results+json", "JSON"))
COUNT = "# decided in full: from the word 'from'\nSELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/vemgorvad/ontology#Responsibility> }"
UPDATE = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
SERVICE = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"


def job(query: str, base: str = "http://127.0.0.1:8000/sparql", allowlist: tuple[str, ...] = ()) -> Job:
    return Job(query, formats=JSON, base_iri=base, service_allowlist=allowlist)


def run(pool: QueryPool, j: Job, seconds: float = 30.0):
    return asyncio.run(pool.run(j, time.monotonic() + seconds, seconds))


@pytest.fixture
def pool(embedded_store):
    pool = QueryPool(embedded_store.store, size=1, shared_quads=10**9)
    yield pool
    pool.close()


def test_a_decided_text_is_evaluated_again_without_a_deciding_worker(pool, embedded_store):
    first = run(pool, job(COUNT))
    refused = run(pool, job(UPDATE))
    service = run(pool, job(SERVICE))
    assert first.status == 200, first.body
    assert (refused.status, service.status) == (403, 403)
    assert len(pool.decisions) == 3
    pool.deciding.close()                   # from here on, no worker can decide anything

    again = run(pool, job(COUNT))
    assert again.status == 200 and again.body == first.body       # evaluated by the evaluating worker
    expected = embedded_store.store.query(COUNT, use_default_graph_as_union=True)
    assert f'"value":"{next(iter(expected))["n"].value}"' in again.body.decode().replace(" ", "")
    assert run(pool, job(UPDATE)).body == refused.body              # the same refusal, kept
    assert run(pool, job(SERVICE)).status == 403

    # never decided: a new text, the same text against another base IRI or another allow-list
    for unseen in (job(COUNT + " LIMIT 1"), job(COUNT, base="http://example.org/sparql"),
                   job(SERVICE, allowlist=("http://example.org/sparql",))):
        outcome = run(pool, unseen, seconds=1.0)
        assert outcome.status == 503, (unseen, outcome.body)        # waited for a deciding worker in vain


def test_the_kept_decisions_are_bounded_in_bytes(embedded_store):
    pool = QueryPool(embedded_store.store, size=1, shared_quads=10**9, decision_cache_mb=0.05)
    try:
        for i in range(60):
            assert run(pool, job(f"ASK {{ ?s ?p {i} }} # from {'x' * 1000}")).status == 200
        assert 0 < pool.decisions.bytes <= 0.05 * 1024 * 1024
        assert len(pool.decisions) < 60
    finally:
        pool.close()
