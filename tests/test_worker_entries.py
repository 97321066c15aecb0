"""Each kind of worker process loads only its own work (procpool.ENTRIES): a query worker — deciding
or evaluating — holds rdflib's parser and pyoxigraph, never the gap check's pipeline (ingest,
extraction, validation) nor its PDF and DOCX readers and writers, which cost ~80 MB in every worker
and made the server with its workers pass 1.5 GB under attack. The modules are those the running
worker reports in its ready message (sys.modules after its init). Also: the evaluating workers run
at the operator's `worker_nice` below the server, the deciding ones half that step below it."""
from __future__ import annotations

import os
import time

from vemgorvad.serve.check.service import peers_from
from vemgorvad.serve.procpool import ProcessPool
from vemgorvad.serve.sparql.pool import QueryPool
from vemgorvad.serve.sparql.runtime import SparqlRuntime
from vemgorvad.settings import Settings

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


def test_every_worker_runs_below_the_server(embedded_store):
    """No worker shares the server's CPU priority: a small upload's check (interactive) runs half the
    operator's step below it, a whole agreement's check the full step — so the server's event loop
    (/health, every request's I/O) gets a core before any work a client can make heavy."""
    from vemgorvad.serve.check.service import CheckService
    own = os.nice(0)
    service = CheckService(embedded_store, settings=Settings(worker_nice=7)).start(wait=True)
    try:
        assert service.pool("small")._idle[0].info["nice"] == min(19, own + 3)
        assert service.pool("large")._idle[0].info["nice"] == min(19, own + 7)
    finally:
        service.close()
