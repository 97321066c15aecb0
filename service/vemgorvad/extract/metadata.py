"""What an agreement says about itself: title, parties (parties.py), period of validity. Read
from any agreement by the rules of data/lexicon/metadata.json and parties.json, not by patterns
fitted to the seed agreements' openings."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

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
class _Rules:
    date: re.Pattern
    months: dict[str, int]
    statement: re.Pattern
    subject: re.Pattern
    section: re.Pattern
    start: re.Pattern
    end: re.Pattern
    range: re.Pattern
    open_ended: re.Pattern
    prolongation: re.Pattern
    other_document: re.Pattern


@cache
def rules() -> _Rules:
    data = load("metadata.json")
    months = {name: n for n, name in enumerate(data["months"], start=1)}
    articles = "|".join(re.escape(a) for a in data["day_articles"]) or "(?!)"
    date = re.compile(r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b|\b(?:(?:" + articles + r")\s+)?(?P<day>[0-3]?\d)"
                      r"(?:\s*:e)?\s+(?P<month>" + "|".join(months) + r")\s+(?P<year>(?:19|20)\d\d)\b", re.I)
    v = data["validity"]
    return _Rules(date, months, *(re.compile(v[k]) for k in (
        "statement", "subject", "section", "from", "to", "range", "open_ended", "prolongation", "other_document")))


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
    parties = [replace(p, name=_clean(p.name)) for p in extraction.parties]
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
        if len(text) <= MAX_TITLE and not text.endswith(".") and "=" not in text and nouns.search(text):
            return text
        if index >= 2 and block.kind == "paragraph" and text.endswith("."):
            break
    named = phrase("agreement_named", flags=0).search(doc.text[:3000])
    if named:  # "Överenskommelsen om samarbete mellan … är ett underavtal …" names itself
        return named.group(1)
    stem = re.sub(r"[_\s]+", " ", Path(filename or "").stem).strip()
    return stem if stem and stem.lower() not in ("upload", "uppladdad") else "Överenskommelse utan titel"


def _statements(doc: Document):
    """Sentences and lines that could state the period: (text, section heading)."""
    for block in doc.blocks:
        if block.kind == "contents":
            continue
        heading = doc.sections[block.section].heading if block.section is not None and doc.sections else ""
        for start, end in split_sentences(doc.text[block.start:block.end], block.start):
            yield doc.text[start:end], heading


def validity(doc: Document):
    """(valid_from, valid_to, open_ended, extends, quote) from the statement of the agreement's own
    period: the sentence with a validity word and dates, in a validity section or with the
    agreement as its subject; dates that belong to another document are not taken."""
    r = rules()
    best, best_score = None, 0
    open_ended = extends = False
    open_quote = None
    for text, heading in _statements(doc):
        in_section = bool(r.section.search(heading))
        about = bool(r.statement.search(text)) and (in_section or bool(r.subject.search(text)))
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
    return valid_from, valid_to, open_ended, extends, quote or open_quote
