"""Helpers for the worker-pool tests: one check through a pool while a probe samples its worker."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from vemgorvad.serve.procpool import ProcessPool

T = TypeVar("T")


def check_sampling(pool: ProcessPool, text: bytes, probe: Callable[[int], T]) -> tuple[object, set[T]]:
    """One check through the pool, and what `probe(worker pid)` gave while it ran (sampled every 10 ms)."""
    worker = pool._idle[0]
    seen: set[T] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.add(probe(worker.pid))
            time.sleep(0.01)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        kind, _report = pool.run_blocking(("check", text, "v.txt", None), time.monotonic() + 300)
    finally:
        done.set()
        watcher.join()
    return kind, seen
