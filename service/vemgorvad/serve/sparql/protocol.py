"""Reading a SPARQL 1.1 Protocol query request (§2.1): GET with `query`, POST form-urlencoded,
POST application/sparql-query; `default-graph-uri` and `named-graph-uri`. Everything a client
can get wrong becomes a ProtocolError with the right status and a readable message."""
from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph
from starlette.requests import Request

from ..body import read_limited

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None


READ_ONLY = ("Den här ändpunkten är skrivskyddad: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
             "CREATE, ADD, MOVE, COPY) tas inte emot. Grafen ändras bara när tjänsten byggs om.\n"
             "(This endpoint is read-only: SPARQL Update is not accepted.)")


def _pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(raw.decode("ascii"), keep_blank_values=True,
                                      encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, UnicodeEncodeError, ValueError):
        raise ProtocolError(400, f"Parametrarna i {where} är inte korrekt URL-kodad UTF-8.") from None


def _media_type(header: str) -> tuple[str, dict[str, str]]:
    parts = [p.strip() for p in header.split(";")]
    params = {}
    for p in parts[1:]:
        name, _, value = p.partition("=")
        params[name.strip().lower()] = value.strip().strip('"').lower()
    return parts[0].lower(), params


def _check_charset(params: dict[str, str], media: str) -> None:
    charset = params.get("charset")
    if charset and charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"Teckenkodningen {charset} stöds inte för {media}; skicka frågan som UTF-8.\n"
                                 f"(Only UTF-8 is accepted.)")


def too_large(limit: int) -> ProtocolError:
    return ProtocolError(413, f"Begäran är för stor: högst {limit} byte tas emot.\n"
                              f"(Request body larger than {limit} bytes.)",
                         {"Connection": "close"})


def _graphs(pairs: Sequence[tuple[str, str]], name: str) -> tuple[str, ...] | None:
    values = [v for k, v in pairs if k == name]
    for value in values:
        try:
            pyoxigraph.NamedNode(value)
        except ValueError:
            raise ProtocolError(400, f"{name} måste vara en absolut IRI, inte {value!r}.") from None
        if ":" not in value:
            raise ProtocolError(400, f"{name} måste vara en absolut IRI, inte {value!r}.")
    return tuple(values) if values else None


def too_slow(seconds: float) -> ProtocolError:
    return ProtocolError(408, f"Begäran kom inte fram i tid (högst {seconds:g} s); skicka den igen.\n"
                              f"(The request body did not arrive within {seconds:g} s.)",
                         {"Connection": "close"})


async def parse(request: Request, max_body: int, seconds: float | None = None) -> ProtocolRequest:
    url_pairs = _pairs(request.scope.get("query_string", b""), "adressen")
    body_pairs: list[tuple[str, str]] = []
    direct_query = None
    if request.method == "POST":
        header = request.headers.get("content-type")
        if not header:
            raise ProtocolError(415, "Content-Type saknas. Använd application/x-www-form-urlencoded "
                                     "eller application/sparql-query.")
        media, params = _media_type(header)
        body = await read_limited(request, max_body, too_large, seconds, too_slow)
        if media == UPDATE:
            raise ProtocolError(403, READ_ONLY)
        if media == FORM:
            _check_charset(params, media)
            body_pairs = _pairs(body, "formuläret")
        elif media == DIRECT:
            _check_charset(params, media)
            try:
                direct_query = body.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "Frågan är inte giltig UTF-8.\n(The query is not valid UTF-8.)") from None
        else:
            raise ProtocolError(415, f"Medietypen {media} stöds inte. Skicka frågan som "
                                     f"application/x-www-form-urlencoded (fältet query) eller som "
                                     f"application/sparql-query.")
    pairs = url_pairs + body_pairs
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in pairs):
        raise ProtocolError(403, READ_ONLY)
    queries = [v for k, v in pairs if k == "query"]
    if direct_query is not None:
        queries.append(direct_query)
    if len(queries) > 1:
        raise ProtocolError(400, "Det finns mer än en fråga i begäran; skicka exakt en (parametern query).\n"
                                 "(More than one query in the request.)")
    query = queries[0] if queries else None
    if request.method == "POST" and (query is None or not query.strip()):
        raise ProtocolError(400, "Frågan saknas: skicka den i fältet query eller som application/sparql-query.")
    if query is not None and not query.strip():
        raise ProtocolError(400, "Frågan är tom.")
    if query is not None and "\x00" in query:
        raise ProtocolError(400, "Frågan innehåller ett NUL-tecken.")
    return ProtocolRequest(query, _graphs(pairs, "default-graph-uri"), _graphs(pairs, "named-graph-uri"))
