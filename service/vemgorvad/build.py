"""`vemgorvad build`: every agreement in data/ through ingest → extract → graph → validate, into a
new build folder that replaces the current one in a single rename. A failed build leaves the
previous graph serving and writes nothing in its place.

Each agreement gets a folder in the build whose files are its pipeline stages (ferenda-style):
normalised.txt, structure.json, clauses.json and graph.nq.
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

import pyoxigraph

from . import paths
from .atomic import fsync_dir
from .catalogue import Record, load_catalogue
from .corrections import apply_corrections, load_corrections
from .datastore import data_fingerprint, recover, update_lock
from .extract.citations import law_table
from .extract.clauses import extract
from .extract.coverage import evidence
from .graph.agreement import AgreementGraph
from .graph.terms import VOCABULARY_GRAPH
from .graph.vocabulary import vocabulary_quads
from .ingest import IngestError, normalise, read_path
from .procs import die_with_parent
from .validate.rdflib_bridge import to_graph
from .validate.reasoning import reason, tbox_ntriples
from .validate.rules import apply_rules
from .validate.shacl import load_shapes, validate_quads, validate_sparql, validate_vocabulary


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
    reasoning: dict
    seconds: float
    built_at: str
    timings: dict[str, float] = field(default_factory=dict)
    data_fingerprint: dict[str, str] = field(default_factory=dict)   # of the data read (datastore.py)


def _process(args: tuple[dict, str]) -> tuple[dict, list[str], dict, AgreementReport]:
    """Ingest, extract and graph one agreement (run in a worker process)."""
    record_data, corrections_path = args
    record = Record(**record_data)
    started = time.perf_counter()
    raw = read_path(record.path)
    doc = normalise(raw)
    extraction = extract(doc, record.key, as_of=record.valid_from)
    corrections = load_corrections(Path(corrections_path)).get(record.key, [])
    extraction.corrections_applied = apply_corrections(extraction, corrections)
    quads = AgreementGraph(record.as_dict(), doc, extraction).build()
    lines = [f"{q} .\n" for q in quads]
    stages = {
        "normalised.txt": doc.text,
        "structure.json": json.dumps({
            "sections": [{"heading": s.heading, "level": s.level, "parent": s.parent, "start": s.start,
                          "end": s.end} for s in doc.sections],
            "blocks": [{"kind": b.kind, "start": b.start, "end": b.end, "section": b.section,
                        "list": b.list_id, "intro": b.intro} for b in doc.blocks],
            "repairs": doc.repairs,
            "footnotes": {n: f.text for n, f in doc.footnotes.items()},
        }, ensure_ascii=False, indent=1),
        "clauses.json": json.dumps([clause_json(c) for c in extraction.clauses], ensure_ascii=False, indent=1),
    }
    by_kind: dict[str, int] = {}
    by_duty: dict[str, int] = {}
    for c in extraction.responsibilities:
        by_kind[c.bearer.kind] = by_kind.get(c.bearer.kind, 0) + 1
        for d in c.duty_kinds:
            by_duty[d] = by_duty.get(d, 0) + 1
    repealed = sum(1 for cit in extraction.citations
                   if (law_table().get(cit.sfs if cit.series == "SFS" else f"{cit.series} {cit.sfs}") or
                       _NoLaw).repealed_by)
    report = AgreementReport(record.key, record.file, len(extraction.clauses), len(extraction.responsibilities),
                             dict(sorted(by_kind.items())), dict(sorted(by_duty.items())),
                             sorted(evidence(extraction)), len(extraction.citations), repealed,
                             extraction.corrections_applied, round(time.perf_counter() - started, 2))
    return stages, lines, {"record": record.as_dict()}, report


def _validate_graph(lines: list[str]):
    """Core SHACL constraints on one agreement graph (run in a worker process)."""
    quads = pyoxigraph.parse(("".join(line + " .\n" for line in lines)).encode("utf-8"),
                             format=pyoxigraph.RdfFormat.N_QUADS)
    return validate_quads(list(quads), to_graph(vocabulary_quads()), load_shapes())


class _NoLaw:
    repealed_by = None


def clause_json(c) -> dict:
    b = c.bearer
    return {
        "start": c.start, "end": c.end, "kind": c.unit_kind, "section": c.section, "text": c.text,
        "quote": c.quote, "topics": c.topics, "target_groups": c.target_groups, "activities": c.activities,
        "bearer": None if b is None else {"kind": b.kind, "mode": b.mode, "principal": b.principal.id,
                                          "unit": b.unit.id if b.unit else None, "label": b.label,
                                          "method": b.method, "confidence": b.confidence},
        "duties": c.duty_kinds, "conditions": c.conditions.text_sv(), "statement": c.statement,
        "citations": [{"text": x.text, "sfs": x.sfs, "series": x.series,
                       "provisions": [p.key for p in x.provisions]} for x in c.citations],
        "curated": c.curated,
    }


def build(var: Path | None = None, progress=print, workers: int | None = None,
          records: list[Record] | None = None) -> BuildReport:
    """Build the catalogue in data/ (or `records`, as `vemgorvad add` stages them), one add or
    build at a time, after finishing or undoing an interrupted add (datastore.py)."""
    var = Path(var or paths.VAR)
    with update_lock(var, progress):
        if records is None:
            recover(var)
            records = load_catalogue()
        return _build(var, records, progress, workers)


def _build(var: Path, records: list[Record], progress, workers: int | None) -> BuildReport:
    started = time.perf_counter()
    if not records:
        raise BuildError(f"{paths.AGREEMENTS}: inga överenskommelser att bygga (no agreements to build)")
    for record in records:  # refuse bad input before doing any work, naming the file
        try:
            read_path(record.path)
        except IngestError as err:
            raise BuildError(f"{record.path}: {err.en}") from None
    fingerprint = data_fingerprint(records)
    timings = {}
    progress(f"Bygger {len(records)} överenskommelser …")
    t = time.perf_counter()
    jobs = [(r.as_dict_full(), str(paths.CORRECTIONS)) for r in records]
    workers = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            results = list(pool.map(_process, jobs))
    else:
        results = [_process(job) for job in jobs]
    timings["extract"] = round(time.perf_counter() - t, 2)
    for _, _, _, report in results:
        progress(f"  {report.key}: {report.responsibilities} ansvar av {report.clauses} bestämmelser, "
                 f"{len(report.topics)} områden, {report.citations} lagrum ({report.repealed_citations} upphävda), "
                 f"{report.corrections} rättelser [{report.seconds} s]")

    t = time.perf_counter()
    vocab = vocabulary_quads()
    store = pyoxigraph.Store()
    store.extend(vocab)
    for _, lines, _, _ in results:
        store.load("".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    rules = apply_rules(store)
    timings["graph"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    shapes = load_shapes()
    result = validate_sparql(store, shapes)
    graphs = [list(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(
        "https://w3id.org/vemgorvad/graph/" + record.key))) for record in records]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            outcomes = list(pool.map(_validate_graph, [[str(q) for q in g] for g in graphs]))
    else:
        outcomes = [_validate_graph([str(q) for q in g]) for g in graphs]
    for outcome in outcomes:
        result = result + outcome
    result = result + validate_vocabulary(to_graph(vocab), shapes)
    violations, warnings, messages = result.violations, result.warnings, result.messages
    timings["shacl"] = round(time.perf_counter() - t, 2)
    if violations:
        raise BuildError(f"SHACL: {violations} överträdelser (violations); första: {messages[0]}")

    t = time.perf_counter()
    reasoning = reason(tbox_ntriples(vocab), var / "reasoning-cache.json")
    timings["reasoning"] = round(time.perf_counter() - t, 2)
    if not reasoning.consistent:
        raise BuildError(f"OWL: ontologin är inkonsistent (inconsistent ontology): {reasoning.unsatisfiable[:3]}")

    dump = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    nquads = "".join(sorted(set(dump.decode("utf-8").splitlines(keepends=True))))
    build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + hashlib.sha256(nquads.encode("utf-8")).hexdigest()[:8]
    report = BuildReport(build_id, "", [r for *_, r in results], len(store), rules, violations, warnings,
                         asdict(reasoning), 0.0, time.strftime("%Y-%m-%dT%H:%M:%S%z"), timings, fingerprint)
    final = publish(var, build_id, nquads, results, report, started)
    report.directory = str(final)
    progress(f"Klart: {report.quads} tripler i {len(records)} + 1 grafer, SHACL utan överträdelser "
             f"({warnings} varningar), OWL konsistent{' (cache)' if reasoning.cached else ''} "
             f"[{report.seconds} s] → {final}")
    return report


def publish(var: Path, build_id: str, nquads: str, results, report: BuildReport, started: float) -> Path:
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
    (tmp / "dataset.nq").write_text(nquads, encoding="utf-8")
    for stages, lines, _, agreement in results:
        folder = tmp / "agreements" / agreement.key
        folder.mkdir(parents=True)
        for name, content in stages.items():
            (folder / name).write_text(content, encoding="utf-8")
        (folder / "graph.nq").write_text("".join(sorted(lines)), encoding="utf-8")
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
