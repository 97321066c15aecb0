"""Ingest: bytes of a .txt, .pdf or .docx agreement → normalised text with offsets and structure."""

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


def ingest_bytes(data: bytes, filename: str) -> Document:
    """Read and normalise one agreement given as bytes (upload) with its file name."""
    return normalise(read_bytes(data, filename))


def ingest_path(path) -> Document:
    """Read and normalise one agreement file."""
    return normalise(read_path(path))
