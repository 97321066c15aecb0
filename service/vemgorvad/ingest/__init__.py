"""Ingest: bytes of a .txt, .pdf or .docx agreement → normalised text with offsets and structure."""

from pathlib import Path

from .document import Block, Document, Section
from .errors import IngestError
from .normalise import normalise
from .readers import SUPPORTED_SUFFIXES, read_bytes, read_path

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Block",
    "Document",
    "IngestError",
    "Section",
    "ingest_bytes",
    "ingest_path",
    "normalise",
    "read_bytes",
    "read_path",
]


def ingest_bytes(data: bytes, filename: str, max_chars: int | None = None) -> Document:
    """Read and normalise one agreement given as bytes (upload) with its file name; with
    max_chars, a text longer than that is refused (413) before any further work."""
    text = read_bytes(data, filename)
    if max_chars is not None and len(text) > max_chars:
        raise IngestError(f"Texten är för lång för en granskning: {len(text):,} tecken, högst {max_chars:,} "
                          f"(fyra gånger den längsta överenskommelsen).".replace(",", " "),
                          f"The text is too long to check: {len(text)} characters, at most {max_chars}.", 413)
    return normalise(text)


def ingest_path(path: str | Path) -> Document:
    """Read and normalise one agreement file."""
    return normalise(read_path(path))
