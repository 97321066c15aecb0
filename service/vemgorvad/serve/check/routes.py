"""POST /api/check: an agreement (multipart field `file`, or a text/plain body) → the gap report.
The size limit is enforced before the body is read in full; nothing is stored."""
from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import Headers
from starlette.formparsers import MultiPartException, MultiPartParser

from ...ingest import IngestError
from ..errors import ApiError
from ..state import served, state_of
from .service import CheckService

router = APIRouter(tags=["granskning"])
TEXT_TYPES = ("text/plain", "text/markdown", "application/octet-stream")


def service(request: Request) -> CheckService:
    return served(request).check_service()


def too_large(limit: int) -> ApiError:
    """413, and the connection is closed: the rest of an oversized body is never read."""
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} kB"
    return ApiError(413, f"Filen är för stor; högst {size}.", {"Connection": "close"})


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, or 413 as soon as the declared length or the bytes received pass `limit`."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _file_from(request: Request, body: bytes) -> tuple[bytes, str]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async def stream():
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
CHECK_DOC = {
    "parameters": [{"name": "X-Filename", "in": "header", "required": False, "schema": {"type": "string"},
                    "description": "Filnamnet (med .txt, .pdf eller .docx) när filen skickas som text/plain"}],
    "requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "Överenskommelsen: .txt, .pdf eller .docx"}}}},
        "text/plain": {"schema": {"type": "string"}}}}}
CHECK_ERRORS = {status: {"description": text} for status, text in (
    (400, "Tom eller oläslig uppladdning"), (413, "Filen är för stor"), (415, "Filtypen eller medietypen stöds inte"),
    (422, "Filen kunde inte granskas"))}


@router.post("/api/check", summary="Granska en överenskommelse: vad saknas enligt lag och praxis?",
             openapi_extra=CHECK_DOC, responses=CHECK_ERRORS)
async def check(request: Request) -> dict:
    settings = state_of(request).settings
    body = await read_limited(request, settings.max_upload)
    if not body:
        raise ApiError(400, "Filen är tom.")
    data, filename = await _file_from(request, body)
    if not data:
        raise ApiError(400, "Filen är tom.")
    try:
        return await service(request).run_async(data, filename)
    except IngestError as err:
        raise ApiError(err.status, err.sv) from None
