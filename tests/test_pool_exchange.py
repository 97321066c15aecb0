"""A pool without a CPU budget (every query pool) talks to its workers on the event loop
(procpool.Worker.exchange_async), not through a thread per job: a large answer arrives whole, a
query past its deadline is TimedOut and its worker replaced, a killed worker is Died and only
its own job fails, and the pool's exchange threads are never started."""
from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import time

import pytest

from vemgorvad.serve.procpool import Died, TimedOut
from vemgorvad.serve.sparql.decide import Decision, decide
from vemgorvad.serve.sparql.pool import QueryPool
from vemgorvad.serve.sparql.results import Job, evaluate

NT = (("graph", "application/n-triples", "N_TRIPLES"),)
JSON = (("solutions", "application/sparql-results+json", "JSON"),)
#: a cross product of the whole graph with itself, three times: never ends within a test's deadline
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def job(query: str, formats: tuple[tuple[str, str, str], ...]) -> Job:
    return Job(query, formats=formats, limit=9000, decision=dataclasses.asdict(decide(query)))


@pytest.fixture(scope="module")
def pool(embedded_store):
    made = QueryPool(embedded_store.store, size=1)
    yield made
    made.close()


def test_a_large_answer_arrives_whole_and_equal_to_the_engines(pool, embedded_store):
    big = job("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
              "ORDER BY ?s ?p ?o LIMIT 9000", NT)
    outcome = asyncio.run(pool.sandboxed.run(big, time.monotonic() + 60))
    assert outcome.status == 200, outcome.body[:300]
    assert len(outcome.body) > 256 * 1024           # many reads of the socket, not one
    expected = evaluate(embedded_store.store, big, Decision(**(big.decision or {})))
    assert sorted(outcome.body.splitlines()) == sorted(expected.body.splitlines())
    assert outcome.count == 9000
    assert pool.sandboxed._exchanges._threads == set()      # no thread took part


def test_a_query_past_its_deadline_is_timed_out_and_its_worker_replaced(pool):
    lane = pool.sandboxed
    before = lane.pids()
    started = time.monotonic()
    with pytest.raises(TimedOut):
        asyncio.run(lane.run(job(ENDLESS, JSON), time.monotonic() + 0.5))
    assert time.monotonic() - started < 3
    assert [pid for pid, _ in lane.killed if pid in before]
    small = job("ASK { ?s ?p ?o }", (("boolean", "application/sparql-results+json", "JSON"),))
    outcome = asyncio.run(lane.run(small, time.monotonic() + 60))    # waits for the replacement
    assert outcome.status == 200 and b"true" in outcome.body
    assert lane.pids() and not set(lane.pids()) & set(before)


def test_a_worker_killed_under_a_job_fails_that_job_only(pool):
    lane = pool.sandboxed
    deadline = time.monotonic() + 60

    async def kill_while_running() -> None:
        running = asyncio.ensure_future(lane.run(job(ENDLESS, JSON), deadline))
        await asyncio.sleep(0.3)
        (victim,) = lane._busy
        os.kill(victim.pid, signal.SIGKILL)
        with pytest.raises(Died):
            await running
    asyncio.run(kill_while_running())
    outcome = asyncio.run(lane.run(job("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", JSON), deadline))
    assert outcome.status == 200 and outcome.count == 3
