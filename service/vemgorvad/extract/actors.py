"""Who a sentence names, and who of them it makes responsible.

Swedish main clauses put the finite verb second: the subject stands before it ("Kommunen ska …")
or right after it when something else comes first ("Enligt SoL ska socialtjänsten …", "Vid
placering ansvarar BUP …"). Besides these the agreements use a few fixed forms: the cleft
("Det är kommunen som …"), the possessive ("I socialtjänstens ansvar ingår att …"), the passive
with a forum ("Tvister löses på lokal chefsnivå", "Beslut har fattats av TKL") and pronouns.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import cast

from ..keys import slug
from .firstchars import PLAIN, first_chars
from .lemmas import body_word
from .lexicon import WORD, ActorEntry, Lexicon, alternation, grammar, lexicon, phrase, words

TOKEN = re.compile(r"[\wåäöÅÄÖéü][\wåäöÅÄÖéü:\-]*")


@cache
def _inverted_gap() -> re.Pattern[str]:
    """Up to three words between the verb and the subject of an inverted clause."""
    return re.compile(rf"\s*(?:(?:{alternation(grammar()['inverted_gap'])})\s+){{0,3}}")


@cache
def _coordination() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """What joins two actors into one subject: in a pair, in a chain (with a determiner), after a
    parenthesis."""
    g = grammar()
    pair, chain, determiners = (alternation(g[k]) for k in ("coordinators", "chain_coordinators", "determiners"))
    return (re.compile(rf"\s*(?:{pair})\s*"), re.compile(rf"\s*(?:{chain})\s*(?:(?:{determiners}) )?\s*"),
            re.compile(rf"\s*(?:\([^)]{{0,30}}\))?\s*(?:{pair})\s*"))


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entry: ActorEntry
    surface: str

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass
class Bearer:
    kind: str                    # kommun | region | kommun+region | other
    mode: str                    # single | joint | each
    principal: ActorEntry         # kommun, region, joint, each, or an other actor
    unit: ActorEntry | None
    label: str
    method: str                  # how it was found: subject, inverted, cleft, possessive, …
    confidence: float
    mentions: list[Mention] = field(default_factory=list)
    surface: str = ""


#: The actors one document names itself (its parties, the bodies it defines), set while it is read.
_DOCUMENT: ContextVar[tuple[tuple[ActorEntry, re.Pattern[str]], ...]] = ContextVar("document_actors", default=())
#: The named bodies the document places inside one principal (partof.py): body id → that principal's unit.
_PLACED: ContextVar[dict[str, ActorEntry] | None] = ContextVar("placed_bodies", default=None)


@contextlib.contextmanager
def document_actors(entries: list[tuple[ActorEntry, re.Pattern[str]]],
                    placed: dict[str, ActorEntry] | None = None) -> Iterator[None]:
    """While reading one document: find_mentions also finds the actors it names itself, and names a
    body the document places inside one principal as that principal's unit."""
    token, placed_token = _DOCUMENT.set(tuple(entries)), _PLACED.set(dict(placed or {}))
    try:
        yield
    finally:
        _PLACED.reset(placed_token)
        _DOCUMENT.reset(token)


@dataclass(frozen=True)
class _Scan:
    """The lexicon's actor patterns (and the generic body pattern, last) with one pattern that finds
    every place where any of them can begin. Each is a whole-word alternation (compile_any), so
    they all open with the same word-start assertion: scanning a text once for the places where one
    of them matches, then matching each there, finds what running each over the whole text finds,
    in a third of the time (a sentence names few actors, the lexicon has some sixty). A pattern of
    another form is run over the whole text as before.

    Both steps look only at the patterns that can begin with the character there (firstchars.py):
    at a plain character (firstchars.PLAIN) the scan's lookahead tries the patterns of that
    character's group and `by_char` lists them; at any other character every pattern is tried.
    Without the groups the scan tried all sixty at every word: a fifth of the extraction's CPU."""
    lexicon: Lexicon
    patterns: tuple[re.Pattern[str], ...]
    starts: re.Pattern[str] | None     # a zero-width match wherever a gated pattern matches
    gated: tuple[int, ...]
    ungated: tuple[int, ...]
    by_char: dict[str, tuple[int, ...]] = field(default_factory=dict)   # lower-cased plain character → gated patterns
    unkeyed: tuple[int, ...] = ()      # the gated patterns firstchars cannot tell: tried at every character

    @classmethod
    def of(cls, lex: Lexicon) -> _Scan:
        patterns = (*(p for _, p in lex.actors), lex.generic_body)
        opening = f"(?<!{WORD})"
        gated = [i for i, p in enumerate(patterns)
                 if p.pattern.startswith(opening) and p.flags == patterns[0].flags
                 and not re.search(r"\\[1-9]|\(\?P=", p.pattern)]   # a backreference would count groups anew
        starts, by_char, unkeyed = None, {}, []
        if gated:
            bodies = {i: f"(?:{patterns[i].pattern[len(opening):]})" for i in gated}
            first = {i: first_chars(patterns[i].pattern, patterns[i].flags) for i in gated}
            keys = sorted({c for chars in first.values() if chars is not None for c in chars})
            by_char = {key: tuple(i for i in gated if first[i] is None or key in cast(frozenset[str], first[i]))
                       for key in keys}
            plain = "".join(sorted(PLAIN))
            groups = [f"(?-i:(?=[^{plain}]))(?:{'|'.join(bodies[i] for i in gated)})"]
            groups += [f"(?-i:(?=[{key}{key.upper()}]))(?:{'|'.join(bodies[i] for i in by_char[key])})" for key in keys]
            unkeyed = [i for i in gated if first[i] is None]
            others = "".join(c for c in plain if c.lower() not in by_char)   # plain characters no group names
            if unkeyed and others:
                groups.append(f"(?-i:(?=[{others}]))(?:{'|'.join(bodies[i] for i in unkeyed)})")
            try:
                starts = re.compile(f"{opening}(?=" + "|".join(groups) + ")", patterns[0].flags)
            except re.error:    # e.g. a group name used in two patterns: run each over the text
                gated, by_char, unkeyed = [], {}, []
        return cls(lex, patterns, starts, tuple(gated), tuple(i for i in range(len(patterns)) if i not in gated),
                   by_char, tuple(unkeyed))


_SCAN: list[_Scan] = []


def _scan(lex: Lexicon) -> _Scan:
    """The scan of the lexicon in use, made once per lexicon."""
    if not _SCAN or _SCAN[0].lexicon is not lex:
        _SCAN[:] = [_Scan.of(lex)]
    return _SCAN[0]


def _matches(text: str, scan: _Scan) -> Iterator[tuple[int, re.Match[str]]]:
    """(index, match) for every match each of the scan's patterns has in `text`, as its finditer
    gives them: at each place any pattern can begin, each pattern that can begin with the
    character there and whose last match ended there or before matches there or not."""
    ends = [0] * len(scan.patterns)
    if scan.starts is not None:
        for candidate in scan.starts.finditer(text):
            at = candidate.start()
            ch = text[at]
            for i in (scan.by_char.get(ch.lower(), scan.unkeyed) if ch in PLAIN else scan.gated):
                if at >= ends[i]:
                    match = scan.patterns[i].match(text, at)
                    if match is not None:
                        ends[i] = match.end()
                        yield i, match
    for i in scan.ungated:
        for match in scan.patterns[i].finditer(text):
            yield i, match


def find_mentions(text: str) -> list[Mention]:
    lex = lexicon()
    scan = _scan(lex)
    document = _DOCUMENT.get()
    generic = len(lex.actors)    # the index of the generic body pattern in the scan
    # (start, end, rank, entry, surface); on the same span the lexicon's order decides: its actors,
    # then the document's own, then a generic body
    found: list[tuple[int, int, int, ActorEntry, str]] = []
    for i, match in _matches(text, scan):
        surface = match.group(0)
        if i != generic:
            found.append((match.start(), match.end(), i, lex.actors[i][0], surface))
        elif (surface.lower() not in lex.generic_body_exclude and body_word(surface)
              and not surface.lower().startswith(tuple(grammar()["not_body_prefixes"]))):
            entry = ActorEntry("body-" + slug(surface, ""), "other", "body", surface[:1].upper() + surface[1:],
                               surface, scope="agreement")
            found.append((match.start(), match.end(), generic + len(document), entry, surface))
    for j, (entry, pattern) in enumerate(document):
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), generic + j, entry, match.group(0)))
    found.sort(key=lambda m: (m[0], m[0] - m[1], m[2]))
    kept: list[Mention] = []
    placed = _PLACED.get()
    for start, end, _, entry, surface in found:  # the longest match wins; ties go to the lexicon's order
        if kept and start < kept[-1].end:
            continue
        kept.append(Mention(start, end, placed.get(entry.id, entry) if placed else entry, surface))
    return kept


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).lower(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def find_subject(text: str, mentions: list[Mention]) -> tuple[list[Mention], str]:
    """The mentions that are the grammatical subject of the sentence, and how they were found.

    Returns ([], "pronoun") for a subject like "De"/"Den", ([], "none") when there is none.
    """
    lex = lexicon()
    lower = text.lower()
    toks = tokens(text)
    if not toks:
        return [], "none"
    mentions = [m for m in mentions if not _in_parentheses(text, m.start)]  # "(Socialstyrelsen 2007)" is a source
    scope_object = phrase("scope_object", "^").match(lower)
    if scope_object:
        after = [m for m in mentions if m.start >= scope_object.end() and in_subject_position(text, m, mentions)]
        if len({m.kind for m in after}) >= 1 and after:
            return after, "scope-object"
    cleft = phrase("cleft", r"\s*").match(lower)
    if cleft:
        inside = [m for m in mentions if cleft.start(1) <= m.start < cleft.end(1)]
        if inside:
            return inside, "cleft"
    payer = phrase("cost_bearer", r"\b").search(lower)
    if payer:
        after = [m for m in mentions if payer.end() <= m.start <= payer.end() + 8]
        if after:
            return _chain(after[0], mentions, text), "cost-bearer"
    responsible_is = phrase("responsible_is", r"\b").search(lower)
    if responsible_is:
        after = [m for m in mentions if responsible_is.end() <= m.start <= responsible_is.end() + 25]
        if after:
            return _chain(after[0], mentions, text), "responsible-is"
    for m in mentions:  # "I socialtjänstens ansvar ingår att", "BUP:s uppdrag är att"
        if m.surface.lower().endswith(tuple(grammar()["genitive_endings"])):
            rest = lower[m.end:m.end + 40]
            rest = re.sub(r"^\s*\([^)]{1,40}\)", "", rest)
            nxt = rest.split()
            if nxt and (nxt[0] in lex.responsibility_nouns or (len(nxt) > 1 and nxt[1] in lex.responsibility_nouns
                                                                 and nxt[0] in words("responsibility_modifiers"))):
                head = lower[:m.start].split()
                if len(head) <= 4:
                    return [m], "possessive"
    verb_index = _main_verb(toks, lex, lower)
    first = toks[0][0]
    if (first in lex.duties["pronouns"] and len(toks) > 1 and toks[1][0] in lex.finite_verb_set
            and not any(m.start == 0 for m in mentions)):
        return [], "pronoun"
    if verb_index is not None:
        verb_start, verb_end = toks[verb_index][1], toks[verb_index][2]
        fronted = first in words("fronted_words") or _starts_subordinate(lower, lex) or (toks[0][0] in words("expletive_subjects") and verb_index > 2)
        if not fronted:
            early = toks[min(9, len(toks) - 1)][1]
            subject = [m for m in mentions if m.end <= verb_start and in_subject_position(text, m, mentions)
                       and (m.start <= early or verb_start - m.end <= 25)]
            relative = _first_relative(toks[:verb_index], lex)
            if relative is not None:
                before_relative = [m for m in subject if m.start < relative]
                subject = before_relative or subject
            if subject:
                return _expand_together(subject, mentions, text, verb_end), "subject"
        after = [m for m in mentions if verb_end <= m.start <= verb_end + 30]
        if fronted and after and _inverted_gap().fullmatch(lower[verb_end:after[0].start]):
            chained = _chain(after[0], mentions, text)
            return _expand_together(chained, mentions, text, chained[-1].end), "inverted"
    agent = phrase("agent_verbs", "", r"\b").search(lower)
    if agent:
        after = [m for m in mentions if agent.end() <= m.start <= agent.end() + 12]
        if after:
            return _chain(after[0], mentions, text), "agent"
        named = phrase("named_agent", flags=0).match(text, agent.end())
        if named and named.group(1).split()[0] not in lexicon().duties.get("not_actors", []):
            name = named.group(1)
            entry = ActorEntry("body-" + slug(name, ""), "other", "body", name, name, scope="agreement")
            return [Mention(named.start(1), named.end(1), entry, name)], "agent"
    passive = next((m for m in re.finditer(r"\b\w+s\b", lower) if m.group(0) in lex.passive_verbs), None)
    if passive:
        for m in mentions:
            before = lower[max(0, m.start - 25):m.start].split()
            # the preposition nearest the mention governs it: "behov av insatser från kommunen" is not "av kommunen"
            governing = next((w for w in reversed(before[-3:]) if w in words("passive_prepositions") | words("prepositions")), None)
            forum_word = governing if governing in words("passive_prepositions") else None
            if m.start > passive.start() and forum_word and (forum_word not in words("body_only_prepositions") or m.entry.role == "body") \
                    and m.entry.role in ("body", "principal", "unit", "joint", "other"):
                return _chain(m, mentions, text), "forum"
    return [], "none"


def _in_parentheses(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("(") > before.count(")")


def in_subject_position(text: str, mention: Mention, mentions: list[Mention]) -> bool:
    """False for the object of a relational preposition ("samverkan med skolan", "mellan X och
    Y"); true for membership ("personal hos båda huvudmännen") and partitives ("den av X som")."""
    lower = text.lower()
    head = mention
    for other in reversed([m for m in mentions if m.end <= mention.start]):
        gap = lower[other.end:head.start]
        if _coordination()[0].fullmatch(gap):
            head = other
        else:
            break
    before = lower[:head.start]
    if phrase("partitive", r"\b", r"\s*$").search(before):
        return True
    words_before = before.split()
    if words_before and words_before[-1] in words("complementizers") \
            and phrase("clause_verbs", r"\s+(?:\w+\s+)?", r"\b").match(lower[mention.end:]):
        return True  # "oavsett om parterna är överens": the subject of a clause, not a preposition's object
    return not (words_before and words_before[-1] in words("relational_prepositions"))


def _starts_subordinate(lower: str, lex: Lexicon) -> bool:
    return lower.lstrip().startswith(tuple(s + " " for s in lex.duties["subordinators"]))


def _main_verb(toks: list[tuple[str, int, int]], lex: Lexicon, text: str = "") -> int | None:
    """Index of the main clause's finite verb: the first one not inside a relative clause or a
    leading subordinate clause ("När den enskilde har behov … ska landstinget …")."""
    begin, skip = 0, 0
    if _starts_subordinate(text, lex):
        comma = text.find(",")
        if comma != -1:
            begin = next((i for i, t in enumerate(toks) if t[1] > comma), len(toks))
        else:
            skip = 1
    in_relative = False
    for i in range(begin, len(toks)):
        word = toks[i][0]
        if word in lex.duties["relative_words"] and i > 0:
            in_relative = True
            continue
        if word in lex.finite_verb_set:
            if in_relative:
                in_relative = False
                continue
            if skip:
                skip -= 1
                continue
            return i
    return None


def _first_relative(toks: list[tuple[str, int, int]], lex: Lexicon) -> int | None:
    for word, start, _ in toks[1:]:
        if word in lex.duties["relative_words"]:
            return start
    return None


def _chain(first: Mention, mentions: list[Mention], text: str) -> list[Mention]:
    """"Socialtjänsten och hälso- och sjukvården", "kommunen, regionen och skolan": conjoined subjects."""
    chain = [first]
    _, joined, after_parenthesis = _coordination()
    rest = [m for m in mentions if m.start >= first.end]
    for m in rest:
        gap = text[chain[-1].end:m.start].lower()
        if joined.fullmatch(gap) or after_parenthesis.fullmatch(gap):
            chain.append(m)
        else:
            break
    return chain


def _expand_together(subject: list[Mention], mentions: list[Mention], text: str, after: int) -> list[Mention]:
    """"Landstinget tillsammans med kommunen": the partner is part of the subject."""
    lower = text.lower()
    match = phrase("comitative", r"\b", r"\b").search(lower[after - 1 if after else 0:])
    if match:
        position = (after - 1 if after else 0) + match.end()
        partners = [m for m in mentions if position <= m.start <= position + 12]
        if partners:
            return subject + partners[:1]
    return subject


def bearer_from(mentions: list[Mention], method: str, confidence: float) -> Bearer | None:
    """Turn subject mentions into one bearer: a principal (with a unit), both, each, or another actor."""
    if not mentions:
        return None
    roles = [m.entry.role for m in mentions]
    kinds = {m.kind for m in mentions if m.entry.role in ("principal", "unit", "role")}
    surface = ", ".join(dict.fromkeys(m.surface for m in mentions))
    if "each" in roles:
        entry = next(m.entry for m in mentions if m.entry.role == "each")
        return Bearer("kommun+region", "each", entry, None, entry.sv, method, confidence, mentions, surface)
    if "joint" in roles or kinds >= {"kommun", "region"}:
        entry = next((m.entry for m in mentions if m.entry.role == "joint"), lexicon().entries["huvudmannen"])
        return Bearer("kommun+region", "joint", entry, None, entry.sv, method, confidence, mentions, surface)
    primary = next((m for m in mentions if m.entry.role in ("principal", "unit", "role")), mentions[0])
    entry = primary.entry
    if entry.role == "unit":
        principal = lexicon().entries[cast(str, entry.principal)]     # a unit always names its principal
        return Bearer(entry.kind, "single", principal, entry, principal.sv, method, confidence, mentions, surface)
    if entry.role in ("principal", "role"):
        unit = next((m.entry for m in mentions if m.entry.role == "unit" and m.kind == entry.kind), None)
        return Bearer(entry.kind, "single", entry, unit, entry.sv, method, confidence, mentions, surface)
    others = [m for m in mentions if m.entry.role in ("other", "individual", "body")]
    label = " och ".join(dict.fromkeys(m.entry.sv for m in others[:2]))
    return Bearer("other", "single", entry, None, label or entry.sv, method, confidence, mentions, surface)
