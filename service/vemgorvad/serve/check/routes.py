"""POST /api/check: an agreement (multipart field `file`, or a text/plain body) → the gap report,
as JSON or, with `?format=html|pdf|docx`, as a document to download. POST /api/check/report: a
report already received (its JSON) → the same documents, without checking the file again.
The size limit is enforced before the body is read in full; nothing is stored."""
from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.formparsers import MultiPartException, MultiPartParser

from ...ingest import IngestError
from ..body import read_limited
from ..deadline import deadline
from ..api_error import ApiError
from ..state import served, state_of
from .documents import FORMATS, download_name
from .service import CheckService

router = APIRouter(tags=["granskning"])
TEXT_TYPES = ("text/plain", "text/markdown", "application/octet-stream")


def service(request: Request) -> CheckService:
    return served(request).check_service()


def too_large(limit: int) -> ApiError:
    """413, and the connection is closed: the rest of an oversized body is never read."""
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} kB"
    return ApiError(413, f"Filen är för stor; högst {size}.", {"Connection": "close"})


async def _file_from(request: Request, body: bytes) -> tuple[bytes, str]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async def stream() -> AsyncGenerator[bytes, None]:
            yield body
        try:
            form = await MultiPartParser(Headers(raw=request.headers.raw), stream(), max_files=1, max_fields=5).parse()
        except MultiPartException as err:
            raise ApiError(400, f"Uppladdningen kunde inte läsas: {err.message}") from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(400, "Ladda upp filen i fältet 'file' (multipart/form-data).")
        data = await upload.read()
        await upload.close()
        return data, upload.filename or "uppladdad.txt"
    if not content_type or content_type.split(";")[0].strip() in TEXT_TYPES:
        name = request.headers.get("x-filename") or "uppladdad.txt"
        return body, name
    raise ApiError(415, "Skicka filen som multipart/form-data (fältet 'file') eller som text/plain.")


#: The body is read by hand (size limit first), so the schema declares what `check` accepts.
CHECK_DOC: dict[str, Any] = {
    "parameters": [{"name": "X-Filename", "in": "header", "required": False, "schema": {"type": "string"},
                    "description": "Filnamnet (med .txt, .pdf eller .docx) när filen skickas som text/plain"}],
    "requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "Överenskommelsen: .txt, .pdf eller .docx"}}}},
        "text/plain": {"schema": {"type": "string"}}}}}
FORMAT_PARAMETER = {"name": "format", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": ["json", *FORMATS]},
                    "description": "json (standard), eller rapporten som dokument: html, pdf eller docx"}
CHECK_DOC["parameters"].append(FORMAT_PARAMETER)
DOCUMENT_CONTENT = {media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for media, _ in FORMATS.values()}
CHECK_ERRORS: dict[int | str, dict[str, Any]] = {status: {"description": text} for status, text in (
    (400, "Tom eller oläslig uppladdning"), (413, "Filen är för stor"), (415, "Filtypen eller medietypen stöds inte"),
    (422, "Filen kunde inte granskas"))}


def _format(request: Request) -> str | None:
    fmt = request.query_params.get("format", "json").lower()
    if fmt == "json":
        return None
    if fmt not in FORMATS:
        raise ApiError(400, f"Okänt format {fmt[:20]!r}; välj json, html, pdf eller docx.")
    return fmt


def _document(body: bytes, fmt: str, filename: str) -> Response:
    media, _ = FORMATS[fmt]
    disposition = "inline" if fmt == "html" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{download_name(filename, fmt)}"',
               "X-Content-Type-Options": "nosniff"}
    if fmt == "html":
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"
    return Response(body, media_type=media, headers=headers)


@router.post("/api/check", summary="Granska en överenskommelse: vad saknas enligt lag och praxis?",
             openapi_extra=CHECK_DOC, responses={**CHECK_ERRORS, 200: {"content": {"application/json": {},
                                                                                   **DOCUMENT_CONTENT}}},
             response_model=None)
async def check(request: Request) -> dict[str, Any] | Response:
    fmt = _format(request)
    settings = state_of(request).settings
    body = await read_limited(request, settings.max_upload, too_large, settings.check_timeout)
    if not body:
        raise ApiError(400, "Filen är tom.")
    data, filename = await _file_from(request, body)
    if not data:
        raise ApiError(400, "Filen är tom.")
    try:
        svc = service(request)
        result = await svc.run_async(data, filename, fmt, deadline(request, svc.timeout))
    except IngestError as err:
        raise ApiError(err.status, err.sv) from None
    if fmt is None:
        return cast(dict[str, Any], result)      # no format: the report
    return _document(cast(bytes, result), fmt, filename)


REPORT_DOC = {
    "parameters": [{**FORMAT_PARAMETER, "schema": {"type": "string", "enum": list(FORMATS)},
                    "description": "html, pdf (standard) eller docx"},
                   {"name": "filename", "in": "query", "required": False, "schema": {"type": "string"},
                    "description": "den granskade filens namn, som rapporten visar"}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["agreement", "topics", "findings"],
        "description": "Svaret från POST /api/check"}}}}}


@router.post("/api/check/report", summary="Granskningsrapporten som dokument (HTML, PDF eller DOCX)",
             openapi_extra=REPORT_DOC, responses={**{s: CHECK_ERRORS[s] for s in (400, 413, 422)},
                                                  200: {"content": DOCUMENT_CONTENT}})
async def report_document(request: Request) -> Response:
    """The JSON of POST /api/check, sent back, rendered as a document: the page at /granska offers
    the downloads this way, so the file is checked once."""
    fmt = request.query_params.get("format", "pdf").lower()
    if fmt not in FORMATS:
        raise ApiError(400, f"Okänt format {fmt[:20]!r}; välj html, pdf eller docx.")
    body = await read_limited(request, state_of(request).settings.max_body, too_large,
                              state_of(request).settings.check_timeout)
    try:
        report = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Rapporten är inte giltig JSON.") from None
    except RecursionError:          # '[' * 100000: nesting deeper than the parser's recursion limit
        raise ApiError(400, "Rapporten är för djupt nästlad för att vara ett svar från POST /api/check.") from None
    if not _looks_like_report(report):
        raise ApiError(400, "Skicka svaret från POST /api/check: ett objekt med agreement, topics och findings.")
    filename = request.query_params.get("filename", "")[:200]
    try:
        svc = service(request)
        document = await svc.render_async(report, fmt, filename, deadline(request, svc.timeout))
    except IngestError as err:
        raise ApiError(err.status, err.sv) from None
    return _document(document, fmt, filename or "overenskommelse")


def _looks_like_report(report: Any) -> bool:
    """The shape the renderers read: objects and lists where they expect them, strings as text."""
    if not isinstance(report, dict) or not isinstance(report.get("agreement"), dict):
        return False
    lists = (report.get("topics"), report.get("findings"))
    if not all(isinstance(x, list) and all(isinstance(i, dict) for i in x) for x in lists):
        return False
    for topic in report["topics"]:
        if any(not isinstance(topic.get(k, []), list) or not all(isinstance(e, dict) for e in topic.get(k, []))
               for k in ("evidence", "references", "mentions", "models")):
            return False
    parties = report["agreement"].get("parties", [])
    return isinstance(parties, list) and all(isinstance(p, str) for p in parties)
