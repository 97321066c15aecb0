"""Evaluation material for the gap check (`POST /api/check`, issue 14): ablations, layout variants
and renderings of the five seed agreements, generated deterministically from their texts and from
the annotated passages in tests/data/gapcheck/passages.jsonl. See tests/data/gapcheck/PROTOCOL.md.

    python -m tests.eval.gapcheck_variants --check         # verify passages, splits, variants; exit 1 on a fault
    python -m tests.eval.gapcheck_variants --out DIR       # write every variant and DIR/manifest.jsonl (gold)
    python -m tests.eval.gapcheck_variants --show ID       # print one text variant (e.g. ablation:uppsala:tvister)

Kinds of variant (each has its gold in the manifest):
- ablation:<agreement>:<topic> — every passage that regulates the topic cut out (whole sentences and
  list items); gold: the topic is not `covered`, every other topic keeps its original status (except
  the case's `collateral` topics).
- variant:<agreement>:reflow — one line per paragraph, no blank lines; only whitespace changes.
- variant:<agreement>:region — "landsting" renamed "region" in all inflections (URLs untouched).
- variant:<agreement>:docx / :pdf — renderings with headings as headings and list items as list
  paragraphs (DOCX) or indented bullets (PDF, DejaVu Sans).
Gold for the variants: the same topic statuses as the original text.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import itertools
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pdfplumber
from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "gapcheck"
PASSAGES = DATA / "passages.jsonl"
STATUSES = DATA / "statuses.jsonl"
DRAFTS = DATA / "drafts"
OTHER_KINDS = DATA / "other-kinds"
AGREEMENTS = ROOT / "data" / "agreements"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
SEED = "gapcheck-20261204"
HELD_OUT_PERCENT = 50
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

TOPICS = (  # the topic keys of ../shared/CONTRACT.md
    "parter", "malgrupp_psykisk_funktionsnedsattning", "malgrupp_missbruk", "malgrupp_barn_unga",
    "malgrupp_aldre", "syfte_mal", "ansvar_kommun", "ansvar_region", "gemensamt_ansvar", "sip",
    "utskrivning_slutenvard", "tvangsvard_lpt_lrv", "placering_hvb", "kostnadsfordelning",
    "hjalpmedel", "boende", "sysselsattning_arbete", "anhorigstod", "barn_som_anhoriga",
    "orosanmalan_barn", "sekretess_samtycke", "brukarinflytande", "samverkansorganisation",
    "avvikelser", "tvister", "uppfoljning", "giltighetstid", "implementering",
    "kompetensutveckling", "suicidprevention", "samsjuklighet", "tandvard",
    "lakemedelsassisterad_behandling", "spel_om_pengar", "lvm",
)
STATUS_VALUES = ("covered", "referenced", "mentioned", "missing")
CASE_KINDS = ("target_group", "area", "governance")
REG_CLASSES = ("obligation", "recommendation", "permission", "rule", "scope")
VARIANT_KINDS = ("reflow", "region", "docx", "pdf")

# A list marker: a bullet glyph (private-use glyphs are what PDF symbol fonts become), a dash
# followed by a space, or an enumerator "1)", "a)", "1.".
GLYPHS = "\u2022\u25aa\u25cf\u2023\u2043\uf0b7\uf0a7\uf076\uf0d8"
GLYPH_RE = re.compile(rf"[{GLYPHS}\ue000-\uf8ff]")
BULLET_RE = re.compile(rf"^([{GLYPHS}\ue000-\uf8ff]|[-–*](?=\s))\s*")
# "a. utreda …": a letter and a full stop before a word of three letters or more in lower case (Word's
# "a." numbering; "t. ex.", "m. fl." are abbreviations)
ENUM_RE = re.compile(r"^(\d{1,2}\)|[a-zåäö]\)|[a-zåäö]\.(?=\s+[a-zåäö]{3,})|\d{1,2}\.(?=\s+\S))\s+")
NUMBERED_HEADING_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
URL_RE = re.compile(r"^(https?://|www\.)\S*$")
SENTENCE_END = ".!?:"
UNWRAPPED = 130  # no PDF export wraps a line this long: such a line is a whole paragraph
TOC_LINE_RE = re.compile(r"\.{4,}\s*\d*$")  # a contents line with dot leaders
# Words a list introduction ends with ("Kommunen ansvarar för att"), which a heading never does.
TRAILING_FUNCTION_WORDS = {
    "att", "och", "för", "som", "med", "av", "till", "om", "i", "på", "eller", "samt", "de", "den",
    "det", "en", "ett", "är", "från", "vid", "under", "mellan", "genom", "inom",
}


def split_of(case_id: str) -> str:
    """The split of a case, fixed by its id before anyone tunes (about half held out)."""
    digest = int(hashlib.sha256(f"{SEED}:{case_id}".encode()).hexdigest(), 16)
    return "heldout" if digest % 100 < HELD_OUT_PERCENT else "dev"


def squash(text: str) -> str:
    """Text for comparing renderings: list glyphs dropped, every whitespace run one space."""
    return re.sub(r"\s+", " ", GLYPH_RE.sub(" ", text)).strip()


def unlist(text: str) -> str:
    """Text without the list markers that open its lines ("- ", "• "): a rendering turns them into
    list formatting, so they are not part of a paragraph's text there."""
    return re.sub(rf"(?m)^[ \t]*(?:[{GLYPHS}\ue000-\uf8ff]|[-–](?=\s))[ \t]*", "", text)


def squeeze(text: str) -> str:
    """Text for comparing PDF extractions: no whitespace at all (a PDF may wrap inside a long token)."""
    return re.sub(r"\s+", "", GLYPH_RE.sub("", text))


def _blank_run(text: str) -> int:
    """The longest run of blank lines."""
    return max((len(m.group(0).split("\n")) - 2 for m in re.finditer(r"\n(?:[ \t\u00a0\u202f]*\n)+", text)), default=0)


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def agreement_text(key: str) -> str:
    return (AGREEMENTS / f"{key}.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Layout: blocks (headings, paragraphs, list items) found in PDF-extracted text
# ---------------------------------------------------------------------------------------------

@dataclass
class Block:
    kind: str          # "heading" | "paragraph" | "item"
    text: str          # the block's lines joined by single spaces (list marker included)
    level: int = 1     # heading level, or list level
    marker: str = ""   # the item's list marker as written ("" when the glyph was lost in extraction)


@dataclass
class _Line:
    text: str          # stripped
    indent: int        # leading spaces
    gap_before: str    # the whitespace between the previous non-blank line and this one


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    gap = ""
    for raw in text.split("\n"):
        if raw.strip():
            out.append(_Line(raw.strip(), len(raw) - len(raw.lstrip(" ")), gap))
            gap = ""
        else:
            gap += raw + "\n"
    return out


def _hard_gap(gap: str) -> bool:
    """A blank line holding a space marks a paragraph gap in these extractions ("\\n \\n")."""
    return any(line.strip(" \t\u00a0\u202f") == "" and line != "" for line in gap.split("\n")[:-1])


def _is_pagenum(s: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", s))


def blocks(text: str) -> list[Block]:
    """Split a PDF-extracted agreement into headings, paragraphs and list items.

    Decided from numbering, list glyphs, indentation, the blank lines that hold a space, line length
    and sentence ends — never from one exporter's line breaks alone. A heading of level 0 is the
    document's title (its first line). A document whose list glyphs
    were lost in extraction (no glyph anywhere) has its items as lines indented by one space after
    an empty line.
    """
    lines = _lines(text)
    if not lines:
        return []
    # A text typed as text (not extracted from a PDF) has no wrapped lines: each line ends a paragraph,
    # heading or item, and only a line starting in lower case continues the one before.
    wrapped = sum(b.text[0].islower() and not ENUM_RE.match(b.text) for b in lines[1:]) / len(lines)
    typed = wrapped < 0.2
    widths = sorted(len(l.text) for l in lines if not URL_RE.match(l.text) and len(l.text) <= UNWRAPPED)
    width = 100 if typed or not widths else widths[int(0.75 * (len(widths) - 1))]  # a full line
    indented = typed and any(l.indent >= 2 for l in lines)   # a typed text that nests its lists by indentation
    glyphs_present = any(BULLET_RE.match(l.text) and not l.text.startswith(("-", "–")) for l in lines)
    out: list[Block] = []

    def item_marker(i: int) -> str | None:
        line = lines[i]
        m = BULLET_RE.match(line.text)
        if m:
            return m.group(1)
        m = ENUM_RE.match(line.text)
        if m:
            # "5." is an item only inside a list, after an introduction, or as a list's first number
            prev = out[-1] if out else None
            in_list = prev is not None and (prev.kind == "item" or prev.text.rstrip()[-1:] in ":;")
            if in_list or m.group(1) in ("1.", "1)", "a)", "a."):
                return m.group(1)
            return None
        if not glyphs_present and line.indent == 1 and (line.gap_before == "\n" or line.gap_before.endswith("\n\n")) and i > 0:
            return ""
        return None

    def under_item_of(i: int) -> bool:
        """A typed item indented deeper than the item above it, or a lettered item ("a)") under a
        numbered one ("1. Kommunen ska"), is a sub-item."""
        if not out or out[-1].kind != "item":
            return False
        for j in range(i - 1, -1, -1):   # the items of this list above it: one less indented?
            if item_marker(j) is None:
                break
            if lines[j].indent < lines[i].indent:
                return True
        lettered = re.fullmatch(r"[a-zåäö][.)]", item_marker(i) or "") is not None
        return lettered and (out[-1].level == 2 or re.fullmatch(r"\d{1,2}[.)]", out[-1].marker or "") is not None)

    def ends_sentence(s: str) -> bool:
        return s.rstrip("”\"')")[-1:] in SENTENCE_END

    def heading_at(i: int, prev_closed: bool) -> int:
        """Number of lines the heading starting at line i spans (0: not a heading)."""
        s = lines[i].text
        if item_marker(i) is not None and not NUMBERED_HEADING_RE.match(s):
            return 0
        if URL_RE.match(s) or _is_pagenum(s) or TOC_LINE_RE.search(s) or not (s[0].isupper() or s[0].isdigit()):
            return 0
        numbered = bool(NUMBERED_HEADING_RE.match(s)) and (
            "." in s.split()[0] or (len(s.split()) <= 6 and "," not in s))
        if not numbered and not prev_closed:
            return 0
        span = 1
        joined = s
        while i + span < len(lines) and span < 3:
            nxt = lines[i + span].text
            if URL_RE.match(nxt):
                break
            if numbered:
                fits = True  # a numbered heading may run over the full page width in a two-column text
            else:
                fits = len(s) < 0.82 * width and len(nxt) < width  # a short first line wraps into a short tail
            unfinished = joined.endswith((",", "(", "-", "–", " och", " av", " med"))
            if (nxt[0].islower() or nxt[0] == "(" or (unfinished and numbered)) and fits and not ends_sentence(joined):
                joined += " " + nxt
                span += 1
                continue
            break
        words = joined.split()
        if joined[-1] in ".,;:!?" or len(joined) > 220:
            return 0
        if numbered:
            if len(words) > 30:
                return 0
        else:
            if len(words) > 14 or words[-1].lower() in TRAILING_FUNCTION_WORDS or re.search(r"=|:\s", joined):
                return 0
            if len(words) > 8 and len(s) >= 0.8 * width:  # a long line that fills the column is prose
                return 0
            if i + span < len(lines) and item_marker(i + span) is not None:
                return 0  # a list introduction
        if i + span < len(lines) and lines[i + span].text[0].islower() and not URL_RE.match(lines[i + span].text):
            return 0
        return span

    footnote_zone = False
    i = 0
    prev_closed = True
    while i < len(lines):
        line = lines[i]
        if re.search(r" {20,}", line.gap_before):
            footnote_zone = True
        elif line.indent > 0:
            footnote_zone = False
        if i == 0:  # the document's title: its first line, with the lines that continue it
            span = 1
            while span < min(3, len(lines)) and lines[span].text[0].islower():
                span += 1
            title = " ".join(l.text for l in lines[:span])
            if title[-1] not in ".,;:!?" and len(title.split()) <= 25 and not item_marker(0):
                out.append(Block("heading", title, 0))
                i = span
                continue
        span = 0 if footnote_zone else heading_at(i, prev_closed)
        if span:
            text_ = " ".join(l.text for l in lines[i:i + span])
            top = text_.split()[0].rstrip(".")
            level = 1 if re.fullmatch(r"\d{1,2}", top) else 2
            out.append(Block("heading", text_, level))
            i += span
            prev_closed = True
            continue
        marker = None if footnote_zone else item_marker(i)
        if marker is not None:
            # a dash item under a bullet item (or among such dash items) is a sub-item
            under_item = bool(out) and out[-1].kind == "item" and (out[-1].marker not in ("-", "–", "") or out[-1].level == 2)
            level = 2 if marker in ("-", "–") and under_item else 1
            if typed and under_item_of(i):   # typed text shows nesting by indentation ("- Kommunen ska" + "  – erbjuda …")
                level = 2
            elif typed and indented:
                level = 1
            block = Block("item", line.text, level, marker)
        else:
            block = Block("paragraph", line.text)
        out.append(block)
        i += 1
        # continuation lines
        while i < len(lines):
            nxt = lines[i]
            last = block.text
            if re.search(r" {20,}", nxt.gap_before) or _hard_gap(nxt.gap_before):
                break
            if URL_RE.match(nxt.text) or (URL_RE.match(last.split()[-1]) and len(last.split()) == 1):
                break
            if _is_pagenum(nxt.text) or _is_pagenum(last) or TOC_LINE_RE.search(nxt.text) or TOC_LINE_RE.search(last):
                break
            if len(lines[i - 1].text) > UNWRAPPED or (typed and not (nxt.text[0].islower() or nxt.text[0] == "(")):
                break
            if not footnote_zone and item_marker(i) is not None:
                break
            if footnote_zone and (nxt.text[0].isdigit() or nxt.indent > 0):
                break
            if nxt.indent > 0 and ends_sentence(last):
                break
            if ends_sentence(last) and last.endswith(":"):
                break
            # a line well short of the full width ends its paragraph; a sentence end closes an item
            closed = len(lines[i - 1].text) < 0.7 * width or (ends_sentence(last) and block.kind == "item")
            if closed and (nxt.text[0].isupper() or nxt.text[0].isdigit() or nxt.text[0] in "”\""):
                break
            if not closed and heading_at(i, block.kind == "item"):
                break
            if ends_sentence(last) and heading_at(i, True):
                break
            block.text += " " + nxt.text
            i += 1
        prev_closed = (ends_sentence(block.text) or block.kind == "item" or URL_RE.match(block.text.split()[-1]) is not None
                       or _is_pagenum(block.text) or typed)
    return out


def reflow(text: str) -> str:
    """One line per paragraph, heading or list item; no blank lines. Only whitespace changes."""
    return "\n".join(b.text for b in blocks(text)) + "\n"


# ---------------------------------------------------------------------------------------------
# "landsting" → "region" in all inflections
# ---------------------------------------------------------------------------------------------

_LANDSTING_RE = re.compile(r"(?<![\w/.])([Ll])ands(?:-[ \t]*\n[ \t\n]*)?ting(\w*)(-?)")


def _renamed(first: str, suffix: str, hyphen: str, before: str, after: str) -> str:
    cap = first.isupper()
    proper_name_follows = re.match(r"\s+[A-ZÅÄÖ][a-zåäö]+", after) and not re.match(r"\s+(I|Kommun|Region)\b", after)
    if suffix in ("et", "ets") and proper_name_follows:
        word = "region"  # "Landstinget Sörmland" → "Region Sörmland"
    elif suffix == "":
        plural = re.search(r"(?:[Kk]ommuner\s+och|alla|flera|olika|samtliga|[Kk]ommuner\s+eller)\s+$", before)
        word = "regioner" if plural else "region"
    elif suffix == "et":
        word = "regionen"
    elif suffix == "ets":
        word = "regionens"
    elif suffix == "en":
        word = "regionerna"
    elif suffix == "ens":
        word = "regionernas"
    elif suffix == "s":
        word = "regions"
    elif suffix.startswith("s"):
        word = "region" + suffix[1:]  # landstingsstyrelsen → regionstyrelsen
    else:
        word = "region" + suffix
    if cap:
        word = word[0].upper() + word[1:]
    return word + hyphen


def rename_region(text: str) -> str:
    """Rename "landsting" to "region" in every inflection and compound; URLs are left as they are."""
    out = []
    pos = 0
    for m in _LANDSTING_RE.finditer(text):
        token_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        token_end_candidates = [k for k in (text.find(" ", m.end()), text.find("\n", m.end())) if k != -1]
        token = text[token_start:min(token_end_candidates) if token_end_candidates else len(text)]
        if "://" in token or "www." in token or ".se" in token:
            continue
        out.append(text[pos:m.start()])
        out.append(_renamed(m.group(1), m.group(2), m.group(3), text[max(0, m.start() - 30):m.start()], text[m.end():m.end() + 30]))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Ablation: cut whole sentences and list items
# ---------------------------------------------------------------------------------------------

_HSPACE = " \t\u00a0\u202f"
_EMPTIED_LINE_RE = re.compile(rf"[{_HSPACE}]*(?:[{GLYPHS}\ue000-\uf8ff]|[-–]|\d{{1,2}}[.)]|[a-zåäö]\))?[{_HSPACE}]*")


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """Remove the spans (each with the spaces after it). A line the cuts leave empty — or holding
    only its list marker — goes, and of the blank-line gaps around removed lines the widest stays,
    so the rest reads as before."""
    removed = bytearray(len(text))
    for s, e in spans:
        while e < len(text) and text[e] in _HSPACE:
            e += 1
        removed[s:e] = b"\x01" * (e - s)
    rows: list[tuple[str, str]] = []  # (kind, line) with kind "text" | "blank" | "dropped"
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        kept = "".join(ch for k, ch in enumerate(raw) if not removed[pos + k])
        touched = any(removed[pos:end])
        if touched and _EMPTIED_LINE_RE.fullmatch(kept):
            rows.append(("dropped", ""))
        elif not kept.strip():
            rows.append(("blank", kept))
        else:
            rows.append(("text", kept.rstrip(_HSPACE) + " " if touched and kept != kept.rstrip(_HSPACE) else kept))
        pos = end + 1
    out: list[str] = []
    gap: list[tuple[str, str]] = []

    def flush(final: bool) -> None:
        if any(kind == "dropped" for kind, _ in gap) and out and not final:
            runs, run = [], []
            for kind, line in gap:
                if kind == "dropped":
                    runs.append(run)
                    run = []
                else:
                    run.append(line)
            runs.append(run)
            widest = max(runs, key=lambda r: (any(re.search(" {20,}", line) for line in r), len(r),
                                              any(line.strip(" \t") == "" and line != "" for line in r)))
            out.extend(widest)
        elif any(kind == "dropped" for kind, _ in gap):
            out.extend(line for kind, line in gap if kind == "blank" and out)
        else:
            out.extend(line for _, line in gap)
        gap.clear()

    for kind, line in rows:
        if kind == "text":
            flush(False)
            out.append(line)
        else:
            gap.append((kind, line))
    flush(True)
    return "\n".join(out)


def passage_spans(text: str, passage: dict) -> list[tuple[int, int]]:
    """Where a passage stands in the text: every occurrence, or the one its `occurrence` names."""
    spans = []
    start = text.find(passage["text"])
    while start != -1:
        spans.append((start, start + len(passage["text"])))
        start = text.find(passage["text"], start + 1)
    if "occurrence" in passage:
        return spans[passage["occurrence"]:passage["occurrence"] + 1]
    return spans


def cut_passages(case: dict) -> list[dict]:
    """What an ablation removes: the regulating passages, mentions marked `cut`, and context."""
    return (case["regulating"] + [p for p in case.get("mentioning", []) if p.get("cut")]
            + case.get("context", []))


def cut_spans(text: str, case: dict) -> list[tuple[int, int]]:
    spans = sorted({span for p in cut_passages(case) for span in passage_spans(text, p)})
    for (s1, e1), (s2, _) in itertools.pairwise(spans):
        if s2 < e1:
            raise ValueError(f"{case['id']}: overlapping passages at {s1} and {s2}")
    return spans


def ablate(text: str, case: dict) -> str:
    return _cut(text, cut_spans(text, case))


# ---------------------------------------------------------------------------------------------
# Renderings
# ---------------------------------------------------------------------------------------------

def _deterministic_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _item_text(block: Block) -> str:
    if block.marker and BULLET_RE.match(block.text):
        return BULLET_RE.sub("", block.text, count=1)
    return block.text


def prepared_docx(title: str, author: str) -> Any:
    """A new document with reproducible core properties (fixed dates, revision 1)."""
    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = props.last_printed = FIXED_DATE.replace(tzinfo=None)
    props.title = title
    props.author = props.last_modified_by = author
    props.revision = 1
    return document


def to_docx(text: str, title: str = "") -> bytes:
    """Headings as Heading 1/2, bullet items as List Bullet paragraphs (the glyph becomes the list's
    own bullet), enumerated items as List Paragraph with their number kept, the rest as paragraphs."""
    document = prepared_docx(title, "vemgorvad gapcheck_variants")
    for block in blocks(text):
        if block.kind == "heading":
            document.add_heading(block.text, level=block.level)  # level 0: the Title style
        elif block.kind == "item" and (block.marker == "" or BULLET_RE.match(block.text)):
            document.add_paragraph(_item_text(block), style="List Bullet" if block.level == 1 else "List Bullet 2")
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Paragraph")
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic_zip(buffer.getvalue())


def _pdf_text(s: str) -> str:
    """Text as a PDF sets it: list glyphs as bullets, the cells of a table row pasted as text (tabs,
    which the font has no glyph for) apart by spaces, as a PDF export of a table sets them."""
    return GLYPH_RE.sub("•", s).replace("\t", "    ")


def prepared(pdf: FPDF, title: str, author: str, side: float) -> FPDF:
    """A reproducible document (fixed creation date), DejaVu Sans regular and bold, A4 margins."""
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_margins(side, 18, side)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD if FONT_BOLD.exists() else FONT))
    return pdf


def to_pdf(text: str, title: str = "") -> bytes:
    """A4, DejaVu Sans; headings bold and larger, list items indented behind a bullet or their number."""
    pdf = prepared(FPDF(format="A4"), title, "vemgorvad gapcheck_variants", side=20)
    pdf.add_page()
    for block in blocks(text):
        pdf.set_x(pdf.l_margin)
        if block.kind == "heading":
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", {0: 15, 1: 13}.get(block.level, 11))
            pdf.multi_cell(0, 6.5, _pdf_text(block.text), align="L")
            pdf.ln(1)
        elif block.kind == "item":
            pdf.set_font("DejaVu", "", 10)
            indent = 6 if block.level == 1 else 12
            if block.marker == "" or BULLET_RE.match(block.text):
                label, body = "•", _item_text(block)
            else:
                label, body = block.marker, block.text[len(block.marker):].lstrip()
            pdf.set_x(pdf.l_margin + indent - 4)
            pdf.cell(4 if len(label) == 1 else 7, 5, _pdf_text(label))
            pdf.set_x(pdf.l_margin + indent + (0 if len(label) == 1 else 3))
            pdf.multi_cell(0, 5, _pdf_text(body), align="L")
        else:
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, _pdf_text(block.text), align="L")
            pdf.ln(1.5)
    return bytes(pdf.output())


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# ---------------------------------------------------------------------------------------------
# Variants and their gold
# ---------------------------------------------------------------------------------------------

def load_cases() -> list[dict]:
    return read_jsonl(PASSAGES)


def load_documents() -> list[dict]:
    """The gold of every draft and agreement of another kind, with the folder it lives in."""
    golds = []
    for folder in (DRAFTS, OTHER_KINDS):
        for path in sorted(folder.glob("*.gold.json")):
            golds.append({**json.loads(path.read_text(encoding="utf-8")), "folder": folder})
    return golds


def variant_ids(cases: list[dict]) -> list[str]:
    keys = sorted({c["agreement"] for c in cases})
    return ([f"variant:{k}:{kind}" for k in keys for kind in VARIANT_KINDS]
            + [f"ablation:{c['id']}" for c in cases]
            + [f"rendering:{d['id']}:{how}" for d in load_documents() for how in ("docx", "pdf")])


def build(variant_id: str, cases: list[dict]) -> tuple[str, bytes]:
    """The file name and bytes of one variant."""
    kind, rest = variant_id.split(":", 1)
    if kind == "ablation":
        case = next(c for c in cases if c["id"] == rest)
        return f"{rest.replace(':', '.')}.ablation.txt", ablate(agreement_text(case["agreement"]), case).encode("utf-8")
    if kind == "rendering":
        doc_id, how = rest.rsplit(":", 1)
        doc = next(d for d in load_documents() if d["id"] == doc_id)
        text = (doc["folder"] / doc["file"]).read_text(encoding="utf-8")
        stem = doc["file"].rsplit(".", 1)[0]
        return f"{stem}.{how}", to_docx(text, doc["title"]) if how == "docx" else to_pdf(text, doc["title"])
    key, how = rest.split(":")
    text = agreement_text(key)
    if how == "reflow":
        return f"{key}.reflow.txt", reflow(text).encode("utf-8")
    if how == "region":
        return f"{key}.region.txt", rename_region(text).encode("utf-8")
    if how == "docx":
        return f"{key}.docx", to_docx(text, key)
    if how == "pdf":
        return f"{key}.pdf", to_pdf(text, key)
    raise ValueError(f"unknown variant {variant_id}")


def gold_of(variant_id: str, cases: list[dict]) -> dict:
    kind, rest = variant_id.split(":", 1)
    if kind == "ablation":
        case = next(c for c in cases if c["id"] == rest)
        return {
            "source": case["agreement"],
            "split": case["split"],
            "not_covered": [case["topic"]],
            "expected_status": case["after_ablation"],
            "unchanged_except": sorted(set(case["collateral"]) | {case["topic"]}),
        }
    if kind == "rendering":
        doc = next(d for d in load_documents() if d["id"] == rest.rsplit(":", 1)[0])
        # a rendering of a held-out document is held out with it
        return {"source": doc["id"], "split": doc["split"], "same_gold_as": f"{doc['folder'].name}/{doc['id'].split(':', 1)[1]}.gold.json"}
    key = rest.split(":")[0]
    return {"source": key, "split": split_of(variant_id), "same_statuses_as": key}


def write_all(out: Path, cases: list[dict]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for vid in variant_ids(cases):
        name, data = build(vid, cases)
        (out / name).write_bytes(data)
        rows.append({"id": vid, "file": name, **gold_of(vid, cases)})
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Check
# ---------------------------------------------------------------------------------------------

def _all_passages(case: dict) -> list[dict]:
    return case["regulating"] + case.get("referencing", []) + case.get("mentioning", []) + case.get("context", [])


def _identity_faults(rows: list[dict], prefix: str) -> list[str]:
    """Ids unique and made from agreement and topic; each split the one its id's hash gives."""
    faults: list[str] = []
    seen: set[str] = set()
    for row in rows:
        rid = row.get("id", "?")
        if rid in seen:
            faults.append(f"{rid}: duplicate id")
        seen.add(rid)
        if rid != f"{prefix}{row.get('agreement')}:{row.get('topic')}":
            faults.append(f"{rid}: id must be {prefix}<agreement>:<topic>")
        if row.get("topic") not in TOPICS:
            faults.append(f"{rid}: unknown topic {row.get('topic')!r}")
        if row.get("split") != split_of(rid):
            faults.append(f"{rid}: split must be {split_of(rid)} (assigned by id)")
    return faults


def _one_of(rid: str, row: dict, field: str, allowed: tuple[str, ...]) -> list[str]:
    """A fault when the row's `field` is not one of the `allowed` values."""
    value = row.get(field)
    return [] if value in allowed else [f"{rid}: {field} must be one of {', '.join(allowed)}, not {value!r}"]


def check_cases(cases: list[dict]) -> list[str]:
    faults = _identity_faults(cases, "")
    for case in cases:
        cid = case.get("id", "?")
        faults += _one_of(cid, case, "kind", CASE_KINDS) + _one_of(cid, case, "after_ablation", STATUS_VALUES[1:])
        for topic in case.get("collateral", []):
            if topic not in TOPICS or topic == case.get("topic"):
                faults.append(f"{cid}: bad collateral topic {topic!r}")
        if not case.get("regulating"):
            faults.append(f"{cid}: no regulating passage")
        path = AGREEMENTS / f"{case.get('agreement')}.txt"
        if not path.exists():
            faults.append(f"{cid}: no agreement text {path.name}")
            continue
        text = path.read_text(encoding="utf-8")
        flat = squash(text)
        for p in _all_passages(case):
            where = f"{cid}: {p.get('text', '')[:50]!r}"
            if not p.get("text") or p["text"] != p["text"].strip():
                faults.append(f"{where}: empty or not trimmed")
                continue
            spans = passage_spans(text, p)
            if not spans:
                faults.append(f"{where}: not a verbatim substring of {path.name}")
            if squash(p.get("section", "")) not in flat or not p.get("section"):
                faults.append(f"{where}: section {p.get('section')!r} not in the agreement")
            for topic in p.get("also", []):
                if topic not in TOPICS:
                    faults.append(f"{where}: unknown topic {topic!r} in also")
        for p in case["regulating"]:
            if p.get("class") not in REG_CLASSES:
                faults.append(f"{cid}: regulating passage without a class: {p['text'][:40]!r}")
        for p in case.get("referencing", []):
            if not p.get("refers_to"):
                faults.append(f"{cid}: referencing passage without refers_to: {p['text'][:40]!r}")
        for p in case.get("mentioning", []):
            if not p.get("why"):
                faults.append(f"{cid}: mentioning passage without why: {p['text'][:40]!r}")
        expected_after = ("referenced" if case.get("referencing")
                          else "mentioned" if any(not p.get("cut") for p in case.get("mentioning", []))
                          else "missing")
        if case.get("after_ablation") != expected_after:
            faults.append(f"{cid}: after_ablation should be {expected_after} from its passages")
    return faults


def check_variants(cases: list[dict], pdf: bool = True) -> list[str]:
    faults: list[str] = []
    by_agreement: dict[str, list[dict]] = {}
    for case in cases:
        by_agreement.setdefault(case["agreement"], []).append(case)
    for key, group in sorted(by_agreement.items()):
        text = agreement_text(key)
        everything = [p for c in group for p in _all_passages(c)]
        # ablations: the case's regulating passages are gone, everything of the other cases stays
        for case in group:
            cut = ablate(text, case)
            spans = cut_spans(text, case)
            for p in case["regulating"]:
                every = passage_spans(text, {"text": p["text"]})
                wanted = sum(not any(s <= a and b <= e for s, e in spans) for a, b in every)
                if cut.count(p["text"]) != wanted:
                    faults.append(f"ablation:{case['id']}: regulating passage still there: {p['text'][:50]!r}")
            keep = [p for c in group if c is not case for p in _all_passages(c)]
            keep += case.get("referencing", []) + [p for p in case.get("mentioning", []) if not p.get("cut")]
            for p in keep:
                if p["text"] not in cut:
                    faults.append(f"ablation:{case['id']}: lost a passage it must keep: {p['text'][:50]!r}")
            if _blank_run(cut) > _blank_run(text):
                faults.append(f"ablation:{case['id']}: the cut left a longer run of blank lines than the text has")
        # layout variants: every passage of every case survives
        flow = reflow(text)
        if squash(flow) != squash(text):
            faults.append(f"variant:{key}:reflow changes more than whitespace")
        if "\n\n" in flow:
            faults.append(f"variant:{key}:reflow has blank lines")
        renamed = squash(rename_region(text))
        if re.search(r"(?<![\w/.])[Ll]andsting", renamed.replace("landstingetsormland", "")):
            faults.append(f"variant:{key}:region still says landsting")
        flat_docx = squash(unlist(docx_text(to_docx(text, key))))
        flat_pdf = squeeze(unlist(pdf_text(to_pdf(text, key)))) if pdf else None
        # each variant: its flattened text, and how a passage of the original reads in it
        variants = [("reflow", squash(flow), squash), ("region", renamed, lambda s: squash(rename_region(s))),
                    ("docx", flat_docx, lambda s: squash(unlist(s)))]
        if flat_pdf is not None:
            variants.append(("pdf", flat_pdf, lambda s: squeeze(unlist(s))))
        for p in everything:
            for name, flat, read_as in variants:
                if read_as(p["text"]) not in flat:
                    faults.append(f"variant:{key}:{name} lost {p['text'][:50]!r}")
    return faults


def check_statuses(rows: list[dict]) -> list[str]:
    faults = _identity_faults(rows, "status:")
    for row in rows:
        rid = row.get("id", "?")
        faults += _one_of(rid, row, "status", STATUS_VALUES[1:])
        text = agreement_text(row["agreement"])
        for p in row.get("passages", []):
            if p["text"] not in text:
                faults.append(f"{rid}: not a verbatim substring: {p['text'][:50]!r}")
        for term in row.get("absent_terms", []):
            if re.search(rf"(?<!\w){term}", text, flags=re.IGNORECASE):
                faults.append(f"{rid}: absent term {term!r} occurs in the agreement")
        if row.get("status") != "missing" and not row.get("passages"):
            faults.append(f"{rid}: a {row.get('status')} topic needs its passages")
    return faults


def check_documents(pdf: bool = True) -> list[str]:
    """Drafts and agreements of other kinds: gold fields, verbatim evidence, sizes; their DOCX and PDF
    renderings keep the title and every quoted piece of evidence."""
    faults: list[str] = []
    for folder, size in ((DRAFTS, (1500, 12000)), (OTHER_KINDS, (15000, 30000))):
        golds = sorted(folder.glob("*.gold.json"))
        if not golds:
            faults.append(f"{folder.name}: no gold files")
        for gold_path in golds:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            gid = gold.get("id", gold_path.name)
            doc = folder / gold.get("file", "")
            if not doc.is_file():
                faults.append(f"{gid}: missing document {gold.get('file')}")
                continue
            text = doc.read_text(encoding="utf-8")
            if not size[0] <= len(text) <= size[1]:
                faults.append(f"{gid}: {len(text)} characters, expected {size[0]}–{size[1]}")
            if gold.get("split") != split_of(gid):
                faults.append(f"{gid}: split must be {split_of(gid)}")
            for field in ("agreement_kind", "title", "parties", "topics", "target_groups", "expected_law_violations"):
                if field not in gold:
                    faults.append(f"{gid}: no {field}")
            if gold.get("title") and squash(gold["title"]).lower() not in squash(text).lower():
                faults.append(f"{gid}: title not in the text")
            for party in gold.get("parties", []):
                if party.get("name") and party["name"] not in text:
                    faults.append(f"{gid}: party {party['name']!r} not named in the text")
                if party.get("kind") not in ("kommun", "region", "other"):
                    faults.append(f"{gid}: party kind must be kommun, region or other")
            statuses = gold.get("topics", {})
            listed = [t for s in STATUS_VALUES[:3] for t in statuses.get(s, [])]
            status_of = {t: s for s in STATUS_VALUES[:3] for t in statuses.get(s, [])}
            for topic in listed:
                if topic not in TOPICS:
                    faults.append(f"{gid}: unknown topic {topic!r}")
            if len(listed) != len(set(listed)):
                faults.append(f"{gid}: a topic has two statuses")
            for group, status in gold.get("target_groups", {}).items():
                if not group.startswith("malgrupp_") or status != status_of.get(group, "missing"):
                    faults.append(f"{gid}: target group {group} is {status}, its topic {status_of.get(group, 'missing')}")
            for topic, quotes in gold.get("evidence", {}).items():
                if topic not in listed:
                    faults.append(f"{gid}: evidence for {topic} which has no status")
                for quote in quotes:
                    if squash(quote) not in squash(text):
                        faults.append(f"{gid}: evidence not verbatim: {quote[:50]!r}")
            for topic in listed:
                if topic not in gold.get("evidence", {}):
                    faults.append(f"{gid}: no evidence quoted for {topic}")
            for field in ("valid_from", "valid_to"):
                value = gold.get(field)
                if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    faults.append(f"{gid}: {field} must be YYYY-MM-DD or null")
            quotes = [q for qs in gold.get("evidence", {}).values() for q in qs] + [gold.get("title", "")]
            flat_docx = squash(unlist(docx_text(to_docx(text, gold.get("title", ""))))).lower()
            flat_pdf = squeeze(unlist(pdf_text(to_pdf(text, gold.get("title", ""))))).lower() if pdf else None
            for quote in quotes:
                if squash(unlist(quote)).lower() not in flat_docx:
                    faults.append(f"rendering:{gid}:docx lost {quote[:50]!r}")
                if flat_pdf is not None and squeeze(unlist(quote)).lower() not in flat_pdf:
                    faults.append(f"rendering:{gid}:pdf lost {quote[:50]!r}")
    return faults


def check(pdf: bool = True) -> list[str]:
    cases = load_cases()
    if not cases:
        return [f"{PASSAGES} is missing or empty"]
    faults = check_cases(cases)
    if not faults:
        faults += check_variants(cases, pdf=pdf)
    faults += check_statuses(read_jsonl(STATUSES))
    faults += check_documents(pdf=pdf)
    return faults


def summary(cases: list[dict]) -> str:
    lines = []
    keys = sorted({c["agreement"] for c in cases})
    for key in keys:
        group = [c for c in cases if c["agreement"] == key]
        dev = sum(c["split"] == "dev" for c in group)
        lines.append(f"  {key:22s} {len(group):2d} cases  dev {dev:2d}  heldout {len(group) - dev:2d}")
    dev = sum(c["split"] == "dev" for c in cases)
    lines.append(f"  {'all':22s} {len(cases):2d} cases  dev {dev:2d}  heldout {len(cases) - dev:2d}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="verify the material; exit 1 on a fault")
    parser.add_argument("--no-pdf", action="store_true", help="with --check: skip reading the PDF renderings back")
    parser.add_argument("--out", type=Path, help="write every variant and manifest.jsonl to this folder")
    parser.add_argument("--show", metavar="ID", help="print one text variant")
    args = parser.parse_args(argv)
    cases = load_cases()
    if args.show:
        name, data = build(args.show, cases)
        if not name.endswith(".txt"):
            print(f"{args.show} är inte en textvariant (is not a text variant)", file=sys.stderr)
            return 1
        sys.stdout.write(data.decode("utf-8"))
        return 0
    if args.out:
        count = write_all(args.out, cases)
        print(f"{count} variants → {args.out}")
    if args.check:
        faults = check(pdf=not args.no_pdf)
        for fault in faults:
            print(fault)
        print(summary(cases))
        print(f"{len(faults)} fault(s)")
        return 1 if faults else 0
    if not (args.out or args.show):
        parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
