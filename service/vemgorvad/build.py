"""`vemgorvad build`: every agreement in data/ through the pipeline (pipeline.py: ingest → extract →
graph → rules → validate), one worker process per agreement, then the dataset of all of them with
the vocabulary, the OWL check of the vocabulary, and a new build folder that replaces the current
one in a single rename. A failed build leaves the previous graph serving and writes nothing in its
place. The build adds only this around the pipeline: reading each file once, ordering, caching
the reasoner's answer, and publishing.

Each agreement gets a folder in the build whose files are its pipeline stages (ferenda-style):
normalised.txt, structure.json, clauses.json and graph.nq — the graph as served, rules applied.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from . import paths
from .atomic import fsync_dir
from .catalogue import Record, load_catalogue
from .corrections import load_corrections
from .datastore import Progress, data_fingerprint, recover, update_lock
from .extract.citations import law_table
from .extract.coverage import evidence
from .graph.terms import VOCABULARY_GRAPH
from .ingest import IngestError
from .pipeline import Processed, process, sorted_nquads, stage_files, vocabulary
from .procs import die_with_parent
from .validate.reasoning import ReasonerMissing, reason, tbox_ntriples
from .validate.shacl import ShaclResult, validate_vocabulary


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


@dataclass
class Built:
    """What the pipeline made of one agreement, as a worker process sends it back: its stage files
    (graph.nq, the serialised graph, among them), the rules' counts and its SHACL result."""
    report: AgreementReport
    files: dict[str, bytes]
    rules: dict[str, int]
    shacl: ShaclResult


def _agreement(job: tuple[Record, bytes, list[dict[str, Any]]]) -> Built:
    """One agreement through the pipeline (in a worker process)."""
    record, data, corrections = job
    started = time.perf_counter()
    try:
        result = process(data, record.file, record.key, record, corrections)
    except IngestError as err:
        raise BuildError(f"{record.path}: {err.en}") from None
    report = _report(result, round(time.perf_counter() - started, 2))
    return Built(report, stage_files(result), result.rules, result.shacl)


def _report(result: Processed, seconds: float) -> AgreementReport:
    extraction, record = result.extraction, result.record
    by_kind: dict[str, int] = {}
    by_duty: dict[str, int] = {}
    for c in extraction.responsibilities:
        assert c.bearer is not None
        by_kind[c.bearer.kind] = by_kind.get(c.bearer.kind, 0) + 1
        for d in c.duty_kinds:
            by_duty[d] = by_duty.get(d, 0) + 1
    laws = law_table()
    repealed = 0
    for cit in extraction.citations:
        law = laws.get(cit.sfs if cit.series == "SFS" else f"{cit.series} {cit.sfs}")
        repealed += bool(law is not None and law.repealed_by)
    return AgreementReport(record.key, record.file, len(extraction.clauses), len(extraction.responsibilities),
                           dict(sorted(by_kind.items())), dict(sorted(by_duty.items())),
                           sorted(evidence(extraction)), len(extraction.citations), repealed,
                           extraction.corrections_applied, seconds)


def _vocabulary_shacl() -> ShaclResult:
    vocab = vocabulary()
    return validate_vocabulary(vocab.quads, vocab.shapes)


def build(var: Path | None = None, progress: Progress = print, workers: int | None = None,
          records: list[Record] | None = None) -> BuildReport:
    """Build the catalogue in data/ (or `records`, as `vemgorvad add` stages them), one add or
    build at a time, after finishing or undoing an interrupted add (datastore.py)."""
    var = Path(var or paths.VAR)
    with update_lock(var, progress):
        if records is None:
            recover(var)
            records = load_catalogue()
        return _build(var, records, progress, workers)


def _read(record: Record) -> bytes:
    try:
        return record.path.read_bytes()
    except OSError as err:
        raise BuildError(f"{record.path}: The file could not be read: {err.strerror}.") from None


def _build(var: Path, records: list[Record], progress: Progress, workers: int | None) -> BuildReport:
    started = time.perf_counter()
    if not records:
        raise BuildError(f"{paths.AGREEMENTS}: inga överenskommelser att bygga (no agreements to build)")
    fingerprint = data_fingerprint(records)
    corrections = load_corrections(paths.CORRECTIONS)
    jobs = [(record, _read(record), corrections.get(record.key, [])) for record in records]
    timings = {}
    progress(f"Bygger {len(records)} överenskommelser …")
    t = time.perf_counter()
    workers = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        # workers die with the build (a kill -9 of the build leaves none behind); meanwhile this
        # process validates the vocabulary graph's own nodes, once for all agreements
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            pending = pool.map(_agreement, jobs)
            shacl = _vocabulary_shacl()
            results = list(pending)
    else:
        shacl = _vocabulary_shacl()
        results = [_agreement(job) for job in jobs]
    timings["agreements"] = round(time.perf_counter() - t, 2)
    for built in results:
        r = built.report
        progress(f"  {r.key}: {r.responsibilities} ansvar av {r.clauses} bestämmelser, "
                 f"{len(r.topics)} områden, {r.citations} lagrum ({r.repealed_citations} upphävda), "
                 f"{r.corrections} rättelser [{r.seconds} s]")
    rules: dict[str, int] = {}
    for built in results:
        shacl = shacl + built.shacl
        for name, added in built.rules.items():
            rules[name] = rules.get(name, 0) + added
    if shacl.violations:
        raise BuildError(f"SHACL: {shacl.violations} överträdelser (violations); första: {shacl.messages[0]}")

    t = time.perf_counter()
    vocab = vocabulary().quads
    store = pyoxigraph.Store()
    store.extend(vocab)
    for built in results:
        store.load(built.files["graph.nq"], format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = sorted_nquads(store.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b"")
    timings["dataset"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    try:
        reasoning = reason(tbox_ntriples(vocab), var / "reasoning-cache.json")
    except ReasonerMissing as err:
        raise BuildError(str(err)) from None
    timings["reasoning"] = round(time.perf_counter() - t, 2)
    if not reasoning.consistent:
        raise BuildError(f"OWL: ontologin är inkonsistent (inconsistent ontology): {reasoning.unsatisfiable[:3]}")

    build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + hashlib.sha256(dataset).hexdigest()[:8]
    report = BuildReport(build_id, "", [b.report for b in results], len(store), rules, shacl.violations,
                         shacl.warnings, asdict(reasoning), 0.0, time.strftime("%Y-%m-%dT%H:%M:%S%z"), timings,
                         fingerprint)
    final = publish(var, build_id, dataset, results, report, started)
    report.directory = str(final)
    progress(f"Klart: {report.quads} tripler i {len(records)} + 1 grafer, SHACL utan överträdelser "
             f"({shacl.warnings} varningar), OWL konsistent{' (cache)' if reasoning.cached else ''} "
             f"[{report.seconds} s] → {final}")
    return report


def publish(var: Path, build_id: str, dataset: bytes, results: list[Built], report: BuildReport,
            started: float) -> Path:
    """Write the build into a temporary folder, then swap it in with one atomic rename of the
    `current` link. An interrupted build leaves only a temporary folder that the next build removes."""
    builds = var / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    for stale in builds.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    final, n = builds / build_id, 1
    while final.exists():   # the same graph built again within the same second
        n += 1
        final = builds / f"{build_id}-{n}"
    report.build_id = build_id = final.name
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
    (tmp / "dataset.nq").write_bytes(dataset)
    for built in results:
        folder = tmp / "agreements" / built.report.key
        folder.mkdir(parents=True)
        for name, content in built.files.items():
            (folder / name).write_bytes(content)
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
    return final


def _prune(builds: Path, keep: set[str], retain: int = 3) -> None:
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-retain]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


__all__ = ["VOCABULARY_GRAPH", "BuildError", "BuildReport", "build"]
