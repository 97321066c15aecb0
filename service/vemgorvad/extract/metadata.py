"""What an uploaded agreement says about itself: title, parties, period of validity."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..ingest.document import Document
from ..language import load
from .lexicon import compile_raw, phrase
from .model import Extraction

DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")


@cache
def _party_lexicon() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], tuple[str, ...]]:
    data = load("parties.json")
    names = compile_raw(data["names"], r"\b", flags=0)
    return names, data["generic"], re.compile(data["between"]), tuple(data["kommun_words"])


@dataclass
class Metadata:
    title: str
    parties: list[str]
    valid_from: str | None
    valid_to: str | None
    open_ended: bool
    extends: bool
    validity_quote: str | None


def describe(doc: Document, extraction: Extraction, filename: str | None = None) -> Metadata:
    return Metadata(_title(doc, filename), _parties(doc, extraction), *_validity(extraction))


def _title(doc: Document, filename: str | None = None) -> str:
    """A short line near the start that names the agreement (a title, so no full stop at its
    end); else the name a sentence opening the text gives it ("Överenskommelsen om … är …"); else
    the file's name; else a placeholder. A sentence from the body is never a title."""
    for block in doc.blocks[:15]:
        text = doc.text[block.start:block.end].strip()
        if (block.kind in ("heading", "paragraph") and not block.number and len(text) <= 160
                and not text.endswith(".") and "=" not in text and phrase("agreement_words").search(text)):
            return text
    named = phrase("agreement_named", flags=0).search(doc.text[:3000])
    if named:  # "Överenskommelsen om samarbete mellan … är ett underavtal …" names itself
        return named.group(1)
    stem = re.sub(r"[_\s]+", " ", Path(filename or "").stem).strip()
    return stem if stem and stem.lower() not in ("upload", "uppladdad") else "Överenskommelse utan titel"


def _parties(doc: Document, extraction: Extraction) -> list[str]:
    """Names of parties, in the order the text gives them: from the passages about the parties,
    and from a sentence saying whom the agreement is made between. There "landstinget" or
    "kommunerna" name a party too, unless something more precise names a party of that kind."""
    names, generic, between, kommun_words = _party_lexicon()
    mentions: list[tuple[int, str]] = []
    for clause in extraction.clauses:
        if "parter" in clause.topics:
            mentions += [(clause.own_start + m.start(), m.group(0).strip()) for m in names.finditer(clause.text)]
    for match in between.finditer(doc.text):
        group = "parties" if match.group("parties") else "parties2"
        start, phrase = match.start(group), match.group(group) or ""
        mentions += [(start + m.start(), m.group(0).strip()) for m in names.finditer(phrase)]
        mentions += [(start + m.start(), m.group(0)) for word in generic
                     for m in re.finditer(rf"\b{word}\b", phrase.lower())]
    ordered: list[str] = []
    for _, name in sorted(mentions):
        if not any(name.lower() == o.lower() for o in ordered):
            ordered.append(name)
    specific = [n for n in ordered if n.lower() not in generic]
    kinds = {"kommun" if any(w in n.lower() for w in kommun_words) else "region" for n in specific}
    found = []
    for name in ordered:
        kind = generic.get(name.lower())
        if kind is None:
            found.append(name)
        elif kind not in kinds:
            found.append(name)
            kinds.add(kind)
    # "varje enskild kommun" says less than "varje enskild kommun i Västmanlands län" found elsewhere
    return [f for f in found if not any(f.lower() in o.lower() and f != o for o in found)][:8]


def _validity(extraction: Extraction):
    valid_from = valid_to = quote = None
    open_ended = extends = False
    for clause in extraction.clauses:
        if "giltighetstid" not in clause.topics:
            continue
        text = clause.text
        lower = text.lower()
        dates = ["-".join(m.groups()) for m in DATE.finditer(text)]
        if phrase("open_ended").search(lower):
            open_ended = True
            quote = quote or clause.quote
        if phrase("extended").search(lower):
            extends = True
        if not dates:
            continue
        quote = quote or clause.quote
        if len(dates) >= 2 and phrase("date_range", flags=0).search(text):
            valid_from = valid_from or dates[0]
            valid_to = valid_to or dates[1]
        elif phrase("date_from").search(lower):
            valid_from = valid_from or dates[0]
    return valid_from, valid_to, open_ended, extends, quote
