"""The ask engine timed in one process, without HTTP: the in-process figure `make scale` prints next
to the same questions asked over HTTP (run.py), so the two show what the HTTP layer adds.

The store is opened as `vemgorvad serve` opens it (on disk from settings' query_shared_quads on), the
spelling dictionary's load waited for as serve's warm-up waits (its 2.5 s of pure Python in a thread
held the interpreter lock beside the first questions: p50 145 ms instead of ~40 at N = 100), one
question is asked first to warm up as the server's first question does, the heap is then frozen as
serve freezes it (heap.py; without it a full collection walks the index: p95 1.2 s instead of 0.1
at N = 100), and each question (all
different, so the engine's answer cache never hits) is timed as the route answers it: engine.ask,
then the cards of cards.enrich.

    python -m tests.scale.inprocess < questions.json      # a JSON list; prints a JSON list of ms
"""
from __future__ import annotations

import json
import sys
import time

from vemgorvad.serve import heap
from vemgorvad.serve.ask import spelling
from vemgorvad.serve.ask.engine import AskEngine
from vemgorvad.serve.present.cards import enrich
from vemgorvad.serve.present.facts import agreement_validity
from vemgorvad.settings import settings
from vemgorvad.store import open_store

WARM_UP = "Vem ansvarar för hjälpmedel för en 25-åring?"


def timed(questions: list[str]) -> list[float]:
    store = open_store(on_disk_from=settings().query_shared_quads)
    engine = AskEngine(store)
    spelling.wait()    # as serve's warm-up waits: no dictionary load beside the questions (state.Served.warm)
    validity = agreement_validity(store)
    enrich(engine.ask(WARM_UP, None), store, validity)
    heap.freeze()      # as serve does after its warm-up: full collections skip the index (heap.py)
    out = []
    for question in questions:
        started = time.perf_counter()
        enrich(engine.ask(question, None), store, validity)
        out.append((time.perf_counter() - started) * 1000)
    return out


if __name__ == "__main__":
    print(json.dumps(timed(list(json.load(sys.stdin)))))
