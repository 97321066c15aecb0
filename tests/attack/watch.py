"""The watch of `make attack`, in a process of its own: probes /health and the control server in
turn every quarter second and samples the RSS of the server and all its workers every half second,
one JSON line per observation on stdout, until it is terminated.

A process of its own, not threads of the attacking client: the client builds multi-megabyte PDF
bombs and uploads while the attack runs, and a probe thread in that process waited for the client's
interpreter lock, so the client's own work was counted as the server's /health latency (one probe
of 15.8 s while the server's event loop was idle)."""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time

import httpx


def tree_rss(pid: int) -> dict[str, float]:
    """RSS in MB of a process and each of its descendants, from /proc, by "pid name role"
    (the worker's kind and role from its command line)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    out: dict[str, float] = {}
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                args = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        except OSError:
            args = []
        name = next((a.rsplit(".", 2)[-2] for a in args if a.startswith("vemgorvad.serve.")), "server")
        out[f"{p} {name}"] = rss.get(p, 0) / 1024 / 1024
        stack.extend(children.get(p, []))
    return out


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants, from /proc."""
    return sum(tree_rss(pid).values())


def schedstat(pid: int) -> dict[int, tuple[int, int]]:
    """(CPU ns, run-queue wait ns) of every thread of a process, from /proc (empty when it is gone)."""
    out: dict[int, tuple[int, int]] = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                cpu, wait = f.read().split()[:2]
            out[int(tid)] = (int(cpu), int(wait))
        except (OSError, ValueError):
            continue
    return out


def breakdown(pid: int, before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]) -> dict[str, float]:
    """Where a probe's time went in the server, in ms: its event loop's (main thread's) CPU and
    run-queue wait (runnable, no core), and the CPU of its other threads (which hold the
    interpreter lock while they run Python) — the rest is the loop waiting for that lock or idle."""
    def delta(tid: int, i: int) -> float:
        return (after.get(tid, (0, 0))[i] - before.get(tid, (0, 0))[i]) / 1e6
    others = sum(delta(tid, 0) for tid in after if tid != pid)
    return {"loop_cpu": delta(pid, 0), "loop_runq": delta(pid, 1), "threads_cpu": others}


def main(base: str, control: str, pid: int) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    lock = threading.Lock()

    def emit(record: dict) -> None:
        with lock:
            print(json.dumps(record), flush=True)

    def rss() -> None:
        while not stop.is_set():
            parts = tree_rss(pid)
            emit({"rss_mb": sum(parts.values()), "by": {k: round(v) for k, v in parts.items()}})
            stop.wait(0.5)

    threading.Thread(target=rss, daemon=True).start()
    with httpx.Client(timeout=5) as client:
        emit({"ready": True})
        while not stop.is_set():
            before, own = schedstat(pid), schedstat(os.getpid())
            started = time.monotonic()
            try:
                ok = client.get(base + "/health").status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = (time.monotonic() - started) * 1000
            mine = breakdown(os.getpid(), own, schedstat(os.getpid()))
            emit({"health_ms": elapsed, "ok": ok, "at": time.time(), **breakdown(pid, before, schedstat(pid)),
                  "watch_runq": mine["loop_runq"]})
            started = time.monotonic()
            try:
                client.get(control + "/health")
                emit({"control_ms": (time.monotonic() - started) * 1000})
            except httpx.HTTPError:
                pass
            stop.wait(0.25)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
