"""A query worker: a separate process holding its own copy of the graph, so that a query that runs
past its time limit can be stopped for real — the parent kills the process, which ends the work.
Started by pool.QueryPool as `python -m vemgorvad.serve.sparql.worker FD DUMP MEMORY_MB`."""
from __future__ import annotations

import os
import sys


def _lower_priority() -> None:
    """Client queries are batch work next to the interactive service: a long query must not take
    the CPU from the server process answering everyone else (VEMGORVAD_WORKER_NICE, default 10)."""
    try:
        os.nice(int(os.environ.get("VEMGORVAD_WORKER_NICE", "10")))
    except (OSError, ValueError):
        pass


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    import resource
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> int:
    from multiprocessing.connection import Connection

    import pyoxigraph

    from .results import evaluate

    _lower_priority()
    conn = Connection(int(argv[0]))
    store = pyoxigraph.Store()
    store.bulk_load(path=argv[1], format=pyoxigraph.RdfFormat.N_QUADS)
    _limit_memory(int(argv[2]))
    conn.send(("ready", len(store)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return 0
        try:
            outcome = evaluate(store, job)
        except MemoryError:
            from .results import error
            outcome = error(503, "Frågan krävde mer minne än servern tillåter och avbröts.")
        conn.send(outcome)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
