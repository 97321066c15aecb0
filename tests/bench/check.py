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

from vemgorvad.serve.check.report import Peers, fingerprint
from vemgorvad.serve.check.service import peers_from, run_check
from vemgorvad.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("stockholm-vasterort", "sormland", "vastmanland", "vastra-gotaland", "uppsala")
TARGET_SECONDS = 3.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    return {key: _median(lambda: run_check(texts[key], f"{key}.txt", peers), repeat) for key in SEEDS}


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
    side (alternating), every run cold: the check has no cache."""
    peers = peers_from(EmbeddedStore.from_build(ROOT / "var" / "current"))
    many = synthetic_peers(peers, n)
    text = (ROOT / "data" / "agreements" / f"{key}.txt").read_bytes()
    run_check(text[:4000], "warm.txt", peers)  # loads vocabulary and shapes once, as a worker's start does
    times: dict[str, list[float]] = {f"{len(peers.keys)} peers": [], f"{n} peers": []}
    for _ in range(repeat):
        for label, chosen in zip(times, (peers, many), strict=True):
            started = time.perf_counter()
            report = run_check(text, f"{key}.txt", chosen)
            times[label].append(time.perf_counter() - started)
            assert report["summary"]["peers"] >= len(chosen.keys) - 1   # the seed itself is no peer of its text
    return {label: {"p50": statistics.median(v), "p95": sorted(v)[min(len(v) - 1, int(len(v) * 0.95))], "n": len(v)}
            for label, v in times.items()}


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


if __name__ == "__main__":
    run()
