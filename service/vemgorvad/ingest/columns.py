"""Columns on a PDF page: where a page is set in two columns, the parts of it to read one after the
other — a band across the whole width (a title, a heading or a table over both columns), then the
left column, then the right, down the page.

A PDF-to-text tool reads a page line by line across its width, so two columns come out interleaved,
a sentence of the left column glued to one of the right. A gutter is a vertical strip near the
middle of the page that almost no printed row crosses while most rows hold text on both sides of it.
Only the characters' boxes are read (no library): the rows are the characters that share a top.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

MIDDLE = (0.3, 0.7)        # where a gutter may be, as parts of the page's width
MAX_CROSSING = 0.12        # at most this part of the rows may run through the gutter (headings over both)
MIN_BOTH_SIDES = 0.35      # at least this part of the rows has text left and right of it
MIN_ROWS = 8
APART = 1.4                # a first or last row this many usual line gaps from the next is a running head or foot
FILL = 0.25                # half of a column's lines end within this part of its width from its right edge
JUSTIFIED_SHARE = 0.25     # or (justified text) this part of its lines end at its right edge ...
JUSTIFIED_TOLERANCE = 0.5  # ... within this many points


@dataclass(frozen=True)
class Part:
    """A part of the page to read on its own: its box, and how far to move its lines left so a
    column's left edge lines up with the page's (indentation is read from the left edge)."""
    x0: float
    top: float
    x1: float
    bottom: float
    shift: float = 0.0


def _rows(chars: Iterable[dict[str, Any]], tolerance: float) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for ch in sorted((c for c in chars if c.get("text", "").strip()), key=lambda c: (c["top"], c["x0"])):
        if rows and abs(ch["top"] - rows[-1][0]["top"]) <= tolerance:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return rows


def _spans(row: Sequence[dict[str, Any]], pad: float) -> list[tuple[float, float]]:
    """The row's inked stretches, each widened by `pad` (so the space between two words is inked)."""
    merged: list[tuple[float, float]] = []
    for ch in sorted(row, key=lambda c: c["x0"]):
        a, b = ch["x0"] - pad, ch["x1"] + pad
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _crosses(spans: list[tuple[float, float]], x: float) -> bool:
    return any(a < x < b for a, b in spans)


def gutter(rows: list[list[dict[str, Any]]], width: float, pad: float) -> float | None:
    """The x of the gutter between two columns of running text, or None when the page is one column."""
    if len(rows) < MIN_ROWS:
        return None
    low, high = int(width * MIDDLE[0]), int(width * MIDDLE[1])
    crossing = [0] * (high - low + 1)
    spans = [_spans(row, pad) for row in rows]
    for row_spans in spans:
        for a, b in row_spans:
            for x in range(max(low, int(a) + 1), min(high, int(b)) + 1):
                crossing[x - low] += 1
    least = min(crossing)
    if least > MAX_CROSSING * len(rows):
        return None
    # the middle of the widest run of least crossing
    best, run_start, best_len = None, None, 0
    for i, count in enumerate([*crossing, least + 1]):
        if count == least and run_start is None:
            run_start = i
        elif count != least and run_start is not None:
            if i - run_start > best_len:
                best, best_len = low + (run_start + i - 1) / 2, i - run_start
            run_start = None
    if best is None:
        return None
    left = [max(b for _, b in s if b <= best) for s in spans if any(b <= best for _, b in s)]
    right = [max(b for _, b in s) for s in spans if any(a >= best for a, _ in s)]
    if not _both_sides(rows, spans, best):
        return None
    return best if _column(left, best) and _column(right, width - best) else None


def _both_sides(rows: list[list[dict[str, Any]]], spans: list[list[tuple[float, float]]], x: float) -> bool:
    """Enough rows hold text left and right of x: over the page, or over the stretch of it both
    columns run in — the last page of a text in two columns often ends with a short right column,
    and a page's running head or foot, set apart, is no part of either column."""
    left = [i for i, s in enumerate(spans) if any(b <= x for _, b in s)]
    right = [i for i, s in enumerate(spans) if any(a >= x for a, _ in s)]
    if min(len(left), len(right)) >= MIN_BOTH_SIDES * len(rows):
        return True
    head, foot = _set_apart(rows)
    first, last = 0, len(rows) - 1
    if len(rows) > 2 and head:
        first = 1      # a running head
    if len(rows) > 2 and foot:
        last -= 1      # a running foot
    left = [i for i in left if first <= i <= last]
    right = [i for i in right if first <= i <= last]
    if not left or not right:
        return False
    low, high = max(left[0], right[0]), min(left[-1], right[-1])
    stretch = high - low + 1
    both = min(sum(low <= i <= high for i in left), sum(low <= i <= high for i in right))
    return stretch >= MIN_ROWS and both >= MIN_BOTH_SIDES * stretch


def _set_apart(rows: list[list[dict[str, Any]]]) -> tuple[bool, bool]:
    """Whether the page's first row, and its last, stand apart from the text — more than APART usual
    line gaps from the row next to it, as a running head or foot does."""
    gaps = [b[0]["top"] - a[0]["top"] for a, b in pairwise(rows)]
    usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
    return bool(gaps) and gaps[0] > APART * usual, bool(gaps) and gaps[-1] > APART * usual


def _column(ends: list[float], column: float) -> bool:
    """The lines of one side read as a column of running text: filled, or justified."""
    return _filled(ends, column) or _justified(ends)


def _justified(ends: list[float]) -> bool:
    """Justified text: a good part of the lines (a quarter, and four at least) end at one x, the
    column's right edge, to the point — every line but a paragraph's last is set out to it. A table's
    cells, a contents line's title or a heading end where their words end. Read where a column also
    holds short lines (a title, lines of contents) that keep most of its lines' ends from its edge."""
    if not ends:
        return False
    edge = max(ends)
    at_edge = sum(edge - end <= JUSTIFIED_TOLERANCE for end in ends)
    return at_edge >= max(4, JUSTIFIED_SHARE * len(ends))


def _filled(ends: list[float], column: float) -> bool:
    """Lines of running text fill their column: most end near its right edge (a table's short
    cells, or a page's few lines on one side, do not)."""
    ends = sorted(ends)
    return ends[len(ends) // 2] >= ends[-1] - FILL * column


def parts(chars: Sequence[dict[str, Any]], width: float, height: float, char_width: float) -> list[Part] | None:
    """The parts of a two-column page in reading order, or None for a page of one column."""
    rows = _rows(chars, tolerance=max(1.0, char_width * 0.4))
    x = gutter(rows, width, pad=char_width)
    if x is None:
        return None
    spans = [_spans(row, char_width) for row in rows]
    spanning = [_crosses(s, x) for s in spans]
    head, foot = _set_apart(rows)
    # a running head or foot on one side of the gutter, set apart from the text, is read on its own
    def one_side(row_spans: list[tuple[float, float]]) -> bool:
        return all(b <= x for _, b in row_spans) or all(a >= x for a, _ in row_spans)
    if head and one_side(spans[0]):
        spanning[0] = True
    if foot and one_side(spans[-1]):
        spanning[-1] = True
    left_edge = min(ch["x0"] for row, s in zip(rows, spanning, strict=True) if not s for ch in row)
    right_edge = min((ch["x0"] for row, s in zip(rows, spanning, strict=True) if not s for ch in row
                      if ch["x0"] >= x), default=x)
    out: list[Part] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i < len(rows) and spanning[i] == spanning[start]:
            continue
        top = 0.0 if start == 0 else (rows[start - 1][0]["bottom"] + rows[start][0]["top"]) / 2
        bottom = height if i == len(rows) else (rows[i - 1][0]["bottom"] + rows[i][0]["top"]) / 2
        if spanning[start]:
            out.append(Part(0.0, top, width, bottom))
        else:
            out.append(Part(0.0, top, x, bottom))
            out.append(Part(x, top, width, bottom, shift=right_edge - left_edge))
        start = i
    return out
