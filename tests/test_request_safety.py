"""Issue 10's smaller items: the Host header is never trusted (configured public URL, allowed hosts),
caches are bounded in bytes with their keys and nothing is memoised per client header, /docs and
/redoc load nothing from outside (they are off), /id/%25 is a 400, a reload token's whitespace is
not part of it, and /health answers while every query worker is busy (asserted on the order of events
and on the designed refusals, not on wall time)."""
from __future__ import annotations

import threading
import time

import httpx
from fastapi.testclient import TestClient

from vemgorvad.serve.app import create_app
from vemgorvad.serve.caches import ByteBoundedCache
from vemgorvad.settings import load_settings


def test_the_host_header_is_refused_unless_allowed_and_never_used_for_links(embedded_store):
    settings = load_settings(public_base_url="https://vemgorvad.example/", allowed_hosts=())
    app = create_app(embedded_store, settings)
    with TestClient(app, base_url="http://evil.example") as client:
        for path in ("/sparql", "/api/ask/", "/health"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 400 and "Host" in response.json()["detail"], path
    with TestClient(app, base_url="https://vemgorvad.example") as client:
        sd = client.get("/sparql", headers={"Accept": "text/turtle"})
        assert sd.status_code == 200 and "<https://vemgorvad.example/sparql>" in sd.text
        redirect = client.get("/api/ask/", follow_redirects=False)
        assert "evil" not in redirect.headers.get("location", "")


def test_the_service_description_is_not_kept_per_host(embedded_store):
    app = create_app(embedded_store, load_settings(allowed_hosts=("*",)))
    with TestClient(app) as client:
        for i in range(40):
            client.get("/sparql", headers={"Host": f"h{i}.example", "Accept": "text/turtle"})
        memo = app.state.vg.served.sparql._memo
        assert len(memo) <= 3, list(memo)


def test_the_answer_cache_counts_keys_and_stays_within_its_bytes():
    cache = ByteBoundedCache(max_mb=1)
    for i in range(300):
        cache.put(("SELECT * {} #" + "x" * 20_000 + str(i), None, None, ()), ("application/json", b"{}", 0), 2)
    assert cache.bytes <= 1024 * 1024 and len(cache) < 60
    off = ByteBoundedCache(max_mb=0)
    off.put("k", "v", 1)
    assert off.get("k") is None


def test_docs_are_off_and_bad_resource_paths_are_400(client):
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200
    response = client.get("/id/%25")
    assert response.status_code == 400 and response.json()["detail"]


def test_a_reload_token_with_surrounding_whitespace_matches(embedded_store, monkeypatch):
    monkeypatch.setenv("VEMGORVAD_RELOAD_TOKEN", "  s3cret-token\n")
    settings = load_settings()
    assert settings.reload_token == "s3cret-token"
    app = create_app(embedded_store, settings)
    with TestClient(app) as client:
        assert client.post("/admin/reload", headers={"Authorization": "Bearer wrong"}).status_code == 403
        answer = client.post("/admin/reload", headers={"Authorization": "Bearer s3cret-token"})
        assert answer.status_code in (200, 409), answer.text


def _metric(url: str, name: str, **labels: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families
    text = httpx.get(url + "/metrics", timeout=30).text
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))


def _wait_for(condition, what: str, seconds: float = 120) -> None:
    """Poll until `condition()` holds; a hang fails the test instead of blocking it."""
    until = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < until, f"never happened: {what}"
        time.sleep(0.05)


def test_health_answers_while_every_query_worker_is_busy(build_dir):
    """Twelve cartesian queries hold every evaluating worker and queue behind them; /health answers
    while all twelve are still unanswered. Each gets the designed 503 with a Swedish detail: the
    ones that got a worker had it killed at their deadline (and replaced), the ones left waiting
    were refused as their own deadline — counted from arrival, queueing included — passed. Asserted
    on the order of events and the refusals, not on wall time."""
    from oxigraph_server import shared_service
    service = shared_service("embedded", build_dir, query_timeout=3)
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } #"
    replaced_before = _metric(service.url, "vemgorvad_workers_started_total", kind="query:evaluate")
    in_progress_before = _metric(service.url, "vemgorvad_http_requests_in_progress")
    answers: list[httpx.Response] = []

    def heavy(i: int) -> None:
        answers.append(httpx.get(service.url + "/sparql", params={"query": cartesian + str(i)}, timeout=60))
    threads = [threading.Thread(target=heavy, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    # all twelve are inside the server (each count includes the /metrics request making it)
    _wait_for(lambda: answers or _metric(service.url, "vemgorvad_http_requests_in_progress")
              >= in_progress_before + 12, "twelve queries in progress")
    assert not answers, "a cartesian query was answered before the probe could start"
    with httpx.Client(timeout=10) as client:
        assert client.get(service.url + "/health").status_code == 200
    unanswered = 12 - len(answers)
    for t in threads:
        t.join(60)
    assert unanswered == 12, f"/health came after {12 - unanswered} of the heavy queries"
    assert len(answers) == 12 and {r.status_code for r in answers} == {503}
    details = [r.text for r in answers]
    killed = sum("Frågan avbröts efter 3 s" in d for d in details)
    refused_in_queue = sum("hann inte börja på frågan inom tidsgränsen 3 s" in d for d in details)
    assert killed + refused_in_queue == 12, details
    assert killed >= 1 and refused_in_queue >= 1, (killed, refused_in_queue)
    # each killed worker is replaced, so the next query finds one
    _wait_for(lambda: _metric(service.url, "vemgorvad_workers_started_total", kind="query:evaluate")
              >= replaced_before + killed, "the killed workers replaced")


def test_health_answers_while_questions_hold_the_server_threads(build_dir):
    """Questions whose work is pure Python spinning on the CPU (the interpreter lock taken in turns)
    hold the server's question threads, more of them waiting behind: /health — answered on the
    event loop, outside every pool — comes back while none of the questions has. No more than
    ASK_CONCURRENCY of them work at once; the rest wait without the interpreter lock."""
    from oxigraph_server import shared_service

    from vemgorvad.serve.ask import routes
    service = shared_service("embedded", build_dir, query_timeout=3)
    engine = service.app.state.vg.served.ask_engine()
    release, lock = threading.Event(), threading.Lock()
    working: list[int] = []
    most = [0]
    original = engine.ask

    def spinning(question, agreement=None):
        with lock:
            working.append(1)
            most[0] = max(most[0], len(working))
        try:
            n = 0
            while not release.is_set():      # CPU-bound: holds the interpreter lock between switches
                n += 1
        finally:
            with lock:
                working.pop()
        return original(question, agreement)

    engine.ask = spinning
    answers: list[httpx.Response] = []
    try:
        def ask(i: int) -> None:
            answers.append(httpx.get(service.url + "/api/ask", params={"q": f"Vem ansvarar för boendet {i}?"},
                                     timeout=60))
        threads = [threading.Thread(target=ask, args=(i,)) for i in range(routes.ASK_CONCURRENCY + 4)]
        for t in threads:
            t.start()
        _wait_for(lambda: len(working) == routes.ASK_CONCURRENCY, "the question threads working")
        with httpx.Client(timeout=10) as client:
            assert client.get(service.url + "/health").status_code == 200
        assert not answers, "a question was answered before /health"
    finally:
        release.set()
        for t in threads:
            t.join(60)
        engine.ask = original
    assert most[0] == routes.ASK_CONCURRENCY
    assert len(answers) == len(threads) and {r.status_code for r in answers} <= {200, 503}


def _trickled(app, path: str, headers: dict[str, str]) -> httpx.Response:
    """A POST whose body sends one byte, then nothing more (slowloris): through the ASGI app."""
    import asyncio

    async def body():
        yield b"S"
        await asyncio.sleep(3600)

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=30) as client:
            return await client.post(path, content=body(), headers=headers)
    return asyncio.run(send())


def test_a_trickled_body_is_refused_when_its_route_s_time_is_up(embedded_store):
    """Slowloris: a body that never finishes is refused with 408 (and the connection closed) once the
    route's own limit, counted from the request's arrival, has passed — not held for ever."""
    app = create_app(embedded_store, load_settings(query_timeout=0.5, check_timeout=0.5))
    started = time.monotonic()
    query = _trickled(app, "/sparql", {"Content-Type": "application/sparql-query"})
    assert query.status_code == 408 and "i tid" in query.text and query.headers["connection"] == "close"
    upload = _trickled(app, "/api/check", {"Content-Type": "text/plain"})
    assert upload.status_code == 408 and "i tid" in upload.json()["detail"]
    report = _trickled(app, "/api/check/report", {"Content-Type": "application/json"})
    assert report.status_code == 408
    assert time.monotonic() - started < 60      # not the hour the body would have taken


def test_a_deeply_nested_report_is_a_400(client):
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = client.post("/api/check/report", content=body.encode(),
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 400 and "nästlad" in response.json()["detail"], response.text[:200]


def test_questions_wait_for_the_ask_threads_without_starting_threads_of_their_own(app):
    """Twelve questions at once are worked on in the ask executor's ASK_CONCURRENCY threads; the
    others wait in its queue, not in new threads (each thread start holds the event loop)."""
    import asyncio

    from vemgorvad.serve.ask.routes import ASK_CONCURRENCY

    async def flood() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=120) as client:
            replies = await asyncio.gather(*(client.get("/api/ask", params={"q": f"Vem ansvarar för boende {i}?"})
                                             for i in range(12)))
        return [r.status_code for r in replies]

    before = {t.ident for t in threading.enumerate()}
    statuses = asyncio.run(flood())
    new = [t.name for t in threading.enumerate() if t.ident not in before]
    assert all(status in (200, 503) for status in statuses), statuses
    assert len([n for n in new if not n.startswith("vg-ask")]) == 0, new
    assert len(new) <= ASK_CONCURRENCY, new


def test_a_served_question_stuck_past_its_deadline_does_not_stop_the_service(build_dir):
    """Issue 10/16 (make scale, N = 100): two questions whose store query ran for 100 s, past their
    10 s deadline, kept both ask threads and every later /api/ask and /api/compare got a 503 for
    good. Here ASK_CONCURRENCY + 1 questions whose work ignores the deadline, one after another,
    each get their 503; then a question and a comparison are answered again."""
    from oxigraph_server import shared_service

    from vemgorvad.serve.ask import routes, spelling
    service = shared_service("embedded", build_dir, ask_timeout=4)
    engine = service.app.state.vg.served.ask_engine()
    spelling.wait()
    release = threading.Event()
    stuck: list[str] = []
    original = engine.ask

    def runaway(question, agreement=None):
        if "fastnar" in question:
            stuck.append(question)
            release.wait(120)                 # like a store query: never looks at the deadline
        return original(question, agreement)

    engine.ask = runaway
    try:
        with httpx.Client(base_url=service.url, timeout=60) as client:
            for i in range(routes.ASK_CONCURRENCY + 1):
                reply = client.get("/api/ask", params={"q": f"Vem ansvarar för boendet som fastnar {i}?"})
                assert reply.status_code == 503 and "avbröts" in reply.json()["detail"]
            assert len(stuck) == routes.ASK_CONCURRENCY + 1
            assert client.get("/api/ask", params={"q": "Vem ansvarar för hjälpmedel?"}).status_code == 200
            assert client.get("/api/compare", params={"topic": "hjalpmedel"}).status_code == 200
    finally:
        release.set()
        engine.ask = original
