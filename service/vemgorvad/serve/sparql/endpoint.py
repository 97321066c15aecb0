"""GET|POST /sparql: the SPARQL 1.1 Protocol query operation (read-only), its service description,
YASGUI for browsers, and CORS. The work happens elsewhere: protocol.py reads the request,
negotiation.py picks the format, runtime.py runs the query in a sandboxed worker (which decides
what it may do from a real parse, decide.py) by its deadline, results.py writes it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, Response

from . import negotiation
from ...settings import Settings
from ..caches import Key
from .description import FACTS, facts, service_triples
from ..deadline import deadline
from ..state import state_of
from ..urls import public_base_url
from .http import preflight, text_error, with_cors
from .protocol import ProtocolError, parse
from .results import Job, serialise_graph
from .runtime import SparqlRuntime

router = APIRouter()
YASGUI = Path(__file__).resolve().parents[1] / "static" / "yasgui"
YASGUI_FILES = {"yasgui.min.js": "text/javascript; charset=utf-8", "yasgui.min.css": "text/css; charset=utf-8",
                "sparql-page.js": "text/javascript; charset=utf-8", "sparql-page.css": "text/css; charset=utf-8",
                "LICENSE": "text/plain; charset=utf-8", "package.json": "application/json"}
#: The YASGUI page: scripts only from this server (no inline script, no eval); YASGUI and its editor
#: set style attributes from script, hence 'unsafe-inline' for styles (styles cannot run code).
YASGUI_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def limits(settings: Settings) -> dict[str, str]:
    return {"X-Result-Limit": str(settings.result_limit), "X-Query-Timeout": f"{settings.query_timeout:g}",
            "Vary": "Accept"}


def base_url(request: Request) -> str:
    """The service's configured public URL (never the client's Host header)."""
    return public_base_url(state_of(request).settings)


def query_base(request: Request) -> str:
    """The endpoint's URL, against which relative IRIs in a query resolve."""
    return base_url(request) + "sparql"


def yasgui_page() -> Response:
    return FileResponse(YASGUI / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache", "Content-Security-Policy": YASGUI_CSP})


def browser_wants_page(request: Request, ranges: list[tuple[str, str, float]], has_query: bool) -> bool:
    """YASGUI for a person: HTML preferred, and — when a query is given — a browser's navigation
    (Sec-Fetch-Dest: document, or application/xhtml+xml in Accept as every browser sends). A
    library that lists text/html first with */* after it (Java's default Accept) gets results."""
    if not negotiation.wants_html(ranges):
        return False
    if not has_query:
        return True
    if request.headers.get("sec-fetch-dest", "").lower() == "document":
        return True
    return any((kind, sub) == ("application", "xhtml+xml") and q > 0 for kind, sub, q in ranges)


def service_description(request: Request, rt: SparqlRuntime, ranges: list[tuple[str, str, float]]) -> Response:
    fmt = negotiation.choose(ranges, negotiation.GRAPH)
    if fmt is None:
        return text_error(406, "Tjänstebeskrivningen finns som Turtle, N-Triples, JSON-LD, RDF/XML, "
                               "N-Quads och TriG; inget av dem finns i Accept.")
    base = base_url(request)
    info = rt.memo(FACTS, lambda: facts(rt.store))
    body = rt.memo(Key[bytes]("service-description", (fmt.name,)),
                   lambda: serialise_graph(service_triples(info, base, rt.settings), fmt.name))
    return Response(body, media_type=fmt.media_type, headers=with_cors(limits(rt.settings)))


_GRAPH_PARAMS = [
    {"name": name, "in": "query", "required": False, "style": "form", "explode": True,
     "description": description, "schema": {"type": "array", "items": {"type": "string"}}}
    for name, description in (("default-graph-uri", "Grafer som utgör standardgrafen (absoluta IRI:er)"),
                              ("named-graph-uri", "Namngivna grafer i datamängden (absoluta IRI:er)"))]
_QUERY_PARAM = {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                "description": "SPARQL-frågan (utan den: tjänstebeskrivningen, eller YASGUI för en webbläsare)"}
_FORM = {"type": "object", "required": ["query"], "properties": {
    "query": {"type": "string"},
    "default-graph-uri": {"type": "array", "items": {"type": "string"}},
    "named-graph-uri": {"type": "array", "items": {"type": "string"}}}}
#: What the protocol reads (protocol.py), declared so that clients and fuzzers see every input.
GET_DOC = {"parameters": [_QUERY_PARAM, *_GRAPH_PARAMS]}
POST_DOC = {"parameters": _GRAPH_PARAMS, "requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": _FORM},
    "application/sparql-query": {"schema": {"type": "string"}}}}}
ERRORS_DOC: dict[int | str, dict[str, Any]] = {status: {"description": text, "content": {"text/plain": {"schema": {"type": "string"}}}}
              for status, text in ((400, "Felaktig fråga eller begäran (text på svenska och engelska)"),
                                   (403, "Uppdateringar och SERVICE som inte är tillåtna"),
                                   (406, "Inget format i Accept kan levereras"),
                                   (413, "För stor begäran"), (415, "Medietypen stöds inte"),
                                   (422, "Svaret är större än X-Result-Limit"),
                                   (503, "Frågan tog för lång tid och avbröts"))}


@router.get("/sparql", tags=["SPARQL"], summary="SPARQL 1.1-ändpunkt (läsning), GET",
            operation_id="sparql_get", openapi_extra=GET_DOC, responses=ERRORS_DOC)
@router.post("/sparql", tags=["SPARQL"], summary="SPARQL 1.1-ändpunkt (läsning), POST",
             operation_id="sparql_post", openapi_extra=POST_DOC, responses=ERRORS_DOC)
async def sparql(request: Request) -> Response:
    state = state_of(request)
    rt = state.served.sparql
    settings = state.settings
    accept = request.headers.get("accept")
    try:
        protocol = await parse(request, settings.max_body, settings.query_timeout)
        ranges = negotiation.parse_accept(accept)
        if request.method == "GET" and browser_wants_page(request, ranges, protocol.query is not None):
            return yasgui_page()
        if protocol.query is None:
            return service_description(request, rt, ranges)
        formats = []
        for kind, offers in (("solutions", negotiation.SOLUTIONS), ("boolean", negotiation.BOOLEAN),
                             ("graph", negotiation.GRAPH)):
            chosen = negotiation.choose(ranges, offers)
            if chosen:
                formats.append((kind, chosen.media_type, chosen.name))
        key = (protocol.query, protocol.default_graphs, protocol.named_graphs, tuple(formats))
        cached = rt.answers.get(key)
        if cached is not None:
            media_type, body, _count = cached
            return Response(body, media_type=media_type, headers=with_cors({**limits(settings), "X-Cache": "hit"}))
        job = Job(protocol.query, protocol.default_graphs, protocol.named_graphs, formats=tuple(formats),
                  limit=settings.result_limit, base_iri=query_base(request),
                  service_allowlist=tuple(settings.service_allowlist))
        outcome = await rt.execute(job, deadline(request, rt.timeout))
    except ProtocolError as err:
        return text_error(err.status, err.message, {**limits(settings), **err.headers})
    headers = {**limits(settings), **outcome.headers}
    if outcome.status != 200:
        return text_error(outcome.status, outcome.body.decode("utf-8", "replace"), headers)
    rt.answers.put(key, (outcome.media_type, outcome.body, outcome.count), len(outcome.body))
    return Response(outcome.body, media_type=outcome.media_type, headers=with_cors({**headers, "X-Cache": "miss"}))


@router.options("/sparql", include_in_schema=False)
async def sparql_preflight(request: Request) -> Response:
    return preflight(request)


@router.get("/yasgui/{name}", include_in_schema=False)
async def yasgui_file(name: str) -> Response:
    if name not in YASGUI_FILES:
        return text_error(404, "Filen finns inte.")
    return FileResponse(YASGUI / name, media_type=YASGUI_FILES[name],
                        headers={"Cache-Control": "public, max-age=86400"})
