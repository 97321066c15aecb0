"""Each kind of worker process loads only its own work (procpool.ENTRIES): a query worker — deciding
or evaluating — holds rdflib's parser and pyoxigraph, never the gap check's pipeline (ingest,
extraction, validation) nor its PDF and DOCX readers and writers, which cost ~80 MB in every worker
and made the server with its workers pass 1.5 GB under attack. The modules are those the running
worker reports in its ready message (sys.modules after its init). Also: the evaluating workers run
at the operator's `worker_nice` below the server, the deciding ones half that step below it."""
from __future__ import annotations

import os
import time
from pathlib import Path

from vemgorvad.serve.check.service import peers_from
from vemgorvad.serve.procpool import ProcessPool
from vemgorvad.serve.sparql.pool import QueryPool
from vemgorvad.serve.sparql.runtime import SparqlRuntime
from vemgorvad.settings import Settings

from poolutil import check_sampling

ROOT = Path(__file__).resolve().parents[1]
#: What the gap check needs and a query never does (top-level names of sys.modules).
CHECK_ONLY = ("vemgorvad.serve.check", "vemgorvad.ingest", "vemgorvad.extract", "vemgorvad.pipeline",
              "vemgorvad.validate", "vemgorvad.serve.ask", "pdfminer", "pypdf", "pypdfium2", "docx",
              "weasyprint", "pyshacl", "spylls", "fastapi")


def heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in CHECK_ONLY))


def test_query_workers_load_no_gap_check_pdf_or_docx_modules(embedded_store):
    pool = QueryPool(embedded_store.store, size=1)
    try:
        for lane in (pool.deciding, pool.sandboxed):
            assert lane is not None
            info = lane._idle[0].info
            assert info["modules"], info.keys()
            assert "vemgorvad.serve.sparql.worker" in info["modules"]
            assert heavy(info["modules"]) == [], (info.get("role"), heavy(info["modules"]))
    finally:
        pool.close()


def test_the_check_worker_does_load_them(embedded_store):
    """The list above names real modules: the gap-check worker imports them (so the query test can fail)."""
    pool = ProcessPool("check", {"peers": peers_from(embedded_store)}, size=1, memory_mb=0).start()
    try:
        found = heavy(pool._idle[0].info["modules"])
    finally:
        pool.close()
    for needed in ("vemgorvad.serve.check", "vemgorvad.ingest", "vemgorvad.extract", "docx", "weasyprint"):
        assert needed in found, needed
    assert not [m for m in found if m == "fastapi" or m.startswith(("vemgorvad.serve.ask", "fastapi."))], found


def test_evaluating_query_workers_run_at_the_operators_nice(embedded_store):
    """Through the runtime, as the server makes them: 7 is not the sandbox's default of 10."""
    own = os.nice(0)
    runtime = SparqlRuntime(embedded_store, Settings(worker_nice=7))
    try:
        pool = runtime.pool()
        assert pool.sandboxed is not None
        assert pool.sandboxed._idle[0].info["nice"] == min(19, own + 7)
        assert pool.deciding._idle[0].info["nice"] == min(19, own + 7 // 2)   # interactive: half the step
    finally:
        runtime.close()


def test_a_large_graph_is_shared_read_only_by_the_evaluating_workers(embedded_store):
    """From `query_shared_quads` on (0 here: any graph), the evaluating workers open one read-only
    on-disk copy instead of loading their own; they answer exactly as the in-memory copies do."""
    from vemgorvad.serve.sparql.results import Job
    query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    formats = (("solutions", "application/sparql-results+json", "JSON"),)
    answers = {}
    for shared_quads in (0, 10**12):
        pool = QueryPool(embedded_store.store, size=2, memory_mb=512, shared_quads=shared_quads)   # as served
        try:
            assert pool.sandboxed is not None
            infos = [w.info for w in pool.sandboxed._idle]
            assert len(infos) == 2
            assert all(i["shared"] is (shared_quads == 0) for i in infos), infos
            assert all(i["quads"] == len(embedded_store.store) for i in infos), infos
            outcome = pool.sandboxed.run_blocking(Job(query, formats=formats, decision={
                "form": "SELECT", "services": [], "from_graphs": [], "from_named": [], "functions": []}),
                time.monotonic() + 60)
            assert outcome.status == 200, outcome
            answers[shared_quads] = outcome.body
        finally:
            pool.close()
    assert answers[0] == answers[10**12]


def test_without_a_budget_every_check_worker_runs_below_the_server(embedded_store):
    """check_priority_cpu=0: no check worker shares the server's CPU priority: a small upload's check
    (interactive) runs half the operator's step below it, a whole agreement's check the full step."""
    from vemgorvad.serve.check.service import CheckService
    own = os.nice(0)
    service = CheckService(embedded_store, settings=Settings(worker_nice=7, check_priority_cpu=0)).start(wait=True)
    try:
        assert service.pool("small")._idle[0].info["nice"] == min(19, own + 3)
        assert service.pool("large")._idle[0].info["nice"] == min(19, own + 7)
    finally:
        service.close()
    service = CheckService(embedded_store, settings=Settings(worker_nice=7)).start(wait=True)
    try:    # with the default budget: a whole agreement's worker at the server's priority, until it is spent
        assert service.pool("small")._idle[0].info["nice"] == min(19, own + 3)
        assert service.pool("large")._idle[0].info["nice"] == own
        assert service.pool("large").budget is service.budget and service.pool("small").budget is None
    finally:
        service.close()


def _nice(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[16])


def test_checks_run_at_the_server_priority_while_the_budget_holds_cpu_time_then_below_it(embedded_store):
    """With a budget (default 3 CPU-s, refilled at 0.5 per second: a whole agreement needs about one),
    a check worker runs at the server's priority, so a check finishes at full speed on a busy
    machine; once the bucket is empty (here 0.05 s and no refill, so the largest agreement's check
    empties it) the check goes on at worker_nice, and so does the next one from its start; after
    each, the worker comes back to the server's priority. With time in the bucket a check never
    leaves it."""
    from vemgorvad.serve.procpool import Budget
    own = os.nice(0)
    lowered = min(19, own + 7)
    text = (ROOT / "data" / "agreements" / "vastmanland.txt").read_bytes()
    pool = ProcessPool("check", {"peers": peers_from(embedded_store)}, size=1, nice=7, budget=Budget(0.05, 0)).start()
    try:
        assert pool._idle[0].info["nice"] == own
        kind, seen = check_sampling(pool, text, _nice)
        assert kind == "ok" and {own, lowered} <= seen, seen        # lowered once past the budget
        assert pool.lowered_restored == 1 and _nice(pool._idle[0].pid) == own   # and raised again
        kind, seen = check_sampling(pool, b"Kommunen ansvarar for boendet.\n", _nice)
        assert kind == "ok" and lowered in seen, seen               # the bucket is empty: lowered (from its start)
        assert pool.lowered_restored == 2 and _nice(pool._idle[0].pid) == own
        pool.budget = Budget(1000, 0)
        kind, seen = check_sampling(pool, text, _nice)
        assert kind == "ok" and seen == {own}, seen                 # within the budget: never lowered
    finally:
        pool.close()


def test_a_worker_whose_priority_may_not_be_raised_again_is_replaced(embedded_store, monkeypatch):
    """Without CAP_SYS_NICE or RLIMIT_NICE the kernel refuses to raise a lowered worker's priority
    (here refused by a stand-in for the kernel): the pool then replaces the worker (a new one starts at the server's priority) instead of
    keeping every later check at worker_nice."""
    from vemgorvad.serve import procpool
    own = os.nice(0)
    real = procpool.set_nice
    monkeypatch.setattr(procpool, "set_nice", lambda pid, nice: nice > own and real(pid, nice))
    pool = ProcessPool("check", {"peers": peers_from(embedded_store)}, size=1, nice=7,
                       budget=procpool.Budget(0.05, 0)).start()
    try:
        first = pool._idle[0].pid
        text = (ROOT / "data" / "agreements" / "vastmanland.txt").read_bytes()
        assert pool.run_blocking(("check", text, "v.txt", None), time.monotonic() + 300)[0] == "ok"
        assert pool.lowered_replaced == 1
        deadline = time.monotonic() + 120
        while not pool._idle and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pool._idle and pool._idle[0].pid != first and pool._idle[0].info["nice"] == own
    finally:
        pool.close()

