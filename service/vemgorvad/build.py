"""`vemgorvad build`: every agreement in data/ through the pipeline (pipeline.py: ingest → extract →
graph → rules → validate), one worker process per agreement, then the dataset of all of them with
the vocabulary, the OWL check of the vocabulary (made while the workers run), and a new build
folder that replaces the current one in a single rename. A failed build leaves the previous graph serving and writes nothing in its
place. The build adds only this around the pipeline: reading each file once, ordering, caching
(the pipeline's results in buildcache.py, the reasoner's answer), and publishing.

Incremental: an agreement whose text, record, corrections and the code and data it depends on are
unchanged is taken from the cache (buildcache.py), not run through the pipeline again — `vemgorvad
add` of one agreement runs the pipeline for that one only. Its SHACL result is cached with it; what
no single agreement's validation can see (nodes shared by several agreements — principals, laws,
provisions — described by each) is validated in one pass over those nodes as all the agreements
together describe them (:func:`_shared_shacl`).

Streaming: workers write each agreement's stage files to the cache and send back only its report;
the dataset is a merge of the sorted per-agreement files written straight to disk (by `sort -m`,
sortmerge.py), and the build's agreement folders are hard links to the cache entries. The parent
never holds the graph; what the cross-agreement SHACL pass reads of each agreement's graph is picked
out in its worker and cached with it (shared_part), so the parent reads no line of the graphs.

Each agreement gets a folder in the build whose files are its pipeline stages (ferenda-style):
normalised.txt, structure.json, clauses.json and graph.nq — the graph as served, rules applied.
Beside dataset.nq, peers.json holds the gap check's peer statistics, merged from each agreement's
part (made and cached with the agreement), so the service does not compute them; the ask index is
made the same way (buildcache.Derived: a part per agreement in its worker, cached with it, merged).
"""
from __future__ import annotations

import contextlib
import json
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph

from . import buildcache, paths
from .atomic import fsync_dir
from .buildcache import Derived
from .catalogue import Record, load_catalogue
from .corrections import Correction, load_corrections
from .datastore import Progress, data_fingerprint, recover, update_lock
from .extract.citations import law_table
from .extract.coverage import covered_topics
from .graph.terms import VOCABULARY_GRAPH, agreement_graph, agreement_iri
from .ingest import IngestError
from .peers import PEERS_FILE
from .peers import agreement_part as peer_part
from .peers import labels as peer_labels
from .peers import topic_quads
from .peers import write as write_peers
from .pipeline import Processed, process, sorted_nquads, stage_files, vocabulary
from .procs import die_with_parent
from .settings import settings
from .sortmerge import MergeError, merge_sorted
from .store import disk as on_disk
from .validate.reasoning import ReasonerMissing, ReasoningResult, reason, tbox_ntriples
from .validate.shacl import ShaclResult, target_predicates, validate_shared, validate_vocabulary


class BuildError(RuntimeError):
    """A build that must not be published. The message is one line naming the cause."""


@dataclass
class AgreementReport:
    key: str
    file: str
    clauses: int
    responsibilities: int
    by_kind: dict[str, int]
    by_duty: dict[str, int]
    topics: list[str]
    citations: int
    repealed_citations: int
    corrections: int
    seconds: float
    cached: bool = False        # taken from the build cache: the pipeline did not run for it
    digest: str = ""            # its cache key (buildcache.py)
    by_class: dict[str, int] = field(default_factory=dict)   # obligation, recommendation, permission, …
    agentless: int = 0                                       # responsibilities with no stated bearer


@dataclass
class BuildReport:
    build_id: str
    directory: str
    agreements: list[AgreementReport]
    quads: int
    rules: dict[str, int]
    shacl_violations: int
    shacl_warnings: int
    reasoning: dict[str, Any]
    seconds: float
    built_at: str
    timings: dict[str, float] = field(default_factory=dict)
    data_fingerprint: dict[str, str] = field(default_factory=dict)   # of the data read (datastore.py)
    dataset_sha256: str = ""                                           # of dataset.nq (the ask index's key)


@dataclass
class Built:
    """What the pipeline made of one agreement, as a worker process sends it back (its stage files
    are in the cache entry report.digest): its report, the rules' counts, its SHACL result and its
    part of the gap check's peer statistics (peers.py)."""
    report: AgreementReport
    rules: dict[str, int]
    shacl: ShaclResult
    peers: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"report": asdict(self.report), "rules": self.rules, "shacl": asdict(self.shacl), "peers": self.peers}

    @classmethod
    def from_json(cls, found: dict[str, Any] | None) -> Built | None:
        """A cache entry's result, or None for one this version cannot read."""
        if found is None:
            return None
        try:
            built = cls(AgreementReport(**found["report"]), dict(found["rules"]), ShaclResult(**found["shacl"]),
                        dict(found["peers"]))
        except (KeyError, TypeError):
            return None
        built.report.cached = True
        return built


#: The parts of derived files a worker makes with an agreement (buildcache.Derived): file name, maker.
Parts = tuple[tuple[str, buildcache.PartMaker], ...]
Job = tuple[Record, bytes, list[Correction], str, Path, Parts]


def _agreement(job: Job) -> Built:
    """One agreement through the pipeline, its stages and its parts of the derived files into the
    cache (in a worker process)."""
    record, data, corrections, digest, var, parts = job
    started = time.perf_counter()
    try:
        result = process(data, record.file, record.key, record, corrections)
    except IngestError as err:
        raise BuildError(f"{record.path}: {err.en}") from None
    files = stage_files(result)
    files[SHARED_PART] = shared_part(record.key, files["graph.nq"], _targeting())
    if parts:   # from graph.nq, in its canonical order: the part a build that finds it missing makes (_parts)
        graph = list(pyoxigraph.parse(files["graph.nq"], format=pyoxigraph.RdfFormat.N_QUADS))
        for name, make in parts:
            files[name] = make(record.key, graph, vocabulary().quads)
    report = _report(result, round(time.perf_counter() - started, 2))
    report.digest = digest
    built = Built(report, result.rules, result.shacl, peer_part(record.key, result.quads, _topics()))
    buildcache.store(var, digest, files, built.as_json())
    return built


def _parts(var: Path, results: list[Built], derive: dict[str, Derived]) -> dict[str, list[Path]]:
    """Each derived file's part files, one per agreement in the catalogue's order. An entry made
    without a part (by a build that did not derive that file) gets it now, from its graph.nq."""
    files: dict[str, list[Path]] = {}
    for derived in derive.values():
        paths_ = files.setdefault(derived.part_file, [])
        for built in results:
            folder = buildcache.entry(var, built.report.digest)
            path = folder / derived.part_file
            if not path.is_file():
                graph = list(pyoxigraph.parse(path=str(folder / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS))
                buildcache.add_file(var, built.report.digest, derived.part_file,
                                    derived.part(built.report.key, graph, vocabulary().quads))
            paths_.append(path)
    return files


@cache
def _targeting() -> frozenset[bytes]:
    """The predicates that make a node a shape's target (sh:targetObjectsOf), as N-Quads terms."""
    return frozenset(f"<{p}>".encode() for p in target_predicates(vocabulary().shapes))


@cache
def _topics() -> list[pyoxigraph.Quad]:
    """The vocabulary's topics, which the peer statistics read (once per process)."""
    return topic_quads(vocabulary().quads)


def _report(result: Processed, seconds: float) -> AgreementReport:
    extraction, record = result.extraction, result.record
    by_kind: dict[str, int] = {}
    by_duty: dict[str, int] = {}
    by_class: dict[str, int] = {}
    for c in extraction.clauses:
        by_class[c.deontic_class] = by_class.get(c.deontic_class, 0) + 1
    for c in extraction.responsibilities:
        kind = c.bearer.kind if c.bearer is not None else "unspecified"
        by_kind[kind] = by_kind.get(kind, 0) + 1
        for d in c.duty_kinds:
            by_duty[d] = by_duty.get(d, 0) + 1
    laws = law_table()
    repealed = 0
    for cit in extraction.citations:
        law = laws.get((cit.sfs if cit.series == "SFS" else f"{cit.series} {cit.sfs}") or "")
        repealed += bool(law is not None and law.repealed_by)
    return AgreementReport(record.key, record.file, len(extraction.clauses), len(extraction.responsibilities),
                           dict(sorted(by_kind.items())), dict(sorted(by_duty.items())),
                           sorted(covered_topics(result.doc, extraction, result.metadata.party_details,
                                                 result.reading)),
                           len(extraction.citations), repealed,
                           extraction.corrections_applied, seconds,
                           by_class={k: by_class.get(k, 0) for k in CLASSES},
                           agentless=by_kind.get("unspecified", 0))


def _vocabulary_shacl() -> ShaclResult:
    vocab = vocabulary()
    return validate_vocabulary(vocab.quads, vocab.shapes)


#: The deontic classes a build counts per agreement (extract/deontic.py), in the order it prints them.
CLASSES = ("obligation", "prohibition", "recommendation", "permission", "description")


def build(var: Path | None = None, progress: Progress = print, workers: int | None = None,
          records: list[Record] | None = None, derive: dict[str, Derived] | None = None) -> BuildReport:
    """Build the catalogue in data/ (or `records`, as `vemgorvad add` stages them), one add or
    build at a time, after finishing or undoing an interrupted add (datastore.py); `derive` names
    the files made beside the graph (timed in the manifest under their names)."""
    var = Path(var or paths.VAR)
    with update_lock(var, progress):
        if records is None:
            recover(var)
            records = load_catalogue()
        return _build(var, records, progress, workers, derive)


def _read(record: Record) -> bytes:
    try:
        return record.path.read_bytes()
    except OSError as err:
        raise BuildError(f"{record.path}: The file could not be read: {err.strerror}.") from None


def _jobs(var: Path, records: list[Record], parts: Parts = ()) -> tuple[dict[str, Built], list[Job]]:
    """Each record's cache key; the agreements found in the cache, and jobs for the others."""
    corrections = load_corrections(paths.CORRECTIONS)
    deps = buildcache.dependencies()
    found: dict[str, Built] = {}
    jobs: list[Job] = []
    for record in records:
        data = _read(record)
        mine = corrections.get(record.key, [])
        digest = buildcache.agreement_digest(record, data, mine, deps)
        built = Built.from_json(buildcache.load(var, digest))
        if built is not None and built.report.key == record.key:
            found[record.key] = built
        else:
            jobs.append((record, data, mine, digest, var, parts))
    return found, jobs


@dataclass
class VocabularyChecks:
    """What the build checks of the vocabulary alone: its own nodes' SHACL result, and the OWL
    reasoner's answer (or why there is none, raised by the build where it reports OWL)."""
    shacl: ShaclResult
    reasoning: ReasoningResult | ReasonerMissing
    seconds: float


def _vocabulary_checks(var: Path) -> VocabularyChecks:
    started = time.perf_counter()
    shacl = _vocabulary_shacl()
    try:
        reasoning: ReasoningResult | ReasonerMissing = reason(tbox_ntriples(vocabulary().quads),
                                                              var / "reasoning-cache.json")
    except ReasonerMissing as err:
        reasoning = err
    return VocabularyChecks(shacl, reasoning, round(time.perf_counter() - started, 2))


def _run(jobs: list[Job], workers: int | None, var: Path) -> tuple[list[Built], VocabularyChecks]:
    """The pipeline for every job, and the vocabulary's checks (_vocabulary_checks)."""
    workers = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and len(jobs) > 1:
        # workers die with the build (a kill -9 of the build leaves none behind); meanwhile this
        # process checks the vocabulary once for all agreements: SHACL of its own nodes, and the OWL
        # reasoner (HermiT, a Java process: 6-14 s of wall at N = 100 that used to follow the
        # agreements). Started after pool.map has forked the workers, in this thread.
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            pending = pool.map(_agreement, jobs)
            checks = _vocabulary_checks(var)
            return list(pending), checks
    checks = _vocabulary_checks(var)
    return [_agreement(job) for job in jobs], checks


def _build(var: Path, records: list[Record], progress: Progress, workers: int | None,
           derive: dict[str, Derived] | None = None) -> BuildReport:
    started = time.perf_counter()
    if not records:
        raise BuildError(f"{paths.AGREEMENTS}: inga överenskommelser att bygga (no agreements to build)")
    fingerprint = data_fingerprint(records)
    timings = {}
    t = time.perf_counter()
    derive = derive or {}
    found, jobs = _jobs(var, records, tuple((d.part_file, d.part) for d in derive.values()))
    progress(f"Bygger {len(records)} överenskommelser ({len(found)} oförändrade, från cachen) …")
    made, checks = _run(jobs, workers, var)
    shacl = checks.shacl
    by_key = {**found, **{b.report.key: b for b in made}}
    results = [by_key[record.key] for record in records]
    timings["agreements"] = round(time.perf_counter() - t, 2)
    timings["cached"] = len(found)
    for built in results:
        r = built.report
        c = r.by_class
        progress(f"  {r.key}: {r.responsibilities} ansvar av {r.clauses} bestämmelser — "
                 f"{c['obligation'] + c['prohibition']} skyldigheter ({c['prohibition']} förbud), "
                 f"{c['recommendation']} rekommendationer, {c['permission']} befogenheter, "
                 f"{c['description']} beskrivningar; {r.agentless} ansvar utan angiven ansvarig; "
                 f"{len(r.topics)} områden, {r.citations} lagrum ({r.repealed_citations} upphävda), "
                 f"{r.corrections} rättelser [{'cache' if r.cached else f'{r.seconds} s'}]")
    rules: dict[str, int] = {}
    for built in results:
        shacl = shacl + built.shacl
        for name, added in built.rules.items():
            rules[name] = rules.get(name, 0) + added
    if shacl.violations:
        raise BuildError(f"SHACL: {shacl.violations} överträdelser (violations); första: {shacl.messages[0]}")

    builds = var / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    for stale in builds.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
    store: on_disk.Background | None = None
    try:
        t = time.perf_counter()
        vocab = vocabulary().quads
        quads, digest, shared = _write_dataset(tmp / "dataset.nq", var, results, vocab)
        timings["dataset"] = round(time.perf_counter() - t, 2)
        if quads >= settings().query_shared_quads:      # served from disk: the store made once, here
            store = on_disk.Background(lambda: _write_store(var, tmp, results, vocab, quads))
        write_peers(tmp / PEERS_FILE, [b.peers for b in results], peer_labels(_topics()))

        t = time.perf_counter()
        across = _shared_shacl(shared)
        timings["shacl_shared"] = round(time.perf_counter() - t, 2)
        if across.violations:
            raise BuildError(f"SHACL: {across.violations} överträdelser (violations) i noder som flera "
                             f"överenskommelser beskriver; första: {across.messages[0]}")
        shacl = shacl + across

        if isinstance(checks.reasoning, ReasonerMissing):
            raise BuildError(str(checks.reasoning))
        reasoning = checks.reasoning
        timings["reasoning"] = checks.seconds   # with the vocabulary's SHACL, while the agreements ran
        if not reasoning.consistent:
            raise BuildError(f"OWL: ontologin är inkonsistent (inconsistent ontology): {reasoning.unsatisfiable[:3]}")

        t = time.perf_counter()
        part_files = _parts(var, results, derive)
        for name, derived in derive.items():
            made_file = derived.merge(tmp, var, digest, quads, part_files[derived.part_file])
            timings[name] = round(time.perf_counter() - t, 2)
            timings[f"{name}_made"] = int(made_file)
            t = time.perf_counter()

        if store is not None:
            t = time.perf_counter()
            try:
                timings["store"] = round(store.wait(), 2)
            except (OSError, ValueError, SyntaxError) as err:
                raise BuildError(f"{on_disk.STORE}: {' '.join(str(err).split())[:300]}") from None
            timings["store_waited"] = round(time.perf_counter() - t, 2)
            store = None
        build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + digest[:8]
        report = BuildReport(build_id, "", [b.report for b in results], quads, rules, shacl.violations,
                             shacl.warnings, asdict(reasoning), 0.0, time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                             timings, fingerprint, digest)
        final = publish(var, tmp, results, report, started)
    except BaseException:
        if store is not None:
            with contextlib.suppress(Exception):
                store.wait()            # its thread done with the folder before it is removed
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.directory = str(final)
    progress(f"Klart: {report.quads} tripler i {len(records)} + 1 grafer, SHACL utan överträdelser "
             f"({shacl.warnings} varningar), OWL konsistent{' (cache)' if reasoning.cached else ''} "
             f"[{report.seconds} s] → {final}")
    return report


@dataclass
class Shared:
    """What the cross-agreement SHACL pass reads: the lines about nodes that are not one agreement's
    own (principals, laws, provisions — nodes other agreements describe too), and the lines that
    make such a node a shape's target (sh:targetObjectsOf: a responsibility's vg:bearer)."""
    about: list[bytes] = field(default_factory=list)
    links: list[bytes] = field(default_factory=list)


#: An agreement's lines that the cross-agreement pass reads (shared_part), in its cache entry.
SHARED_PART = "shared" + buildcache.PART_SUFFIX


def shared_part(key: str, graph_nq: bytes, targeting: frozenset[bytes]) -> bytes:
    """The lines of one agreement's graph.nq the cross-agreement pass reads (Shared), pickled:
    made in its worker and cached with it, so a build reads them instead of every line of every graph."""
    own = f"<{agreement_iri(key).value}".encode()
    mine = (own + b">", own + b"/", own + b"#")
    about, links = [], []
    for line in graph_nq.splitlines(keepends=True):
        subject, predicate, rest = line.split(b" ", 2)
        if not subject.startswith(mine):
            about.append(line)
        elif predicate in targeting and rest.startswith(b"<") and not rest.startswith(mine):
            links.append(line)
    return pickle.dumps((b"".join(about), b"".join(links)), protocol=pickle.HIGHEST_PROTOCOL)


def _shared(var: Path, built: Built) -> tuple[bytes, bytes]:
    """An agreement's shared_part from its cache entry; made from its graph.nq (and added to the
    entry) when the entry has none."""
    folder = buildcache.entry(var, built.report.digest)
    try:
        about, links = pickle.loads((folder / SHARED_PART).read_bytes())
        if isinstance(about, bytes) and isinstance(links, bytes):
            return about, links
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        pass
    made = shared_part(built.report.key, (folder / "graph.nq").read_bytes(), _targeting())
    buildcache.add_file(var, built.report.digest, SHARED_PART, made)
    about, links = pickle.loads(made)
    return about, links


def _write_dataset(path: Path, var: Path, results: list[Built],
                   vocab: Iterable[pyoxigraph.Quad]) -> tuple[int, str, Shared]:
    """dataset.nq: the vocabulary and every agreement's graph in canonical (sorted) line order, each
    line once, as a merge of the already sorted graph files written as it is read (sortmerge.py).
    Returns the number of quads, the SHA-256 of the file and what the cross-agreement pass reads (in
    the dataset's line order)."""
    vocabulary_file = path.with_name(".vocabulary.nq")
    vocabulary_file.write_bytes(sorted_nquads(pyoxigraph.serialize(vocab, format=pyoxigraph.RdfFormat.N_QUADS) or b""))
    about: list[bytes] = []
    links: list[bytes] = []
    for built in results:
        mine, targets = _shared(var, built)
        about += mine.splitlines(keepends=True)
        links += targets.splitlines(keepends=True)
    sources = [vocabulary_file, *(buildcache.entry(var, b.report.digest) / "graph.nq" for b in results)]
    try:
        count, digest = merge_sorted(path, sources, path.parent)
    except MergeError as err:
        raise BuildError(f"dataset.nq: {err}") from None
    finally:
        vocabulary_file.unlink(missing_ok=True)
    return count, digest, Shared(sorted(about), sorted(links))


def _write_store(var: Path, tmp: Path, results: list[Built], vocab: list[pyoxigraph.Quad], quads: int) -> None:
    """The graph's read-only on-disk store beside the dump in the build folder `tmp` (store/disk.py),
    for `serve` to open instead of loading the dump. When the current build has one and at most half
    of the agreements changed (an add: one), it is that store with the changed agreements' graphs
    and the vocabulary written again (a graph's removal is a delete per quad: for most of the graph,
    loading it whole is cheaper) — kept only if it holds exactly the dump's number of quads, else the
    dump is loaded whole."""
    folder = tmp / on_disk.STORE
    source = (var / "current").resolve() / on_disk.STORE
    try:
        previous = json.loads((source.parent / "manifest.json").read_text(encoding="utf-8")).get("agreements", [])
        before = {str(a["key"]): str(a["digest"]) for a in previous if isinstance(a, dict)}
    except (OSError, ValueError, KeyError, AttributeError):
        before = {}
    now = {b.report.key: b.report.digest for b in results}
    changed = [key for key, digest in now.items() if before.get(key) != digest]
    gone = [key for key in before if key not in now]
    if before and source.is_dir() and len(changed) + len(gone) <= len(now) // 2:
        try:
            on_disk.revise(source, folder, [agreement_graph(k) for k in changed + gone]
                           + sorted({q.graph_name for q in vocab if isinstance(q.graph_name, pyoxigraph.NamedNode)},
                                    key=str),
                           [buildcache.entry(var, now[k]) / "graph.nq" for k in changed], vocab)
            if on_disk.count(folder) == quads:
                return
        except (OSError, RuntimeError, ValueError, SyntaxError):
            pass                        # written whole below
        shutil.rmtree(folder, ignore_errors=True)
    on_disk.write(tmp / "dataset.nq", folder)


def _shared_shacl(shared: Shared) -> ShaclResult:
    """The core shapes on the nodes that more than one agreement describes, with what all of them
    say about those nodes: the cross-agreement pass. Every agreement's own nodes, and the shared
    ones as each agreement alone describes them, were validated with the agreement (and are in the
    cache with it)."""
    about = list(pyoxigraph.parse(b"".join(shared.about), format=pyoxigraph.RdfFormat.N_QUADS))
    graphs: dict[Any, set[Any]] = {}
    for q in about:
        graphs.setdefault(q.subject, set()).add(q.graph_name)
    focus = [s for s, g in graphs.items() if len(g) > 1]
    links = pyoxigraph.parse(b"".join(shared.links), format=pyoxigraph.RdfFormat.N_QUADS)
    vocab = vocabulary()
    return validate_shared([*about, *links], vocab.support, vocab.shapes, focus)


def publish(var: Path, tmp: Path, results: list[Built], report: BuildReport, started: float) -> Path:
    """Finish the build in its temporary folder (dataset.nq is written), then swap it in with one
    atomic rename of the `current` link. An interrupted build leaves only a temporary folder that
    the next build removes."""
    builds = var / "builds"
    final, n = builds / report.build_id, 1
    while final.exists():   # the same graph built again within the same second
        n += 1
        final = builds / f"{report.build_id}-{n}"
    report.build_id = build_id = final.name
    for built in results:
        buildcache.link_into(var, built.report.digest, tmp / "agreements" / built.report.key)
    report.seconds = round(time.perf_counter() - started, 2)
    (tmp / "manifest.json").write_text(json.dumps(asdict(report), ensure_ascii=False, indent=1), encoding="utf-8")
    for path in tmp.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    os.rename(tmp, final)
    link = var / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(Path("builds") / build_id, link)
    os.replace(link, var / "current")
    fsync_dir(var)
    _prune(builds, keep={build_id})
    buildcache.prune(var, _digests_in_use(builds))
    return final


def _prune(builds: Path, keep: set[str], retain: int = 3) -> None:
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-retain]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _digests_in_use(builds: Path) -> set[str]:
    """The cache entries the retained builds were made from."""
    used: set[str] = set()
    for manifest in builds.glob("*/manifest.json"):
        try:
            agreements = json.loads(manifest.read_text(encoding="utf-8")).get("agreements", [])
        except (OSError, ValueError):
            continue
        used.update(a.get("digest", "") for a in agreements if isinstance(a, dict))
    return used - {""}


__all__ = ["VOCABULARY_GRAPH", "BuildError", "BuildReport", "build"]
