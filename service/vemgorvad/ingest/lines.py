"""Physical lines of the raw text, and the page furniture among them: URLs repeated at page
ends, page numbers, running heads, footnotes. Furniture never reaches the normalised text."""
from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from .document import Footnote
from .layout import layout

URL_LINE = re.compile(r"^(?:\d{1,2})?(?:https?://|www\.)\S*$", re.I)
URL_TAIL = re.compile(r"^[\w./?&=%#:~+-]+$")
FOOTNOTE_START = re.compile(r"^(\d{1,2})(?:\s+|(?=[A-ZÅÄÖa-zåäö(])|$)(\S.*)?$")
GLUED_FOOTNOTE = re.compile(r"^(\d{1,2})(?=[A-ZÅÄÖ]|https?:)")
# "12. Tvister", "10.6 Hjälpmedel": a numbered heading, never a footnote's continuation
# a row of a table pasted as text: cells apart by tabs, the first a word of at least three characters
# (a list marker with a tab after it, "\uf0b7\t", "o\t", "1.\t", "10.6\t", is no cell)
TABLE_ROW = re.compile(r"^(?=[^\t]*[^\W\d_])[^\t]{3,}\t+\S")
STRONG_LINE = re.compile(r"^(\*\*|__)(?=\S)(?:(?!\1).)+(?<=\S)\1$")
NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.\s+[A-ZÅÄÖ]|^\d{1,2}(?:\.\d{1,2}){1,3}\s+[A-ZÅÄÖ]")


@dataclass
class Line:
    start: int        # raw offset of the first non-space character
    end: int          # raw offset after the last non-space character
    text: str         # the line without surrounding whitespace
    indent: int       # leading spaces
    kind: str = "content"  # content | blank | separator | url | page | running | footnote | pagebreak
    kept: list[int] | None = None  # raw position (from start) of each char of text, when cleaning dropped some
    hint: str | None = None   # what the reader knew of it: title | heading | item | paragraph (Source.hints)
    row: bool = False  # a row of a table pasted as text (TABLE_ROW): never a heading
    fill: bool | None = None  # a PDF's line set out to its column's edge (True) or ended short (False): Source.fills
    stretched: bool = False   # a PDF's line whose spaces justification widened (Source.stretched)

    @property
    def furniture(self) -> bool:
        return self.kind not in ("content", "blank")

    def raw_offset(self, k: int) -> int:
        """The raw offset of text[k] (text is shorter than the raw line when soft hyphens went)."""
        return self.start + (self.kept[k] if self.kept is not None else k)


def split_lines(raw: str) -> list[Line]:
    hints = getattr(raw, "hints", None) or {}
    fills = getattr(raw, "fills", None) or {}
    stretched = getattr(raw, "stretched", None) or frozenset()
    lines, pos = [], 0
    for piece in re.split(r"(\r\n|\n|\r|\f)", raw):
        if piece in ("\r\n", "\n", "\r"):
            pos += len(piece)
            continue
        if piece == "\f":
            lines.append(Line(pos, pos, "", 0, "pagebreak"))
            pos += 1
            continue
        stripped = piece.strip()
        indent = len(piece) - len(piece.lstrip())
        if not stripped:
            kind = "separator" if len(piece) >= layout().footnote_separator_min_spaces else "blank"
            lines.append(Line(pos, pos + len(piece), "", indent, kind))
        else:
            start = pos + indent
            markers = _emphasis(stripped)
            if markers or "\u00ad" in stripped:
                kept = [k for k, ch in enumerate(stripped) if ch != "\u00ad" and k not in markers]
                cleaned = _clean("".join(stripped[k] for k in kept))
            else:
                cleaned, kept = _clean(stripped), None
            row = bool(TABLE_ROW.match(stripped))
            hint = hints.get(pos)
            # a table's row is a row, whatever its type: a header row set in bold, or a row a writer
            # styled as a heading, is no heading of the text (its cells are read as the text's are)
            lines.append(Line(start, start + len(stripped), cleaned, indent, kept=kept,
                              hint=None if row and hint in ("heading", "title") else hint, row=row,
                              fill=fills.get(pos), stretched=pos in stretched))
        pos += len(piece)
    return lines


def _emphasis(text: str) -> set[int]:
    """The positions of Markdown's strong-emphasis markers around a whole line ("**Parter**",
    "__Målgrupp__"), as a draft pasted from a Markdown editor or a chat has them: the line's words
    are its text, the markers typography."""
    m = STRONG_LINE.match(text)
    if m is None:
        return set()
    width = len(m.group(1))
    return set(range(width)) | set(range(len(text) - width, len(text)))


def _clean(text: str) -> str:
    """Whitespace look-alikes become spaces, soft hyphens go (Line.kept maps the rest back to the
    raw text); runs of spaces collapse later."""
    return text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")


def mark_furniture(lines: list[Line]) -> dict[str, Footnote]:
    """Classify furniture in place and return the footnotes found, by number."""
    _mark_urls(lines)
    for i, line in enumerate(lines):
        if line.kind == "content" and layout().page_number.match(line.text) and _is_isolated(lines, i):
            line.kind = "page"
    footnotes = _mark_footnotes(lines)
    footnotes.update(_mark_unseparated_footnotes(lines, footnotes))
    _mark_running_lines(lines)
    return footnotes


def _mark_urls(lines: list[Line]) -> None:
    previous_url = False
    for line in lines:
        if line.kind != "content":
            if line.kind != "blank":
                previous_url = False
            continue
        if URL_LINE.match(line.text) or (previous_url and _url_tail(line.text)):
            line.kind = "url"
            previous_url = True
        else:
            previous_url = False


def _url_tail(text: str) -> bool:
    """The rest of an address wrapped onto the next line: one piece, or pieces an export split
    with a space where the address wrapped ("level=&download=0&se lection=LUL/VIS"), each of them
    then address-like ("=", "&", "/", "?" or "%": never a word of a sentence)."""
    if len(text) > 100 or not URL_TAIL.match(text.replace(" ", "")):
        return False
    pieces = text.split(" ")
    if len(pieces) == 1:
        return any(ch in text for ch in "/.=_-")
    return all(any(ch in piece for ch in "=&/?%") for piece in pieces)


def _is_isolated(lines: list[Line], i: int) -> bool:
    """A bare number is a page number unless it continues a sentence (e.g. "… är \n 18 år")."""
    prev = next((l for l in reversed(lines[:i]) if l.kind == "content"), None)
    return prev is None or not prev.text or prev.text[-1] in ".:;!?)" or not prev.text[-1].isalpha() \
        or len(prev.text) < 40


def _mark_footnotes(lines: list[Line]) -> dict[str, Footnote]:
    """Footnotes follow a long run of spaces (the separator rule) until the next page starts
    (a line indented again); a line that starts with a number glued to a word is one too."""
    footnotes: dict[str, Footnote] = {}
    current: Footnote | None = None
    in_region = False
    prev_bare_number = False
    for line in lines:
        if line.kind == "separator":
            in_region, current, prev_bare_number = True, None, False
            continue
        if line.kind in ("blank", "pagebreak"):
            if line.kind == "pagebreak":
                in_region = False
            continue
        if in_region:
            if line.indent > 0 and not prev_bare_number and current is not None:
                in_region = False  # the next page begins
            elif line.kind in ("content", "url", "page"):
                match = FOOTNOTE_START.match(line.text)
                if match and (current is None or int(match.group(1)) == int(current.number) + 1
                              or line.kind == "page"):
                    current = Footnote(match.group(1), (match.group(2) or "").strip(), line.start, line.end)
                    footnotes[current.number] = current
                    prev_bare_number = match.group(2) is None
                elif current is not None and NUMBERED_HEADING.match(line.text) \
                        and len(line.text) <= layout().max_heading_chars:
                    in_region = False  # the text resumes with a heading right after the footnotes
                elif current is not None:
                    current.text = (current.text + " " + line.text).strip()
                    current.raw_end = line.end
                    prev_bare_number = False
                else:
                    in_region = False  # no footnote after the separator: an ordinary line
                if in_region:
                    line.kind = "footnote"
                    continue
        if line.kind == "url" and (glued := GLUED_FOOTNOTE.match(line.text)):
            # a note that is only an address, its number glued on ("15http://…"): the note, and
            # the lines that wrap the address stay addresses
            footnotes.setdefault(glued.group(1), Footnote(glued.group(1), line.text[glued.end():], line.start, line.end))
            line.kind = "footnote"
            continue
        match = GLUED_FOOTNOTE.match(line.text) if line.kind == "content" else None
        if match:
            current = Footnote(match.group(1), line.text[match.end():].strip(), line.start, line.end)
            footnotes.setdefault(current.number, current)
            line.kind = "footnote"
            in_region = True
            prev_bare_number = False
    return footnotes


# a footnote marker glued to the end of a word or sentence: "närvård7.", "områden.6", "anhöriga29 och"
# (after a letter, or a letter and a stop: "1.3" and "4.2 och 4.3" are section numbers, not markers)
GLUED_MARKER = re.compile(r"(?:(?<=[A-Za-zÅÄÖåäöé)”])|(?<=[A-Za-zÅÄÖåäöé)”][.,;:]))(\d{1,2})(?=[\s.,;:)]|$)")
# a marker between two words with no space on either side ("enligt avtal9vilar på"): the superscript
# lost its spacing in the export; lower-case letters on both sides, so "F10a" or "SOSFS2011" are none
INNER_MARKER = re.compile(r"(?<=[a-zåäöé]{2})(\d{1,2})(?=[a-zåäöé]{2})")
# a footnote's own line: its number, a space, and a text that opens like a note ("3 Barnkonventionen …",
# "10 2 g§ HSL …"), never a numbered heading's dot ("3. Syfte") nor a sentence's "3 kap."
UNSEPARATED_START = re.compile(r"^(\d{1,2}) (?=[A-ZÅÄÖÉ0-9])\S")


def _mark_unseparated_footnotes(lines: list[Line], found: dict[str, Footnote]) -> dict[str, Footnote]:
    """Footnotes a reader gave as ordinary lines, with no separator before them (a PDF whose notes
    are set in body type, a text pasted from one): a line that opens with a number the text has
    already glued to a word as a marker ("… närvård7." … "7 Inriktning av närvårdsutveckling …"),
    or the next number right after such a footnote, higher than every footnote before it; a line right after it that opens with a digit or a
    lower-case letter continues it when its last line ran to the full width (it wrapped)."""
    first_marker: dict[str, int] = {}
    widths = sorted(len(line.text) for line in lines if line.kind == "content" and len(line.text) > 20)
    full = 0.8 * widths[len(widths) // 2] if widths else 60
    for i, line in enumerate(lines):
        if line.kind == "content":
            for m in (*GLUED_MARKER.finditer(line.text), *INNER_MARKER.finditer(line.text)):
                first_marker.setdefault(str(int(m.group(1))), i)
    footnotes: dict[str, Footnote] = {}
    last = 0
    current: Footnote | None = None
    previous: Line | None = None
    for i, line in enumerate(lines):
        if line.kind == "footnote":
            note = FOOTNOTE_START.match(line.text)
            if note and line.text[:len(note.group(1))] in found:
                last = max(last, int(note.group(1)))
            current, previous = None, line
            continue
        if line.kind != "content":
            if line.kind != "blank":
                current = None
            continue
        start = UNSEPARATED_START.match(line.text)
        number = str(int(start.group(1))) if start else ""
        marked = first_marker.get(number, len(lines)) < i
        following = previous is not None and previous.kind == "footnote" and int(number or 0) == last + 1
        leading = bool(start) and int(number) == last + 1 and _leads_to_marked(lines, i, int(number) + 1, first_marker)
        if start and number not in found and int(number) > last and (marked or following or leading) \
                and not NUMBERED_HEADING.match(line.text):
            current = Footnote(number, line.text[start.end(1):].strip(), line.start, line.end)
            footnotes[number] = current
            last = int(number)
            line.kind = "footnote"
        elif current is not None and previous is not None and len(previous.text) >= full and not start \
                and (line.text[0].isdigit() or line.text[0].islower()) and not NUMBERED_HEADING.match(line.text):
            current.text = f"{current.text} {line.text}"
            current.raw_end = line.end
            line.kind = "footnote"
        else:
            current = None
        previous = line
    return footnotes


def _leads_to_marked(lines: list[Line], i: int, number: int, first_marker: dict[str, int]) -> bool:
    """Whether the next line after line i that is not blank opens footnote `number` — its number,
    a space, a note's text — whose marker the text holds before it: the note at i is then the one
    before it in the same run of notes, though the text spaced its own marker like a word
    ("… beroendevård 25 (RIM)" … "25 Länsövergripande …" / "26 Förskrivningsprocessen …"). Lines
    between them that open in lower case continue the first note (it wrapped)."""
    following = (line for line in lines[i + 1:] if line.kind != "blank")
    for after in itertools.islice(following, 3):   # the note may wrap onto a line or two first
        if after.kind != "content":
            return False
        start = UNSEPARATED_START.match(after.text)
        if start:
            return int(start.group(1)) == number and first_marker.get(str(number), len(lines)) < i \
                and not NUMBERED_HEADING.match(after.text)
        if not after.text[:1].islower():
            return False    # a line that does not continue the note ends the run
    return False


def _mark_running_lines(lines: list[Line]) -> None:
    """Short lines repeated three or more times without punctuation are running heads or feet;
    so are page numbers in words ("Sida 2 av 9"), which repeat once their digits are ignored, and a
    row of cells that ends in the page's number out of the pages (a letterhead)."""
    counts = Counter(line.text for line in lines if line.kind == "content")
    page_forms = Counter(_digits_ignored(line.text) for line in lines
                         if line.kind == "content" and _page_number_in_words(line.text))
    bullets = tuple(g + " " if g.isascii() else g for g in layout().bullets)   # "o " is a bullet, "om" no
    for line in lines:
        if line.kind != "content":
            continue
        if (counts[line.text] >= 3 and len(line.text) <= 80
                and line.text[-1] not in ".:;!?" and not line.text.startswith(bullets)):
            line.kind = "running"
        elif _page_furniture(line, page_forms):
            line.kind = "page"


def _page_furniture(line: Line, page_forms: Counter[str]) -> bool:
    """A page number in words, repeated or out of the pages ("Sida 2 av 9"), or a row of cells that
    ends in the page out of the pages (a letterhead)."""
    if _page_number_in_words(line.text):
        return page_forms[_digits_ignored(line.text)] >= 3 or _of_pages(line.text)
    return line.row and _ends_in_page_of_pages(line.text)


def _of_pages(text: str) -> bool:
    """"Sida 1 av 2", "2 av 9": a page's number out of the document's pages is one even where a short
    document prints it too seldom to repeat — as long as the page is one of the pages."""
    match = layout().page_of_pages.match(text)
    return match is not None and 0 < int(match.group("page")) <= int(match.group("pages"))


def _ends_in_page_of_pages(text: str) -> bool:
    """A row of a page's head or foot — the logos' text, a reference number, the page: "KOMMUNERNA I
    LÄNET · REGIONEN<tab>Dnr 2026/0412 Sid 1 (4)" — ends in the page's number out of the pages."""
    words = text.split()
    return any(_of_pages(" ".join(words[-n:])) for n in (2, 3, 4) if len(words) > n)


def _page_number_in_words(text: str) -> bool:
    return bool(layout().page_number.match(text)) and not text.isdigit()


def _digits_ignored(text: str) -> str:
    return re.sub(r"\d+", "#", text)
