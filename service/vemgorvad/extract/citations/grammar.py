"""The grammar of Swedish law citations as the agreements write them — declarative, nothing else.

    2 kap. 7 § SoL · SoL 2 kap 7§ · 3 f § HSL · HSL 8a§ och 8b · 8 a § hälso- och sjukvårdslagen
    8 kap. 10–11 §§ SoL · 16 kap. 4 § hälso- och sjukvårdslagen (2017:30) · 12 kap. 11 § SoL (2025:400)
    HSL (3 f §) · socialtjänstlagen (2 kap. 7 §) · SoL 5 kap § 1 a · 11 kap. 1 och 1 a §§ SoL
    18§ 1 st. HSL · 6§ Förvaltningslagen 1986:223 · Lagen (1993:387) om stöd och service … (LSS)
    Tandvårdsförordning (1998:1338) · Lag 1990:1404 · SOSFS 2011:9 · SOSFS 2007:10/2008:20 · enligt LPT

Each match carries named results: ``law`` (the name as written), ``chapter``, ``sections``
(list of "7", "3 f"), ``sfs`` and ``series``/``number`` for regulations. Resolving a name to an
SFS number is resolve.py's job.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pyparsing as pp

from ...language import alternation, load

pp.ParserElement.set_default_whitespace_chars(" \t\n\u00a0")


def _words(key: str) -> str:
    """An alternation of the citation words of law_names.json under `key`."""
    return alternation(load("law_names.json")[key])


def _law_name_pattern() -> str:
    data = load("law_names.json")
    names = sorted((n for law in data["laws"] for n in law["names"]), key=len, reverse=True)
    return r"(?<![\wåäöÅÄÖ])(?:" + "|".join(names) + r")(?![\wåäöÅÄÖ])"


@cache
def grammar() -> pp.ParserElement:
    law = pp.Regex(_law_name_pattern(), flags=re.I)("law")
    sfs_number = pp.Regex(r"(?:SFS\s*)?(?P<year>(?:19|20)\d\d):\s?(?P<serial>\d{1,4})(?!\d)")
    sfs = sfs_number.copy().set_parse_action(lambda t: f"{t.year}:{t.serial}")("sfs")
    chapter = pp.Regex(rf"(?P<ch>\d{{1,2}})\s*(?:{_words('chapter')})\b\.?").set_parse_action(lambda t: t.ch)("chapter")
    section = pp.Regex(r"(?P<n>\d{1,3})(?:\s?(?P<letter>[a-h]))?(?![\wåäö:])").set_parse_action(
        lambda t: t.n + (" " + t.letter if t.letter else ""))
    span = pp.Regex(r"(?P<a>\d{1,3})\s?[–-]\s?(?P<b>\d{1,3})(?![\wåäö:])").set_parse_action(
        lambda t: [str(n) for n in range(int(t.a), int(t.b) + 1)] if 0 < int(t.b) - int(t.a) < 20 else [t.a, t.b])
    section = span | section
    mark = pp.Regex(r"§§?")
    conj = pp.Regex(_words("conjunctions")).suppress()
    sections = pp.Group(section + pp.ZeroOrMore(conj + section))("sections")
    marked_sections = pp.Group(section + pp.Optional(mark).suppress()
                               + pp.ZeroOrMore(conj + section + pp.Optional(mark).suppress()))("sections")
    stycke = pp.Optional(pp.Regex(f"(?:{_words('paragraph')})")).suppress()
    paren = pp.Optional(pp.Literal("(")).suppress()
    close = pp.Optional(pp.Literal(")")).suppress()
    abbr_paren = pp.Optional(pp.Regex(r"\(\s*[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,5}\s*\)")).suppress()

    # "2 kap. 7 § SoL", "3 f § HSL", "18§ 1 st. HSL", "6§ Förvaltningslagen 1986:223"
    provision_first = (pp.Optional(chapter) + sections + mark.suppress() + stycke
                       + pp.Optional(pp.Literal(",")).suppress() + paren + law
                       + pp.Optional(paren + sfs + close) + close)
    # "SoL 2 kap 7§", "HSL 8a§ och 8b", "HSL (3 f §)", "socialtjänstlagen (SoL 5 kap § 1 a)"
    law_first = (law + abbr_paren + paren + pp.Optional(pp.Regex(r"[A-ZÅÄÖ][a-zåäö]{1,3}L\b")).suppress()
                 + pp.Optional(chapter) + pp.Optional(mark).suppress() + marked_sections + close)
    # "Lagen (1993:387) om stöd och service …", "Tandvårdsförordning (1998:1338)", "Lag 1990:1404"
    by_number = (pp.Optional(law) + pp.Regex(_words("statute_words")).suppress() * (0, 1)
                 + pp.Literal("(").suppress() * (0, 1) + sfs + close)
    generic_lag = pp.Regex(rf"(?<![\wåäö])(?:{_words('law_words')})\s*\(?\s*(?=(?:19|20)\d\d:)").suppress() + sfs + close
    regulation = pp.Regex(
        rf"(?P<series>{_words('regulation_series')})\s*(?P<number>(?:19|20)\d\d:\d{{1,3}})"
        r"(?P<more>(?:\s*/\s*(?:19|20)\d\d:\d{1,3})*)")
    bare = law + abbr_paren

    return (provision_first("provision_first") | law_first("law_first") | regulation("regulation")
            | generic_lag("generic_lag") | (law + paren + sfs + close)("law_number") | bare("bare")
            | by_number("by_number"))


@cache
def _anchor() -> re.Pattern[str]:
    return re.compile(_law_name_pattern() + rf"|§|\b(?:{_words('chapter')})\b|(?:19|20)\d\d:\s?\d|"
                         + _words("regulation_series"), re.I)


@cache
def _starts() -> re.Pattern[str]:
    """Every place where a citation can begin: where the first element of one of the grammar's
    alternatives can match (a digit of a chapter, section or SFS number, "SFS", "(", a law's name,
    a statute, law or regulation word). A superset: case is ignored even where the grammar keeps it."""
    first = "|".join((r"\d", r"\(", "SFS", _law_name_pattern(), _words("statute_words"), _words("law_words"),
                      _words("regulation_series")))
    return re.compile(rf"(?=(?:{first}))", re.I)


def windows(text: str) -> list[tuple[int, int]]:
    """The stretches of text around anchors (a law's name, §, "kap", an SFS number) that the
    grammar is tried in, widened to whole words: trying it at every character of a 75 KB agreement
    would cost seconds."""
    merged: list[list[int]] = []
    for anchor in _anchor().finditer(text):
        start, end = max(0, anchor.start() - 40), min(len(text), anchor.end() + 70)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    out = []
    for start, end in merged:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        out.append((start, end))
    return out


def scan_window(window: str) -> Iterator[tuple[pp.ParseResults, int, int]]:
    """(tokens, start, end) of the citations in one window, exactly as pyparsing's scan_string finds
    them (tabs expanded, left to right, not overlapping), but the grammar is tried only where a
    citation can begin (_starts) instead of at every character: scan_string's failed attempts at
    the other places were half the extraction's time. tests/test_citation_scan.py holds the two
    equal."""
    expr = grammar()
    expr.streamline()
    if not expr.keepTabs:
        window = window.expandtabs()
    pp.ParserElement.reset_cache()
    loc = 0
    for candidate in _starts().finditer(window):
        at = candidate.start()
        if at < loc:
            continue
        try:
            end, tokens = expr._parse(window, at, callPreParse=False)
        except pp.ParseException:
            continue
        if end > at:
            yield tokens, at, end
            loc = end


def scan(text: str) -> Iterator[tuple[pp.ParseResults, int, int]]:
    """(match, start, end) for every citation in the text, left to right, not overlapping; the
    grammar is only tried in windows around anchors (windows())."""
    seen_end = -1
    for start, end in windows(text):
        for tokens, s, e in scan_window(text[start:end]):
            if start + s >= seen_end:
                seen_end = start + e
                while e > s and text[start + e - 1].isspace():  # optional parts skip whitespace
                    e -= 1
                yield tokens, start + s, start + e
