"""The parties of an agreement, read by a small grammar (data/lexicon/parties.json): the noun
phrases that name a party (a municipality, a region or landsting, the municipalities of a county,
a district of a city, a company, an association) and the places a text states its parties (a
'mellan' phrase about the agreement, a 'Parter' heading, 'Parterna är …', a line of the opening
that holds only party names, a list of parties after a line that introduces it). Each party is
reported as the text names it, with its kind (kommun, region, other) and the words that state it;
a county's municipalities named as one ("kommunerna i Kronobergs län") are reported one by one,
from the gazetteer (SCB's municipalities with their county codes), each with the words that named
them all (`member_of`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from ..ingest.document import Document
from ..language import Pattern, load
from ..places import MUNICIPALITY, Place, gazetteer
from .sentences import split_sentences

# How explicitly a context states parties: a lower rank wins (see data/lexicon/parties.json).
PARTY_SENTENCE, SIGNING, OPENING, BETWEEN, SECTION = range(5)
MAX_NAMED = 12   # parties the text names one by one (a county's municipalities named as one are added to these)


@dataclass(frozen=True)
class Party:
    name: str
    kind: str            # kommun | region | other
    role: str            # what the form says it is: kommun, region, landsting, bolag, …
    start: int           # where the text names it as a party (offset into Document.text)
    quote: str           # the sentence or line that states it
    alias: str = ""      # what the text calls it afterwards ("vårdgivaren")
    generic: bool = False
    member_of: str = ""  # the collective that named it with the others ("kommunerna i Kronobergs län")

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "kind": self.kind, "role": self.role, "alias": self.alias or None,
                "quote": self.quote, "member_of": self.member_of or None}


@dataclass(frozen=True)
class _Form:
    kind: str
    role: str
    pattern: Pattern


@dataclass(frozen=True)
class Grammar:
    forms: tuple[_Form, ...]
    generic: dict[str, str]
    between: Pattern
    between_about: Pattern
    signing: Pattern
    between_end: Pattern
    party_heading: Pattern
    party_sentence: Pattern
    connectors: Pattern
    not_party: Pattern
    alias: Pattern
    list_marker: Pattern
    list_rest: Pattern
    shared_head: Pattern
    this_county: Pattern
    county_genitive: Pattern
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
                   re.compile(c["not_party"]), re.compile(c["alias"]), re.compile(c["list_marker"]),
                   re.compile(c["list_rest"]), re.compile(c["shared_head"]), re.compile(c["this_county"]),
                   re.compile(c["county_genitive"]), int(data["opening_blocks"]))


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


def _bare_municipalities(text: str) -> list[tuple[int, int, Place]]:
    """Municipalities named by their name alone ("Ljungby"), which a party list allows; a name
    that is also an everyday word ("Mark", "Vara") needs its "kommun"."""
    return [(m.start, m.end, m.place) for m in gazetteer().find(text)
            if m.place.kind == MUNICIPALITY and not m.place.word]


def without_shared_head(text: str) -> str:
    """Municipalities coordinated under one plural head ("Bollnäs, Gävle och Söderhamns kommuner")
    are named one by one: the head is blanked (offsets kept), and the last name's genitive s with
    it when the name is known only without it ("Söderhamns", but "Borås")."""
    m = grammar().shared_head.search(text)
    if m is None:
        return text
    out = text[:m.start()] + " " * (m.end() - m.start())
    if out[m.start() - 1:m.start()] == "s" and not any(e == m.start() for _, e, _ in _bare_municipalities(out)):
        out = out[:m.start() - 1] + " " + out[m.start():]
    return out


def _names_only(text: str) -> bool:
    """Whether a line holds nothing but party names once its list marker and connectors are gone."""
    g = grammar()
    body = without_shared_head(g.list_marker.sub("", text, count=1))
    spans = [(s, e) for s, e, _ in names_in(body)]
    spans += [(s, e) for s, e, _ in _bare_municipalities(body) if all(e <= a or s >= b for a, b in spans)]
    if not spans:
        return False
    rest = body
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + rest[end:]
    return bool(g.list_rest.match(rest))


def _introduces_list(text: str) -> bool:
    """A line that introduces a list of parties: a 'Parter' heading or line, or a line ending in a
    colon that states parties ("Parterna är:", "Överenskommelsen är tecknad mellan:", "Länets
    kommuner:")."""
    g = grammar()
    line = text.strip()
    if g.party_heading.match(line) and g.list_rest.match(g.party_heading.sub("", line, count=1)):
        return True
    if not line.endswith(":"):
        return False
    return bool(g.party_sentence.search(line) or (g.between.search(line) and g.between_about.search(line))
                or _names_only(line))


def _party_list(doc: Document, index: int, limit: int = 60) -> list[int]:
    """The blocks after block `index` that hold nothing but party names, up to the first that does not."""
    out = []
    for i in range(index + 1, min(len(doc.blocks), index + 1 + limit)):
        block = doc.blocks[i]
        if block.kind == "contents" or not _names_only(doc.text[block.start:block.end]):
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
                listed = sorted(set(_following_items(doc, index)) | set(_party_list(doc, index)))
                spans += [(rank, doc.blocks[i].start, doc.blocks[i].end, True) for i in listed]
        for match in g.party_sentence.finditer(text):
            _, sentence_end = _sentence_of(doc, index, block.start + match.start())
            if sentence_end - (block.start + match.end()) > 2:
                spans.append((PARTY_SENTENCE, block.start + match.end(), sentence_end, False))
            else:
                spans += [(PARTY_SENTENCE, doc.blocks[i].start, doc.blocks[i].end, False)
                          for i in _following_items(doc, index)]
        if _introduces_list(text):
            spans += [(PARTY_SENTENCE, doc.blocks[i].start, doc.blocks[i].end, False) for i in _party_list(doc, index)]
        opening = index < min(first_numbered, g.opening_blocks) and block.kind not in ("item",)
        names = names_in(text) if opening else []
        if names:
            rest = text
            for name_start, name_end, _ in reversed(names):
                rest = rest[:name_start] + rest[name_end:]
            if g.connectors.match(rest):
                spans.append((OPENING, block.start, block.end, False))
    if not any(names_in(doc.text[s:e]) or (generic and _generic_in(doc.text[s:e])) for _, s, e, generic in spans):
        # only a 'Parter' section (a 'mellan' in the title that names no one says nothing of the
        # parties): every name in its first blocks
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


def party_kind(name: str) -> str:
    """The kind of a party's name (a catalogue record's): by the party forms, else by the generic
    word its last word ends in ("Västra Götalandsregionen" → region); "other" when neither says."""
    forms = names_in(name)
    if forms:
        return forms[0][2].kind
    last = name.lower().split()[-1] if name.split() else ""
    return next((kind for word, kind in grammar().generic.items() if " " not in word and last.endswith(word)), "other")


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
        named_here = names_in(phrase)
        for start, end, form in named_here:
            alias = g.alias.match(phrase[end:end + 80])
            found.append((rank, Party(phrase[start:end], form.kind, form.role, span_start + start, quote,
                                      alias.group("alias") if alias else "")))
        if _names_only(phrase):  # a list of parties may name a municipality by its name alone
            for start, end, place in _bare_municipalities(without_shared_head(phrase)):
                if all(end <= s or start >= e for s, e, _ in named_here):
                    found.append((rank, Party(place.label, "kommun", "kommun", span_start + start, quote)))
        if allow_generic:
            named = [(s, e) for s, e, _ in named_here]
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
    aliases = {p.name.lower(): p.alias for _, p in found if p.alias}   # stated wherever the text names it
    chosen = [p if p.alias else replace(p, alias=aliases.get(p.name.lower(), "")) for p in chosen]
    ordered = sorted(chosen, key=lambda p: p.start)
    # "varje enskild kommun" says less than "varje enskild kommun i Västmanlands län" found elsewhere
    kept = [p for p in ordered if not any(p.name.lower() in o.name.lower() and p.name != o.name and p.kind == o.kind
                                          for o in ordered)][:MAX_NAMED]
    return _expanded(kept)


def _county_of(party: Party, parties: list[Party]) -> str | None:
    """The county whose municipalities a collective party names: the county it names ("kommunerna
    i Kronobergs län", "samtliga kommuner i Västra Götaland"), or, for "länets kommuner" /
    "kommunerna i länet", the county of the one region among the parties."""
    gaz = gazetteer()
    named = gaz.find(grammar().county_genitive.sub("", party.name))   # "Kronobergs läns kommuner"
    if named:
        return gaz.county_of(named[0].place.id)
    if not grammar().this_county.search(party.name):
        return None
    counties = {gaz.county_of(m.place.id) for p in parties if p.kind == "region" for m in gaz.find(p.name)[:1]}
    return counties.pop() if len(counties) == 1 else None


def _expanded(parties: list[Party]) -> list[Party]:
    """Each collective party of a known county replaced by the county's municipalities, in SCB's
    order, each once (a municipality the text also names as a party keeps the text's name)."""
    gaz = gazetteer()
    named = {m.place.id for p in parties if p.kind == "kommun" and not p.generic for m in gaz.find(p.name)
             if m.place.kind == MUNICIPALITY}
    out: list[Party] = []
    for party in parties:
        county = _county_of(party, parties) if party.role == "kommunerna i länet" else None
        if county is None:
            out.append(party)
            continue
        members = sorted((p for p in gaz.children(county) if p.kind == MUNICIPALITY), key=lambda p: p.id)
        out += [Party(m.label, "kommun", "kommun", party.start, party.quote, member_of=party.name)
                for m in members if m.id not in named]
        named |= {m.id for m in members}
    return out
