"""Ingest: bytes of a .txt, .pdf or .docx agreement → normalised text with offsets and structure."""

from .errors import IngestError
from .readers import read_bytes, read_path, SUPPORTED_SUFFIXES
from .normalise import normalise
from .document import Document, Block, Section

__all__ = ["IngestError", "read_bytes", "read_path", "SUPPORTED_SUFFIXES", "normalise",
           "Document", "Block", "Section", "ingest_path", "ingest_bytes"]


def ingest_bytes(data: bytes, filename: str) -> Document:
    """Read and normalise one agreement given as bytes (upload) with its file name."""
    return normalise(read_bytes(data, filename))


def ingest_path(path) -> Document:
    """Read and normalise one agreement file."""
    return normalise(read_path(path))
