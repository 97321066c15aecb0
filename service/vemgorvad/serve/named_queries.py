"""Named queries: every `queries/*.rq` file, run by name with safely bound parameters.

Each file starts with a comment header (see queries/README.md):

    # name: who_is_responsible
    # title@sv: Vem ansvarar för ett område i en överenskommelse?
    # title@en: Who is responsible for a topic in an agreement?
    # description@sv: (optional, any `key@lang: text` line is kept)
    # param: agreement key     an agreement key, e.g. uppsala
    # param: topic topic       a topic key, e.g. hjalpmedel

Binding: each given value is checked against its type (key, topic, iri, string, integer), turned
into an RDF term written by pyoxigraph (so it is always a correctly escaped term, never pasted
text) and placed in a `VALUES` block at the start of the query's top-level WHERE group, where the
query's own FILTERs see it. A parameter given several values gets one row per combination; a
parameter given no value stays unbound.

Python API, for the other features:

    run_named(store, name, **params) -> (variables, rows)
        store: any GraphStore; params: str, int or a list of them per parameter.
        rows: list of {variable: Binding | None} (see store.base.Binding). Raises UnknownQuery or
        BadParameter (both carry a Swedish message).
    bound_query(name, **params) -> str      the SPARQL text that run_named runs
    load(name) -> NamedQuery; all_queries() -> list[NamedQuery]   (the files are read by query_files.py)

HTTP: `GET /api/queries` lists them; `GET /api/queries/{name}?param=value…` runs one.
"""
from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib.plugins.sparql import parser
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..keys import KEY
from ..store import GraphStore
from ..store.base import Binding, Rows
from .caches import Key
from .api_error import ApiError
from ..query_files import NamedQuery, Param, UnknownQuery, all_queries, load
from .sparql.http import with_cors
from .state import served

TOPIC = re.compile(r"^[a-z0-9_+-]+$")
MAX_VALUES = 100
MAX_STRING = 1000


class BadParameter(ValueError):
    pass


def term(param: Param, value: object) -> str:
    """The value as an RDF term in SPARQL syntax, after checking it against the parameter's type."""
    text = str(value).strip()
    if param.type == "key":
        if not KEY.match(text):
            raise BadParameter(f"{param.name} ska vara en nyckel för en överenskommelse (små bokstäver a–z, "
                               f"siffror och bindestreck), inte {text!r}.")
        return str(pyoxigraph.Literal(text))
    if param.type == "topic":
        if not TOPIC.match(text):
            raise BadParameter(f"{param.name} ska vara en områdesnyckel (t.ex. hjalpmedel), inte {text!r}.")
        return str(pyoxigraph.Literal(text))
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise BadParameter(f"{param.name} ska vara ett heltal, inte {text!r}.")
        return str(pyoxigraph.Literal(str(int(text)), datatype=pyoxigraph.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")))
    if param.type == "iri":
        try:
            node = pyoxigraph.NamedNode(text)
        except ValueError:
            node = None
        if node is None or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
            raise BadParameter(f"{param.name} ska vara en absolut IRI, inte {text!r}.")
        return str(node)
    if len(text) > MAX_STRING:
        raise BadParameter(f"{param.name} är för lång (högst {MAX_STRING} tecken).")
    return str(pyoxigraph.Literal(text))


_GRAMMAR = threading.Lock()


@lru_cache(maxsize=256)
def _where_brace(text: str) -> int:
    """Offset just after the `{` that opens the query's top-level WHERE group, found by rdflib's
    SPARQL grammar (its WhereClause production, scanned from the start; comments and strings are
    the grammar's business, not a hand-written lexer's). Only ever run on the project's own
    queries/*.rq files; cached per text."""
    with _GRAMMAR:                      # pyparsing's grammar objects are not safe in two threads at once
        match = next(parser.WhereClause.scan_string(text, max_matches=1), None)
    if match is None:
        raise ValueError("the query has no WHERE group")
    _, start, _ = match
    return text.index("{", start) + 1


def values_block(query: NamedQuery, params: Mapping[str, object]) -> str:
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        known = ", ".join(declared) or "inga"
        raise BadParameter(f"Okänd parameter {', '.join(unknown)} för frågan {query.name} (parametrar: {known}).")
    names, columns = [], []
    for name, value in params.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        values = [v for v in values if v is not None and str(v).strip() != ""]
        if not values:
            continue
        if len(values) > MAX_VALUES:
            raise BadParameter(f"Högst {MAX_VALUES} värden för {name}.")
        names.append(name)
        columns.append(list(dict.fromkeys(term(declared[name], v) for v in values)))
    if not names:
        return ""
    rows = list(itertools.product(*columns))
    if len(rows) > MAX_VALUES * 10:
        raise BadParameter("För många kombinationer av parametervärden.")
    head = " ".join("?" + n for n in names)
    body = " ".join("(" + " ".join(row) + ")" for row in rows)
    return f"\n  VALUES ({head}) {{ {body} }}\n"


def bound_query(name: str, directory: Path | None = None, /, **params: object) -> str:
    """The query's text with a VALUES block for `params` (name and directory are positional only,
    so a query parameter called `name` or `directory` is a parameter like any other, never them)."""
    query = load(name, directory)
    block = values_block(query, params)
    if not block:
        return query.text
    marker = _VALUES_LINE.search(query.text)   # a `#values` line places the block (inside a subquery, say)
    at = marker.start() if marker else _where_brace(query.text)
    return query.text[:at] + block + query.text[at:]


_VALUES_LINE = re.compile(r"^[ \t]*#values[ \t]*$", re.MULTILINE)


def run_named(store: GraphStore, name: str, directory: Path | None = None, /,
              **params: object) -> tuple[list[str], Rows]:
    """(variables, rows) of a named query on any GraphStore."""
    return store.select(bound_query(name, directory, **params))


# HTTP ------------------------------------------------------------------------------------------

router = APIRouter(tags=["Namngivna frågor"])


#: The agreement keys and topic notations in the graph, the values a named query's parameters may take.
KNOWN_VALUES: Key[dict[str, set[str]]] = Key("named-query-values")


def _known(request: Request) -> dict[str, set[str]]:
    rt = served(request).sparql

    def compute() -> dict[str, set[str]]:
        store = rt.store
        keys = {k for r in store.values(
            "SELECT ?k WHERE { ?a a <https://w3id.org/vemgorvad/ontology#Agreement> ; "
            "<http://purl.org/dc/terms/identifier> ?k }") if (k := r["k"]) is not None}
        topics = {n for r in store.values(
            "SELECT ?n WHERE { ?t a <https://w3id.org/vemgorvad/ontology#Topic> ; "
            "<http://www.w3.org/2004/02/skos/core#notation> ?n }") if (n := r["n"]) is not None}
        return {"key": keys, "topic": topics}
    return rt.memo(KNOWN_VALUES, compute)


def _value(binding: Binding | None) -> str | None:
    return None if binding is None else binding.value


@router.get("/api/queries", summary="Namngivna SPARQL-frågor")
def list_queries() -> dict[str, list[dict[str, Any]]]:
    return {"queries": [q.describe() for q in all_queries()]}


def _openapi() -> dict[str, Any]:
    """The query names and every parameter any query declares, for /openapi.json (clients and
    fuzzers see what can be sent; a parameter a query does not declare is a 400)."""
    schemas = {"integer": {"type": "integer"}, "key": {"type": "string", "pattern": KEY.pattern},
               "topic": {"type": "string", "pattern": TOPIC.pattern}}
    try:
        queries = all_queries()
    except (OSError, ValueError):   # a broken query file is reported when it is run, not at import
        return {"names": {}, "parameters": []}
    params: dict[str, Param] = {}
    for query in queries:
        for param in query.params:
            params.setdefault(param.name, param)
    return {"names": {"enum": [q.name for q in queries]}, "parameters": [
        {"name": p.name, "in": "query", "required": False, "style": "form", "explode": True,
         "description": f"{p.description} (typ {p.type}; får upprepas)",
         "schema": {"type": "array", "items": schemas.get(p.type, {"type": "string"})}}
        for p in params.values()]}


_DOC = _openapi()


@router.get("/api/queries/{name}", summary="Kör en namngiven fråga",
            openapi_extra={"parameters": _DOC["parameters"]})
async def run_query(request: Request, name: str = PathParam(description="Frågans namn (se /api/queries)",
                                                            json_schema_extra=_DOC["names"])) -> JSONResponse:
    try:
        query = load(name)
    except UnknownQuery as err:
        raise ApiError(404, str(err)) from None
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    try:
        text = bound_query(name, **params)
    except BadParameter as err:
        raise ApiError(400, str(err)) from None
    known = await run_in_threadpool(_known, request)
    declared = {p.name: p for p in query.params}
    for key, values in params.items():
        kind = declared[key].type if key in declared else None
        if kind in known:
            missing = [v for v in values if v.strip() and v.strip() not in known[kind]]
            if missing:
                what = "Okänd överenskommelse" if kind == "key" else "Okänt område"
                raise ApiError(400, f"{what} {missing[0]!r} för {key}. Giltiga värden: "
                                    f"{', '.join(sorted(known[kind]))}.")
    variables, rows = await run_in_threadpool(served(request).store.select, text)
    body = {"name": query.name, "title": query.titles, "params": params, "variables": variables,
            "count": len(rows), "rows": [{v: _value(row.get(v)) for v in variables} for row in rows]}
    return JSONResponse(body, headers=with_cors())
