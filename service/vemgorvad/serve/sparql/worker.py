"""A query worker: a separate process holding its own copy of the graph, so that a query that runs
past its time limit can be stopped for real — the parent kills the process, which ends the work.
Started by pool.QueryPool as `python -m vemgorvad.serve.sparql.worker FD DUMP MEMORY_MB`."""
from __future__ import annotations

import sys
from multiprocessing.connection import Connection

import pyoxigraph

from ...procs import limit_memory, lower_priority
from ...settings import settings
from .results import error, evaluate


def main(argv: list[str]) -> int:
    # client queries are batch work next to the interactive service: a long query must not take
    # the CPU from the server process answering everyone else (VEMGORVAD_WORKER_NICE)
    lower_priority(settings().worker_nice)
    conn = Connection(int(argv[0]))
    store = pyoxigraph.Store()
    store.bulk_load(path=argv[1], format=pyoxigraph.RdfFormat.N_QUADS)
    limit_memory(int(argv[2]))
    conn.send(("ready", len(store)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return 0
        try:
            outcome = evaluate(store, job)
        except MemoryError:
            outcome = error(503, "Frågan krävde mer minne än servern tillåter och avbröts.")
        conn.send(outcome)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
