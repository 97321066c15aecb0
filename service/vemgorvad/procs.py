"""What every worker process of vemgörvad does first: die with the process that started it, and
step back from the CPU (and from memory) when it runs batch work beside an interactive server.

Linux's parent-death signal (prctl PR_SET_PDEATHSIG) makes the kernel send SIGKILL to a worker
when its parent dies — also when the parent is killed with SIGKILL and can run no clean-up, so a
killed `vemgorvad build` leaves no worker behind holding files or CPU. Elsewhere the call does
nothing and the workers end when they next find their pipe closed.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel kill this process when its parent dies. `parent` is the pid the caller
    expects as parent: if it already died before this ran, exit at once.

    Linux sends the signal when the *thread* that started the process ends, not only the process:
    start such workers from a thread that lives as long as they should (the main thread)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def lower_priority(nice: int) -> None:
    """Run at a lower CPU priority than the server (batch work beside interactive requests)."""
    with contextlib.suppress(OSError):
        os.nice(nice)


def limit_memory(megabytes: int) -> None:
    """An address-space ceiling: allocations past it fail (MemoryError) instead of the machine
    swapping. 0 means no ceiling."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

