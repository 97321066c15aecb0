"""Benchmark of /sparql against an Oxigraph server holding the same dump: the same query mix, the
same concurrency, loopback only, bounded in requests and in time. `run()` returns the figures and
prints one line per server and the ratio. Our service runs as `vemgorvad serve` (one uvicorn
process, query worker processes, answer cache); the same service without its cache is measured
too, so that the cache's share is visible."""
from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.oxigraph_server import OxigraphServer, free_port
from tests.subprocs import terminate

ROOT = Path(__file__).resolve().parents[2]
P = ("PREFIX vg: <https://w3id.org/vemgorvad/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
     "PREFIX oa: <http://www.w3.org/ns/oa#> ")
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
AGREEMENTS = ["sormland", "stockholm-vasterort", "uppsala", "vastmanland", "vastra-gotaland"]
TOPICS = ["hjalpmedel", "placering_hvb", "sip", "boende", "tvister", "kostnadsfordelning"]


def query_mix() -> list[tuple[str, str]]:
    """(query, Accept) pairs: what integrators ask, in several variants."""
    mix = [
        (P + "SELECT ?key ?title WHERE { ?a a vg:Agreement ; dcterms:identifier ?key ; dcterms:title ?title } ORDER BY ?key", JSON),
        (P + "SELECT ?key ?kind (COUNT(?r) AS ?n) WHERE { ?r a vg:Responsibility ; vg:agreement/dcterms:identifier ?key ; "
             "vg:bearerKind/skos:notation ?kind } GROUP BY ?key ?kind ORDER BY ?key ?kind", JSON),
        (P + "SELECT ?topic (COUNT(DISTINCT ?a) AS ?n) WHERE { ?t a vg:Topic ; skos:notation ?topic . "
             "OPTIONAL { ?a vg:regulates ?t } } GROUP BY ?topic ORDER BY ?topic", JSON),
        (P + "SELECT ?r ?statement WHERE { ?r a vg:Responsibility ; vg:statement ?statement . "
             "FILTER(CONTAINS(LCASE(?statement), \"hjälpmedel\")) } LIMIT 50", JSON),
        (P + "ASK { ?r vg:costShare ?share FILTER(?share > 0.5) }", JSON),
        (P + "CONSTRUCT { ?a ?p ?o } WHERE { ?a a vg:Agreement ; ?p ?o }", TURTLE),
        ("DESCRIBE <https://w3id.org/vemgorvad/id/agreement/uppsala/clause/32254-32558-kommun>", TURTLE),
    ]
    for key in AGREEMENTS:
        for topic in TOPICS:
            mix.append((P + f"SELECT ?r ?bearer ?kind ?statement ?quote WHERE {{ ?a dcterms:identifier \"{key}\" . "
                            f"?t skos:notation \"{topic}\" . ?r a vg:Responsibility ; vg:agreement ?a ; vg:topic ?t ; "
                            f"vg:bearer/rdfs:label ?bearer ; vg:bearerKind/skos:notation ?kind ; vg:statement ?statement . "
                            f"OPTIONAL {{ ?r vg:evidence/oa:hasSelector/oa:exact ?quote }} FILTER(lang(?bearer) = \"sv\") }}",
                        JSON))
    return mix


def request_bytes(host: str, path: str, query: str, accept: str) -> bytes:
    target = path + "?" + urllib.parse.urlencode({"query": query})
    return (f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\n"
            f"Connection: keep-alive\r\n\r\n").encode("ascii")


async def read_response(reader) -> int:
    """The status of one HTTP/1.1 response, its body read (length or chunked) and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _load(port: int, path: str, requests: list[bytes], concurrency: int, count: int, seconds: float):
    latencies: list[float] = []
    errors = 0
    next_index = 0
    deadline = time.monotonic() + seconds

    async def client():
        nonlocal next_index, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while next_index < count and time.monotonic() < deadline:
                i = next_index
                next_index += 1
                started = time.perf_counter()
                writer.write(requests[i % len(requests)])
                status = await read_response(reader)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies), "errors": errors, "seconds": round(elapsed, 3),
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2),
    }


def measure(port: int, path: str, concurrency: int, count: int, seconds: float) -> dict:
    host = f"127.0.0.1:{port}"
    requests = [request_bytes(host, path, q, accept) for q, accept in query_mix()]
    asyncio.run(_load(port, path, requests, 1, len(requests), seconds))        # warm-up: every query once
    return asyncio.run(_load(port, path, requests, concurrency, count, seconds))


class Service:
    """`vemgorvad serve` on a free loopback port, as an operator runs it."""

    def __init__(self, env: dict | None = None):
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}

    def __enter__(self):
        # stderr (the access log: a line per request) goes to a file; an unread pipe would fill and stall the server
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vemgorvad.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(self.log.read().decode("utf-8", "replace")[-4000:]) from None
                time.sleep(0.1)
        raise RuntimeError("vemgorvad serve did not start")

    def __exit__(self, *exc):
        terminate(self.process, 15)
        self.log.close()


def run(count: int = 3000, concurrency: int = 8, seconds: float = 10.0) -> dict:
    dump = ROOT / "var" / "current" / "dataset.nq"
    if not dump.exists():
        raise SystemExit("no built graph: run `vemgorvad build` first")
    results = {"concurrency": concurrency, "queries_in_mix": len(query_mix())}
    with OxigraphServer(dump) as oxigraph:
        results["oxigraph"] = measure(oxigraph.port, "/query", concurrency, count, seconds)
    with Service() as service:
        results["vemgorvad"] = measure(service.port, "/sparql", concurrency, count, seconds)
    with Service({"VEMGORVAD_ANSWER_CACHE_MB": "0"}) as service:
        results["vemgorvad_uncached"] = measure(service.port, "/sparql", concurrency, count, seconds)
    results["ratio"] = round(results["vemgorvad"]["req_per_s"] / results["oxigraph"]["req_per_s"], 2)
    results["ratio_uncached"] = round(results["vemgorvad_uncached"]["req_per_s"] / results["oxigraph"]["req_per_s"], 2)
    for name in ("oxigraph", "vemgorvad", "vemgorvad_uncached"):
        r = results[name]
        print(f"sparql bench {name:19s} {r['req_per_s']:8.1f} req/s  p50 {r['p50_ms']:7.2f} ms  "
              f"p99 {r['p99_ms']:7.2f} ms  ({r['requests']} requests, {r['errors']} errors, c={concurrency})")
    print(f"sparql bench ratio vemgorvad/oxigraph = {results['ratio']} (uncached {results['ratio_uncached']}, "
          f"target >= 0.9)")
    return results


if __name__ == "__main__":
    run()
