"""`make attack`: the attack suite of issue 10 against `vemgorvad serve` started from this checkout.

Sends the known cases and their variants — SERVICE and FROM bypasses (escaped local names, codepoint
escapes, variables, SILENT, relative and prefixed endpoints), cartesian and deeply nested queries,
large and many distinct queries, foreign Host headers, exponential questions, PDF bombs and page
bombs, oversized texts, odd methods and paths — many of them concurrently, and checks throughout:

- no connection ever reaches a listener on loopback that every bypass points at;
- every request is answered or refused within its limit + 1 s;
- RSS of the server and all its workers stays under 1.5 GB;
- /health answers in under 200 ms;
- no 5xx other than the designed 503.

Beside /health, the same probe asks a control: a bare standard-library HTTP server started at the same
CPU priority as the service, doing nothing else. Its latency is what the shared machine alone costs,
so a slow /health can be told apart from a loaded machine (both are printed; the check is on /health).
Both are probed from a watch process of its own (watch.py), never from the attacking client, whose
interpreter lock is busy building bombs and uploads; the cases are built before the watch starts.

Exit status 0 when every check holds; the figures are printed either way."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from tests.test_hostile_documents import bomb, pdf_with_pages  # noqa: E402
from tests.listener import Listener  # noqa: E402
from tests.subprocs import terminate  # noqa: E402
from tests.test_sandbox import bypasses  # noqa: E402
from tests.attack.variants import slow_body, variants  # noqa: E402

QUERY_LIMIT, ASK_LIMIT, CHECK_LIMIT = 10.0, 10.0, 60.0
RSS_LIMIT_MB, HEALTH_LIMIT_MS = 1536, 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONTROL = """
import http.server, sys
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"status": "ok"}'
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Ok).serve_forever()
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Watch:
    """The watch process (watch.py): /health and control latencies, RSS of the server's process tree."""

    def __init__(self, base: str, pid: int, control: str):
        self.args = [sys.executable, "-m", "tests.attack.watch", base, control, str(pid)]
        self.out = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.health_ms: list[float] = []
        self.health_at: list[float] = []
        self.control_ms: list[float] = []
        self.health_failures = 0
        self.health_records: list[dict] = []
        self.rss_max = 0.0
        self.rss_parts: dict[str, float] = {}

    def __enter__(self):
        self.process = subprocess.Popen(self.args, cwd=ROOT, stdout=self.out, text=True)
        started = time.monotonic()
        while time.monotonic() - started < 30 and self.process.poll() is None:
            self.out.seek(0)
            if self.out.read():
                break
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        terminate(self.process, 10)
        self.out.seek(0)
        for line in self.out:
            record = json.loads(line)
            if "health_ms" in record:
                self.health_ms.append(record["health_ms"])
                self.health_at.append(record["at"])
                self.health_failures += not record["ok"]
                self.health_records.append(record)
            elif "control_ms" in record:
                self.control_ms.append(record["control_ms"])
            elif "rss_mb" in record:
                if record["rss_mb"] >= self.rss_max:
                    self.rss_parts = record.get("by", {})
                self.rss_max = max(self.rss_max, record["rss_mb"])
        self.out.close()


def cases(port: int) -> list[tuple[str, float, dict]]:
    """(name, limit in seconds, httpx.request keyword arguments)."""
    out: list[tuple[str, float, dict]] = []
    for i, query in enumerate(bypasses(port)):
        out.append((f"bypass {i} GET", QUERY_LIMIT, {"method": "GET", "url": "/sparql", "params": {"query": query}}))
        out.append((f"bypass {i} POST", QUERY_LIMIT, {"method": "POST", "url": "/sparql", "content": query.encode(),
                                                     "headers": {"Content-Type": "application/sparql-query"}}))
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    out += [(f"cartesian {i}", QUERY_LIMIT, {"method": "GET", "url": "/sparql", "params": {"query": cartesian + f" #{i}"}})
            for i in range(12)]
    nested = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    out += [(f"nested {i}", QUERY_LIMIT, {"method": "POST", "url": "/sparql", "content": nested.encode(),
                                          "headers": {"Content-Type": "application/sparql-query"}}) for i in range(4)]
    big = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * (1000 * 1000)
    out += [(f"1 MB query {i}", QUERY_LIMIT, {"method": "POST", "url": "/sparql",
                                              "content": (big + str(i)).encode(),
                                              "headers": {"Content-Type": "application/sparql-query"}}) for i in range(20)]
    out += [(f"host {i}", QUERY_LIMIT, {"method": "GET", "url": "/sparql", "headers": {"Host": f"h{i}.evil.example"}})
            for i in range(50)]
    out += [("trailing slash host", 2.0, {"method": "GET", "url": "/api/ask/", "headers": {"Host": "evil.example"}})]
    for n in (20, 40, 100, 190):
        question = ("vem ansvarar för " + "vårds" * n + "q")[:1000]
        out += [(f"ask vårds×{n} #{i}", ASK_LIMIT, {"method": "GET", "url": "/api/ask", "params": {"q": question + f" {i}"}})
                for i in range(10)]
    out += [("ask 1000 chars", ASK_LIMIT, {"method": "GET", "url": "/api/ask",
                                          "params": {"q": ("hjälpmedelsförskrivningsvårds" * 40)[:1000]}})]
    out += [("pdf bomb", CHECK_LIMIT, {"method": "POST", "url": "/api/check", "files": {"file": ("b.pdf", bomb(400))}}),
            ("100000 pages", CHECK_LIMIT, {"method": "POST", "url": "/api/check",
                                           "files": {"file": ("p.pdf", pdf_with_pages(100_000))}}),
            ("9 MB text", CHECK_LIMIT, {"method": "POST", "url": "/api/check",
                                        "content": ("Kommunen ansvarar för boendet. " * 400_000)[:9 * 1024 * 1024].encode(),
                                        "headers": {"Content-Type": "text/plain"}}),
            ("deflate text", CHECK_LIMIT, {"method": "POST", "url": "/api/check",
                                           "content": zlib.compress(b"a" * 1000), "headers": {"Content-Type": "text/plain"}})]
    out += variants(port)
    out += [("/id/%25", 2.0, {"method": "GET", "url": "/id/%25"}),
            ("/docs", 2.0, {"method": "GET", "url": "/docs"}),
            ("PROPFIND", 2.0, {"method": "PROPFIND", "url": "/sparql"}),
            ("1 MB header", 2.0, {"method": "GET", "url": "/health", "headers": {"X-Big": "a" * 1_000_000}}),
            ("@service", QUERY_LIMIT, {"method": "GET", "url": "/sparql",
                                        "params": {"query": 'SELECT * { BIND("a"@service AS ?x) }'}})]
    return out


def main() -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    listener = Listener()
    env = {**os.environ, "VEMGORVAD_QUERY_TIMEOUT": str(QUERY_LIMIT)}
    # the access log goes to a file: a pipe nobody reads until the end fills and blocks the server
    # (ATTACK_SERVER_LOG=path keeps it, e.g. with PYTHONASYNCIODEBUG=1 to see what held the event loop)
    kept = os.environ.get("ATTACK_SERVER_LOG")
    log = open(kept, "w+", encoding="utf-8") if kept else tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "vemgorvad.cli", "serve", "--port", str(port)], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    control_port = free_port()
    control = subprocess.Popen([sys.executable, "-c", CONTROL, str(control_port)], stdout=subprocess.DEVNULL)
    try:
        started = time.monotonic()
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() - started > 300:
                log.seek(0)
                print("the server did not start:", log.read()[-2000:])
                return 1
            time.sleep(0.5)
        print(f"server up in {time.monotonic() - started:.1f} s")
        attack = cases(port)    # built before the watch starts: PDF bombs cost the client seconds of CPU
        problems: list[str] = []
        statuses: dict[int, int] = {}
        with Watch(base, server.pid, f"http://127.0.0.1:{control_port}") as watch, httpx.Client(base_url=base, timeout=CHECK_LIMIT + 30) as client:
            def send(case):
                name, limit, kwargs = case
                t = time.monotonic()
                try:
                    if "raw_slow" in kwargs:
                        status = slow_body(port, kwargs["raw_slow"], kwargs["content_type"], limit)
                        if status == -1:
                            problems.append(f"{name}: no answer")
                    else:
                        status = client.request(**kwargs).status_code
                except httpx.HTTPError as err:
                    status = -1
                    problems.append(f"{name}: {type(err).__name__}")
                elapsed = time.monotonic() - t
                statuses[status] = statuses.get(status, 0) + 1
                if status >= 500 and status != 503:
                    problems.append(f"{name}: {status}")
                if elapsed > limit + 1:
                    problems.append(f"{name}: {elapsed:.1f} s > {limit + 1:g} s")
            with ThreadPoolExecutor(max_workers=48) as pool:
                list(pool.map(send, attack))
        time.sleep(0.5)
        health = sorted(watch.health_ms)
        p_max = health[-1] if health else float("nan")
        control_ms = watch.control_ms
        slowest_at = (time.strftime("%H:%M:%S", time.localtime(max(zip(watch.health_ms, watch.health_at, strict=True))[1]))
                      if health else "-")
        print(f"requests by status: {dict(sorted(statuses.items()))}")
        print(f"outbound connections to the listener: {listener.connections}")
        print(f"max RSS of server + workers: {watch.rss_max:.0f} MB (limit {RSS_LIMIT_MB}): "
              + ", ".join(f"{k} {v:.0f}" for k, v in sorted(watch.rss_parts.items(), key=lambda kv: -kv[1])))
        print(f"/health: {len(health)} probes, max {p_max:.0f} ms, p99 {percentile(health, 0.99):.0f} ms, "
              f"p50 {percentile(health, 0.5):.0f} ms, failures {watch.health_failures}, slowest at {slowest_at}")
        print(f"control (bare HTTP server, same priority): max {max(control_ms, default=float('nan')):.0f} ms, "
              f"p99 {percentile(control_ms, 0.99):.0f} ms, p50 {percentile(control_ms, 0.5):.0f} ms; "
              f"load average {os.getloadavg()[0]:.1f}")
        for record in sorted(watch.health_records, key=lambda r: -r["health_ms"])[:5]:
            print(f"  slow /health {record['health_ms']:.0f} ms at {time.strftime('%H:%M:%S', time.localtime(record['at']))}: "
                  f"event loop CPU {record.get('loop_cpu', 0):.0f} ms, waiting for a core {record.get('loop_runq', 0):.0f} ms; "
                  f"server's other threads' CPU {record.get('threads_cpu', 0):.0f} ms; "
                  f"the probe's own wait for a core {record.get('watch_runq', 0):.0f} ms")
        if listener.connections:
            problems.append(f"{listener.connections} outbound connections")
        if watch.rss_max > RSS_LIMIT_MB:
            problems.append(f"RSS {watch.rss_max:.0f} MB")
        if p_max > HEALTH_LIMIT_MS or watch.health_failures:
            problems.append(f"/health max {p_max:.0f} ms, {watch.health_failures} failures")
        for line in problems:
            print("FAIL", line)
        print("attack suite:", "passed" if not problems else f"{len(problems)} problems")
        return 0 if not problems else 1
    finally:
        control.kill()
        control.wait(10)
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        listener.close()
        log.close()


if __name__ == "__main__":
    sys.exit(main())
