"""The parties of an agreement, read by a small grammar (data/lexicon/parties.json): the noun
phrases that name a party (a municipality, a region or landsting, the municipalities of a county,
a district of a city, a company, an association) and the places a text states its parties (a
'mellan' phrase about the agreement, a 'Parter' heading, 'Parterna är …', a line of the opening
that holds only party names). Each party is reported as the text names it, with its kind
(kommun, region, other) and the words that state it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..ingest.document import Document
from ..language import load
from ..places import gazetteer
from .sentences import split_sentences

# How explicitly a context states parties: a lower rank wins (see data/lexicon/parties.json).
PARTY_SENTENCE, SIGNING, OPENING, BETWEEN, SECTION = range(5)


@dataclass(frozen=True)
class Party:
    name: str
    kind: str            # kommun | region | other
    role: str            # what the form says it is: kommun, region, landsting, bolag, …
    start: int           # where the text names it as a party (offset into Document.text)
    quote: str           # the sentence or line that states it
    alias: str = ""      # what the text calls it afterwards ("vårdgivaren")
    generic: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "role": self.role, "alias": self.alias or None,
                "quote": self.quote}


@dataclass(frozen=True)
class _Form:
    kind: str
    role: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Grammar:
    forms: tuple[_Form, ...]
    generic: dict[str, str]
    between: re.Pattern
    between_about: re.Pattern
    signing: re.Pattern
    between_end: re.Pattern
    party_heading: re.Pattern
    party_sentence: re.Pattern
    connectors: re.Pattern
    not_party: re.Pattern
    alias: re.Pattern
    opening_blocks: int


@cache
def grammar() -> Grammar:
    data = load("parties.json")
    forms = tuple(_Form(f["kind"], f["role"], re.compile(rf"(?<![\wåäöÅÄÖ-])(?:{f['pattern']})(?![\wåäöÅÄÖ])"))
                  for f in data["forms"])
    c = data["contexts"]
    return Grammar(forms, data["generic"], re.compile(c["between"]), re.compile(c["between_about"]),
                   re.compile(c["signing"]), re.compile(c["between_end"]),
                   re.compile(c["party_heading"]), re.compile(c["party_sentence"]), re.compile(c["connectors"]),
                   re.compile(c["not_party"]), re.compile(c["alias"]), int(data["opening_blocks"]))


def names_in(text: str) -> list[tuple[int, int, _Form]]:
    """Party names in a text, longest first where they overlap, in text order; a name of a
    region or municipality the gazetteer knows ends where the gazetteer's name ends ("Region
    Västernorrland", not "Region Västernorrland Version")."""
    found = [(m.start(), _known_end(text, m.start(), m.end(), form), form)
             for form in grammar().forms for m in form.pattern.finditer(text)]
    taken: list[tuple[int, int, _Form]] = []
    for start, end, form in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, form))
    return sorted(taken, key=lambda f: f[0])


def _known_end(text: str, start: int, end: int, form: _Form) -> int:
    if form.kind == "other":
        return end
    known = [m for m in gazetteer().find(text[start:end]) if m.start == 0]
    if not known:
        return end
    cut = max(m.end for m in known)
    if text[start + cut:end].startswith((" län", "s län")):
        return end
    return start + cut if cut < end - start else end


def _generic_in(text: str) -> list[tuple[int, int, str, str]]:
    lower = text.lower()
    out = []
    for word, kind in grammar().generic.items():
        out += [(m.start(), m.end(), word, kind) for m in re.finditer(rf"(?<![\wåäö]){re.escape(word)}(?![\wåäö])", lower)]
    return out


def _sentence_of(doc: Document, block_index: int, offset: int) -> tuple[int, int]:
    block = doc.blocks[block_index]
    for start, end in split_sentences(doc.text[block.start:block.end], block.start):
        if start <= offset < end + 1:
            return start, end
    return block.start, block.end


def _following_items(doc: Document, index: int, limit: int = 6) -> list[int]:
    """The list items a block introduces, or (when none is marked) the items right after it."""
    items = [i for i, b in enumerate(doc.blocks) if b.intro == index][:limit]
    if items:
        return items
    out = []
    for i in range(index + 1, min(len(doc.blocks), index + 1 + limit)):
        if doc.blocks[i].kind != "item":
            break
        out.append(i)
    return out


def _phrases(doc: Document) -> list[tuple[int, int, int, bool]]:
    """Spans of the text that state parties: (rank, start, end, generic words count here)."""
    g = grammar()
    spans: list[tuple[int, int, int, bool]] = []
    first_numbered = next((i for i, b in enumerate(doc.blocks) if b.number), len(doc.blocks))
    for index, block in enumerate(doc.blocks):
        if block.kind == "contents":
            continue
        text = doc.text[block.start:block.end]
        for match in g.between.finditer(text):
            sentence_start, sentence_end = _sentence_of(doc, index, block.start + match.start())
            sentence = doc.text[sentence_start:sentence_end]
            if not g.between_about.search(sentence) and not block.number and index >= g.opening_blocks:
                continue
            title_line = index < g.opening_blocks and not text.rstrip().endswith(".")
            rank = SIGNING if g.signing.search(sentence) or title_line else BETWEEN
            rest = text[match.end():]
            end = g.between_end.search(rest)
            stop = match.end() + (end.start() if end else len(rest))
            if text[match.end():stop].strip(" ,:–-"):
                spans.append((rank, block.start + match.end(), block.start + stop, True))
            elif end is None or rest[end.start():end.end()] == ":":
                spans += [(rank, doc.blocks[i].start, doc.blocks[i].end, True) for i in _following_items(doc, index)]
        for match in g.party_sentence.finditer(text):
            _, sentence_end = _sentence_of(doc, index, block.start + match.start())
            if sentence_end - (block.start + match.end()) > 2:
                spans.append((PARTY_SENTENCE, block.start + match.end(), sentence_end, False))
            else:
                spans += [(PARTY_SENTENCE, doc.blocks[i].start, doc.blocks[i].end, False)
                          for i in _following_items(doc, index)]
        opening = index < min(first_numbered, g.opening_blocks) and block.kind not in ("item",)
        names = names_in(text) if opening else []
        if names:
            rest = text
            for start, end, _ in reversed(names):
                rest = rest[:start] + rest[end:]
            if g.connectors.match(rest):
                spans.append((OPENING, block.start, block.end, False))
    if not spans:  # only a 'Parter' section: every name in its first blocks
        party_sections = {i for i, s in enumerate(doc.sections) if g.party_heading.search(s.heading)}
        for section in party_sections:
            members = [b for b in doc.blocks if b.section == section and b.kind not in ("heading", "contents")]
            spans += [(SECTION, b.start, b.end, False) for b in members[:4]]
    return spans


def _excluded(doc: Document, names: set[str]) -> set[str]:
    """Names the text says are not parties."""
    g = grammar()
    out = set()
    for start, end, _ in names_in(doc.text):
        name = doc.text[start:end]
        if name.lower() in names and g.not_party.match(doc.text[end:end + 60]):
            out.add(name.lower())
    return out


def find_parties(doc: Document) -> list[Party]:
    """The parties, in the order the text first states them."""
    g = grammar()
    found: list[tuple[int, Party]] = []
    generic: list[tuple[int, Party]] = []
    for rank, span_start, span_end, allow_generic in _phrases(doc):
        phrase = doc.text[span_start:span_end]
        block_index = next((i for i, b in enumerate(doc.blocks) if b.start <= span_start < max(b.end, b.start + 1)), 0)
        quote_start, quote_end = _sentence_of(doc, block_index, span_start)
        quote = doc.text[min(quote_start, span_start):max(quote_end, span_end)]
        for start, end, form in names_in(phrase):
            alias = g.alias.match(phrase[end:end + 80])
            found.append((rank, Party(phrase[start:end], form.kind, form.role, span_start + start, quote,
                                      alias.group("alias") if alias else "")))
        if allow_generic:
            named = [(s, e) for s, e, _ in names_in(phrase)]
            for start, end, word, kind in _generic_in(phrase):
                if not any(s <= start < e for s, e in named):
                    generic.append((rank, Party(phrase[start:end], kind, word, span_start + start, quote,
                                                generic=True)))
    excluded = _excluded(doc, {p.name.lower() for _, p in found})
    found = [(r, p) for r, p in found if p.name.lower() not in excluded]
    kinds = {p.kind for _, p in found}
    for rank, party in sorted(generic, key=lambda x: (x[0], x[1].start)):
        if party.kind not in kinds:  # one generic word per kind, and only for a kind nothing names
            found.append((rank, party))
            kinds.add(party.kind)
    chosen: list[Party] = []
    best: dict[str, int] = {}
    for rank, party in sorted(found, key=lambda x: (x[0], x[1].start)):
        if rank > best.setdefault(party.kind, rank) or (party.role == "kommunerna i länet" and any(
                o.role == party.role for o in chosen)):
            continue  # this kind is stated more explicitly elsewhere, or the county's municipalities already are
        if not any(party.name.lower() == o.name.lower() for o in chosen):
            chosen.append(party)
    ordered = sorted(chosen, key=lambda p: p.start)
    # "varje enskild kommun" says less than "varje enskild kommun i Västmanlands län" found elsewhere
    return [p for p in ordered if not any(p.name.lower() in o.name.lower() and p.name != o.name and p.kind == o.kind
                                          for o in ordered)][:8]
