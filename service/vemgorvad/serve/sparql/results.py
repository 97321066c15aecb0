"""Turning a query's result into the bytes of the negotiated format, with the result cap enforced
while the rows stream past: a result larger than the cap is an error, never a silent truncation.
pyoxigraph writes every format; rows are counted on the way through TSV (one line per solution,
lossless), which pyoxigraph then reads back and writes in the format asked for."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

import pyoxigraph

from ...graph.terms import PREFIXES
from .decide import Decision
from .negotiation import BOOLEAN, GRAPH, SOLUTIONS


@dataclass(frozen=True)
class Job:
    """One query to run, everything needed to answer it; small and picklable (goes to a worker)."""
    query: str
    default_graphs: tuple[str, ...] | None = None    # None: not given by the protocol
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    formats: tuple[tuple[str, str, str], ...] = ()   # (kind, media type, pyoxigraph format name)
    limit: int = 10000
    base_iri: str | None = None                       # relative IRIs in the query resolve against it
    service_allowlist: tuple[str, ...] = ()           # SERVICE endpoints the operator allows
    decision: dict[str, Any] | None = None            # decide.Decision as a dict, once decided


@dataclass
class Outcome:
    status: int
    media_type: str
    body: bytes
    kind: str = ""            # solutions, boolean or graph; "" for an error; "federate", "decision"
    count: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    decision: dict[str, Any] | None = None


#: The kind of a screened text's outcome when the engine met an error: decide it in full (pool.run).
UNDECIDED = "undecided"


class ResultTooLarge(Exception):
    pass


def error(status: int, message: str, **headers: str) -> Outcome:
    return Outcome(status, "text/plain; charset=utf-8", message.encode("utf-8"), headers=headers)


def too_large(kind: str, limit: int) -> Outcome:
    what = "rader" if kind == "solutions" else "tripler"
    return error(422, f"Resultatet har fler än {limit} {what}, serverns gräns för ett svar. "
                      f"Lägg till LIMIT {limit} (och OFFSET för att bläddra), eller hämta hela "
                      f"datamängden från /download/dataset.nq.\n"
                      f"(The result exceeds this server's limit of {limit} {'rows' if kind == 'solutions' else 'triples'}.)",
                 **{"X-Result-Limit-Exceeded": "true"})


#: The kind of result each query form gives, as Job.formats names it.
RESULT_KIND = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def format_for(job: Job, kind: str) -> tuple[str, str] | None:
    """The (media type, format name) the client's Accept chose for this kind of result, or None."""
    for k, media_type, name in job.formats:
        if k == kind:
            return media_type, name
    return None


def not_acceptable(kind: str) -> Outcome:
    offers = {"solutions": SOLUTIONS, "boolean": BOOLEAN, "graph": GRAPH}[kind]
    listed = ", ".join(dict.fromkeys(f.media_type for f in offers))
    return error(406, f"Inget av formaten i Accept kan levereras för det här svaret. Möjliga format: {listed}.")


class _CountedTSV:
    """Where pyoxigraph writes a result as TSV (in chunks of ~8 KB): kept, and its lines counted as
    they arrive — a header, then exactly one line per solution (TSV escapes newlines in terms) —
    so that a result past the cap stops the writing at once instead of being held whole."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines = 0
        self.chunks: list[bytes] = []

    def write(self, chunk: bytes) -> int:
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit + 1:
            raise ResultTooLarge
        self.chunks.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        pass


def _solutions_tsv(solutions: pyoxigraph.QuerySolutions, limit: int) -> tuple[bytes, int]:
    """The solutions as SPARQL TSV, written by pyoxigraph (not term by term in Python: ~9x faster on
    a large result), and their number; ResultTooLarge past `limit` solutions."""
    out = _CountedTSV(limit)
    solutions.serialize(cast(IO[bytes], out), format=pyoxigraph.QueryResultsFormat.TSV)   # write() is all it uses
    return b"".join(out.chunks), max(0, out.lines - 1)


def _capped(triples: Iterable[pyoxigraph.Triple], limit: int, counter: list[int]) -> Iterator[pyoxigraph.Triple]:
    for triple in triples:
        counter[0] += 1
        if counter[0] > limit:
            raise ResultTooLarge
        yield triple


def serialise(result: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | Iterable[pyoxigraph.Triple],
              job: Job) -> Outcome:
    """Bytes of a pyoxigraph query result (QuerySolutions, QueryBoolean, or an iterable of
    Triples) in the negotiated format."""
    if isinstance(result, pyoxigraph.QueryBoolean):
        chosen = format_for(job, "boolean")
        if not chosen:
            return not_acceptable("boolean")
        if chosen[1] in ("CSV", "TSV"):
            # SPARQL's CSV/TSV formats define no boolean: one column _askResult, one row (as Jena
            # writes it), so CSV and TSV readers (rdflib's too) read it as what it is
            value = "true" if bool(result) else "false"
            body = (f"_askResult\r\n{value}\r\n" if chosen[1] == "CSV" else f"?_askResult\n{value}\n").encode()
        else:
            body = cast(bytes, result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, chosen[1])))  # no output: bytes
        return Outcome(200, chosen[0], body, "boolean", None)
    if isinstance(result, pyoxigraph.QuerySolutions):
        chosen = format_for(job, "solutions")
        if not chosen:
            return not_acceptable("solutions")
        try:
            tsv, count = _solutions_tsv(result, job.limit)
        except ResultTooLarge:
            return too_large("solutions", job.limit)
        if chosen[1] == "TSV":
            body = tsv
        else:
            reread = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
            body = cast(bytes, reread.serialize(format=getattr(pyoxigraph.QueryResultsFormat, chosen[1])))
        return Outcome(200, chosen[0], body, "solutions", count)
    chosen = format_for(job, "graph")
    if not chosen:
        return not_acceptable("graph")
    counter = [0]
    try:
        triples = list(_capped(result, job.limit, counter))
    except ResultTooLarge:
        return too_large("graph", job.limit)
    body = serialise_graph(triples, chosen[1])
    return Outcome(200, chosen[0], body, "graph", counter[0])


def serialise_graph(triples_or_quads: Iterable[pyoxigraph.Triple] | Iterable[pyoxigraph.Quad], format_name: str) -> bytes:
    fmt = getattr(pyoxigraph.RdfFormat, format_name)
    prefixes = PREFIXES if format_name in ("TURTLE", "TRIG", "RDF_XML", "JSON_LD", "N3") else None
    return pyoxigraph.serialize(triples_or_quads, format=fmt, prefixes=prefixes) or b""


def _unknown_function(*args: object) -> None:
    """An extension function this engine does not have: an evaluation error for that solution
    (FILTER false, BIND unbound), as SPARQL 1.1 §17.3 says, not a failed query."""
    return None


def evaluate(store: pyoxigraph.Store, job: Job, decision: Decision) -> Outcome:
    """Run a decided job on a pyoxigraph store (in a query worker). The dataset is the one the
    decision read (FROM / FROM NAMED), unless the protocol's parameters override it."""
    options: dict[str, Any] = {"base_iri": job.base_iri} if job.base_iri else {}
    default_graphs, named_graphs = job.default_graphs, job.named_graphs
    if default_graphs is None and named_graphs is None and decision.has_dataset_clause:
        default_graphs, named_graphs = tuple(decision.from_graphs), tuple(decision.from_named)
    if default_graphs is not None or named_graphs is not None:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graphs or ()]
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs or ()]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    if decision.functions:
        options["custom_functions"] = {pyoxigraph.NamedNode(f): _unknown_function for f in decision.functions}
    if decision.screened:
        try:
            return serialise(store.query(job.query, **options), job)
        except (SyntaxError, OSError, ValueError, RuntimeError, TypeError):
            return Outcome(0, "", b"", UNDECIDED)     # an update, a syntax error, an unknown function, …
    expected = RESULT_KIND[decision.form]
    if not format_for(job, expected):
        return not_acceptable(expected)
    try:
        result = store.query(job.query, **options)
        return serialise(result, job)
    except SyntaxError as err:
        return error(400, f"Syntaxfel i frågan: {err}\n(SPARQL syntax error.)")
    except (OSError, ValueError, RuntimeError, TypeError) as err:
        return error(400, f"Frågan kunde inte besvaras: {err}")
