"""What an uploaded agreement says about itself: title, parties, period of validity."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...extract.model import Extraction
from ...ingest.document import Document

DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
PARTY = re.compile(
    r"\b(?:Region [A-ZÅÄÖ][\wåäö-]+(?: [A-ZÅÄÖ][\wåäö]+)?|Landstinget(?: i)? [A-ZÅÄÖ][\wåäö]+(?: län)?|"
    r"(?:[A-ZÅÄÖ][\wåäö]+ )?[A-ZÅÄÖ][\wåäö]+regionen|[A-ZÅÄÖ][\wåäö]+ (?:kommun|stad)|(?:kommunerna|länets kommuner|varje (?:enskild )?kommun)"
    r"(?: i [A-ZÅÄÖ][\wåäö]+(?: [A-ZÅÄÖ][\wåäö]+)?(?:s)?(?: län)?)?|Stockholms läns landsting)")


@dataclass
class Metadata:
    title: str
    parties: list[str]
    valid_from: str | None
    valid_to: str | None
    open_ended: bool
    extends: bool
    validity_quote: str | None


def describe(doc: Document, extraction: Extraction) -> Metadata:
    return Metadata(_title(doc), _parties(extraction), *_validity(extraction))


def _title(doc: Document) -> str:
    """A short line near the start that names the agreement; else the first sentence that does;
    else the first heading."""
    blocks = [doc.text[b.start:b.end].strip() for b in doc.blocks[:15]
              if b.kind in ("heading", "paragraph") and not b.number]
    blocks = [b for b in blocks if "=" not in b]
    for text in blocks:
        if re.search(r"överenskommelse", text, re.I) and len(text) <= 200:
            return text.rstrip(".")
    match = re.search(r"[^.\n]*överenskommelse[^.\n]*", doc.text[:5000], re.I)
    if match:
        sentence = match.group(0).strip()
        return sentence if len(sentence) <= 140 else sentence[:137].rsplit(" ", 1)[0] + " …"
    return blocks[0][:200] if blocks else "Namnlös överenskommelse"


def _parties(extraction: Extraction) -> list[str]:
    found: list[str] = []
    for clause in extraction.clauses:
        if "parter" in clause.topics:
            for match in PARTY.finditer(clause.text):
                name = match.group(0).strip()
                if name not in found:
                    found.append(name)
    return found[:8]


def _validity(extraction: Extraction):
    valid_from = valid_to = quote = None
    open_ended = extends = False
    for clause in extraction.clauses:
        if "giltighetstid" not in clause.topics:
            continue
        text = clause.text
        lower = text.lower()
        dates = ["-".join(m.groups()) for m in DATE.finditer(text)]
        if re.search(r"tills vidare", lower):
            open_ended = True
            quote = quote or clause.quote
        if re.search(r"förläng", lower):
            extends = True
        if not dates:
            continue
        quote = quote or clause.quote
        if len(dates) >= 2 and re.search(r"[–-]|till och med|t\.o\.m\.", text):
            valid_from = valid_from or dates[0]
            valid_to = valid_to or dates[1]
        elif re.search(r"från och med|fr\.o\.m\.|gäller från", lower):
            valid_from = valid_from or dates[0]
    return valid_from, valid_to, open_ended, extends, quote
