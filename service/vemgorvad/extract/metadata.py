"""What an agreement says about itself: title, parties (parties.py), period of validity. Read
from any agreement by the rules of data/lexicon/metadata.json and parties.json, not by patterns
fitted to the seed agreements' openings."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ..ingest.blocks import heading_like, open_ended
from ..ingest.layout import layout
from ..ingest.document import Document
from ..language import load
from ..safe_text import strip_controls
from .lexicon import phrase
from .model import Extraction
from .parties import Party
from .sentences import split_sentences

MAX_TITLE = 300


@dataclass
class Metadata:
    title: str
    parties: list[str]
    valid_from: str | None
    valid_to: str | None
    open_ended: bool
    extends: bool
    validity_quote: str | None
    party_details: list[Party] = field(default_factory=list)


@dataclass(frozen=True)
class Rules:
    date: re.Pattern[str]
    months: dict[str, int]
    statement: re.Pattern[str]
    subject: re.Pattern[str]
    section: re.Pattern[str]
    start: re.Pattern[str]
    end: re.Pattern[str]
    range: re.Pattern[str]
    open_ended: re.Pattern[str]
    prolongation: re.Pattern[str]
    other_document: re.Pattern[str]
    notice: re.Pattern[str]


@cache
def rules() -> Rules:
    data = load("metadata.json")
    months = {name: n for n, name in enumerate(data["months"], start=1)}
    articles = "|".join(re.escape(a) for a in data["day_articles"]) or "(?!)"
    date = re.compile(r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b|\b(?:(?:" + articles + r")\s+)?(?P<day>[0-3]?\d)"
                      r"(?:\s*:e)?\s+(?P<month>" + "|".join(months) + r")\s+(?P<year>(?:19|20)\d\d)\b", re.I)
    v = data["validity"]
    return Rules(date, months, *(re.compile(v[k]) for k in (
        "statement", "subject", "section", "from", "to", "range", "open_ended", "prolongation", "other_document", "notice")))


def dates_in(text: str) -> list[tuple[int, int, str]]:
    """Every date a text writes, ISO or Swedish words ('den 1 mars 2026'), as (start, end, ISO)."""
    r = rules()
    out = []
    for m in r.date.finditer(text):
        if m.group("iso"):
            iso = m.group("iso")
        else:
            iso = f"{m.group('year')}-{r.months[m.group('month').lower()]:02d}-{int(m.group('day')):02d}"
        out.append((m.start(), m.end(), iso))
    return out


def describe(doc: Document, extraction: Extraction, filename: str | None = None) -> Metadata:
    """Title and parties never carry control or bidi characters from the document or file name."""
    return describe_parties(doc, extraction.parties, filename)


def describe_parties(doc: Document, parties: list[Party], filename: str | None = None) -> Metadata:
    """What describe() says of a document whose parties (find_parties) are `parties`: it reads no
    more of the extraction than them, so `vemgorvad add` plans a record without extracting the
    clauses (the build extracts them once)."""
    parties = [replace(p, name=_clean(p.name)) for p in parties]
    parties = [p for p in parties if p.name]
    valid_from, valid_to, open_ended, extends, quote = validity(doc)
    return Metadata(_clean(title(doc, filename)) or "Överenskommelse utan titel", [p.name for p in parties],
                    valid_from, valid_to, open_ended, extends, quote, parties)


def _clean(text: str) -> str:
    return " ".join(strip_controls(text).split())


def title(doc: Document, filename: str | None = None) -> str:
    """The title block that opens the document (no full stop at its end, naming a kind of
    document); else the name a sentence opening the text gives it ("Överenskommelsen om … är …");
    else the file's name; else a placeholder. A sentence from the body is never a title."""
    nouns = phrase("agreement_words")
    for index, block in enumerate(doc.blocks[:6]):
        text = doc.text[block.start:block.end].strip()
        if block.kind not in ("heading", "paragraph") or block.number or block.kind == "contents":
            continue
        if len(text) <= MAX_TITLE and not text.endswith((".", ":")) and "=" not in text and nouns.search(text) \
                and not open_ended(text):   # "Överenskommelsen är tecknad mellan" opens a party list
            return text
        if index >= 2 and block.kind == "paragraph" and text.endswith("."):
            break
    named = phrase("agreement_named", flags=0).search(doc.text[:3000])
    if named:  # "Överenskommelsen om samarbete mellan … är ett underavtal …" names itself
        return named.group(1)
    opening = _opening_heading(doc)
    if opening:
        return opening
    stem = re.sub(r"[_\s]+", " ", Path(filename or "").stem).strip()
    return stem if stem and stem.lower() not in ("upload", "uppladdad") else "Överenskommelse utan titel"


def _opening_heading(doc: Document) -> str | None:
    """The document's first block when it is a heading that names no kind of document ("Samverkan
    kring vuxna med psykisk ohälsa i Ydre"): a draft's first line is its title, unless it is a
    note about the document (layout.json's document_notes: "Utkast", "Bilaga 2", "Dnr …") or a date."""
    block = next((b for b in doc.blocks if b.kind != "contents"), None)
    if block is None or block.kind not in ("heading", "paragraph") or block.number:
        return None
    text = doc.text[block.start:block.end].strip()
    words = re.findall(r"[^\W\d_]{3,}", text)
    if (len(text) > MAX_TITLE or len(words) < 2 or not heading_like(text) or layout().document_notes.match(text)
            or dates_in(text)):
        return None
    return text


def _statements(doc: Document) -> Iterator[tuple[str, str]]:
    """Sentences and lines that could state the period: (text, section heading)."""
    for block in doc.blocks:
        if block.kind == "contents":
            continue
        heading = doc.sections[block.section].heading if block.section is not None and doc.sections else ""
        if block.kind == "item" and block.intro is not None:
            # a short label over a list ("Giltighet:") heads its items as a section heading does
            label = doc.text[doc.blocks[block.intro].start:doc.blocks[block.intro].end].strip()
            heading = f"{heading} {label}" if len(label) <= 60 and label.endswith(":") else heading
        for start, end in split_sentences(doc.text[block.start:block.end], block.start):
            yield doc.text[start:end], heading


def unmarked(text: str) -> str:
    """A line without its list marker ("• ", "- ", "1. ", "a) ")."""
    return re.sub(r"^\s*(?:[•\-–]|\(?\d{1,2}[.)]|\(?[a-zåäö]\))\s+", "", text)


def _dates_only(text: str) -> bool:
    """Whether a line says nothing but dates and the words that join them into a period."""
    r = rules()
    rest = unmarked(text)
    for start, end, _ in reversed(dates_in(rest)):
        rest = rest[:start] + " " + rest[end:]
    rest = r.start.sub(" ", r.end.sub(" ", rest))
    return bool(dates_in(text)) and not re.sub(r"[\s–—\-.,:;]+", "", rest)


class Validity(NamedTuple):
    valid_from: str | None
    valid_to: str | None
    open_ended: bool    # the text says the agreement runs until further notice
    extends: bool       # the text says it is prolonged
    quote: str | None   # the statement the period was read from


#: The last document validity() read and what it found: describe() and coverage.passages() both ask
#: for the period of the document being built, and reading it twice was 7 % of an agreement's extraction.
_LAST: list[tuple[Document, str, Rules, int, Validity]] = []


def validity(doc: Document) -> Validity:
    """(valid_from, valid_to, open_ended, extends, quote) from the statement of the agreement's own
    period: the sentence with a validity word and dates, in a validity section or with the
    agreement as its subject; dates that belong to another document are not taken. The answer for
    the same document (the same object, text, blocks and rules) is read once."""
    r = rules()
    last = next(iter(_LAST[-1:]), None)    # one read: another thread (the server's check) may replace it
    if last is not None and last[0] is doc and last[1] is doc.text and last[2] is r and last[3] == len(doc.blocks):
        return last[4]
    found = _validity(doc, r)
    _LAST[:] = [(doc, doc.text, r, len(doc.blocks), found)]
    return found


def _validity(doc: Document, r: Rules) -> Validity:
    best, best_score = None, 0
    open_ended = extends = False
    open_quote = None
    for text, heading in _statements(doc):
        in_section = bool(r.section.search(heading))
        # "Gäller från 1 januari 2027 …", "Giltig t.o.m. …": the agreement is the elided subject
        elided = bool(r.statement.match(unmarked(text)))
        about = bool(r.statement.search(text)) and (in_section or elided or bool(r.subject.search(text)))
        # under a validity heading a line of dates alone ("1 april 2027 – 31 mars 2030") is the period
        about = about or (in_section and _dates_only(text))
        if not about and not in_section:
            continue
        if r.open_ended.search(text):
            open_ended, open_quote = True, open_quote or text
        if r.prolongation.search(text):
            extends = True
        dates = dates_in(text)
        if not dates or r.other_document.search(text) or not about:
            continue
        score = 1 + in_section + bool(r.subject.search(text[:80]))
        if score > best_score:
            best, best_score = (text, dates), score
    valid_from = valid_to = None
    quote = None
    if best is not None:
        text, dates = best
        quote = text
        if len(dates) >= 2 and r.range.fullmatch(text[dates[0][1]:dates[1][0]]):
            valid_from, valid_to = dates[0][2], dates[1][2]
        else:
            for start, _, iso in dates:
                before = text[max(0, start - 25):start]
                if r.end.search(before) and valid_to is None and (valid_from or not r.start.search(before[-12:])):
                    valid_to = iso
                elif valid_from is None:
                    valid_from = iso
                elif valid_to is None:
                    valid_to = iso
    return Validity(valid_from, valid_to, open_ended, extends, quote or open_quote)
