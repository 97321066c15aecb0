"""A thread pool whose threads never hold up the process's exit.

concurrent.futures.ThreadPoolExecutor joins every one of its threads when the interpreter exits.
Work that outlives its request (a store query cannot be interrupted) then held `vemgorvad serve`
after SIGTERM until it ended: 124 s for one 100 s query (make scale's corpus, N = 100). These
threads are daemons, so the server exits once the requests in flight are answered; a thread still
busy past its request's deadline is dropped with the process.

Threads start when work comes and none is idle, up to `most`, and are kept, as
ThreadPoolExecutor's are. A caller that stops waiting for work still running says so (`overdue`):
`overdue_now` counts those threads until their work ends and `overdue_total` every one, for
/metrics — a thread kept busy past its deadline is otherwise invisible.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class DaemonThreads:
    def __init__(self, most: int, name: str) -> None:
        self._most = most
        self._name = name
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._started = 0
        self.overdue_now = 0
        self.overdue_total = 0

    @property
    def started(self) -> int:
        return self._started

    def overdue(self, future: Future[Any]) -> None:
        """The caller of `future` gave up waiting while its work still runs: counted until it ends."""
        with self._lock:
            if future.done():
                return
            self.overdue_now += 1
            self.overdue_total += 1
        future.add_done_callback(self._ended)

    def _ended(self, _future: Future[Any]) -> None:
        with self._lock:
            self.overdue_now -= 1

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((future, fn, args))
        if not self._idle.acquire(blocking=False):
            with self._lock:
                if self._started < self._most:
                    thread = threading.Thread(target=self._work, name=f"{self._name}_{self._started}", daemon=True)
                    self._started += 1
                    thread.start()
        return future

    def _work(self) -> None:
        while True:
            future, fn, args = self._jobs.get()
            if future.set_running_or_notify_cancel():      # False: cancelled while it waited
                try:
                    future.set_result(fn(*args))
                except BaseException as err:               # the caller gets it from the future
                    future.set_exception(err)
            del future, fn, args
            self._idle.release()
