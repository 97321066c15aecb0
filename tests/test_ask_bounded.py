"""/api/ask is bounded in time and memory: reading a question is linear in its length (compound
splitting is a dynamic programme and never looks into a word longer than a Swedish word can be;
only the agreements' own splits and word-sized stems are remembered), a
property test over adversarial questions up to the length limit finds no call over 100 ms of CPU,
and a request past the deadline gets a 503 in time while /health keeps answering."""
from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vemgorvad.serve.ask.understanding import QUESTION_MAX
from vemgorvad.serve.deadline import DeadlineExceeded, limited

PIECES = ["vårds", "vård", "s", "e", "hjälpmedel", "förskrivning", "beroende", "samverkan", "ansvar", "kommun",
          "region", "q", "x", "-", "åring", "25", " ", "psyk", "soc", "sip", "lss", "hvb", "ö", "ä", "ens"]


@pytest.fixture(scope="module")
def engine(ask_engine):
    eng = ask_engine
    for question in ("Vem ansvarar för hjälpmedel?", "vem betalar för vårdsvårdsq xyzzy", "vem kallar till sip för en 25-åring"):
        eng.ask(question)                          # first-use costs (lexicon, SKOS labels) are not the point
    return eng


def cpu_ms(engine, question: str) -> float:
    started = time.thread_time()
    engine._ask(question)                              # never the answer cache
    return (time.thread_time() - started) * 1000


def test_the_exponential_compound_is_now_cheap(engine):
    for repeats in (10, 20, 40, 120):
        question = ("vem ansvarar för " + "vårds" * repeats + "q")[:QUESTION_MAX]
        assert cpu_ms(engine, question) < 100, repeats


def test_compound_splitting_is_bounded_and_remembers_only_the_agreements_words(engine):
    vocab = engine.index.vocab
    assert vocab.split("hjälpmedelsförskrivning") == ["hjälpmedel", "förskrivning"]
    assert all(part in vocab for part in vocab.split("beroendevårdsenheter"))
    assert vocab.split("vårds" * 30 + "q") == []     # longer than any word: not looked into
    remembered = len(vocab._splits)
    for n in range(200):                             # a client's words are split afresh, never kept
        vocab.split(f"hjälpmedels{n:03d}förskrivning")
    assert len(vocab._splits) == remembered


def test_the_stem_cache_keeps_only_word_sized_keys():
    from vemgorvad.serve.ask.text import MAX_COMPOUND, _cached_stem, stem
    before = _cached_stem.cache_info().currsize
    stem("x" * (MAX_COMPOUND + 1) + "vård")
    assert _cached_stem.cache_info().currsize == before


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=400), st.integers(min_value=1, max_value=12))
def test_no_question_up_to_the_limit_costs_over_100_ms(engine, pieces, repeat):
    question = ("vem ansvarar för " + "".join(pieces) * repeat)[:QUESTION_MAX]
    assert cpu_ms(engine, question) < 100, question


def test_a_question_past_its_deadline_stops(engine):
    with pytest.raises(DeadlineExceeded), limited(time.monotonic() - 1):
        engine._ask("vem ansvarar för hjälpmedel för minnet till en 25-åring i uppsala")


def test_the_api_answers_by_its_deadline(build_dir):
    from oxigraph_server import shared_service
    service = shared_service("embedded", build_dir, ask_timeout=0.001)
    with httpx.Client(timeout=20) as client:
        started = time.monotonic()
        response = client.get(service.url + "/api/ask", params={"q": "vem ansvarar för hjälpmedel i uppsala?"})
        assert response.status_code == 503 and "avbröts" in response.json()["detail"]
        assert time.monotonic() - started < 2
        assert client.get(service.url + "/health", timeout=5).status_code == 200


def _request(timeout: float) -> SimpleNamespace:
    """What routes._bounded reads of a request: the operator's ask_timeout and the arrival time."""
    settings = SimpleNamespace(ask_timeout=timeout)
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(vg=SimpleNamespace(settings=settings))),
                           scope={"state": {"arrival": time.monotonic()}})


def test_questions_beyond_the_concurrency_wait_on_the_event_loop_and_stop_at_their_deadline():
    """At most ASK_CONCURRENCY questions are worked on at once (more threads holding the GIL would
    only starve the event loop: /health); the others wait for a place on the event loop, no thread
    of their own, until their deadline, and their work never begins."""
    from vemgorvad.serve.api_error import ApiError
    from vemgorvad.serve.ask import routes
    called: list[int] = []

    async def scenario() -> tuple[float, dict]:
        places = routes._places()
        for _ in range(routes.ASK_CONCURRENCY):
            await places.acquire()
        started = time.monotonic()
        with pytest.raises(ApiError) as refused:
            await routes._bounded(_request(0.3), lambda: called.append(1) or {})   # type: ignore[arg-type]
        waited = time.monotonic() - started
        assert refused.value.status == 503
        for _ in range(routes.ASK_CONCURRENCY):
            places.release()
        return waited, await routes._bounded(_request(5), lambda: {"ok": True})  # type: ignore[arg-type]
    waited, answer = asyncio.run(scenario())
    assert 0.25 < waited < 5 and not called
    assert answer == {"ok": True}


def test_questions_that_keep_their_threads_past_the_deadline_do_not_block_later_ones():
    """Work that never looks at the deadline (a store query cannot be interrupted) keeps its thread
    after its request got its 503; more such questions than ASK_CONCURRENCY, one after the other,
    and the next question is still answered (make scale, N = 100: two 100 s queries took both ask
    threads and every later question got a 503 for good)."""
    from vemgorvad.serve.api_error import ApiError
    from vemgorvad.serve.ask import routes
    release = threading.Event()
    stuck: list[int] = []
    threads = routes.ASK_THREADS
    overdue, total = threads.overdue_now, threads.overdue_total

    def runaway() -> dict:
        stuck.append(1)
        release.wait(120)
        return {}

    async def scenario() -> dict:
        for _ in range(routes.ASK_CONCURRENCY + 1):
            with pytest.raises(ApiError) as refused:
                await routes._bounded(_request(0.5), runaway)   # type: ignore[arg-type]
            assert refused.value.status == 503
        return await routes._bounded(_request(30), lambda: {"ok": True})  # type: ignore[arg-type]
    try:
        answer = asyncio.run(scenario())
        # each thread kept past its request's end is counted (/metrics: vemgorvad_ask_threads_overdue)
        assert threads.overdue_now == overdue + routes.ASK_CONCURRENCY + 1
    finally:
        release.set()
    assert len(stuck) == routes.ASK_CONCURRENCY + 1
    assert answer == {"ok": True}
    assert threads.overdue_total == total + routes.ASK_CONCURRENCY + 1
    for _ in range(100):                                # and no longer once their work has ended
        if threads.overdue_now == overdue:
            break
        time.sleep(0.05)
    assert threads.overdue_now == overdue


def test_work_that_never_began_or_ended_in_time_is_not_counted_overdue():
    from vemgorvad.serve.daemon_threads import DaemonThreads
    pool = DaemonThreads(1, "vg-overdue")
    done = pool.submit(lambda: 1)
    assert done.result(10) == 1
    pool.overdue(done)                                  # came back already: nothing runs on
    assert pool.overdue_now == pool.overdue_total == 0
    release = threading.Event()
    busy = pool.submit(release.wait, 30)
    waiting = pool.submit(lambda: 2)
    assert waiting.cancel()                             # cancelled before it began
    pool.overdue(waiting)
    pool.overdue(busy)
    assert pool.overdue_now == pool.overdue_total == 1
    release.set()
    assert busy.result(10)
    for _ in range(100):
        if pool.overdue_now == 0:
            break
        time.sleep(0.05)
    assert pool.overdue_now == 0 and pool.overdue_total == 1


def test_the_ask_threads_are_daemons_that_start_only_when_none_is_idle():
    """A thread still busy past its deadline must not hold up the server's exit (ThreadPoolExecutor
    joins its threads when the interpreter exits: `serve` took 124 s after SIGTERM behind a 100 s
    query). Work is handed to an idle thread before a new one starts; a job cancelled while it
    waited never runs; an error reaches the caller."""
    from vemgorvad.serve.daemon_threads import DaemonThreads
    pool = DaemonThreads(3, "vg-test")
    assert pool.submit(lambda: 1).result(10) == 1
    assert pool.submit(lambda: 2).result(10) == 2
    threads = [t for t in threading.enumerate() if t.name.startswith("vg-test")]
    assert len(threads) == 1 and threads[0].daemon
    release = threading.Event()
    busy = [pool.submit(release.wait, 30) for _ in range(3)]
    ran: list[int] = []
    waiting = pool.submit(lambda: ran.append(1))
    assert waiting.cancel()
    release.set()
    assert all(f.result(10) for f in busy)
    with pytest.raises(ZeroDivisionError):
        pool.submit(lambda: 1 / 0).result(10)
    assert not ran and len([t for t in threading.enumerate() if t.name.startswith("vg-test")]) == 3
