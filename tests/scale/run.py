"""`make scale`: national-scale figures, side by side for each corpus size.

For each N in SCALE_N (default "25 100 300") a synthetic corpus (generate.py) is written to a
scratch folder outside the checkout (SCALE_DIR, default $TMPDIR/vemgorvad-scale/N<n>), built there
as a project copy, served, and measured:

  full build (wall, CPU, per stage), `vemgorvad add` of one agreement, the build's peak memory (the
  parent and the sum over its workers), the server's memory after start / after the ask index /
  with its query workers, three users asking right after a start, the first question after start,
  ask p50/p95 for questions naming no agreement (over HTTP, and the same questions in one process
  without HTTP: inprocess.py) and naming one (cold: every question asked once,
  answer cache off), compare (every page of three topics once: cold; a cache hit on its own line), a county with several
  agreements (are the answers from the agreements in force for the municipality named?), and
  /sparql against an Oxigraph server (and Virtuoso, when installed) holding the same dump: the
  same mix, our answer cache off (cold), and again with every request a text never asked before.

Every measurement has a time bound; one that passes it prints "> bound" and the run goes on.
The machine is shared: the figures are for comparing sizes side by side in one run.

    SCALE_N="25 100" python -m tests.scale
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.sparql import _load, request_bytes
from tests.oxigraph_server import OxigraphServer
from tests.project_copy import Server, command, env_for
from tests.scale.generate import generate
from tests.virtuoso_server import VirtuosoServer, virtuoso_available
from vemgorvad.catalogue import load_catalogue
from vemgorvad.places import agreement_places, gazetteer, in_force

SAME_PRIORITY = "vemgorvad (workers nice 0)"
BOUNDS = {"build": 3600.0, "add": 1800.0, "ready": 600.0, "question": 120.0, "set": 600.0, "sparql": 60.0}
TOPICS = ("boendestöd", "hjälpmedel", "samordnad individuell plan", "placering på HVB", "sysselsättning",
          "tvister", "uppföljning", "läkemedelsassisterad behandling", "anhörigstöd", "suicidprevention")
COMPARE_TOPICS = ("kostnadsfordelning", "sip", "boende")   # a comparison's pages, each asked once after start
SPARQL_TOPICS = ("hjalpmedel", "placering_hvb", "sip", "boende", "tvister", "kostnadsfordelning")


#: Seconds one corpus may take in all (SCALE_BUDGET): each measurement's bound is cut to what is
#: left, and once it is spent the remaining measurements print "skipped" — `make scale` ends.
BUDGET = float(os.environ.get("SCALE_BUDGET", "2400"))
_deadline = [float("inf")]


def bound(name: str) -> float:
    """A measurement's time bound: its own, or what is left of the corpus's budget if less."""
    return max(1.0, min(BOUNDS[name], _deadline[0] - time.monotonic()))


class Bounded(Exception):
    """A measurement passed its time bound."""

    def __init__(self, bound: float):
        super().__init__(f"> {bound:.0f} s")
        self.bound = bound


# --- memory of a process tree ---------------------------------------------------------------------

def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")    # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_cpu_s(root: int) -> float:
    """CPU seconds a process and its living descendants have used: what a start costs whatever the
    load of the shared machine (its wall time is the figure; this says how much of it was waiting)."""
    return _cpu_s(root) + sum(_cpu_s(p) for p in _descendants(root))


def tree_mb(root: int) -> tuple[float, float]:
    """(the process's RSS, the sum over its descendants) in MB, now."""
    return _rss_mb(root), sum(_rss_mb(p) for p in _descendants(root))


class Sampler:
    """Peak RSS of a process and of the sum of its descendants, sampled every 0.25 s."""

    def __init__(self, pid: int):
        self.pid = pid
        self.parent = self.children = self.total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            parent, children = tree_mb(self.pid)
            self.parent, self.children = max(self.parent, parent), max(self.children, children)
            self.total = max(self.total, parent + children)
            self._stop.wait(0.25)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(2)


# --- the command line, timed and bounded -----------------------------------------------------------

@dataclass
class Timed:
    wall: float
    cpu: float
    returncode: int
    output: str
    parent_mb: float = 0.0
    children_mb: float = 0.0


def run_timed(home: Path, args: list[str], bound: float, **env) -> Timed:
    """Run `vemgorvad ARGS` in the project copy; wall and CPU time (its whole process tree) and peak
    memory. Past the bound the process group is killed and Bounded raised."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command(*args), env=env_for(home, **env), cwd=home, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    with Sampler(process.pid) as sampler:
        try:
            process.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise Bounded(bound) from None
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(round(wall, 1), round(cpu, 1), process.returncode, output[-3000:], round(sampler.parent),
                 round(sampler.children))


# --- HTTP -----------------------------------------------------------------------------------------

def get(base: str, path: str, bound: float) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=bound) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, body = err.code, err.read()
    except (TimeoutError, OSError) as err:
        if "timed out" in str(err):
            raise Bounded(bound) from None
        raise
    return status, body, time.perf_counter() - started


def ask_path(question: str, agreement: str | None = None) -> str:
    params = {"q": question}
    if agreement:
        params["agreement"] = agreement
    return "/api/ask?" + urllib.parse.urlencode(params)


def pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# --- one corpus ------------------------------------------------------------------------------------

@dataclass
class Result:
    n: int
    rows: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def put(self, name: str, text: str, **data) -> None:
        self.rows[name] = text
        if data:
            self.data[name] = data
        print(f"  N={self.n:<4} {name:34s} {text}", flush=True)


def _bounded(result: Result, name: str, measure) -> None:
    """Run one measurement; a passed bound or a failure becomes its row instead of stopping the run."""
    if time.monotonic() >= _deadline[0]:
        result.put(name, f"skipped: the corpus's time budget ({BUDGET:.0f} s, SCALE_BUDGET) is spent")
        return
    try:
        measure()
    except Bounded as err:
        result.put(name, str(err))
    except Exception as err:
        result.put(name, f"failed: {type(err).__name__}: {str(err)[:160]}")


def questions(places: list[str], rng: random.Random, count: int, start_age: int) -> list[str]:
    """Distinct questions (a different age in each, so no two are the same text)."""
    out = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        age = start_age + i
        where = f" i {places[i % len(places)]}" if places else ""
        out.append(f"Vem ansvarar för {topic} för en {age}-åring{where}?")
    rng.shuffle(out)
    return out


def measure_corpus(n: int, scratch: Path) -> Result:
    result = Result(n)
    _deadline[0] = time.monotonic() + BUDGET
    home = scratch / f"N{n}"
    rng = random.Random(n)
    summary = generate(home, n)
    records = load_catalogue(home / "data" / "agreements")
    result.put("load average at start", _load_average())
    result.put("corpus", f"{summary['n']} agreements ({summary['county']} county-wide, {summary['local']} local, "
                         f"{summary['versions']} replacing an older version), {summary['bytes'] / 1e6:.1f} MB text")

    def build() -> None:
        timed = run_timed(home, ["build", "--quiet"], bound("build"))
        if timed.returncode != 0:
            raise RuntimeError(timed.output.strip().splitlines()[-1])
        manifest = json.loads((home / "var" / "current" / "manifest.json").read_text(encoding="utf-8"))
        stages = ", ".join(f"{k} {v:.0f}" for k, v in manifest.get("timings", {}).items())
        result.put("full build", f"{timed.wall:.0f} s wall, {timed.cpu:.0f} CPU-s; {stages} s; "
                                 f"{manifest['quads'] / 1e6:.2f} M triples",
                   wall=timed.wall, cpu=timed.cpu, timings=manifest.get("timings"), triples=manifest["quads"])
        result.put("build peak memory", f"parent {timed.parent_mb / 1024:.2f} GB, Σ workers "
                                        f"{timed.children_mb / 1024:.2f} GB",
                   parent_mb=timed.parent_mb, workers_mb=timed.children_mb)
    _bounded(result, "full build", build)
    if not (home / "var" / "current" / "dataset.nq").exists():
        return result

    def rebuild() -> None:
        timed = run_timed(home, ["build", "--quiet"], bound("build"))
        if timed.returncode != 0:
            raise RuntimeError(timed.output.strip().splitlines()[-1])
        result.put("rebuild, nothing changed (cache hit)", f"{timed.wall:.0f} s wall, {timed.cpu:.0f} CPU-s",
                   wall=timed.wall, cpu=timed.cpu)
    _bounded(result, "rebuild, nothing changed (cache hit)", rebuild)
    dump = home / "var" / "current" / "dataset.nq"
    snapshot = scratch / f"N{n}-dataset.nq"          # `add` replaces the build: keep this one for the stores
    shutil.copyfile(dump, snapshot)
    result.put("dump", f"{dump.stat().st_size / 1e6:.0f} MB N-Quads")

    _bounded(result, "first question after start", lambda: _server_figures(result, home, records, rng))
    _bounded(result, "ask, no agreement named, in process", lambda: _in_process(result, home))
    _bounded(result, "/sparql vs stores", lambda: _sparql(result, home, snapshot, records))

    def add() -> None:
        extra = home / "extra"
        record = json.loads((extra / "agreements.json").read_text(encoding="utf-8"))[0]
        timed = run_timed(home, ["add", str(extra / record["file"]), "--key", record["key"], "--title",
                                 record["title"], "--county", record["county"], "--valid-from",
                                 record["valid_from"], "--quiet"], bound("add"))
        if timed.returncode != 0:
            raise RuntimeError(timed.output.strip().splitlines()[-1])
        result.put("add of one agreement", f"{timed.wall:.0f} s wall, {timed.cpu:.0f} CPU-s", wall=timed.wall)
    _bounded(result, "add of one agreement", add)
    _bounded(result, "three users right after start", lambda: _three_users(result, home, records))
    snapshot.unlink(missing_ok=True)
    result.put("load average at end", _load_average())
    return result


def _load_average() -> str:
    """The machine's load (1, 5, 15 minutes) on its 2 cores: how shared the figures' machine was."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} ({os.cpu_count()} cores)"


def start(server: Server) -> Server:
    """Start a server; not ready within the bound is Bounded (the server is stopped)."""
    try:
        return server.start(ready_within=bound("ready"))
    except RuntimeError as err:
        if "in time" in str(err):
            raise Bounded(bound("ready")) from None
        raise


def _server_figures(result: Result, home: Path, records, rng: random.Random) -> None:
    gaz = gazetteer()
    server = Server(home, VEMGORVAD_ANSWER_CACHE_MB=0)
    started = time.perf_counter()
    start(server)
    try:
        ready = time.perf_counter() - started
        parent, children = tree_mb(server.process.pid)
        cpu = tree_cpu_s(server.process.pid)
        result.put("server memory after start", f"{(parent + children) / 1024:.2f} GB (ready in {ready:.0f} s, "
                                                f"{cpu:.0f} CPU-s with its workers)",
                   mb=parent + children, ready_s=round(ready, 1), ready_cpu_s=round(cpu, 1))
        status, _, first = get(server.base, ask_path("Vem ansvarar för hjälpmedel för en 25-åring?"),
                               bound("question"))
        result.put("first question after start", f"{first:.2f} s (HTTP {status}), ready at {ready:.0f} s",
                   seconds=round(first, 2))
        parent, children = tree_mb(server.process.pid)
        result.put("server memory after ask index", f"{(parent + children) / 1024:.2f} GB", mb=parent + children)
        get(server.base, "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), bound("question"))
        parent, children = tree_mb(server.process.pid)
        result.put("server memory with workers", f"{(parent + children) / 1024:.2f} GB "
                                                 f"(server {parent / 1024:.2f} + workers {children / 1024:.2f})",
                   mb=parent + children)

        def ask_set(name: str, paths: list[str], **data) -> None:
            deadline = time.monotonic() + bound("set")
            times = []
            for path in paths:
                if time.monotonic() > deadline:
                    raise Bounded(bound("set"))
                status, _, seconds = get(server.base, path, bound("question"))
                if status == 200:
                    times.append(seconds * 1000)
            result.put(name, f"p50 {statistics.median(times):.0f} ms, p95 {pct(times, 0.95):.0f} ms "
                             f"({len(times)} questions, cold, HTTP)", p50=statistics.median(times),
                       p95=pct(times, 0.95), **data)
        national = questions([], rng, 30, 18)      # asked again in one process, without HTTP (_in_process)
        _bounded(result, "ask, no agreement named", lambda: ask_set(
            "ask, no agreement named", [ask_path(q) for q in national], questions=national))
        keys = [r.key for r in records]
        _bounded(result, "ask, one agreement", lambda: ask_set(
            "ask, one agreement", [ask_path(q, rng.choice(keys)) for q in questions([], rng, 30, 50)]))

        def compare() -> None:
            times, sizes = compare_sweep(lambda path: get(server.base, path, bound("question")), COMPARE_TOPICS,
                                         bound("set"))
            result.put("compare", f"p50 {statistics.median(times):.0f} ms, p95 {pct(times, 0.95):.0f} ms, max "
                                  f"{max(times):.0f} ms ({len(times)} pages of {', '.join(COMPARE_TOPICS)}, each "
                                  f"once: cold, HTTP); a page {max(sizes) / 1e6:.2f} MB at most",
                       p50=statistics.median(times), p95=pct(times, 0.95), mb=max(sizes) / 1e6)
            again = [get(server.base, f"/api/compare?topic={COMPARE_TOPICS[0]}&page=1", bound("question"))[2] * 1000
                     for _ in range(3)]
            result.put("compare, cache hit", f"p50 {statistics.median(again):.0f} ms (a page asked again, 3 times)",
                       p50=statistics.median(again))
        _bounded(result, "compare", compare)

        def counties() -> None:
            def ask(question: str) -> dict | None:
                status, body, _ = get(server.base, ask_path(question), bound("question"))
                return json.loads(body) if status == 200 else None
            figures = county_figures(records, gaz, ask)
            result.put("county with several agreements", county_line(figures), **figures)
        _bounded(result, "county with several agreements", counties)
    finally:
        server.stop()


def compare_sweep(fetch, topics: tuple[str, ...], limit: float) -> tuple[list[float], list[int]]:
    """Every page of each topic's comparison requested once, in order — each the first request for that
    page since the start, so cold — by `fetch(path) -> (status, body, seconds)`: the milliseconds and the
    bytes of each page. Past `limit` seconds in all, Bounded."""
    deadline = time.monotonic() + limit
    times: list[float] = []
    sizes: list[int] = []
    for topic in topics:
        page = pages = 1
        while page <= pages:
            if time.monotonic() > deadline:
                raise Bounded(limit)
            status, body, seconds = fetch(f"/api/compare?topic={topic}&page={page}")
            if status != 200:
                raise RuntimeError(f"/api/compare?topic={topic}&page={page}: HTTP {status}")
            pages = json.loads(body)["pages"]
            times.append(seconds * 1000)
            sizes.append(len(body))
            page += 1
    return times, sizes


def county_figures(records, gaz, ask) -> dict[str, int]:
    """Questions naming a municipality that has a local agreement (the first 20 such), and their
    counties: is the place recognised; are the answers drawn only from the agreements in force there
    (places.in_force) — a `not_covered` only from their passages too, none of them regulating it —;
    is every agreement in force shown, grouped (`in_force`), county-wide first. A county alone:
    answers from its county-wide agreements, every agreement of the county grouped."""
    facts = agreement_places(records, gaz)
    locals_ = [r for r in records if r.level == "local"]
    municipal = [(r, c) for r in locals_ for c in r.covers if gaz[c].kind == "municipality"][:20]
    f = dict.fromkeys(("asked", "right", "answered", "not_covered", "recognised", "grouped", "in_force",
                       "county_asked", "county_right"), 0)

    def groups_of(body: dict) -> list[str]:
        return [g["agreement"]["key"] for g in body.get("in_force") or []]

    for record, place in municipal:
        applies = in_force(facts, place, gaz=gaz)
        expected = set(applies.keys)
        f["in_force"] += bool(applies.regional) and record.key in {e.key for e in applies.local}
        body = ask(f"Vem ansvarar för boendestöd i {gaz[place].name}?")
        if body is None:
            continue
        f["asked"] += 1
        f["recognised"] += ((body.get("interpretation") or {}).get("place") or {}).get("id") == place
        got = {a["agreement"]["key"] for a in body.get("answers") or []}
        nearest = {a["agreement"]["key"] for a in body.get("nearest") or [] if a.get("agreement")}
        if body["status"] == "not_covered":
            f["not_covered"] += 1
            f["right"] += nearest <= expected
        else:
            f["answered"] += bool(got) and got <= expected
            f["right"] += bool(got) and got <= expected
            f["grouped"] += groups_of(body) == applies.keys
    for county in dict.fromkeys(gaz.county_of(place) for _, place in municipal):
        applies = in_force(facts, county, gaz=gaz)
        body = ask(f"Vem ansvarar för samordnad individuell plan i {gaz[county].name}?")
        if body is None or not applies.regional:
            continue
        f["county_asked"] += 1
        got = {a["agreement"]["key"] for a in body.get("answers") or []}
        f["county_right"] += bool(got) and got <= {e.key for e in applies.regional} and \
            groups_of(body) == (applies.keys if len(applies.keys) > 1 else [])
    return f


def county_line(f: dict[str, int]) -> str:
    return (f"{f['right']} of {f['asked']} municipality questions kept to the agreements in force there "
            f"({f['answered']} answered, {f['grouped']} of them grouped by agreement, county-wide first; "
            f"{f['not_covered']} not_covered, nearest passages from them); {f['recognised']} places recognised; "
            f"{f['county_right']} of {f['county_asked']} county questions answered from the county-wide agreement, "
            f"every agreement of the county grouped; places.in_force: {f['in_force']} of 20 give county-wide + local")


def _in_process(result: Result, home: Path) -> None:
    """The questions of "ask, no agreement named" timed in one process without HTTP (inprocess.py),
    after the server has stopped, so the row beside the HTTP one shows what the HTTP layer adds."""
    http = result.data.get("ask, no agreement named")
    if not http:
        result.put("ask, no agreement named, in process", "—: the HTTP figure was not measured")
        return
    limit = bound("ready") + bound("set")
    try:
        done = subprocess.run([sys.executable, "-m", "tests.scale.inprocess"], input=json.dumps(http["questions"]),
                              env=env_for(home), cwd=Path(__file__).resolve().parents[2], capture_output=True,
                              text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        raise Bounded(limit) from None
    if done.returncode != 0:
        raise RuntimeError((done.stderr.strip().splitlines() or ["no output"])[-1])
    times = json.loads(done.stdout)
    p50, p95 = statistics.median(times), pct(times, 0.95)
    result.put("ask, no agreement named, in process",
               f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (the same {len(times)} questions, one process, no HTTP; "
               f"over HTTP p95 {http['p95']:.0f} ms: {http['p95'] / p95:.2f}×)", p50=p50, p95=p95)


def _three_users(result: Result, home: Path, records) -> None:
    server = Server(home, VEMGORVAD_ANSWER_CACHE_MB=0)
    start(server)
    try:
        paths = [ask_path(q) for q in ("Vem betalar vid placering på HVB?", "Vem kallar till SIP?",
                                       "Vem ansvarar för boendestöd för en 40-åring?")]
        with Sampler(server.process.pid) as sampler, ThreadPoolExecutor(3) as pool:
            timings = list(pool.map(lambda p: get(server.base, p, bound("question"))[2], paths))
        result.put("three users right after start", f"{sampler.total / 1024:.2f} GB peak, "
                   + ", ".join(f"{t:.1f}" for t in timings) + " s each", peak_mb=sampler.total, seconds=timings)
    finally:
        server.stop()


def _sparql(result: Result, home: Path, dump: Path, records) -> None:
    keys = [r.key for r in records]
    p = ("PREFIX vg: <https://w3id.org/vemgorvad/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
         "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    mix = [p + "SELECT ?key ?title WHERE { ?a a vg:Agreement ; dcterms:identifier ?key ; dcterms:title ?title } ORDER BY ?key",
           p + "SELECT ?topic (COUNT(DISTINCT ?a) AS ?n) WHERE { ?t a vg:Topic ; skos:notation ?topic . "
               "OPTIONAL { ?a vg:regulates ?t } } GROUP BY ?topic ORDER BY ?topic"]
    for key in keys[:: max(1, len(keys) // 8)][:8]:
        for topic in SPARQL_TOPICS[:3]:
            mix.append(p + f'SELECT ?r ?bearer ?statement WHERE {{ ?a dcterms:identifier "{key}" . ?t skos:notation '
                           f'"{topic}" . ?r a vg:Responsibility ; vg:agreement ?a ; vg:topic ?t ; vg:bearer/rdfs:label '
                           f'?bearer ; vg:statement ?statement FILTER(lang(?bearer) = "sv") }}')
    accept = "application/sparql-results+json"
    # every text new: the same mix, each request a text never asked before (LIMIT varies, the
    # answer does not), so our service also decides each one (rdflib's parse in a worker)
    fresh = [q + f" LIMIT {100000 + i}" for i, q in enumerate(mix * 4)]

    def measure(port: int, path: str) -> dict:
        requests = [request_bytes(f"127.0.0.1:{port}", path, q, accept) for q in mix]
        asyncio.run(_load(port, path, requests, 1, len(requests), bound("sparql")))   # every query once
        figures = asyncio.run(_load(port, path, requests, 4, 400, bound("sparql")))
        unseen = [request_bytes(f"127.0.0.1:{port}", path, q, accept) for q in fresh]
        figures["new_texts"] = asyncio.run(_load(port, path, unseen, 4, len(unseen), bound("sparql")))
        return figures

    figures = {}
    # the figure is the cold path: answer cache off, so every request is evaluated (what a query's
    # text may do is still decided once per text); a cache hit is never the figure. The evaluating
    # workers run `worker_nice` (10) below the server, the Oxigraph server at the server's own
    # priority: on a loaded machine that alone divides their share of the CPU, so the same
    # server is measured again with its workers at its own priority (VEMGORVAD_WORKER_NICE=0).
    for name, extra in (("vemgorvad", {}), (SAME_PRIORITY, {"VEMGORVAD_WORKER_NICE": 0})):
        server = Server(home, VEMGORVAD_ANSWER_CACHE_MB=0, **extra)
        start(server)
        try:
            figures[name] = measure(server.port, "/sparql")
        finally:
            server.stop()
    with OxigraphServer(dump, timeout_s=60) as oxigraph:
        figures["oxigraph"] = measure(oxigraph.port, "/query")
    if virtuoso_available() is None:
        with VirtuosoServer(dump, timeout_s=60, memory_mb=1024) as virtuoso:
            figures["virtuoso"] = measure(virtuoso.http_port, "/sparql")
            figures["virtuoso"]["load_s"] = virtuoso.load_seconds

    def line(key: str | None) -> str:
        parts = []
        for name, f in figures.items():
            f = f[key] if key else f
            parts.append(f"{name} {f['req_per_s']:.0f} req/s p50 {f['p50_ms']:.0f} ms p99 {f['p99_ms']:.0f} ms"
                         + (f" ({f['errors']} errors)" if f["errors"] else ""))
        theirs = figures["oxigraph"][key] if key else figures["oxigraph"]
        ratios = []
        for name in ("vemgorvad", SAME_PRIORITY):
            ours = figures[name][key] if key else figures[name]
            ratios.append(f"{name}/oxigraph {ours['req_per_s'] / max(theirs['req_per_s'], 0.01):.2f}")
        return "; ".join(parts + ratios)
    result.put("/sparql vs stores", "cold (answer cache off): " + line(None), **figures)
    result.put("/sparql, every text new", line("new_texts"))


# --- the table -------------------------------------------------------------------------------------

def table(results: list[Result]) -> str:
    names: list[str] = []
    for r in results:
        names += [k for k in r.rows if k not in names]
    head = "| measured | " + " | ".join(f"N = {r.n}" for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(r.rows.get(name, "—") for r in results) + " |")
    return "\n".join(lines)


def main() -> int:
    sizes = [int(n) for n in os.environ.get("SCALE_N", "25 100 300").split()]
    scratch = Path(os.environ.get("SCALE_DIR") or Path(tempfile.gettempdir()) / "vemgorvad-scale")
    root = Path(__file__).resolve().parents[2]
    if scratch.resolve().is_relative_to(root):
        raise SystemExit(f"SCALE_DIR must lie outside the checkout ({root}), not {scratch}")
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"make scale: N = {', '.join(map(str, sizes))} in {scratch} (machine shared: compare side by side)",
          flush=True)
    results = []
    for n in sizes:
        results.append(measure_corpus(n, scratch))
        (scratch / "results.json").write_text(json.dumps([{"n": r.n, "rows": r.rows, "data": r.data}
                                                          for r in results], ensure_ascii=False, indent=1))
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
