"""The build's dump cut into pieces of whole lines: for the engine (serve/sparql/engine.py) to load
one request each, and for the on-disk store (disk.py) to bulk-load one at a time.

Oxigraph's server loads a request's body in one transaction, whose buffers come on top of the store
it fills: at N = 300 (a 562 MB dump) one request peaked at 787 MB of resident memory for a store that
settles at 705, pieces of 64 MB at 708 — the peak of an engine's replacement, which loads beside
the running service and its evaluating worker (issue 16: 1.5 GB). The store holds the same quads.

Each request is an N-Quads document of its own, and a blank node label names one node only within one
document (RDF 1.1 N-Quads; Oxigraph gives each request its own blank nodes): from the first piece
whose text holds `_:` on, the rest of the dump goes as one piece. The build writes none (its dump's
nodes are IRIs), so that piece is there only for a dump that does.
"""
from __future__ import annotations

import os
from typing import BinaryIO

#: Bytes of the dump in one piece (then the rest of its last line).
PIECE_BYTES = 64 * 2**20
#: Bytes read at a time while looking for the end of a piece.
BLOCK_BYTES = 2**20
LABEL = b"_:"


def pieces(path: str, size: int = PIECE_BYTES) -> list[tuple[int, int]]:
    """(start, end) byte offsets of the pieces of the file at `path`, in order, covering it whole:
    whole lines of about `size` bytes each, the last one to the end of the file from the first
    piece that holds a blank node label on."""
    total = os.path.getsize(path)
    found: list[tuple[int, int]] = []
    start = 0
    with open(path, "rb") as handle:
        while start < total:
            end, label = _piece_end(handle, start, size)
            if label:
                end = total
            found.append((start, end))
            start = end
    return found


def _piece_end(handle: BinaryIO, start: int, size: int) -> tuple[int, bool]:
    """Where the piece from `start` ends (after the line that passes `size` bytes, or the file's end)
    and whether its text holds a blank node label."""
    handle.seek(start)
    read, label, tail = 0, False, b""
    while read < size:
        block = handle.read(min(BLOCK_BYTES, size - read))
        if not block:
            return start + read, label
        label = label or LABEL in tail + block
        tail = block[-1:]
        read += len(block)
    rest = handle.readline()
    return start + read + len(rest), label or LABEL in tail + rest


class Slice:
    """The bytes [start, end) of an open file as a body urllib reads by blocks (no copy of it)."""

    def __init__(self, handle: BinaryIO, start: int, end: int) -> None:
        self.handle = handle
        self.left = end - start
        handle.seek(start)

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        block = self.handle.read(size)
        self.left -= len(block)
        return block
