"""Raw text → Document: one block per line of clean text, every character mapped to its origin.

What is undone: hyphenation at line ends (and inside a line, hyphens.py), footnote numbers glued to words, page furniture,
private-use bullet glyphs, runs of whitespace. Nothing else changes, so a quote taken from the
normalised text is the agreement's own words.
"""
from __future__ import annotations

import re

from .blocks import RawBlock, build_blocks, bullet_of
from .document import Block, Document
from .hyphens import rejoin
from .layout import layout
from .lines import mark_furniture, split_lines
from .structure import assign_lists, assign_sections

MARKER = re.compile(r"(?<=[a-zåäöéü.)])(\d{1,2})(?=[\s.,;:)]|$)")


def normalise(raw: str) -> Document:
    lines = split_lines(raw)
    footnotes = mark_furniture(lines)
    raw_blocks = build_blocks(lines)
    chars: list[str] = []
    offsets: list[int] = []
    blocks: list[Block] = []
    markers: list[tuple[int, str]] = []
    for raw_block in raw_blocks:
        text, origin, found = _emit(raw_block, set(footnotes))
        if not text.strip():
            continue
        if chars:
            chars.append("\n")
            offsets.append(origin[0])
        start = len(chars)
        markers.extend((start + pos, number) for pos, number in found)
        chars.extend(text)
        offsets.extend(origin)
        blocks.append(Block(raw_block.kind, start, len(chars), raw_block.level, raw_block.number,
                            after_break=raw_block.after_break))
    offsets.append(len(raw))
    doc = Document(raw, "".join(chars), offsets, blocks, footnotes=footnotes, markers=markers)
    assign_lists(doc)
    assign_sections(doc)
    return doc


def _emit(block: RawBlock, footnote_numbers: set[str]) -> tuple[str, list[int], list[tuple[int, str]]]:
    """The block's text on one line, the raw offset of each character, and footnote markers."""
    out: list[str] = []
    origin: list[int] = []
    for n, line in enumerate(block.lines):
        text, skip = line.text, 0
        if n == 0 and block.kind == "item" and not block.number:
            glyph = bullet_of(text)
            prefix = "- " if block.level == 2 else "• "
            out.extend(prefix)
            origin.extend([line.start] * len(prefix))
            if glyph:
                skip = len(glyph)
                while skip < len(text) and text[skip] == " ":
                    skip += 1
                text = text[skip:]
        if n > 0 and out:
            _join(out, origin, text, line.raw_offset(skip) if text else line.start)
        for k, ch in enumerate(text):
            if ch == " " and out and out[-1] == " ":
                continue
            out.append(ch)
            origin.append(line.raw_offset(skip + k))
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    rejoin(out, origin)
    return _drop_markers(out, origin, footnote_numbers)


def _join(out: list[str], origin: list[int], text: str, base: int) -> None:
    """Glue the next line on: undo hyphenation where the word continues, else one space."""
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    if len(out) >= 2 and out[-1] == "-" and out[-2].isalpha() and text[:1].isalpha():
        word = re.match(r"\w+", text.lower())    # text starts with a letter: there is a word
        next_word = word.group(0) if word else ""
        if next_word in layout().conjunctions_after_hyphen or not text[0].islower():
            out.append(" ")
            origin.append(base)
        elif out[-2].isupper() and (len(out) < 3 or out[-3].isupper() or not out[-3].isalpha()):
            pass  # "SIP-\nrutin" keeps its hyphen: the part before is an abbreviation
        else:
            out.pop()
            origin.pop()
        return
    out.append(" ")
    origin.append(base)


def _drop_markers(out: list[str], origin: list[int], numbers: set[str]) -> tuple[str, list[int], list[tuple[int, str]]]:
    text = "".join(out)
    if not numbers:
        return text, origin, []
    keep = [True] * len(text)
    found: list[tuple[int, str]] = []
    removed = 0
    for match in MARKER.finditer(text):
        if match.group(1) in numbers and not _in_citation(text, match.start()):
            for k in range(match.start(), match.end()):
                keep[k] = False
            found.append((match.start() - removed, match.group(1)))
            removed += match.end() - match.start()
    if not found:
        return text, origin, []
    return ("".join(ch for ch, k in zip(text, keep, strict=False) if k), [o for o, k in zip(origin, keep, strict=False) if k], found)


def _in_citation(text: str, pos: int) -> bool:
    """"2 kap.7" or "Prop. 2008/09.38": a digit after an abbreviation's dot is not a marker."""
    before = text[max(0, pos - 6):pos].lower()
    return before.endswith(("kap.", "st.", "p.", "s.", "nr.", "bil.", "sid.")) or \
        bool(re.search(r"\d[./]$", before))
