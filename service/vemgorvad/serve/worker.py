"""The loop every worker process runs, started by procpool.ProcessPool as
`python -m <entry module> KIND FD`. Each kind of worker has its own small entry module
(sparql/entry.py, check/entry.py) that imports only the work of that kind: a query worker never
loads the gap check's ingest, extraction and document parsers (~80 MB in every worker).

Importing starts no thread. First, before any thread starts or any client data is read: die with
the parent, close the network (sandbox.py; unless the pool runs the federation lane), lower the
priority. Then the parent's init message sets up the work (load the graph, warm the gap check), the
memory ceiling goes on, and the worker answers jobs one at a time until its socket closes.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from . import heap, sandbox

#: RSS growth over the worker's size when ready (MB) past which it hands freed heap back after a job.
TRIM_ABOVE_MB = 32

PR_SET_PDEATHSIG = 1


class Handler(Protocol):
    def info(self) -> dict[str, Any]: ...

    def handle(self, job: Any) -> Any: ...

    def failed(self, err: Exception) -> Any: ...


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:               # the parent is already gone
        sys.exit(0)


def main(make_handler: Callable[[Any], Handler], argv: list[str]) -> int:
    """argv: the worker's kind (for messages) and the file descriptor of its socket to the server."""
    kind = argv[0]
    _die_with_parent()
    if os.environ.get("VEMGORVAD_WORKER_SANDBOX", "1") != "0":
        status = sandbox.close_network()
        if not status.network_closed:
            print(f"vemgörvad: NETWORK SANDBOX UNAVAILABLE in a {kind} worker (pid {os.getpid()}): "
                  f"{'; '.join(status.problems)}", file=sys.stderr, flush=True)
    else:
        status = sandbox.Status(problems=["sandbox off (federation lane)"])
    sandbox.lower_priority()
    conn = Connection(int(argv[1]))
    try:
        init = conn.recv()
    except (EOFError, OSError):
        return 0
    handler = make_handler(init)
    sandbox.limit_memory(int(os.environ.get("VEMGORVAD_WORKER_MEMORY_MB", "0") or 0), status)
    conn.send(("ready", {"pid": os.getpid(), "sandbox": status.as_dict(), "nice": os.nice(0),
                         "modules": sorted(sys.modules), **handler.info()}))
    ready_mb = heap.rss_mb()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return 0
        try:
            answer = handler.handle(job)
        except Exception as err:  # a bug must cost one job, not the worker and what is queued behind it
            print(f"vemgörvad: {kind} worker: {type(err).__name__}: {err}", file=sys.stderr, flush=True)
            answer = handler.failed(err)
        conn.send(answer)
        del job, answer
        # a large job (a whole agreement as a PDF: ~200 MB) leaves its freed memory in the heap,
        # counted in the worker's RSS until the next job: handed back once answered
        if heap.rss_mb() > ready_mb + TRIM_ABOVE_MB:
            heap.trim()
