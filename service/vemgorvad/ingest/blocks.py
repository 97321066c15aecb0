"""Content lines → blocks (headings, paragraphs, list items, contents lines), from what a printed
page shows: bullets (kept or lost in extraction), numbers, short unpunctuated lines, indentation —
and, where a reader knew it, the typography itself (a DOCX paragraph's style, a PDF line's size
and weight: `Line.hint`).

Two kinds of text reach here. Text extracted from a PDF (or a .txt made that way) is wrapped: a
paragraph runs over many lines, so blocks are found from sentence ends, line lengths and
indentation. Text typed as text (a .txt written by hand, a reflowed file, a DOCX) is not: each line
is a paragraph, heading or item of its own — unless it starts in lower case where the line before
it did not end — and a blank line always ends a block. The same kinds are then settled for both,
so a text and its reflowed version give the same blocks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .layout import layout
from .lines import Line

NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[A-ZÅÄÖ\"”(])")
# "a) erbjuda …", "2) …", and "a. erbjuda …" — a letter and a full stop before a word of three letters or
# more in lower case ("t. ex.", "m. fl.", "s. 19" are abbreviations and page references, no markers)
LETTERED = re.compile(r"^(\d{1,2}|[a-zåäö])(?:\)|(?<!\d)\.(?=\s+[a-zåäö]{3,}(?:\s|,|$)))\s+(?=\S)")
# "1. boendestöd …": a number with a word in lower case after it is a list item (a section heading starts
# with a capital), as a numbered list that replaced bullets sets it; so is one before a date ("1. 1 april 2027 …")
LOWER_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(?=[a-zåäö]|\d{1,2}\s+[a-zåäö])")
NESTING_INDENT = 2   # characters a bullet must stand further in (or out) than the item before to change level
DEFINITION = re.compile(r"^[A-ZÅÄÖ][\wÅÄÖåäö\-]{0,20}\s?=\s?\S")  # "SIP= Samordnad individuell plan"
TERMINAL = ".!?:;"
CONTENTS_LINE = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{1,3}$|\s{3,}\d{1,3}$")   # dot leaders, page number
#: Under "Innehåll": a title and its page number, without dot leaders ("2 Tvister 4", "Bilagor 12"):
#: a line of the contents whether or not its words come back as a heading.
PAGE_REFERENCE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[^\W\d][^.!?]{0,100}?\s\d{1,3}$")
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S*$", re.I)
INNER_SENTENCE = re.compile(r"[a-zåäö)][.!?]\s+[A-ZÅÄÖ]")   # a sentence ends and another begins


@dataclass
class RawBlock:
    kind: str                  # heading | paragraph | item | numbered | contents
    lines: list[Line] = field(default_factory=list)
    level: int = 1
    number: str | None = None
    glyph: str | None = None    # the bullet glyph, "" for a bullet lost in extraction
    after_break: bool = False
    glossary: bool = False      # a definition list's entry, read as a paragraph

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


def bullet_of(text: str) -> str | None:
    """The bullet glyph a line opens with: a listed one (layout.json 'bullet_glyphs'), or any
    character that is a bullet by its Unicode class (a symbol font's private-use glyph, a box or
    arrow shape), glued to its word or not."""
    for glyph in layout().bullets:
        if text.startswith(glyph):
            rest = text[len(glyph):]
            if glyph in ("-", "\u2013") and not rest.startswith(" "):
                return None
            if not rest.strip() or rest[0] in " \t" or not glyph.isascii():
                return glyph
    if text and layout().bullet_symbol(text[0]):
        return text[0]
    return None


def last_word(text: str) -> str:
    words = re.findall(r"[\wåäöÅÄÖ.]+", text.lower())
    return words[-1] if words else ""


def first_word(text: str) -> str:
    match = re.match(r"[\wåäöÅÄÖ]+", text.lower())
    return match.group(0) if match else ""


def starts_upper(text: str) -> bool:
    text = text.lstrip("\"”'(«")
    return bool(text) and (text[0].isupper() or text[0].isdigit())


def open_ended(text: str) -> bool:
    """A line that cannot end a sentence or heading: hyphen, comma, function word, open bracket."""
    text = text.rstrip()
    if text.lower().endswith(tuple(" " + a for a in layout().abbreviations)):
        return True
    if text[-1:] in ".:;!?":
        return False
    return (not text or text[-1] in "-\u2013\u2014,/(§" or last_word(text) in layout().function_words
            or text.count("(") > text.count(")"))


def heading_like(text: str) -> bool:
    text = text.strip()
    words = text.lower().split()
    if len(words) > 4 and layout().heading_verbs.intersection(words):
        return False
    return (bool(text) and len(text) <= layout().max_heading_chars and text[0] != "(" and len(text.split()) <= layout().max_heading_words
            and starts_upper(text) and text[-1] not in TERMINAL + "," and not open_ended(text)
            and not bullet_of(text))


def typical_width(lines: list[Line]) -> int:
    lengths = sorted(len(line.text) for line in lines if line.kind == "content" and len(line.text) > 20)
    if not lengths:
        return 80
    return lengths[len(lengths) // 2]


def typed(lines: list[Line]) -> bool:
    """Whether the text was typed as text (a line per paragraph) rather than wrapped by a PDF
    export: few lines continue a sentence in lower case, or many are longer than any page."""
    texts = [line.text for line in lines if line.kind == "content" and not URL_ONLY.match(line.text)]
    if len(texts) < 2:
        return True
    # an item of a list ("a) erbjuda …", "• upprätta …") starts in lower case without continuing anything
    continued = sum(t[0].islower() and bullet_of(t) is None and not LETTERED.match(t) for t in texts[1:]) / len(texts)
    long_lines = sum(len(t) > 130 for t in texts) / len(texts)
    return continued < 0.2 or long_lines > 0.1


def blank_lines_separate(lines: list[Line]) -> bool:
    """Whether a blank line ends a block in this text. Some PDF exports put a blank line after
    every printed line, so a blank line often falls inside a sentence there (the line before it
    ends without a full stop and the one after starts in lower case); where it never does, a blank
    line is what a writer put between paragraphs."""
    splits = gaps = 0
    previous: Line | None = None
    gap = False
    for line in lines:
        if line.kind == "blank":
            gap = previous is not None
            continue
        if line.kind != "content":
            previous, gap = None, False
            continue
        if gap and previous is not None:
            gaps += 1
            splits += previous.text.rstrip()[-1:] not in ".!?:;" and line.text[:1].islower()
        previous, gap = line, False
    return splits < 3 or splits / gaps < 0.1


def build_blocks(lines: list[Line]) -> list[RawBlock]:
    blocks = _typed_blocks(lines) if typed(lines) else _wrapped_blocks(lines, blank_lines_separate(lines))
    _settle_kinds(blocks)
    _title_notes(blocks)
    _mark_contents(blocks)
    return blocks


def _title_notes(blocks: list[RawBlock]) -> None:
    """Notes about the document right under its title ("Utkast från arbetsgruppen, november 2026",
    "Dnr …", "Version 2": layout.json document_notes) are no section headings, whatever their type: a
    title page set in large or bold type, or styled as headings in Word, heads no part of the text."""
    if not blocks or blocks[0].kind != "heading":
        return
    for block in blocks[1:]:
        if block.kind not in ("heading", "paragraph") or not layout().document_notes.match(block.text.strip()):
            return
        block.kind = "paragraph"


def _new_block(line: Line, cur: RawBlock | None, after_break: bool) -> RawBlock:
    """A block that starts at this line, of the kind its marker or its typography says."""
    text = line.text
    glyph = bullet_of(text)
    if line.hint in ("heading", "title"):
        return RawBlock("heading", [line], level=0 if line.hint == "title" else 1, after_break=after_break,
                        number=numbered.group(1) if (numbered := NUMBERED.match(text)) else None)
    # a list paragraph whose number or letter is in its text ("1. Kommunen ska", "a) erbjuda …") is read
    # by that marker, as typed text is, so a lettered item stays under the numbered one it follows
    enumerated = glyph is None and line.hint == "item" and bool(
        LETTERED.match(text) or NUMBERED.match(text) or LOWER_NUMBERED.match(text))
    if glyph is not None or (line.hint == "item" and not enumerated):
        level = 1
        if glyph is not None and cur is not None and cur.kind == "item" and line.indent != cur.lines[0].indent:
            # typed text shows nesting by indentation: deeper than the item before is a sub-item,
            # back towards the margin is the outer list again
            level = 2 if line.indent > cur.lines[0].indent else 1
        elif glyph is not None and cur is not None and cur.kind == "item" and (
                (glyph in layout().sub_bullets and cur.glyph not in (None, "", glyph)) or (cur.level == 2 and cur.glyph == glyph)):
            level = 2
        return RawBlock("item", [line], level=level, glyph=glyph if glyph is not None else "", after_break=after_break)
    if lettered := LETTERED.match(text) or LOWER_NUMBERED.match(text):
        return RawBlock("item", [line], glyph="", number=lettered.group(1), after_break=after_break)
    if (numbered := NUMBERED.match(text)) and len(text) <= 400:
        return RawBlock("numbered", [line], number=numbered.group(1), after_break=after_break)
    if DEFINITION.match(text):
        return RawBlock("definition", [line], after_break=after_break)
    return RawBlock("paragraph", [line], after_break=after_break)


def _typed_blocks(lines: list[Line]) -> list[RawBlock]:
    """One block per line; a line that starts in lower case continues the line before it when
    that line did not end a sentence, and so does any line after a PDF's line that the width broke
    inside a sentence (_carried: "5.1 Överenskommelsen gäller 2027-01-01 –" / "2028-12-31."); a blank
    line always ends a block."""
    blocks: list[RawBlock] = []
    cur: RawBlock | None = None
    gap = pending_break = False
    for line in lines:
        if line.kind != "content":
            gap = True
            pending_break = pending_break or line.furniture
            continue
        text = line.text
        continues = (cur is not None and not gap and line.hint is None and cur.kind not in ("heading",)
                     and (text[0].islower() or text[0] == "(") and bullet_of(text) is None
                     and not LETTERED.match(text) and cur.lines[-1].text.rstrip()[-1:] not in ".!?:;") \
            or (cur is not None and not gap and cur.kind != "heading" and _carried(cur.lines[-1], line, cur)
                # a line of its own ends a sentence, unless justification stretched it: the width broke it
                and (cur.lines[-1].text.rstrip()[-1:] not in TERMINAL or cur.lines[-1].stretched))
        if continues and cur is not None:
            cur.lines.append(line)
        else:
            cur = _new_block(line, cur, pending_break)
            blocks.append(cur)
            pending_break = False
        gap = False
    return blocks


def _mark_contents(blocks: list[RawBlock]) -> None:
    """Lines of a table of contents are neither headings nor text: a line with dot leaders and a
    page number, the heading 'Innehåll' over them, and the run of lines under 'Innehåll' whose
    words come back later as headings."""
    later = {_heading_key(b.text) for b in blocks if b.kind == "heading"}
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind in ("heading", "paragraph", "item", "numbered") and CONTENTS_LINE.search(text) \
                and len(text) <= 200:
            block.kind = "contents"
        elif layout().contents_heading.match(text):
            block.kind = "contents"
            listed: set[str] = set()
            for following in blocks[i + 1:i + 60]:
                key = _heading_key(following.text)
                if key in listed:
                    break  # the first heading of the text itself, listed above
                listed.add(key)
                if following.kind == "contents" or (following.kind in ("heading", "item", "paragraph", "numbered")
                                                   and (PAGE_REFERENCE.match(following.text.strip())
                                                        or (sum(1 for b in blocks if _heading_key(b.text) == key) > 1
                                                            and key in later))):
                    following.kind = "contents"
                    continue
                break


def _heading_key(text: str) -> str:
    return re.sub(r"[\s.…]+\d{0,3}$", "", re.sub(r"\s+", " ", text.strip())).lower()


def _wrapped_blocks(lines: list[Line], blank_separates: bool = False) -> list[RawBlock]:
    content = [i for i, line in enumerate(lines) if line.kind == "content"]
    width = typical_width(lines)
    blocks: list[RawBlock] = []
    cur: RawBlock | None = None
    lost_list = False
    pending_break = False
    previous_index = None

    position = {line_index: n for n, line_index in enumerate(content)}

    def ahead(line_index: int, k: int) -> list[Line]:
        n = position[line_index]
        return [lines[j] for j in content[n + 1:n + 1 + k]]

    def start(kind: str, line: Line, **kw: Any) -> RawBlock:
        nonlocal cur, pending_break
        block = RawBlock(kind, [line], after_break=pending_break, **kw)
        blocks.append(block)
        cur, pending_break = block, False
        return block

    gap = False
    for line_index, line in enumerate(lines):
        if line.kind != "content":
            if line.furniture:
                pending_break = True
            gap = gap or (line.kind == "blank" and blank_separates)
            continue
        prev = lines[previous_index] if previous_index is not None else None
        previous_index = line_index
        text = line.text
        glyph = bullet_of(text)
        forced_continuation = cur is not None and open_ended(cur.lines[-1].text)
        if gap:  # a blank line this text puts only between paragraphs
            gap, forced_continuation = False, False
            if cur is not None and glyph is None and not LETTERED.match(text) and not NUMBERED.match(text) \
                    and not LOWER_NUMBERED.match(text):
                heading = line.hint in ("heading", "title")   # a heading set with space above it stays one
                start("heading" if heading else "paragraph", line, level=0 if line.hint == "title" else 1)
                continue

        if glyph is not None:
            level = 1
            if cur is not None and cur.kind == "item" and cur.glyph and \
                    abs(line.indent - cur.lines[0].indent) >= NESTING_INDENT:
                # a bullet set clearly deeper than the item before is its sub-item, one set back towards
                # the margin is the outer list again — as typed text shows nesting (_new_block), and as a
                # PDF sets a second list level with the same bullet further in
                level = 2 if line.indent > cur.lines[0].indent else 1
            elif (glyph in layout().sub_bullets and cur is not None and cur.kind == "item" and cur.glyph not in (None, "", glyph)) or (cur is not None and cur.kind == "item" and cur.level == 2 and cur.glyph == glyph):
                level = 2
            start("item", line, glyph=glyph, level=level)
            lost_list = False
            continue
        if not forced_continuation and (lettered := LETTERED.match(text) or LOWER_NUMBERED.match(text)):
            start("item", line, glyph="", number=lettered.group(1))
            continue
        if not forced_continuation and (numbered := NUMBERED.match(text)) and len(text) <= 400:
            start("numbered", line, number=numbered.group(1))
            lost_list = False
            continue
        if cur is not None and cur.kind == "numbered" and (
                forced_continuation or not starts_upper(text) or text.startswith("(") or _carried(prev, line, cur)):
            cur.lines.append(line)
            continue
        if DEFINITION.match(text):
            start("definition", line)
            continue
        if prev is not None and cur is not None and _type_changes(prev, line):
            # the reader saw a heading's type (size or weight) on one of the two lines and not on the
            # other, or two headings one after the other (it joins a heading's wrapped lines itself):
            # a title, the parties' line under it and a draft note are three blocks, never one
            heading = line.hint in ("heading", "title")
            start("heading" if heading else "paragraph", line, level=0 if line.hint == "title" else 1)
            lost_list = False
            continue
        if _lost_bullet(line, prev, cur, lost_list, ahead(line_index, 3)):
            start("item", line, glyph="")
            lost_list = True
            continue
        if cur is None or (not forced_continuation and _new_paragraph(line, prev, cur, width, ahead(line_index, 2))):
            start("paragraph", line)
            lost_list = False
            continue
        cur.lines.append(line)
    return blocks


def _carried(prev: Line | None, line: Line, cur: RawBlock) -> bool:
    """Whether `line` carries on the text of a PDF's line set out to its column's edge: the width
    broke that line, whatever its last character (a sentence's end there is no paragraph's end) —
    unless `line` opens a block by its marker or its type, stands left of the item it would go on,
    or the block so far reads as a heading ("6.10 Remisser och konsultation" over a paragraph whose
    first word is long)."""
    if prev is None or prev.fill is not True or _type_changes(prev, line) or line.row:
        return False
    if cur.kind in ("item", "numbered") and line.indent < cur.lines[0].indent:
        return False    # back out of an item set in from the margin: the next block
    text = line.text
    if bullet_of(text) is not None or LETTERED.match(text) or NUMBERED.match(text) or LOWER_NUMBERED.match(text):
        return False
    return not (cur.kind in ("numbered", "heading", "paragraph") and heading_like(cur.text))


def _short(prev: Line | None, width: int) -> bool:
    """A line that ends before its column's edge: as the PDF measured it (the next line's first word
    would have fitted after it), else shorter than most lines of the text."""
    if prev is None:
        return True
    if prev.fill is not None:
        return not prev.fill
    return len(prev.text) < 0.8 * width


def _prose(text: str) -> bool:
    """Longer than any heading and holding a sentence's end followed by another sentence: prose,
    whatever number stands before it ("25 (RIM) syftar till att … beroendesjukdomar. Överenskommelsen
    och riktlinjerna utgår från …", a footnote's number left at a line's start)."""
    return len(text) > layout().max_heading_chars and bool(INNER_SENTENCE.search(text))


def _type_changes(prev: Line, line: Line) -> bool:
    """Whether the reader's typography hints part two consecutive lines: one set as a heading and
    the other not, or both headings (PDF reader: a heading's wrapped lines come joined)."""
    headings = ("heading", "title")
    return (prev.hint in headings) != (line.hint in headings) or (prev.hint in headings and line.hint in headings)


def _lost_bullet(line: Line, prev: Line | None, cur: RawBlock | None, lost_list: bool, nxt: list[Line]) -> bool:
    """An indented line that starts an item whose bullet glyph was lost in extraction."""
    if line.indent < 1 or not line.text[:1].isalpha() or prev is None or cur is None:
        return False
    if cur.kind == "item" and cur.glyph:  # in a list with glyphs, indented lines continue items
        return False
    if heading_like(line.text) and nxt and starts_upper(nxt[0].text) and not lost_list:
        return False
    prev_text = prev.text.rstrip()
    if lost_list and cur.kind == "item":
        return True
    if prev_text.endswith(":") or prev_text.lower().endswith(layout().intro_endings):
        return True
    # a run: another indented line close by, both starting like list items
    starts_like_item = line.text[0].islower() or first_word(line.text) in layout().item_verbs
    return starts_like_item and any(l.indent >= 1 and l.text[:1].isalpha() and not bullet_of(l.text)
                                    for l in nxt[:3])


def _new_paragraph(line: Line, prev: Line | None, cur: RawBlock, width: int, nxt: list[Line]) -> bool:
    text, prev_text = line.text, (prev.text if prev else "")
    if cur.kind in ("heading", "numbered"):
        return True
    if cur.kind == "definition":
        return starts_upper(text)
    if prev_text.endswith(":"):
        return True
    upper = starts_upper(text) or bool(bullet_of(text))
    if not upper:
        return False
    ended = prev_text[-1:] in ".!?" or prev_text.endswith((".)", ".”", '."'))
    if ended and text.endswith(":") and len(text) < 160:
        return True  # a sentence introducing a list starts a block of its own
    if cur.kind == "item" and not cur.glyph and line.indent == 0 and len(prev_text) < 0.8 * width \
            and prev_text[-1:] not in ",":
        return True  # after an item whose bullet was lost, a short last line ends it
    if cur.kind == "item" and cur.glyph and line.indent <= cur.lines[0].indent and (
            len(cur.lines) == 1 or cur.lines[1].indent > cur.lines[0].indent):
        return True  # back at the margin after an item with a hanging indent
    if ended and (_short(prev, width) or (prev is not None and line.indent > prev.indent)):
        return True
    if cur.kind == "paragraph" and len(cur.lines) <= 2 and heading_like(cur.text) and not open_ended(prev_text) \
            and all(len(l.text) < 0.8 * width for l in cur.lines[:-1]) and len(cur.lines[-1].text) < width:
        return True  # the block so far is a heading
    if ended and heading_like(text) and len(text) < 0.75 * width and (not nxt or starts_upper(nxt[0].text)):
        return True  # this line is a heading after a paragraph that ended with a full line
    if ended and len(nxt) >= 2 and len(text) < 0.75 * width and not starts_upper(nxt[0].text) \
            and heading_like(text + " " + nxt[0].text) and starts_upper(nxt[1].text):
        return True  # a heading over two lines
    return bool(cur.kind == "item" and heading_like(text) and len(text) < 0.6 * width and nxt and starts_upper(nxt[0].text))


def _settle_kinds(blocks: list[RawBlock]) -> None:
    """Numbered blocks become headings or items; short unpunctuated paragraphs become headings."""
    for block in blocks:
        if block.kind == "definition":
            block.kind = "paragraph"
            block.glossary = True
    listed = 0   # the number the next line of a numbered list after a colon has ("Parterna är:" 1., 2., …)
    for i, block in enumerate(blocks):
        if block.glossary:
            continue
        text = block.text.strip()
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "numbered":
            previous = blocks[i - 1] if i else None
            # "1." right before "2." after a colon, an unfinished sentence ("tecknad mellan") or a heading:
            # a numbered list — a section is never empty, so "1." heads none (a list set as numbers)
            if previous is not None and block.number == "1" and following is not None \
                    and following.kind == "numbered" and following.number == "2" \
                    and (previous.text.rstrip().endswith(":") or open_ended(previous.text) or previous.kind == "heading"):
                listed = 1
            introduced = listed > 0 and block.number == str(listed)
            listed = listed + 1 if introduced else 0
            in_numbered_list = previous is not None and previous.kind == "item" and previous.number
            # the next number of a numbered list's last item goes on with the list ("1. Samverkan följs
            # upp …" + "2. Avtalstid: …")
            introduced = introduced or bool(in_numbered_list and previous is not None and (previous.number or "").isdigit()
                                            and block.number == str(int(previous.number or "0") + 1))
            lettered_next = following is not None and following.kind == "item" and bool(following.number) \
                and not (following.number or "").isdigit()
            sentence = text[-1:] in ".;:" or (in_numbered_list and not heading_like(text)) or (
                open_ended(text) and (len(text.split()) > 3 or lettered_next))  # "1.1 Detta avtal har träffats mellan", "1. Kommunen ska" + "a) …"
            # "Parterna är:" / "1. Tanums kommun": a heading never follows a colon, a list does
            block.kind = "item" if sentence or introduced else "heading"
            if block.kind == "heading" and _prose(text):
                block.kind, block.number = "paragraph", None   # a number before running prose heads nothing
                continue
            if block.kind == "item":
                block.glyph = ""
            else:
                block.level = (block.number or "").count(".") + 1
            continue
        listed = 0
        if block.kind == "paragraph" and heading_like(text) and not layout().document_notes.match(text) \
                and not block.lines[0].row and (
                following is None or following.kind != "paragraph" or starts_upper(following.text)):
            block.kind = "heading"
