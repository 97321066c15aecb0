"""The normalised agreement: clean text, where each character came from, and its structure."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, count
from operator import sub

# A footnote number glued to the word before it ("störning1 "): CONTRACT lets a quote drop it, as score.py does.
_GLUED_FOOTNOTE = re.compile(r"(?<=[^\W\d_])\d{1,2}(?=[\s.,;:)]|$)")


@dataclass
class Footnote:
    number: str
    text: str
    raw_start: int
    raw_end: int


@dataclass
class Block:
    """A heading, a paragraph, a list item or a line of the table of contents, as one line of the
    normalised text."""
    kind: str                 # "heading" | "paragraph" | "item" | "contents"
    start: int                # offsets into Document.text
    end: int
    level: int = 1            # heading outline depth, or item nesting depth
    number: str | None = None  # "6.1" for a heading, "a" for an item "a) …"
    list_id: int | None = None
    intro: int | None = None  # index of the block that introduces this item's list
    section: int | None = None
    after_break: bool = False  # page furniture or a page break came right before this block


@dataclass
class Section:
    heading: str
    number: str | None
    level: int
    parent: int | None
    start: int
    end: int = 0
    heading_block: int | None = None
    title: str = ""


@dataclass
class Document:
    raw: str
    text: str
    offsets: list[int]        # len(text) + 1 entries: raw offset of each character, then the end
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footnotes: dict[str, Footnote] = field(default_factory=dict)
    markers: list[tuple[int, str]] = field(default_factory=list)  # (text offset, footnote number)
    repairs: list[str] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw-text span a normalised span [start, end) was made from."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def verbatim_span(self, start: int, end: int) -> tuple[int, int]:
        """The longest part of the normalised span [start, end) that stands in the original as it is:
        where normalising dropped letters or digits from inside the span (a URL line, a footnote's
        text or a page number between two halves of a sentence), the span is cut there, because a
        quote across them is no passage of the agreement (CONTRACT: only whitespace, line-end
        hyphens, bullet glyphs and glued footnote numbers may be normalised). Leading and trailing
        whitespace is left out. Only the places where normalising skipped raw characters (_gaps) are
        looked at: logarithmic in the text, linear in the gaps inside the span."""
        best = piece = start
        best_end = start
        gaps = self._gaps
        for k in gaps[bisect_left(gaps, start):bisect_left(gaps, end - 1)]:
            if self._drops_letters(k):
                if k + 1 - piece > best_end - best:
                    best, best_end = piece, k + 1
                piece = k + 1
        if end - piece > best_end - best:
            best, best_end = piece, end
        while best < best_end and self.text[best].isspace():
            best += 1
        while best_end > best and self.text[best_end - 1].isspace():
            best_end -= 1
        return (best, best_end) if best < best_end else (start, end)

    def _drops_letters(self, k: int) -> bool:
        """Whether the original has a letter or digit between normalised characters k and k + 1 that
        the normalised text left out (a glued footnote number excepted)."""
        a, b = self.offsets[k], self.offsets[k + 1]
        if b - a <= 1:
            return False
        seen = self.raw[a:b + 1]   # the two kept characters and what lies between them
        footnote = {i for m in _GLUED_FOOTNOTE.finditer(seen) for i in range(m.start(), m.end())}
        return any(seen[i].isalnum() and i not in footnote for i in range(1, len(seen) - 1))

    @cached_property
    def _gaps(self) -> list[int]:
        """The k (ascending) where the original has characters between normalised characters k and
        k + 1: the only places _drops_letters can be true."""
        offsets = self.offsets
        return list(compress(count(), map((1).__lt__, map(sub, offsets[1:], offsets))))   # in C: a page is 3 000 offsets

    @cached_property
    def _page_breaks(self) -> list[int]:
        return [i for i, ch in enumerate(self.raw) if ch == "\f"]

    def page_at(self, offset: int) -> int | None:
        """The page (from 1) a PDF printed the text at `offset` on; None for a text without pages."""
        if not self._page_breaks:
            return None
        raw = self.offsets[min(max(offset, 0), len(self.offsets) - 1)]
        return bisect_right(self._page_breaks, raw) + 1

    def block_text(self, index: int) -> str:
        block = self.blocks[index]
        return self.text[block.start:block.end]

    def section_path(self, index: int | None) -> str:
        """"3.5 Ansvar vid placering … > Ansvar" — the heading and its ancestors."""
        parts = []
        while index is not None:
            parts.append(self.sections[index].heading)
            index = self.sections[index].parent
        return " > ".join(reversed(parts))

    def section_at(self, offset: int) -> int | None:
        found = None
        for i, section in enumerate(self.sections):
            if section.start <= offset < max(section.end, section.start + 1):
                found = i
        return found

    def footnotes_in(self, start: int, end: int) -> list[Footnote]:
        """Footnotes whose markers sit inside [start, end] of the normalised text."""
        return [self.footnotes[n] for pos, n in self.markers if start <= pos <= end and n in self.footnotes]
