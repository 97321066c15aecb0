"""Blocks → the units extraction works on: sentences of paragraphs, and list items whole."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.document import Document
from ..ingest.layout import layout

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”)]?\s+(?=[\"”(]?[A-ZÅÄÖ0-9•])")
#: Longer than any real sentence or list item (the seed agreements' longest is ~500 characters).
#: A longer run without a sentence end (a table flattened into one line, a broken extraction) is
#: cut at spaces into pieces of at most this size, so the work per unit stays bounded and a long
#: line costs linear time, not quadratic.
MAX_UNIT = 1000


@dataclass
class Unit:
    """A sentence or a list item: where it sits and what it says."""
    start: int          # offsets into Document.text
    end: int
    block: int
    kind: str           # "sentence" | "item" | "heading"
    index_in_block: int = 0

    def text(self, doc: Document) -> str:
        return doc.text[self.start:self.end]


#: A single letter and a full stop ("A. Svensson", "s. 19"): an initial or an abbreviation, no sentence end.
#: A single digit is none: "… beskrivs i bilaga 1. Hälsocenter …" ends a sentence.
INITIAL = re.compile(r"(?<![\w])[^\W\d_]\.$")


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int]]:
    """[start, end) of each sentence of a paragraph: a full stop, question or exclamation mark before
    a capital or a digit ends one, unless it ends an abbreviation (layout.json 'abbreviations') or an
    initial, or a number goes on with another ("1. 1 april")."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 8):match.start()].lower()
        last_token = before.split()[-1] if before.split() else ""
        if last_token in layout().abbreviations or INITIAL.search(before) or (re.search(r"\d\.$", before) \
                and text[match.end():match.end() + 1].isdigit()):
            continue
        spans.append((base + start, base + match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((base + start, base + len(text.rstrip())))
    return [(s, e) for s, e in spans if e > s]


def bounded(text: str, start: int, end: int, limit: int = MAX_UNIT) -> list[tuple[int, int]]:
    """[start, end) of text as pieces of at most `limit` characters, cut after a space where
    there is one (the pieces cover the span; none is empty)."""
    spans = []
    while end - start > limit:
        cut = text.rfind(" ", start + 1, start + limit)
        cut = cut if cut > start else start + limit
        spans.append((start, cut))
        start = cut
        while start < end and text[start] == " ":
            start += 1
    if end > start:
        spans.append((start, end))
    return spans


def units_of(doc: Document) -> list[Unit]:
    units: list[Unit] = []
    for index, block in enumerate(doc.blocks):
        text = doc.text[block.start:block.end]
        if block.kind in ("heading", "contents"):  # a contents line is read as a heading: it names, never rules
            units.append(Unit(block.start, block.end, index, "heading"))
            continue
        if block.kind == "item":
            offset = 0
            while offset < len(text) and text[offset] in "•- ":
                offset += 1
            units.extend(Unit(s, e, index, "item") for s, e in bounded(doc.text, block.start + offset, block.end))
            continue
        n = 0
        for sentence in split_sentences(text, block.start):
            for start, end in bounded(doc.text, *sentence):
                units.append(Unit(start, end, index, "sentence", n))
                n += 1
    return units
