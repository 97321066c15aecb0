"""Bench: the gap check per seed, in-process and through HTTP, including SHACL.

    python -c "import tests.bench.check as b; b.run()"

In-process is `run_check` as the CLI calls it (ingest, extraction, temporary graph, integrity and
completeness shapes, peers). HTTP is POST /api/check on `vemgorvad serve` started here on a free
loopback port (the check runs in the service's worker process; the first request warms it and is
not counted). Each figure is the median of `repeat` runs; the issue's target is ≤ 3 s for the
largest seed (vastmanland, 75 KB)."""
from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from vemgorvad.extract import concepts
from vemgorvad.peers import PEERS_FILE, Peers, fingerprint
from vemgorvad.serve.check.service import peers_from, run_check
from vemgorvad.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("stockholm-vasterort", "sormland", "vastmanland", "vastra-gotaland", "uppsala")
TARGET_SECONDS = 3.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cold_check(data: bytes, filename: str, peers: Peers) -> dict:
    """One check as of a text never seen: the sentence-score cache (extract/concepts, up to 4,096
    sentences, kept for the build's repeated headings) emptied first, so a text checked again is
    not measured on its own earlier sentences; vocabulary and shapes stay loaded, as in a worker."""
    concepts._own.cache_clear()
    return run_check(data, filename, peers)


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def in_process(repeat: int = 3) -> dict[str, float]:
    peers = peers_from(EmbeddedStore.from_build(ROOT / "var" / "current"))
    texts = {key: (ROOT / "data" / "agreements" / f"{key}.txt").read_bytes() for key in SEEDS}
    run_check(texts[SEEDS[0]], "warm.txt", peers)  # first call loads vocabulary and shapes
    return {key: _median(lambda: cold_check(texts[key], f"{key}.txt", peers), repeat) for key in SEEDS}


def over_http(repeat: int = 3) -> dict[str, float]:
    import httpx
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "vemgorvad.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        with httpx.Client(base_url=base, timeout=120) as http:
            while True:
                try:
                    if http.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("vemgorvad serve did not become ready")
                time.sleep(0.2)
            texts = {key: (ROOT / "data" / "agreements" / f"{key}.txt").read_bytes() for key in SEEDS}

            def post(key: str) -> None:
                response = http.post("/api/check", content=texts[key], headers={"Content-Type": "text/plain; charset=utf-8"})
                response.raise_for_status()
            post(SEEDS[0])  # starts and warms the check worker
            return {key: _median(lambda: post(key), repeat) for key in SEEDS}
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


def synthetic_peers(peers: Peers, n: int) -> Peers:
    """`n` peer agreements made from the built ones: peer i regulates what built agreement i mod k
    regulates and words it the same, under a key and text fingerprint of its own — the peer
    statistics a service with n agreements generated from the seeds (tests/scale/generate.py)
    holds, without building them."""
    built = sorted(peers.keys)
    source = {f"{built[i % len(built)]}-syn{i:03d}": built[i % len(built)] for i in range(n)}
    topics = {t: {name for name, seed in source.items() if seed in ks} for t, ks in peers.topics.items()}
    prints = {name: fingerprint(name) for name in source}
    models = {t: [{**m, "agreement": name} for name, seed in source.items() for m in rows if m["agreement"] == seed]
              for t, rows in peers.models.items()}
    return Peers(topics, dict(peers.labels), prints, models)


def against_peers(n: int = 300, repeat: int = 5, key: str = "vastmanland") -> dict[str, dict[str, float]]:
    """The largest seed checked with the built peers and with `n` synthetic ones, measured side by
    side (alternating), every run cold (cold_check)."""
    peers = peers_from(EmbeddedStore.from_build(ROOT / "var" / "current"))
    many = synthetic_peers(peers, n)
    text = (ROOT / "data" / "agreements" / f"{key}.txt").read_bytes()
    run_check(text[:4000], "warm.txt", peers)  # loads vocabulary and shapes once, as a worker's start does
    times: dict[str, list[float]] = {f"{len(peers.keys)} peers": [], f"{n} peers": []}
    for _ in range(repeat):
        for label, chosen in zip(times, (peers, many), strict=True):
            started = time.perf_counter()
            report = cold_check(text, f"{key}.txt", chosen)
            times[label].append(time.perf_counter() - started)
            assert report["summary"]["peers"] >= len(chosen.keys) - 1   # the seed itself is no peer of its text
    return {label: {"p50": statistics.median(v), "p95": sorted(v)[min(len(v) - 1, int(len(v) * 0.95))], "n": len(v)}
            for label, v in times.items()}


def synthetic_corpus_peers(build: Path, dest: Path, n: int) -> dict:
    """peers.json for the `n`-agreement synthetic corpus of `make scale` (tests/scale/generate.py,
    written to `dest`): every generated agreement under its own key, with its own title and the
    fingerprint of its own text, regulating what its seed regulates and wording it as its seed does
    (the build's part for the seed, tests/scale's generator drops a few sections, so real parts
    differ a little, not in size). The statistics a service over that corpus holds, without the
    minutes of building it."""
    import json
    import random

    from tests.scale.generate import generate, plan
    from vemgorvad.catalogue import load_catalogue
    from vemgorvad.places import gazetteer

    generate(dest, n)
    planned = {p.record.key: p.seed for p in plan(n + 1, gazetteer(), random.Random(f"vemgorvad-scale-16-{n}"))[:n]}
    records = load_catalogue(dest / "data" / "agreements")
    assert {r.key for r in records} == set(planned), "the corpus plan differs from tests/scale/generate.py"
    built = json.loads((build / PEERS_FILE).read_text(encoding="utf-8"))
    agreements = {}
    for record in records:
        seed = built["agreements"][planned[record.key]]
        agreements[record.key] = {
            "fingerprint": fingerprint(record.path.read_text(encoding="utf-8")), "topics": seed["topics"],
            "models": {t: {**m, "title": record.title} for t, m in seed["models"].items()}}
    return {**built, "agreements": agreements}


class _Served:
    """`vemgorvad serve` over the current build, or over a copy of it whose peers.json is `peers`
    (a scratch VEMGORVAD_VAR whose current/ links to the build's files), on a free loopback port.
    start() launches it, ready() waits for /health (both servers start side by side: on a busy
    machine a start takes a minute)."""

    def __init__(self, scratch: Path, peers: dict | None):
        import json
        import os
        self.env = dict(os.environ)
        if peers is not None:
            current = scratch / "var" / "current"
            current.mkdir(parents=True)
            build = (ROOT / "var" / "current").resolve()
            for item in build.iterdir():
                if item.name != PEERS_FILE:
                    (current / item.name).symlink_to(item)
            (current / PEERS_FILE).write_text(json.dumps(peers, ensure_ascii=False), encoding="utf-8")
            self.env["VEMGORVAD_VAR"] = str(scratch / "var")
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> _Served:
        self.process = subprocess.Popen([sys.executable, "-m", "vemgorvad.cli", "serve", "--host", "127.0.0.1",
                                         "--port", str(self.port)], cwd=ROOT, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def ready(self, timeout: float = 600) -> None:
        import httpx
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError("vemgorvad serve stopped before it was ready")
            time.sleep(0.5)
        raise RuntimeError(f"vemgorvad serve was not ready within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def post(self, data: bytes, filename: str) -> tuple[float, int | str]:
        """POST /api/check as a client does (multipart): its wall time, and the peers the report
        counts, or the refusal (the check's time limit passed on a busy machine: 422)."""
        import httpx
        started = time.perf_counter()
        response = httpx.post(f"http://127.0.0.1:{self.port}/api/check", files={"file": (filename, data)},
                              timeout=120)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            return seconds, f"HTTP {response.status_code}"
        return seconds, response.json()["summary"]["peers"]


def _busy(count: int) -> list[subprocess.Popen]:
    """`count` processes that spin on a core each (a machine that is busy with other work)."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def http_against_peers(n: int = 300, repeat: int = 3, key: str = "vastmanland",
                       busy: tuple[int, ...] = (0, 2)) -> dict[str, dict]:
    """POST /api/check of the largest seed to two servers started side by side, one over the
    build's peers (the five seeds) and one over the peers of the `n`-agreement synthetic corpus,
    requests alternating between them so both see the same machine. Each server's first check
    after start on its own line (its worker loads vocabulary and shapes then); then, for each
    count in `busy`, that many spinning processes beside and the median of `repeat` checks (the same
    text each time, so after the first a worker scores its sentences from its sentence-score cache,
    about 0.1 s of CPU less than a new draft: the in-process figures, cold_check, are the cold ones)."""
    import os
    import tempfile
    text = (ROOT / "data" / "agreements" / f"{key}.txt").read_bytes()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="vemgorvad-bench-peers-") as scratch:
        peers = synthetic_corpus_peers((ROOT / "var" / "current").resolve(), Path(scratch) / "corpus", n)
        servers = {"5 agreements": _Served(Path(scratch) / "five", None),
                   f"{n} agreements": _Served(Path(scratch) / "many", peers)}
        try:
            for server in servers.values():
                server.start()
            for server in servers.values():
                server.ready()
            for label, server in servers.items():
                seconds, counted = server.post(text, f"{key}.txt")
                results[f"first/{label}"] = {"seconds": seconds, "peers": counted}
            for spinners in busy:
                spinning = _busy(spinners)
                try:
                    times: dict[str, list[float]] = {label: [] for label in servers}
                    refused: dict[str, list[str]] = {label: [] for label in servers}
                    for round_ in range(1, repeat + 1):
                        for label, server in servers.items():
                            seconds, counted = server.post(text + b" " * round_, f"{key}.txt")
                            times[label].append(seconds)
                            if isinstance(counted, str):
                                refused[label].append(counted)
                    load = os.getloadavg()[0]
                finally:
                    for process in spinning:
                        process.kill()
                        process.wait()
                for label, values in times.items():
                    results[f"busy {spinners}/{label}"] = {"p50": statistics.median(values), "max": max(values),
                                                           "n": len(values), "load1": load, "refused": refused[label]}
        finally:
            for server in servers.values():
                server.stop()
    return results


def run_http_peers(n: int = 300, repeat: int = 3) -> None:
    """The issue's figure: the largest seed checked over HTTP against 5 and against `n` peer
    agreements, side by side in one run, as the machine is and with BENCH_BUSY (default 2)
    spinning processes beside."""
    import os
    size = (ROOT / "data" / "agreements" / "vastmanland.txt").stat().st_size
    print(f"gap check of vastmanland ({size / 1024:.0f} KB) over HTTP (POST /api/check), 5 vs {n} peer "
          f"agreements (the tests/scale corpus's peer statistics), two servers side by side, median of {repeat}; "
          f"target ≤ {TARGET_SECONDS:.0f} s")
    spinners = int(os.environ.get("BENCH_BUSY", "2"))
    figures = http_against_peers(n, repeat, busy=(0, spinners) if spinners else (0,))
    for name, f in figures.items():
        if name.startswith("first/"):
            print(f"  first check after start, {name[6:]:<15} {f['seconds']:.2f} s (the report counts {f['peers']} peers)")
        else:
            spinners, label = name.split("/")
            flag = "" if f["p50"] <= TARGET_SECONDS else "  over target"
            print(f"  {spinners.replace('busy ', '') + ' spinning beside,':<20} {label:<15} p50 {f['p50']:.2f} s  "
                  f"max {f['max']:.2f} s  (n={f['n']}, load average {f['load1']:.1f})"
                  f"{'; refused: ' + ', '.join(f['refused']) if f['refused'] else ''}{flag}")


def run(repeat: int = 3) -> None:
    sizes = {key: (ROOT / "data" / "agreements" / f"{key}.txt").stat().st_size for key in SEEDS}
    local = in_process(repeat)
    remote = over_http(repeat)
    print(f"gap check, median of {repeat} (s); target ≤ {TARGET_SECONDS:.0f} s for the largest seed")
    print(f"{'seed':<22}{'KB':>6}{'in-process':>12}{'HTTP':>10}")
    for key in sorted(SEEDS, key=sizes.get):
        flag = "" if remote[key] <= TARGET_SECONDS else "  over target"
        print(f"{key:<22}{sizes[key] / 1024:>6.0f}{local[key]:>12.2f}{remote[key]:>10.2f}{flag}")
    print(f"gap check of vastmanland ({sizes['vastmanland'] / 1024:.0f} KB), in-process, cold, side by side; "
          f"target ≤ {TARGET_SECONDS:.0f} s with 300 peers")
    for label, f in against_peers().items():
        flag = "" if f["p50"] <= TARGET_SECONDS else "  over target"
        print(f"  {label:<12} p50 {f['p50']:.2f} s  p95 {f['p95']:.2f} s  (n={f['n']}){flag}")
    run_http_peers(repeat=repeat)


if __name__ == "__main__":
    run()
