"""Renderings of the five seed agreements in layouts other than gapcheck_variants' one PDF and one
DOCX (issue 14, second protocol: tests/data/gapcheck/PROTOCOL2.md §3): two columns, small and large
type, running heads and page numbers, page breaks inside lists, numbered instead of bulleted lists,
and the reflowed text (one line per paragraph) rendered as a document. Every layout keeps the words
of the text; the gold is that every topic has the status it has for the text.

    python -m tests.eval.gapcheck_layouts --out DIR     # every rendering + DIR/manifest.jsonl
"""
from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
import pyphen
from docx.shared import Pt
from fpdf import FPDF

from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

from .gapcheck_variants import AGREEMENTS as AGREEMENTS_DIR
from .gapcheck_variants import (BULLET_RE, DATA, FONT_DIR, TOPICS, Block, _deterministic_zip, _item_text, _pdf_text, blocks,
                                prepared, prepared_docx, reflow, split_of)

AGREEMENTS = ("stockholm-vasterort", "sormland", "vastra-gotaland", "uppsala", "vastmanland")
#: documents written for tuning (no split: every one of them is development material), rendered beside the seeds
CONSTRUCTED = ("constructed", "constructed-kinds", "newuser")


def _documents() -> dict[str, Path]:
    """The seeds by key, the constructed drafts and the development drafts and agreements of other
    kinds by "<folder>/<name>" (a held-out one is never listed)."""
    out = {key: AGREEMENTS_DIR / f"{key}.txt" for key in AGREEMENTS}
    for folder in (*CONSTRUCTED, "drafts", "other-kinds"):
        for gold in sorted((DATA / folder).glob("*.gold.json")):
            meta = json.loads(gold.read_text(encoding="utf-8"))
            if folder in CONSTRUCTED or meta.get("split") == "dev":
                out[f"{folder}/{gold.name.removesuffix('.gold.json')}"] = DATA / folder / meta["file"]
    return out


DOCUMENTS = _documents()


@dataclass(frozen=True)
class Layout:
    """How one rendering sets the text."""
    fmt: str                  # "pdf" | "docx"
    size: float = 10          # body type, points
    columns: int = 1
    running: bool = False     # a running head (the title) and a page number in every page's foot
    numbered: bool = False    # bulleted items become a numbered list (1., 2., … per list)
    reflowed: bool = False    # the text reflowed to one line per paragraph before it is set
    break_in_lists: bool = False   # a page break after the first item of every third list
    hyphenated: bool = False  # words that do not fit a line are hyphenated at its end (Swedish patterns)
    pasted: bool = False      # the hyphenated lines joined again with a space ("avta- let" inside a line)
    plain_headings: bool = False   # headings set in body type: found by number and place, not by size
    # session 15: other typography (PROTOCOL2 §13)
    font: str = "sans"        # "sans" | "serif" | "condensed" (DejaVu Sans, Serif, Sans Condensed)
    justified: bool = False   # body text justified (the space between words stretched), not ragged
    landscape: bool = False   # A4 turned on its side
    letterhead: bool = False  # the parties' logos' text, a reference number and "Sid N (M)" at every
                              # page's head, the sender's address at every page's foot
    footnote: bool = False    # a footnote at the foot of the first page, its number after the title
    numbered_headings: bool = False   # headings in body type and bold, numbered "1", "1.1" when unnumbered
    tables: bool = False      # every list set as a ruled table: the marker in one cell, the item in the next


LAYOUTS: dict[str, Layout] = {
    "pdf-two-columns": Layout("pdf", size=9, columns=2, running=True),
    "pdf-small-type": Layout("pdf", size=7.5, running=True, break_in_lists=True),
    "pdf-large-type": Layout("pdf", size=13, numbered=True),
    "pdf-reflowed": Layout("pdf", size=10, reflowed=True, running=True),
    "docx-numbered": Layout("docx", size=9, numbered=True, running=True),
    "docx-two-columns": Layout("docx", size=12, columns=2, running=True, break_in_lists=True),
    "docx-reflowed": Layout("docx", size=11, reflowed=True),
    # session 13: hyphenation at line ends, text pasted from a hyphenated PDF, headings in body type
    "pdf-hyphenated": Layout("pdf", size=10, running=True, hyphenated=True),
    "pdf-pasted": Layout("pdf", size=10, pasted=True),
    "pdf-plain-headings": Layout("pdf", size=10, plain_headings=True),
    # session 15: other fonts and sizes, justified text, letterheads, footnotes, tables, landscape pages
    "pdf-serif-justified": Layout("pdf", size=11, font="serif", justified=True, letterhead=True),
    "pdf-landscape-columns": Layout("pdf", size=9.5, font="condensed", columns=2, justified=True, landscape=True,
                                    running=True),
    "pdf-numbered-headings": Layout("pdf", size=10, font="serif", numbered_headings=True, justified=True,
                                    footnote=True),
    "pdf-tables": Layout("pdf", size=10, letterhead=True, tables=True),
    "pdf-condensed-small": Layout("pdf", size=8, font="condensed", justified=True, footnote=True, letterhead=True),
}

#: the DejaVu faces each layout's `font` names (regular, bold)
FACES = {"sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
         "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
         "condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")}
#: what a letterhead prints: the logos' text at the head, the sender's address at the foot
LOGOS = "KOMMUNERNA I LÄNET  ·  REGIONEN"
REFERENCE = "Dnr 2026/0412"
ADDRESS = "Postadress: Box 602, 721 26 Västerås  ·  Besöksadress: Storgatan 1  ·  Telefon: 021-17 30 00  ·  www.exempel.se"
FOOTNOTE = "Dokumentet finns även i en tillgänglighetsanpassad version på parternas webbplatser."


#: Swedish hyphenation patterns (LibreOffice's hyph_sv, Liang's algorithm), as a typesetter breaks words
_HYPHENATOR = pyphen.Pyphen(lang="sv_SE")


def _hyphenated_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """The text wrapped to `width` (mm, in the current font) as a typesetter that hyphenates does it:
    a word that does not fit is broken at the longest of its hyphenation points that fits, with a hyphen
    at the line's end; a word already holding a hyphen is broken only there."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if pdf.get_string_width(candidate) <= width:
            line = candidate
            continue
        rest = width - pdf.get_string_width(f"{line} " if line else "")
        pairs = [] if "-" in word else list(_HYPHENATOR.iterate(word))
        first = next(((a, b) for a, b in pairs if a[-1:].isalpha() and pdf.get_string_width(a + "-") <= rest), None)
        if first is not None:
            lines.append(f"{line} {first[0]}-" if line else f"{first[0]}-")
            line = first[1]
        else:
            if line:
                lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _numbered(items: list[Block]) -> list[tuple[Block, str]]:
    """Each item with the label a numbered list gives it: bulleted items of one list 1., 2., …; an
    enumerated item keeps its own marker."""
    out, count, last_level = [], 0, 0
    for block in items:
        if block.kind != "item":
            count, last_level = 0, 0
            out.append((block, ""))
            continue
        if block.marker and not BULLET_RE.match(block.text):
            out.append((block, block.marker))
            continue
        if block.level != last_level:
            count = 0 if block.level > last_level or last_level == 0 else count
        count += 1
        last_level = block.level
        label = f"{count}." if block.level == 1 else f"{chr(ord('a') + (count - 1) % 26)})"
        out.append((block, label))
    return out


#: a heading that carries its own number ("3", "3.1", "6.10", "IV.")
_NUMBERED_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s")


def _heading_numbers(found: list[Block]) -> list[Block]:
    """Headings numbered as a word processor numbers them ("1", "1.1") when the text gives them no
    number; the title (level 0), a heading with its own number, a table row (cells apart by a tab:
    no heading) and a sub-heading before the first heading (the title page's lines) keep their text."""
    out, counts = [], [0, 0]
    for block in found:
        if block.kind == "heading" and block.level >= 1 and not _NUMBERED_HEADING.match(block.text) \
                and "\t" not in block.text and (block.level == 1 or counts[0]):
            if block.level == 1:
                counts = [counts[0] + 1, 0]
                label = f"{counts[0]}"
            else:
                counts[1] += 1
                label = f"{counts[0]}.{counts[1]}"
            block = Block(block.kind, f"{label} {block.text}", block.level, block.marker)
        out.append(block)
    return out


def _body(block: Block) -> str:
    if block.marker and not BULLET_RE.match(block.text):
        return block.text[len(block.marker):].lstrip()
    return _item_text(block)


def _source(key: str, layout: Layout) -> str:
    text = DOCUMENTS[key].read_text(encoding="utf-8")
    return reflow(text) if layout.reflowed else text


class _Paged(FPDF):
    """An A4 page with, when asked, the title at the head and "Sida N av M" at the foot; or a
    letterhead (logos' text and reference at the head, address and "Sid N (M)" at the foot); or a
    footnote at the foot of the first page."""

    def __init__(self, running_title: str, layout: Layout):
        super().__init__(orientation="L" if layout.landscape else "P", format="A4")
        self.running_title, self.layout, self.size = running_title, layout, layout.size
        self.running = layout.running

    def header(self) -> None:
        if self.layout.letterhead:
            self.set_font("DejaVu", "B", max(6.0, self.size - 1))
            self.cell(0, 4, LOGOS, align="L")
            self.set_font("DejaVu", "", max(6.0, self.size - 2))
            self.set_x(self.l_margin)
            self.cell(0, 4, f"{REFERENCE}   Sid {self.page_no()} ({{nb}})", align="R")
            self.ln(8)
        elif self.running and self.page_no() > 1:
            self.set_font("DejaVu", "", max(6.0, self.size - 2))
            self.cell(0, 4, _pdf_text(self.running_title), align="R")
            self.ln(6)

    def footer(self) -> None:
        small = max(6.0, self.size - 3)
        if self.layout.footnote and self.page_no() == 1:
            self.set_y(-24)
            self.line(self.l_margin, self.get_y(), self.l_margin + 50, self.get_y())
            self.set_font("DejaVu", "", small)
            self.multi_cell(0, 3.5, f"1 {FOOTNOTE}", align="L")
        if self.layout.letterhead:
            self.set_y(-14)
            self.set_font("DejaVu", "", small)
            self.cell(0, 3.5, ADDRESS, align="C")
        elif self.running:
            self.set_y(-12)
            self.set_font("DejaVu", "", max(6.0, self.size - 2))
            self.cell(0, 4, f"Sida {self.page_no()} av {{nb}}", align="C")


def to_pdf(key: str, layout: Layout) -> bytes:
    text = _source(key, layout)
    pdf = prepared(_Paged(key, layout), key, "vemgorvad gapcheck_layouts", side=18)
    if layout.font != "sans":   # the layout's face replaces DejaVu Sans under the same family name
        regular, bold = FACES[layout.font]
        pdf.fonts.pop("dejavu", None)
        pdf.fonts.pop("dejavuB", None)
        pdf.add_font("DejaVu", "", str(FONT_DIR / regular))
        pdf.add_font("DejaVu", "B", str(FONT_DIR / bold))
    if layout.letterhead or layout.footnote:
        pdf.set_auto_page_break(True, margin=28)
    pdf.alias_nb_pages()
    pdf.add_page()
    line = layout.size * 0.5
    found = blocks(text)
    if layout.numbered_headings:
        found = _heading_numbers(found)
    labelled = _numbered(found) if layout.numbered else [(b, "") for b in found]
    if layout.columns > 1:
        _pdf_columns(pdf, labelled, layout, line)
    else:
        _pdf_flow(pdf, labelled, layout, line)
    return bytes(pdf.output())


def _set(pdf: FPDF, text: str, layout: Layout, line: float) -> None:
    """Body text from the current x to the right margin, hyphenated or pasted as the layout says."""
    rows = "\t" in text    # a table row keeps its cells apart, unbroken
    text = _pdf_text(text)
    if (layout.hyphenated or layout.pasted) and not rows:
        lines = _hyphenated_lines(pdf, text, pdf.w - pdf.r_margin - pdf.get_x() - 2 * pdf.c_margin - 0.5)
        text = " ".join(lines) if layout.pasted else "\n".join(lines)
    pdf.multi_cell(0, line, text, align="J" if layout.justified and not rows else "L")


def _table(pdf: FPDF, rows: list[tuple[Block, str]], layout: Layout, line: float) -> None:
    """A list as a ruled table: each item a row, its marker (or number) in a narrow cell, its text in
    the next; a sub-item's marker cell holds its marker further in."""
    pdf.set_font("DejaVu", "", layout.size)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    with pdf.table(col_widths=(10, width - 10), width=width, first_row_as_headings=False,
                   line_height=line, text_align=("CENTER", "LEFT"), padding=1) as table:
        for block, label in rows:
            if not label:
                label = "•" if block.marker == "" or BULLET_RE.match(block.text) else block.marker
            if block.level > 1:
                label = f"  {label}"
            row = table.row()
            row.cell(_pdf_text(label))
            row.cell(_pdf_text(_body(block)))
    pdf.ln(2)


def _pdf_flow(pdf: FPDF, labelled: list[tuple[Block, str]], layout: Layout, line: float) -> None:
    lists_seen, first_item = 0, True
    pending: list[tuple[Block, str]] = []    # the items of a list set as a table, until the list ends
    for index, (block, label) in enumerate(labelled):
        pdf.set_x(pdf.l_margin)
        if layout.tables and block.kind == "item":
            pending.append((block, label))
            if index + 1 == len(labelled) or labelled[index + 1][0].kind != "item":
                _table(pdf, pending, layout, line)
                pending = []
            continue
        if block.kind == "heading" and block.level == 0 and layout.footnote:
            pdf.set_font("DejaVu", "B", layout.size + 5)
            pdf.multi_cell(0, line + 1.5, _pdf_text(block.text) + " 1", align="L")
            pdf.ln(1)
        elif block.kind == "heading" and layout.numbered_headings:
            first_item = True
            pdf.ln(1.5)
            pdf.set_font("DejaVu", "B", layout.size)
            pdf.multi_cell(0, line, _pdf_text(block.text), align="L")
            pdf.ln(1)
        elif block.kind == "heading" and layout.plain_headings:
            first_item = True
            pdf.set_font("DejaVu", "", layout.size)
            pdf.multi_cell(0, line, _pdf_text(block.text), align="L")
            pdf.ln(1.5)
        elif block.kind == "heading":
            first_item = True
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", layout.size + {0: 5, 1: 3}.get(block.level, 1))
            pdf.multi_cell(0, line + 1.5, _pdf_text(block.text), align="L")
            pdf.ln(1)
        elif block.kind == "item":
            pdf.set_font("DejaVu", "", layout.size)
            indent = 6 if block.level == 1 else 12
            if not label:
                label = "•" if block.marker == "" or BULLET_RE.match(block.text) else block.marker
            width = pdf.get_string_width(label) + 2
            pdf.set_x(pdf.l_margin + indent - 4)
            pdf.cell(width, line, _pdf_text(label))
            pdf.set_x(pdf.l_margin + indent - 4 + max(width, 5))
            _set(pdf, _body(block), layout, line)
            if first_item:
                lists_seen += 1
                if layout.break_in_lists and lists_seen % 3 == 0:
                    pdf.add_page()
            first_item = False
        else:
            first_item = True
            pdf.set_font("DejaVu", "", layout.size)
            _set(pdf, block.text, layout, line)
            pdf.ln(1.5)
    if pending:
        _table(pdf, pending, layout, line)


def _pdf_columns(pdf: FPDF, labelled: list[tuple[Block, str]], layout: Layout, line: float) -> None:
    align = "JUSTIFY" if layout.justified else "LEFT"
    with pdf.text_columns(ncols=layout.columns, gutter=8, text_align=align, line_height=1.2) as cols:
        for block, label in labelled:
            if block.kind == "heading":
                pdf.set_font("DejaVu", "B", layout.size + {0: 4, 1: 2}.get(block.level, 1))
                cols.write(text=_pdf_text(block.text))
                cols.ln()
                pdf.set_font("DejaVu", "", layout.size)
            elif block.kind == "item":
                pdf.set_font("DejaVu", "", layout.size)
                if not label:
                    label = "•" if block.marker == "" or BULLET_RE.match(block.text) else block.marker
                cols.write(text=_pdf_text(("    " if block.level > 1 else "") + f"{label} {_body(block)}"))
                cols.ln()
            else:
                pdf.set_font("DejaVu", "", layout.size)
                cols.write(text=_pdf_text(block.text))
                cols.ln()
                cols.ln()


def _page_field(paragraph) -> None:  # type: ignore[no-untyped-def]
    """A PAGE field, as Word's "Sida 3" footer holds it."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def to_docx(key: str, layout: Layout) -> bytes:
    text = _source(key, layout)
    document = prepared_docx(key, "vemgorvad gapcheck_layouts")
    document.styles["Normal"].font.size = Pt(layout.size)
    section = document.sections[0]
    if layout.columns > 1:
        cols = section._sectPr.xpath("./w:cols")
        element = cols[0] if cols else OxmlElement("w:cols")
        element.set(qn("w:num"), str(layout.columns))
        element.set(qn("w:space"), "425")
        if not cols:
            section._sectPr.append(element)
    if layout.running:
        section.header.paragraphs[0].text = key
        foot = section.footer.paragraphs[0]
        foot.add_run("Sida ")
        _page_field(foot)
    lists_seen, first_item = 0, True
    for block in blocks(text):
        if layout.reflowed:   # pasted text: every line a plain paragraph, as typed
            document.add_paragraph(block.text)
            continue
        if block.kind == "heading":
            first_item = True
            document.add_heading(block.text, level=block.level)
        elif block.kind == "item":
            enumerated = bool(block.marker) and not BULLET_RE.match(block.text)
            if layout.numbered and not enumerated:
                style = "List Number" if block.level == 1 else "List Number 2"
            else:
                style = "List Bullet" if block.level == 1 else "List Bullet 2"
            if enumerated:
                document.add_paragraph(block.text, style="List Paragraph")
            else:
                document.add_paragraph(_item_text(block), style=style)
            if first_item:
                lists_seen += 1
                if layout.break_in_lists and lists_seen % 3 == 0:
                    document.add_section(WD_SECTION.NEW_PAGE)
            first_item = False
        else:
            first_item = True
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic_zip(buffer.getvalue())


RENDER: dict[str, Callable[[str, Layout], bytes]] = {"pdf": to_pdf, "docx": to_docx}


def layout_ids(keys: tuple[str, ...] = AGREEMENTS) -> list[str]:
    return [f"layout:{key}:{name}" for key in keys for name in LAYOUTS]


def document_ids() -> list[str]:
    """The renderings of the drafts and agreements of other kinds (not the seeds)."""
    return layout_ids(tuple(k for k in DOCUMENTS if k not in AGREEMENTS))


def build(layout_id: str) -> tuple[str, bytes]:
    _, key, name = layout_id.split(":")
    layout = LAYOUTS[name]
    return f"{key.replace('/', '-')}.{name}.{layout.fmt}", RENDER[layout.fmt](key, layout)


def manifest(split: str | None = None) -> list[dict]:
    return [{"id": lid, "source": lid.split(":")[1], "split": split_of(lid), "same_statuses_as": lid.split(":")[1]}
            for lid in layout_ids() if split is None or split_of(lid) == split]


def score(layout_names: list[str], keys: list[str] | None = None) -> list[tuple[str, list[str]]]:
    """Every development rendering in the named layouts (of every document, or of `keys`) against its
    text, in process (the check's topic statuses, no peers): each rendering with the topics whose status
    differs ("topic: text → rendering"). A held-out rendering is never built."""
    peers = Peers({}, {t: t for t in TOPICS})
    statuses = lambda data, name: {t["topic"]: t["status"] for t in check(data, name, peers)["topics"]}
    texts: dict[str, dict[str, str]] = {}
    out = []
    for lid in layout_ids(tuple(keys or DOCUMENTS)):
        key, name = lid.split(":")[1:]
        if name not in layout_names or split_of(lid) != "dev":
            continue
        if key not in texts:
            texts[key] = statuses(DOCUMENTS[key].read_bytes(), "text.txt")
        got = statuses(*reversed(build(lid)))
        out.append((lid, [f"{t}: {s} → {got.get(t)}" for t, s in texts[key].items() if got.get(t) != s]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--split", choices=("dev", "heldout"))
    parser.add_argument("--score", nargs="+", metavar="LAYOUT", choices=sorted(LAYOUTS),
                        help="score the development renderings in these layouts against their texts")
    parser.add_argument("--key", action="append", help="only this document (repeatable; with --score)")
    args = parser.parse_args(argv)
    if args.score:
        rows = score(args.score, args.key)
        for lid, differing in rows:
            print(f"{lid} {len(differing)}" + "".join(f"\n    {d}" for d in differing))
        print(f"renderings {len(rows)}  differing topics {sum(len(d) for _, d in rows)}")
        return 0
    if args.out is None:
        parser.error("--out or --score is needed")
    args.out.mkdir(parents=True, exist_ok=True)
    for row in manifest(args.split):
        name, data = build(row["id"])
        (args.out / name).write_bytes(data)
        print(name, len(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
