"""Readers: one agreement file (.txt, .pdf, .docx) → its text, as a PDF-to-text tool would give it.

The PDF and DOCX readers keep what the normaliser needs to see the layout: one line per printed
line (a PDF) or per paragraph (a DOCX), indentation as leading spaces, a form feed between pages,
footnotes after a separator line, bullets as a glyph — and what the typography says about a line
(`Source.hints`): a DOCX paragraph's style (Title, Heading n, a list style or numbering), a PDF
line set larger or bold than the body text. Everything else about structure is the normaliser's
job, so all three formats go through the very same normalisation.
"""
from __future__ import annotations

import io
import itertools
import re
import statistics
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from . import columns
from .decode import decode, looks_binary
from .errors import IngestError
from .layout import layout

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")
MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 400
DOCX_MAX_UNCOMPRESSED = 60 * 1024 * 1024
DOCX_MAX_RATIO = 200
FOOTNOTE_SEPARATOR = " " * 40
HEADING_SIZE = 1.15      # a PDF line this much larger than the body text is a heading
HEADING_STYLE = ("heading", "rubrik")
CELL_GAP = 1.0           # words of a PDF line further apart than this many ems are in two cells of a table
JUSTIFIED = 1.3         # a line out to the edge whose spaces are all wide and within this ratio of each other
JUSTIFIED_EDGE = 1.0    # is justified text; out to the edge: ending within this many points of it
STRETCHED = 1.1         # a line out to the edge whose spaces are this much wider than the page's usual space
#: an item's number or letter before its text ("1.", "2)", "a)", "b.")
_LIST_MARKER = re.compile(r"(?:\d{1,2}|[a-zåäö])[.)]")
RUNNING_HEAD_ZONE = 0.1  # the top tenth of a page: its margin, where a running head stands above the text
LIST_STYLE = ("list", "lista")
#: a PDF's printed line: its text, its typography's hint, whether it runs to its column's edge (_fills),
#: and whether justification stretched its spaces (_stretched)
PageLine = tuple[str, str | None, bool | None, bool]


class Source(str):
    """The text a reader made, with what it knew about its lines: `hints` maps the offset where a
    line starts to title | heading | item | paragraph; `fills` maps it to whether a PDF set the line
    out to its column's right edge (True: the width broke it) or ended it with room to spare (False);
    `stretched` holds where the lines start whose spaces justification widened. A plain str has none."""
    hints: dict[int, str]
    fills: dict[int, bool]
    stretched: frozenset[int]

    def __new__(cls, text: str, hints: dict[int, str] | None = None, fills: dict[int, bool] | None = None,
                stretched: frozenset[int] = frozenset()) -> Source:
        source = super().__new__(cls, text)
        source.hints = dict(hints or {})
        source.fills = dict(fills or {})
        source.stretched = frozenset(stretched)
        return source


def _joined(lines: list[tuple[str, str | None]], page_starts: frozenset[int] = frozenset(),
            fills: list[bool | None] | None = None, stretched: list[bool] | None = None) -> Source:
    """Lines with their hints → a Source (the hint, and the line's fill and stretch if known, keyed by
    where its line starts); a form feed instead of a newline before the lines that start a page."""
    parts, hints, filled, wide, pos = [], {}, {}, set(), 0
    for n, (text, hint) in enumerate(lines):
        if n:
            parts.append("\f" if n in page_starts else "\n")
            pos += 1
        if hint:
            hints[pos] = hint
        if fills is not None and fills[n] is not None:
            filled[pos] = bool(fills[n])
        if stretched is not None and stretched[n]:
            wide.add(pos)
        parts.append(text)
        pos += len(text)
    return Source("".join(parts), hints, filled, frozenset(wide))


def read_path(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(f"Filen kunde inte läsas: {err.strerror}.", f"The file could not be read: {err.strerror}.") from None
    return read_bytes(data, path.name)


def read_bytes(data: bytes, filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    if len(data) > MAX_BYTES:
        raise IngestError("Filen är större än 10 MB.", "The file is larger than 10 MB.", 413)
    if not data:
        raise IngestError("Filen är tom.", "The file is empty.", 400)
    if suffix == ".pdf" or (not suffix and data.startswith(b"%PDF")):
        return read_pdf(data)
    if suffix == ".docx" or (not suffix and data.startswith(b"PK\x03\x04")):
        return read_docx(data)
    if suffix in (".txt", ".text", ".md", "") :
        return decode(data)
    raise IngestError(
        f"Filtypen {suffix} stöds inte. Ladda upp .txt, .pdf eller .docx.",
        f"File type {suffix} is not supported. Upload .txt, .pdf or .docx.", 415)


# --- PDF -------------------------------------------------------------------------------------

def read_pdf(data: bytes) -> str:
    if not data.startswith(b"%PDF"):
        raise IngestError("Filen är ingen giltig PDF.", "The file is not a valid PDF.", 422)
    import pdfplumber  # imported here: the text path never pays for it
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        # counted on pdfminer's own document first: pdfplumber builds every page when it closes
        _check_page_count(PDFDocument(PDFParser(io.BytesIO(data))))
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if getattr(pdf.doc, "encryption", None):
                raise IngestError("PDF-filen är krypterad eller lösenordsskyddad.",
                                  "The PDF is encrypted or password protected.", 422)
            pages: list[list[PageLine]] = []
            for pdf_page in pdf.pages:
                pages.append(_pdf_page_lines(pdf_page, first=not pages))
                pdf_page.close()    # its parsed characters freed now, not when the document closes:
                                # memory of one page at a time, not of the whole document
    except IngestError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise IngestError("PDF-filen är krypterad eller lösenordsskyddad.",
                          "The PDF is encrypted or password protected.", 422) from None
    except Exception:  # pdfminer raises many kinds of error on damaged files
        raise IngestError("PDF-filen är skadad och kunde inte läsas.", "The PDF is damaged and could not be read.", 422) from None
    pages = _drop_running_lines(pages)
    lines: list[PageLine] = []
    page_starts = set()
    for page in pages:
        if lines:
            page_starts.add(len(lines))
        lines.extend(page or [("", None, None, False)])
    text = _joined([(line, hint) for line, hint, *_ in lines], frozenset(page_starts), [line[2] for line in lines],
                   [line[3] for line in lines])
    if sum(ch.isalpha() for ch in text) < 20:
        raise IngestError("PDF-filen innehåller ingen utvinningsbar text (skannad bild?).",
                          "The PDF contains no extractable text (a scanned image?).", 422)
    return text


def _check_page_count(doc: Any) -> None:
    """Refuse a PDF of more than MAX_PAGES pages before any page is parsed: first by the page
    tree's own /Count, then (a /Count can lie) by walking the tree lazily and stopping at the page
    after the limit — never by building every page, which costs minutes for 100,000 of them."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1
    too_many = IngestError(f"PDF-filen har fler än {MAX_PAGES} sidor.", f"The PDF has more than {MAX_PAGES} pages.", 413)
    try:
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
    except Exception:  # no page tree root or no count: the walk below decides
        count = None
    if isinstance(count, int) and count > MAX_PAGES:
        raise too_many
    if sum(1 for _ in itertools.islice(PDFPage.create_pages(doc), MAX_PAGES + 1)) > MAX_PAGES:
        raise too_many


def _pdf_page_lines(page: Any, first: bool = True) -> list[PageLine]:
    """The page's lines, indented as printed, each with "heading" when set larger than the body
    text or wholly in bold (and short, without a full stop); footnotes (small type at the foot)
    after a separator. After the first page, lines in small type in the page's top margin above
    everything else are its running head — dropped, as a document of two pages repeats it too
    seldom for _drop_running_lines, and a sentence that goes on over the page must not take it in."""
    lines = _page_text_lines(page)
    if not lines:
        return []
    lines = _lone_markers(lines)
    sizes = [round(ch.get("size", 0), 1) for line in lines for ch in line["chars"] if ch["text"].strip()]
    body_size = Counter(sizes).most_common(1)[0][0] if sizes else 0
    widths = [ch["x1"] - ch["x0"] for line in lines for ch in line["chars"] if ch["text"].strip()]
    char_width = statistics.median(widths) if widths else 5.0
    margin = min(line["x0"] for line in lines)
    right = max(*(line["x1"] for line in lines), page.width - margin)
    body: list[PageLine] = []
    notes: list[PageLine] = []
    lower_third = page.height * 0.6
    unwrapped = _unwrapped_headings(lines, right, body_size)
    edge = _edge(unwrapped)
    stretched = _stretched(unwrapped, edge, body_size)
    for line, fill, wide in zip(unwrapped, _fills(unwrapped, char_width, edge), stretched, strict=True):
        indent = max(0, round((line["x0"] - margin) / max(char_width, 1.0)))
        chars = [ch for ch in line["chars"] if ch["text"].strip()]
        text = " " * min(indent, 8) + _cells(line["text"], chars, at_edge=line["x1"] >= edge - JUSTIFIED_EDGE)
        line_sizes = [ch.get("size", 0) for ch in chars]
        size = statistics.median(line_sizes) if line_sizes else 0
        small = body_size and line_sizes and size < body_size * 0.85
        bold = bool(chars) and all("bold" in (ch.get("fontname") or "").lower() for ch in chars)
        heading = bool(body_size) and (size >= body_size * HEADING_SIZE or bold) and len(line["text"]) <= 160 \
            and not line["text"].rstrip().endswith((".", ",", ";"))
        if small and not first and not body and line["top"] < page.height * RUNNING_HEAD_ZONE:
            continue
        (notes if small and line["top"] > lower_third else body).append(
            (text, "heading" if heading else None, fill, wide))
    return body + ([(FOOTNOTE_SEPARATOR, None, None, False), *notes] if notes else [])


def _fills(lines: list[dict[str, Any]], char_width: float, edge: float) -> list[bool | None]:
    """For each printed line, whether it runs out to its column's right edge: True when the next
    line's first word, after a space, would not have fitted after it (the width broke the line, so a
    sentence's end there is no paragraph's end), False when it would have (the writer ended the
    line), None for the page's last line. The edge is where most long lines end (the 90th
    percentile of the lines' ends: a few lines set wider, as a heading across two columns, do not
    move it: _edge, computed once by the caller); a column of a two-column page is moved to the left
    edge already."""
    if not lines:
        return []
    out: list[bool | None] = []
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        chars = [ch for ch in following["chars"] if ch["text"].strip()] if following is not None else []
        if not chars or following is None or following["top"] < line["top"]:
            out.append(None)    # the page's (or a column's) last line: what follows is elsewhere
            continue
        word = chars[:len(following["text"].split(None, 1)[0])]
        out.append(line["x1"] + 0.5 * char_width + (word[-1]["x1"] - word[0]["x0"]) > edge)
    return out


Side = dict[str, Any] | None


def _spaces(text: str, chars: list[dict[str, Any]]) -> list[tuple[int, Side, Side]]:
    """Each space of `text` (the line's characters one by one, with its spaces: the caller checks) with
    the characters either side of it (None at the line's ends): what a space's width is measured from."""
    out: list[tuple[int, Side, Side]] = []
    k = 0
    for pos, ch in enumerate(text):
        if ch.isspace():
            out.append((pos, chars[k - 1] if k else None, chars[k] if k < len(chars) else None))
        else:
            k += 1
    return out


def _word_gaps(line: dict[str, Any]) -> list[float]:
    """The widths of the spaces between the line's words, measured from its characters' boxes (none
    when the text is not the line's characters one by one, as with ligatures)."""
    chars = [ch for ch in line["chars"] if ch["text"].strip()]
    text = line["text"]
    if len(chars) != sum(not ch.isspace() for ch in text):
        return []
    return [after["x0"] - before["x1"] for pos, before, after in _spaces(text, chars)
            if before is not None and after is not None and not text[pos - 1].isspace()]


def _stretched(lines: list[dict[str, Any]], edge: float, body_size: float) -> list[bool]:
    """For each printed line, whether justification stretched it: set in body type out to the text's
    edge, its spaces wider (the median, by STRETCHED) than the page's own space — the median space of
    its lines in body type that end short of the edge (a paragraph's last line, which justification
    never stretches). Only a line the width broke is stretched, so a sentence's end there is no
    paragraph's end, where a line that merely reaches the edge may be a paragraph of one line."""
    medians: list[float | None] = []
    for line in lines:
        gaps = _word_gaps(line)
        sizes = [ch.get("size", 0) for ch in line["chars"] if ch["text"].strip()]
        body = bool(sizes) and abs(statistics.median(sizes) - body_size) < 0.5
        medians.append(statistics.median(gaps) if len(gaps) >= 2 and body else None)
    at_edge = [line["x1"] >= edge - JUSTIFIED_EDGE for line in lines]
    short = [m for m, full in zip(medians, at_edge, strict=True) if m is not None and not full]
    if not short or statistics.median(short) <= 0:
        return [False] * len(lines)
    space = statistics.median(short)
    return [m is not None and full and m > STRETCHED * space for m, full in zip(medians, at_edge, strict=True)]


def _edge(lines: list[dict[str, Any]]) -> float:
    """Where most long lines end: the 90th percentile of the lines' ends (a few lines set wider, as a
    heading across two columns, do not move it)."""
    ends = sorted(line["x1"] for line in lines)
    return ends[int(0.9 * (len(ends) - 1))] if ends else 0.0


def _cells(text: str, chars: list[dict[str, Any]], at_edge: bool = False) -> str:
    """The line with a tab where its words stand wider apart than an em (CELL_GAP) — the cells of a
    table row, as a PDF export sets a table — so the row reads as a table pasted as text does
    (ingest/lines.py TABLE_ROW). Words set closer, as justified text sets them, keep their space; so
    do words all set equally far apart in a line out to the column's edge (`at_edge`: a justified line
    stretched wide in a narrow column; a table's cells stand apart by more than the words inside them,
    and a row of one-word cells seldom ends at the text's edge), and a list marker and its item (a
    bullet or a number set before a tab stop, as a word processor sets a list)."""
    if len(chars) != sum(not ch.isspace() for ch in text):
        return text   # the text is not the line's characters one by one (ligatures): left as it is
    gaps = []
    for pos, before, after in _spaces(text, chars):
        width = after["x0"] - before["x1"] if before is not None and after is not None else 0.0
        wide = before is not None and after is not None and \
            width > CELL_GAP * max(before.get("size", 0), after.get("size", 0), 1.0)
        gaps.append((pos, wide, width))
    measured = [width for pos, _, width in gaps if not text[pos - 1:pos].isspace()]
    if at_edge and len(measured) >= 2 and all(wide for _, wide, _ in gaps) and max(measured) <= JUSTIFIED * min(measured):
        return text   # justified: every space stretched alike
    first = text.split(None, 1)[0] if text.strip() else ""
    marker_gap = len(text) - len(text.lstrip()) + len(first) if _LIST_MARKER.fullmatch(first) or _is_bullet(first) \
        else -1
    out = list(text)
    for pos, wide, _ in gaps:
        if wide and pos != marker_gap and text[pos - 1:pos] != "\t" and not text[pos + 1:pos + 2].isspace():
            out[pos] = "\t"
    return "".join(out)


def _page_text_lines(page: Any) -> list[dict[str, Any]]:
    """The page's printed lines in reading order: a page in two columns is read a column at a time
    (ingest/columns.py), each column's lines moved to the page's left edge."""
    chars = page.chars
    widths = [ch["x1"] - ch["x0"] for ch in chars if ch["text"].strip()]
    parts = columns.parts(chars, page.width, page.height, statistics.median(widths)) if widths else None
    if parts is None:
        return list(page.extract_text_lines(layout=False, strip=True, return_chars=True))
    lines: list[dict[str, Any]] = []
    for part in parts:
        area = page.within_bbox((part.x0, part.top, part.x1, part.bottom))
        for line in area.extract_text_lines(layout=False, strip=True, return_chars=True):
            if part.shift:
                line = {**line, "x0": line["x0"] - part.shift, "x1": line["x1"] - part.shift,
                        "chars": [{**ch, "x0": ch["x0"] - part.shift, "x1": ch["x1"] - part.shift}
                                  for ch in line["chars"]]}
            lines.append(line)
    return lines


def _is_bullet(text: str) -> bool:
    return len(text) == 1 and (text in layout().bullets or layout().bullet_symbol(text))


def _lone_markers(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A bullet alone on its line, beside the lines of its item (a table row whose marker cell is
    centred on a wrapped item), is that item's marker: it goes before the first of the lines right of
    it that stand one under the other down to it (the same left edge, a line's gap apart)."""
    out: list[dict[str, Any]] = []
    for line in lines:
        chars = [ch for ch in line["chars"] if ch["text"].strip()]
        if not (len(chars) == 1 and _is_bullet(chars[0]["text"]) and out):
            out.append(line)
            continue
        size = chars[0].get("size", 0) or 10.0
        first = len(out) - 1
        if not (out[first]["x0"] > chars[0]["x1"] and 0 <= line["top"] - out[first]["top"] <= 1.5 * size):
            out.append(line)
            continue
        while first > 0 and abs(out[first - 1]["x0"] - out[first]["x0"]) < 0.5 * size \
                and 0 <= out[first]["top"] - out[first - 1]["bottom"] <= 0.6 * size:
            first -= 1
        top = out[first]
        out[first] = {**top, "text": f"{chars[0]['text']} {top['text']}", "x0": chars[0]["x0"],
                      "chars": [chars[0], *top["chars"]]}
    return out


def _is_large_or_bold(line: dict[str, Any], body_size: float) -> bool:
    chars = [ch for ch in line["chars"] if ch["text"].strip()]
    if not chars or not body_size:
        return False
    return statistics.median(ch.get("size", 0) for ch in chars) >= body_size * HEADING_SIZE or \
        all("bold" in (ch.get("fontname") or "").lower() for ch in chars)


def _unwrapped_headings(lines: list[dict[str, Any]], right: float, body_size: float) -> list[dict[str, Any]]:
    """The page's lines with a heading that wrapped joined into one line: a line set large or bold
    whose next line is in the same type, right below it (closer than half a line), and opens with a
    word that would not have fitted at the end of the line before (the right edge: the widest line
    or the mirrored left margin, less half an em of padding). A title over two lines is one title,
    whatever the page width."""
    out: list[dict[str, Any]] = []
    for line in lines:
        before = out[-1] if out else None
        if before is not None and _continues_heading(before, line, right, body_size):
            out[-1] = {**before, "text": f"{before['text']} {line['text']}", "x1": line["x1"],
                       "bottom": line["bottom"], "chars": [*before["chars"], *line["chars"]]}
        else:
            out.append(line)
    return out


def _continues_heading(before: dict[str, Any], line: dict[str, Any], right: float, body_size: float) -> bool:
    if not (_is_large_or_bold(before, body_size) and _is_large_or_bold(line, body_size)):
        return False
    first, second = before["chars"][-1], line["chars"][0]
    size = first.get("size", 0)
    if abs(size - second.get("size", 0)) > 0.5 or first.get("fontname") != second.get("fontname"):
        return False
    gap = line["top"] - before["bottom"]
    if line["top"] < before["top"]:
        return False
    if line["text"][:1].islower() and gap <= size:
        return True   # a heading starts with a capital: a line in lower case goes on with the one above it
    if gap > 0.5 * size:
        return False
    word = line["text"].split(" ", 1)[0]
    word_chars = line["chars"][:len(word)]
    width = (word_chars[-1]["x1"] - word_chars[0]["x0"]) if word_chars else 0
    return bool(before["x1"] + 0.25 * size + width > right - 0.5 * size)    # a writer keeps a little padding


def _drop_running_lines(pages: list[list[PageLine]]) -> list[list[PageLine]]:
    """Remove running heads and feet: a first or last line repeated on many pages."""
    if len(pages) < 3:
        return pages
    edge: Counter[str] = Counter()
    for lines in pages:
        for line in {text for text, *_ in lines[:2] + lines[-2:]}:
            edge[line.strip()] += 1
    running = {text for text, n in edge.items() if text and n >= max(3, len(pages) // 2)}
    return [[line for i, line in enumerate(lines)
             if not (line[0].strip() in running and (i < 2 or i >= len(lines) - 2))] for lines in pages]


# --- DOCX ------------------------------------------------------------------------------------

def read_docx(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise IngestError("DOCX-filen är skadad och kunde inte läsas.", "The DOCX is damaged and could not be read.", 422) from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > DOCX_MAX_UNCOMPRESSED or total / packed > DOCX_MAX_RATIO or len(infos) > 2000:
        raise IngestError("DOCX-filen packas upp till orimligt mycket data och avvisas.",
                          "The DOCX expands to an unreasonable amount of data and is refused.", 413)
    if "word/document.xml" not in {info.filename for info in infos}:
        raise IngestError("Filen är ingen giltig DOCX (word/document.xml saknas).",
                          "The file is not a valid DOCX (word/document.xml is missing).", 422)
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise IngestError("DOCX-filen är skadad och kunde inte läsas.", "The DOCX is damaged and could not be read.", 422) from None
    lines: list[tuple[str, str | None]] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_docx_paragraph_lines(Paragraph(child, document)))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        lines.extend(_docx_paragraph_lines(paragraph))
    text = _joined(lines)
    if looks_binary(text.encode("utf-8", "ignore")) or sum(ch.isalpha() for ch in text) < 20:
        raise IngestError("DOCX-filen innehåller ingen läsbar text.", "The DOCX contains no readable text.", 422)
    return text


def _list_level(paragraph: Any, style: str) -> int:
    """How deep a list paragraph is: its numbering's level (w:ilvl), else the level a list style's
    name ends in ("List Bullet 2" → 1)."""
    numbering = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if numbering is not None and numbering.ilvl is not None and numbering.ilvl.val is not None:
        return int(numbering.ilvl.val)
    level = re.search(r"\s(\d)$", style)
    return int(level.group(1)) - 1 if level else 0


def _docx_paragraph_lines(paragraph: Any) -> list[tuple[str, str | None]]:
    """A paragraph as lines (a soft line break makes two), the first with what its style says:
    Title → title, Heading n → heading, a list style or numbering → item (with a bullet glyph,
    so the text alone still shows it), Normal → paragraph."""
    text = paragraph.text   # a tab stays: it parts the cells of a table row pasted as text (ingest/lines.py)
    if not text.strip():
        return [("", None)]
    style = ((paragraph.style.name if paragraph.style is not None else "") or "").lower()
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if style == "title":
        hint = "title"
    elif style.startswith(HEADING_STYLE):
        hint = "heading"
    elif numbered or any(word in style for word in LIST_STYLE):
        hint = "item"
        if not text.lstrip().startswith("•") and not re.match(r"\s*(?:\d{1,2}|[a-zåäö])[.)]\s", text):
            # a list's second level (Word's "List Bullet 2", or numbering at level 1 and deeper) gets a
            # sub-bullet, so the items under "Båda parter ska" stay under it
            text = ("◦ " if _list_level(paragraph, style) > 0 else "• ") + text.lstrip()
    else:
        hint = "paragraph"
    parts = text.split("\n")
    return [(parts[0], hint), *((part, None) for part in parts[1:])]
