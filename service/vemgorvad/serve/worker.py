"""A worker process: `python -m vemgorvad.serve.worker KIND FD`, started by procpool.ProcessPool.

Importing starts no thread. First, before any thread starts or any client data is read: die with the parent, close the network
(sandbox.py; unless the pool runs the federation lane), lower the priority. Then the parent's init
message sets up the work (load the graph, warm the gap check), the memory ceiling goes on, and the
worker answers jobs one at a time until its socket closes.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
from multiprocessing.connection import Connection

from . import sandbox
from .check.worker import CheckWorker
from .sparql.worker import QueryWorker

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:               # the parent is already gone
        sys.exit(0)


def _handler(kind: str, init: dict) -> QueryWorker | CheckWorker:
    if kind == "query":
        return QueryWorker(init)
    if kind == "check":
        return CheckWorker(init)
    raise SystemExit(f"unknown worker kind {kind!r}")


def main(argv: list[str]) -> int:
    _die_with_parent()
    if os.environ.get("VEMGORVAD_WORKER_SANDBOX", "1") != "0":
        status = sandbox.close_network()
        if not status.network_closed:
            print(f"vemgörvad: NETWORK SANDBOX UNAVAILABLE in a {argv[0]} worker (pid {os.getpid()}): "
                  f"{'; '.join(status.problems)}", file=sys.stderr, flush=True)
    else:
        status = sandbox.Status(problems=["sandbox off (federation lane)"])
    sandbox.lower_priority()
    conn = Connection(int(argv[1]))
    try:
        init = conn.recv()
    except (EOFError, OSError):
        return 0
    handler = _handler(argv[0], init)
    sandbox.limit_memory(int(os.environ.get("VEMGORVAD_WORKER_MEMORY_MB", "0") or 0), status)
    conn.send(("ready", {"pid": os.getpid(), "sandbox": status.as_dict(), **handler.info()}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return 0
        try:
            answer = handler.handle(job)
        except Exception as err:  # a bug must cost one job, not the worker and what is queued behind it
            print(f"vemgörvad: {argv[0]} worker: {type(err).__name__}: {err}", file=sys.stderr, flush=True)
            answer = handler.failed(err)
        conn.send(answer)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
