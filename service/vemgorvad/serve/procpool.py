"""A pool of worker processes for work a client can make expensive: SPARQL queries and gap checks.

Each worker is `python -m <its kind's entry module> KIND FD` (ENTRIES: each imports only its own
work; the loop is worker.py), sandboxed before it takes any work (sandbox.py:
no network, a memory ceiling, a lower CPU priority), talking to the server over a socket pair.

- A request waits for a free worker without holding a server thread, and its deadline is counted
  from the request's arrival (deadline.py), waiting included.
- A worker that passes the deadline is killed (so the work really stops) and one that dies (out of
  memory, a crash in a parser) is replaced; either way only the request it was running fails. The
  requests queued behind it keep their place and their own deadline and are served by the rest
  of the pool or by the replacement.
- Workers die with the server (parent-death signal), and the pool kills its own at exit.
- A pool may run each job at a higher priority for a budget of CPU seconds (`Budget`): the work
  an honest client asks for finishes at full speed on a busy machine, and only a job past the
  budget (a bomb, a huge upload) is lowered to the pool's nice for the rest of its time.
"""
from __future__ import annotations

import asyncio
import atexit
import collections
import logging
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger("vemgorvad.workers")
START_TIMEOUT = 120.0
_LIVE: set[Worker] = set()
_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vg-spawner")
_EXITING = False
#: The module each kind of worker runs: small, so a worker holds only what its work needs.
ENTRIES = {"query": "vemgorvad.serve.sparql.entry", "check": "vemgorvad.serve.check.entry"}
#: The sandbox each kind of worker reported, newest first: for /metrics, logs and tests.
SANDBOX_REPORTS: dict[str, dict[str, Any]] = {}   # sandbox.Status.as_dict() of the worker
#: Workers started by this process, by kind (and the query workers' role): for /metrics and the
#: readiness test — none may start after `serve` said it is ready, unless one was replaced.
STARTED: collections.Counter[str] = collections.Counter()


def spawn(argv: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """subprocess.Popen (bytes streams) from the one long-lived spawning thread: a child whose
    parent-death signal is set (procs.die_with_parent) lives as long as the server, not as the
    thread that asked."""
    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(argv, **options)
    return _SPAWNER.submit(start).result()


def interactive_nice(worker_nice: int) -> int:
    """The CPU priority step below the server of workers on the interactive path (deciding what a
    query may do, checking a small upload): half the batch workers' `worker_nice`. Every worker
    runs below the server, so the server's event loop (/health, every request's I/O) never waits
    for a core behind work that a client can make as heavy as it likes."""
    return worker_nice // 2


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
#: How often a budgeted job's worker is looked at (its CPU time from /proc).
BUDGET_POLL = 0.1


class Budget:
    """CPU time that jobs may spend at a higher priority than their pool's nice, `step` below the
    server (0: at its priority): a bucket of `capacity` CPU seconds, refilled at `refill` CPU
    seconds per second, shared by the pools given it. A job runs at `step` while the bucket holds
    time and at its pool's nice once it is empty, so an honest client's job (a whole agreement's
    check, about one CPU second) finishes at full speed on a busy machine, while a flood of heavy
    jobs takes from the server's share at most `refill` of a core in the long run. After a lowered
    job the worker's priority is raised again where the process may (CAP_SYS_NICE or RLIMIT_NICE);
    where it may not, the worker is replaced by a new one, which starts at `step`."""

    def __init__(self, capacity: float, refill: float, step: int = 0):
        self.capacity = capacity
        self.refill = refill
        self.step = step
        self._tokens = capacity
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def spend(self, cpu: float = 0.0) -> float:
        """Take `cpu` seconds from the bucket; what is left (0 or less: empty)."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.refill) - cpu
            self._stamp = now
            return self._tokens


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (all its threads), from /proc; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def set_nice(pid: int, nice: int) -> bool:
    """Every thread of a process to an absolute nice value (Linux: nice is per thread), and its
    scheduling group too when it leads a session of its own (set_group_nice); False when the kernel
    refuses the threads' (raising a priority needs CAP_SYS_NICE or RLIMIT_NICE) or the process is gone."""
    set_group_nice(pid, (group_nice(os.getpid()) or 0) + nice - os.getpriority(os.PRIO_PROCESS, 0))
    try:
        threads = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
        for tid in threads:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
    except (OSError, ValueError):
        return False
    return True


#: Writes to /proc/PID/autogroup are limited to ten a second on the whole machine (EAGAIN past it).
GROUP_NICE_TRIES, GROUP_NICE_PAUSE = 20, 0.11


def set_group_nice(pid: int, nice: int) -> bool:
    """The nice value of the scheduling group of a process that leads a session of its own
    (Linux autogroup, /proc/PID/autogroup; any value from 0 up, raising included, is allowed to
    the process's owner). With autogroup on — the default of most distributions — the kernel
    first shares the CPU between sessions and only within a session by the threads' nice, so a
    worker in the server's session splits the server's share and a per-thread nice says nothing
    against other sessions' work (another user's, spinning processes'). False when the process
    shares its session with others (its group is theirs too: left alone), the kernel has no
    autogroup, or it is gone."""
    try:
        if os.getsid(pid) != pid:
            return False
    except OSError:
        return False
    for _ in range(GROUP_NICE_TRIES):
        try:
            with open(f"/proc/{pid}/autogroup", "w", encoding="ascii") as f:
                f.write(str(max(0, min(19, nice))))
            return True
        except BlockingIOError:         # EAGAIN: another write on this machine in the last 0.1 s
            time.sleep(GROUP_NICE_PAUSE)
        except OSError:
            return False
    return False


def group_nice(pid: int) -> int | None:
    """The nice value of a process's autogroup; None without autogroup."""
    try:
        with open(f"/proc/{pid}/autogroup", encoding="ascii") as f:
            return int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


class WorkerFailed(RuntimeError):
    """A worker could not start."""


class Busy(Exception):
    """No worker became free before the deadline."""


class TimedOut(Exception):
    """The job ran past its deadline; its worker was killed."""


class Died(Exception):
    """The worker died while running the job (out of memory, or a crash)."""


class Worker:
    def __init__(self, kind: str, init: Any, memory_mb: int, nice: int | None, sandbox: bool,
                 own_group: bool = False):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["VEMGORVAD_WORKER_SANDBOX"] = "1" if sandbox else "0"
        env["VEMGORVAD_WORKER_MEMORY_MB"] = str(memory_mb)
        if nice is not None:
            env["VEMGORVAD_WORKER_NICE"] = str(nice)
        self.kind = kind
        self._sock: socket.socket | None = None      # the same socket, non-blocking, for exchange_async
        self.lowered = False        # the current job passed its CPU budget and runs at the pool's nice
        # started from one long-lived thread: the worker's parent-death signal fires when the
        # thread that started it ends, so a short-lived thread would take its workers with it
        self.process = _SPAWNER.submit(
            subprocess.Popen, [sys.executable, "-m", ENTRIES[kind], kind, str(child.fileno())],
            pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=env, start_new_session=own_group).result()
        child.close()
        # its group at the server's group's nice + its step (set_group_nice); a server whose session
        # was never set apart (a container's init's, a CI runner's) is in the root group, which
        # weighs as nice 0 — its workers still get groups of their own
        server_group = group_nice(os.getpid()) or 0
        if own_group and group_nice(self.process.pid) is not None and not set_group_nice(
                self.process.pid, server_group + (nice or 0)):
            log.warning("the scheduling group of a %s worker could not be set to nice %d", kind,
                        server_group + (nice or 0))
        self.conn = Connection(parent.detach())
        _LIVE.add(self)
        try:
            self.conn.send(init)
            if not self.conn.poll(START_TIMEOUT):
                raise WorkerFailed(f"{kind} worker did not start within {START_TIMEOUT:g} s")
            _kind, info = self.conn.recv()
        except (EOFError, OSError, WorkerFailed) as err:
            self.kill()
            raise WorkerFailed(f"{kind} worker could not start: {err}") from None
        self.info = info
        SANDBOX_REPORTS[kind] = info.get("sandbox", {})

    def _async_socket(self) -> socket.socket:
        """The worker's socket as a non-blocking socket object for the event loop (a duplicate of
        the Connection's descriptor; from then on this worker is used through exchange_async only)."""
        if self._sock is None:
            self._sock = socket.socket(fileno=os.dup(self.conn.fileno()))
            self._sock.setblocking(False)
        return self._sock

    @property
    def pid(self) -> int:
        return self.process.pid

    def signal_kill(self) -> None:
        """SIGKILL now (never blocks): the work stops at once; kill() also reaps the process."""
        try:
            self.process.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        _LIVE.discard(self)
        self.signal_kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        if self._sock is not None:
            self._sock.close()
        self.conn.close()

    async def exchange_async(self, job: Any, deadline: float) -> Any:
        """exchange() without a budget, on the event loop: the job is written and its answer read
        through the loop's own selector, in the framing of multiprocessing.connection (a 4-byte
        big-endian length, or -1 and an 8-byte length, then the pickle), which the worker's
        Connection reads and writes. No thread hand-off per job (an executor thread woken for each
        answer then competes with the event loop for the GIL): the server's CPU per job 0.20 ->
        0.145 ms, one job's round trip p50 0.35 -> 0.29 ms (same pool, alternating, load 7-9)."""
        loop = asyncio.get_running_loop()
        sock = self._async_socket()
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        head = struct.pack("!i", len(data)) if len(data) <= 0x7FFFFFFF else struct.pack("!iQ", -1, len(data))
        try:
            async with asyncio.timeout_at(loop.time() + max(0.0, deadline - time.monotonic())):
                await loop.sock_sendall(sock, head + data)
                size: int = struct.unpack("!i", await _read_exactly(loop, sock, 4))[0]
                if size == -1:
                    size = struct.unpack("!Q", await _read_exactly(loop, sock, 8))[0]
                return pickle.loads(await _read_exactly(loop, sock, size))
        except TimeoutError:
            raise TimedOut from None
        except (EOFError, OSError, pickle.UnpicklingError):
            raise Died from None

    def exchange(self, job: Any, deadline: float, budget: Budget | None = None, lowered_nice: int = 0) -> Any:
        """Send the job and wait for its answer until the deadline (blocking). With a budget, the
        job's CPU time is taken from it, and the worker is set to `lowered_nice` once it is empty
        (self.lowered says so)."""
        used = cpu_seconds(self.pid) if budget else 0.0

        def account() -> None:
            nonlocal used
            now = cpu_seconds(self.pid)
            left = budget.spend(now - used) if budget else 1.0
            used = now
            if left <= 0 and not self.lowered:
                set_nice(self.pid, lowered_nice)
                self.lowered = True
        try:
            if budget:
                account()
            self.conn.send(job)
            while True:
                left = max(0.0, deadline - time.monotonic())
                if not budget:
                    if self.conn.poll(left):
                        return self.conn.recv()
                    break
                if self.conn.poll(min(left, BUDGET_POLL)):
                    answer = self.conn.recv()
                    account()
                    return answer
                account()
                if left <= 0:
                    break
        except (EOFError, OSError):
            raise Died from None
        raise TimedOut


async def _read_exactly(loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int) -> bytearray:
    """`size` bytes from a non-blocking socket (read into one buffer, not copied after);
    EOFError when the other end closed first."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = await loop.sock_recv_into(sock, view[got:])
        if n == 0:
            raise EOFError
        got += n
    return buffer


class ProcessPool:
    def __init__(self, kind: str, init: Any, size: int = 1, memory_mb: int = 0, nice: int | None = None,
                 sandbox: bool = True, on_timeout: Callable[[], object] | None = None, budget: Budget | None = None,
                 own_group: bool | None = None):
        self.kind = kind
        self.budget = budget
        # a budgeted pool's workers lead sessions of their own, so that the budget's priority holds
        # against the machine's other work, not only inside the server's session (set_group_nice)
        self.own_group = budget is not None if own_group is None else own_group
        self.init = init
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self.nice = nice
        self.sandbox = sandbox
        self.on_timeout = on_timeout
        self._lock = threading.Lock()
        self._idle: collections.deque[Worker] = collections.deque()
        self._waiters: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[Worker]]] = collections.deque()
        self._busy: set[Worker] = set()
        self._closed = False
        self._exchanges = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix=f"vg-{kind}")
        self.killed: list[tuple[int, float]] = []      # (pid, seconds the kill took): for tests and logs
        self.started = 0
        self.lowered_restored = 0           # jobs past their budget after which the worker's priority came back
        self.lowered_replaced = 0           # ... after which it could not, so the worker was replaced
        self._starting: list[threading.Thread] = []

    # --- workers --------------------------------------------------------------------------------

    def start(self, wait: bool = True) -> ProcessPool:
        """Start the workers (in parallel); with wait, return once they are up."""
        threads = [threading.Thread(target=self._add_worker, daemon=True) for _ in range(self.size)]
        self._starting = threads
        for t in threads:
            t.start()
        if wait:
            self.wait_started()
            if not self._idle:
                raise WorkerFailed(f"no {self.kind} worker could start")
        return self

    def wait_started(self) -> None:
        """Return once the workers start() began are up (or failed to start, which is logged)."""
        for t in self._starting:
            t.join()

    def _add_worker(self) -> None:
        if self._closed:
            return
        try:
            start_nice = self.budget.step if self.budget else self.nice
            worker = Worker(self.kind, self.init, self.memory_mb, start_nice, self.sandbox, self.own_group)
        except WorkerFailed as err:
            if not (self._closed or _EXITING):
                log.error("%s", err)
            return
        self.started += 1
        role = self.init.get("role") if isinstance(self.init, dict) else None
        STARTED[f"{self.kind}:{role}" if role else self.kind] += 1
        report = worker.info.get("sandbox", {})
        if self.sandbox and not (report.get("network_namespace") or report.get("seccomp")):
            log.error("NETWORK SANDBOX UNAVAILABLE for %s workers: they can open network connections (%s)",
                      self.kind, "; ".join(report.get("problems", [])) or "unknown reason")
        self._release(worker)

    def _release(self, worker: Worker) -> None:
        """A free worker: to the longest-waiting request that is still waiting, else idle."""
        if self._closed:
            worker.kill()
            return
        with self._lock:
            self._busy.discard(worker)
            while self._waiters:
                loop, future = self._waiters.popleft()
                if future.done():
                    continue
                try:
                    loop.call_soon_threadsafe(self._hand_over, future, worker)
                    return
                except RuntimeError:        # that event loop is closed
                    continue
            self._idle.append(worker)

    def _hand_over(self, future: asyncio.Future[Worker], worker: Worker) -> None:
        if future.done():                   # the waiter gave up in the meantime
            self._release(worker)
        else:
            with self._lock:
                self._busy.add(worker)
            future.set_result(worker)

    def _replace(self, worker: Worker) -> None:
        """Stop a worker and start its replacement without blocking the caller (the event loop):
        SIGKILL goes now, reaping and the new worker's start happen in a thread of their own."""
        started = time.monotonic()
        with self._lock:
            self._busy.discard(worker)
        worker.signal_kill()
        self.killed.append((worker.pid, time.monotonic() - started))

        def reap_and_replace() -> None:
            worker.kill()
            self._add_worker()
        threading.Thread(target=reap_and_replace, daemon=True).start()

    # --- jobs -----------------------------------------------------------------------------------

    async def _acquire(self, deadline: float) -> Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle:
                worker = self._idle.popleft()
                self._busy.add(worker)
                return worker
            future = loop.create_future()
            self._waiters.append((loop, future))
        try:
            return await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise Busy from None

    async def run(self, job: Any, deadline: float) -> Any:
        """The worker's answer to `job`, or Busy / TimedOut / Died — all by `deadline`
        (time.monotonic()), counted by the caller from the request's arrival."""
        if deadline <= time.monotonic():
            raise Busy
        worker = await self._acquire(deadline)
        loop = asyncio.get_running_loop()
        lowered = min(19, os.getpriority(os.PRIO_PROCESS, 0) + (self.nice or 0))
        try:
            if self.budget is None:         # on the event loop; a budget's CPU accounting polls in a thread
                answer = await worker.exchange_async(job, deadline)
            else:
                answer = await loop.run_in_executor(self._exchanges, worker.exchange, job, deadline, self.budget,
                                                    lowered)
        except (TimedOut, Died):
            self._replace(worker)
            raise
        except BaseException:               # cancelled while the worker runs: its state is unknown
            self._replace(worker)
            raise
        if worker.lowered and self.budget is not None:
            worker.lowered = False
            # off the event loop: a write to /proc/PID/autogroup may wait for the kernel's rate limit
            try:
                raised = await loop.run_in_executor(self._exchanges, set_nice, worker.pid,
                                                    min(19, os.getpriority(os.PRIO_PROCESS, 0) + self.budget.step))
            except BaseException:           # cancelled meanwhile: its priority is unknown
                self._replace(worker)
                raise
            if not raised:
                self.lowered_replaced += 1
                self._replace(worker)       # may not raise it again: a new worker starts at the budget's step
                return answer
            self.lowered_restored += 1
        self._release(worker)
        return answer

    def run_blocking(self, job: Any, deadline: float) -> Any:
        """run() from a thread without an event loop (the CLI, tests)."""
        return asyncio.run(self.run(job, deadline))

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in [*self._idle, *self._busy]]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._idle) + list(self._busy)
            self._idle.clear()
        for worker in workers:
            worker.kill()
        self._exchanges.shutdown(wait=False, cancel_futures=True)


@atexit.register
def _kill_all() -> None:
    global _EXITING
    _EXITING = True
    for worker in list(_LIVE):
        worker.kill()
