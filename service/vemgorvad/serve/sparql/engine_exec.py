"""Entry of the SPARQL engine process (`python -m vemgorvad.serve.sparql.engine_exec PARENT NICE PROGRAM ARGS…`,
started by engine.py): die with the service (the parent-death signal), close this process's
network to listening only (sandbox.listen_only: it may accept the service's connections, never
open one, so a SERVICE the engine's parser reads can reach nothing), step NICE below the server
(in the server's own session and scheduling group, as the evaluating workers), then become the
engine program — the signal, the filter and the priority pass on through exec."""
from __future__ import annotations

import os
import sys

from ...procs import die_with_parent
from ..sandbox import listen_only, lower_priority


def main(argv: list[str]) -> int:
    parent, nice, program = int(argv[0]), int(argv[1]), argv[2:]
    die_with_parent(parent)
    status = listen_only()
    if not status.seccomp:
        print("NETWORK SANDBOX UNAVAILABLE for the SPARQL engine: " + "; ".join(status.problems),
              file=sys.stderr, flush=True)
    lower_priority(nice)
    os.execv(program[0], program)
    return 1                                    # not reached: execv replaces the process or raises


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
