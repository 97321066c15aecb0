"""The query workers' work (run by serve/worker.py inside sandboxed processes), in two roles:

- decide: what the query may do, from rdflib's parse (decide.py) — a refusal, or the decision;
- evaluate: run a decided query on this process's own copy of the graph, with the decided dataset.

Deciding has workers of its own, so a refusal or a decision never waits behind a long evaluation.
The parent kills a process whose job passes its deadline, which ends the work for real."""
from __future__ import annotations

import dataclasses
from typing import Any

import pyoxigraph

from .decide import Decision, Refused, check_services, decide
from .results import Job, Outcome, error, evaluate


class QueryWorker:
    def __init__(self, init: dict[str, Any]):
        self.role = init.get("role", "evaluate")
        self.store = None
        self.init_store = init.get("store")
        if self.role == "evaluate" and init.get("store"):       # shared by the workers, read-only
            self.store = pyoxigraph.Store.read_only(init["store"])
        elif self.role == "evaluate" and init.get("dump"):      # this worker's own copy in memory
            self.store = pyoxigraph.Store()
            self.store.bulk_load(path=init["dump"], format=pyoxigraph.RdfFormat.N_QUADS)

    def info(self) -> dict[str, Any]:
        return {"role": self.role, "quads": len(self.store) if self.store is not None else 0,
                "shared": self.role == "evaluate" and bool(self.init_store)}

    def handle(self, job: Job) -> Outcome:
        if self.role == "decide":
            try:
                decision = decide(job.query, job.base_iri)
                check_services(decision, job.service_allowlist)
            except Refused as refusal:
                return error(refusal.status, refusal.message)
            return Outcome(200, "", b"", "decision", decision=dataclasses.asdict(decision))
        if self.store is None or job.decision is None:
            return error(503, "Ingen graf är laddad i frågeprocessen.")
        try:
            return evaluate(self.store, job, Decision(**job.decision))
        except MemoryError:
            return error(503, "Frågan krävde mer minne än servern tillåter och avbröts. "
                              "Begränsa frågan (LIMIT, fler villkor).")

    def failed(self, err: Exception) -> Outcome:
        return error(400, f"Frågan kunde inte besvaras ({type(err).__name__}).")
