"""Prometheus metrics for one app, in a registry of its own (several apps in one process, as in the
tests, never share or collide): requests by route/method/status, latency by route, query and check
timeouts, and — read from the store at each scrape, so a reloaded graph shows at once — the graph's
size and the build it came from (the build's manifest.json; unknown for a remote store).

GET /metrics answers in the Prometheus text format (OpenMetrics when the scraper asks for it)."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import CounterMetricFamily, Metric, GaugeMetricFamily, InfoMetricFamily

from .. import heap
from ..ask import spelling
from ..ask.threads import ASK_CONCURRENCY, ASK_THREADS, RUNAWAY_THREADS
from ..ops import off_pool
from ..procpool import SANDBOX_REPORTS, STARTED
from .flags import SOURCES
from .readiness import ASK_INDEX

log = logging.getLogger("vemgorvad")
router = APIRouter()

#: Latency buckets (seconds): fine below 100 ms where the interactive endpoints should stay, coarse
#: up to the gap check's 60 s limit.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
#: Methods counted by name; anything else a client invents is counted as "other" (bounded labels).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
UNMATCHED = "unmatched"


class Metrics:
    def __init__(self, app: FastAPI) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("vemgorvad_http_requests", "HTTP requests answered, by route template, method "
                                "and status", ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("vemgorvad_http_request_duration_seconds", "Time from request to the last "
                                 "byte of the response, by route template", ["route"], buckets=BUCKETS,
                                 registry=self.registry)
        self.in_progress = Gauge("vemgorvad_http_requests_in_progress", "HTTP requests being answered now",
                                 registry=self.registry)
        self.timeouts = Counter("vemgorvad_query_timeouts", "Requests stopped at a time limit, by where: "
                                "sparql (endpoint worker or remote endpoint), check (gap check), store "
                                "(a service query to a remote store)", ["source"], registry=self.registry)
        for source in SOURCES:
            self.timeouts.labels(source)
        self.registry.register(GraphCollector(app))

    def observe(self, method: str, route: str | None, status: int, seconds: float, timeouts: list[str]) -> None:
        route = route or UNMATCHED
        self.requests.labels(route, method if method in METHODS else "other", str(status)).inc()
        self.latency.labels(route).observe(seconds)
        for source in set(timeouts):
            self.timeouts.labels(source).inc()


def _timestamp(text: str | None) -> float | None:
    if not text:
        return None
    for parse in (lambda t: datetime.strptime(t, "%Y-%m-%dT%H:%M:%S%z"), datetime.fromisoformat):
        try:
            return parse(text).timestamp()
        except (TypeError, ValueError):
            continue
    return None


class GraphCollector:
    """The served graph and its build, read from the app's current store at scrape time."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def describe(self) -> list[Metric]:
        return []       # nothing to announce at registration: the store may not answer yet

    def collect(self) -> Iterator[Metric]:
        store = self.app.state.vg.store
        yield InfoMetricFamily("vemgorvad_store", "Where the served graph lives", value={"kind": store.name})
        try:
            stats = store.stats()
        except Exception as err:    # a remote store that does not answer: export what is known
            log.warning("metrics: graph size unknown (%s)", type(err).__name__)
            stats = None
        if stats:
            yield GaugeMetricFamily("vemgorvad_graph_triples", "Triples (quads) in the served graph",
                                    value=stats["triples"])
            yield GaugeMetricFamily("vemgorvad_graph_agreements", "Agreements in the served graph",
                                    value=stats["agreements"])
            yield GaugeMetricFamily("vemgorvad_graph_named_graphs", "Named graphs (agreements and vocabulary)",
                                    value=len(stats.get("graphs") or {}))
        yield CounterMetricFamily("vemgorvad_ask_index_builds", "Answer indexes built by this process (one at "
                                  "start, one per reload; never one per request)", value=ASK_INDEX.count)
        yield GaugeMetricFamily("vemgorvad_ask_index_build_seconds", "How long the last answer index took to build",
                                value=ASK_INDEX.last_seconds)
        sandbox = GaugeMetricFamily("vemgorvad_worker_sandbox", "Whether the last started worker of a kind "
                                    "runs without network (1) by each layer", labels=["kind", "layer"])
        for kind, report in sorted(SANDBOX_REPORTS.items()):
            for layer in ("network_namespace", "seccomp"):
                sandbox.add_metric([kind, layer], 1.0 if report.get(layer) else 0.0)
        yield sandbox
        started = CounterMetricFamily("vemgorvad_workers_started", "Worker processes started by this process, by "
                                      "kind (query:decide, query:evaluate, check): at start, at a reload, and "
                                      "one for each worker replaced after a kill", labels=["kind"])
        for kind, count in sorted(STARTED.items()):
            started.add_metric([kind], float(count))
        yield started
        yield GaugeMetricFamily("vemgorvad_ask_threads", "Threads questions are worked in, started so far "
                                f"(at most {ASK_CONCURRENCY + RUNAWAY_THREADS})", value=float(ASK_THREADS.started))
        yield GaugeMetricFamily("vemgorvad_ask_threads_overdue", "Ask threads still busy for a request that has "
                                f"ended (its deadline passed or its client left); at {RUNAWAY_THREADS} questions "
                                "wait for one to come back", value=float(ASK_THREADS.overdue_now))
        yield CounterMetricFamily("vemgorvad_ask_overdue_questions", "Questions whose work ran on after their "
                                  "request ended", value=float(ASK_THREADS.overdue_total))
        yield GaugeMetricFamily("vemgorvad_spelling_dictionary_loaded", "1 once the Swedish spelling dictionary "
                                "is loaded (serve loads it before it is ready)", value=float(spelling.loaded()))
        yield GaugeMetricFamily("vemgorvad_gc_frozen_objects", "Objects of the warm heap that garbage collections "
                                "skip (gc.freeze after the warm-up and after each reload)", value=heap.frozen())
        manifest = getattr(store, "manifest", None) or {}
        if manifest.get("build_id"):
            yield InfoMetricFamily("vemgorvad_build", "The build being served (from its manifest.json)",
                                   value={"build_id": str(manifest["build_id"]),
                                          "built_at": str(manifest.get("built_at") or "")})
        built = _timestamp(manifest.get("built_at"))
        if built is not None:
            yield GaugeMetricFamily("vemgorvad_build_timestamp_seconds", "When the served build was made "
                                    "(Unix time)", value=built)
        if isinstance(manifest.get("seconds"), (int, float)):
            yield GaugeMetricFamily("vemgorvad_build_duration_seconds", "How long the served build took",
                                    value=manifest["seconds"])
        timings = manifest.get("timings") or {}
        if timings:
            stage = GaugeMetricFamily("vemgorvad_build_stage_duration_seconds", "How long each stage of the "
                                      "served build took", labels=["stage"])
            for name, seconds in sorted(timings.items()):
                if isinstance(seconds, (int, float)):
                    stage.add_metric([str(name)], seconds)
            yield stage


@router.get("/metrics", tags=["drift"], response_class=PlainTextResponse,
            summary="Mätvärden för drift (Prometheus textformat)")
async def metrics(request: Request) -> Response:
    encoder, content_type = choose_encoder(request.headers.get("accept", ""))
    # off the shared pool: a remote store's size is a query over the network the first time
    body = await off_pool(encoder, request.app.state.metrics.registry)
    return Response(body, media_type=content_type)
