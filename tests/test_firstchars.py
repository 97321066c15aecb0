"""The actor scan tries at a place only the patterns that can begin with the character there
(extract/firstchars.py): it must find exactly what running every pattern over the text finds."""
from __future__ import annotations

import re

import pytest

from vemgorvad.catalogue import load_catalogue
from vemgorvad.extract import actors
from vemgorvad.extract.firstchars import first_chars
from vemgorvad.extract.lexicon import Lexicon, compile_any, lexicon
from vemgorvad.extract.sentences import units_of
from vemgorvad.pipeline import ingest_bytes


@pytest.mark.parametrize(("pattern", "expected"), [
    ("kommun(?:en)?", "k"),
    ("(?:båda|bägge) parter", "b"),
    ("(?:all |berörd )?personal", "abp"),
    ("=Region [A-Z]\\w+", "r"),
    ("[a-c]+gruppen", "abc"),
    ("[0-9]{4}:\\d+", "0123456789"),
    (" och", ""),            # no plain character can begin it: only tried at other characters
    ("\\w+gruppen", None),   # a category
    ("[^a-z]+", None),       # a negated class
    ("k?", None),            # matches the empty string
    ("ſkola", None),         # folds into ASCII under IGNORECASE
])
def test_first_characters(pattern: str, expected: str | None) -> None:
    found = first_chars(compile_any([pattern]).pattern, re.I)
    assert (None if found is None else "".join(sorted(found))) == expected


def _by_each(scan: actors._Scan, text: str) -> list[tuple[int, tuple[int, int]]]:
    return sorted((i, m.span()) for i, p in enumerate(scan.patterns) for m in p.finditer(text))


def _by_scan(scan: actors._Scan, text: str) -> list[tuple[int, tuple[int, int]]]:
    return sorted((i, m.span()) for i, m in actors._matches(text, scan))


def test_the_scan_finds_what_every_pattern_finds_in_the_seed_agreements() -> None:
    scan = actors._scan(lexicon())
    assert scan.starts is not None and scan.by_char, "the lexicon's actor patterns are scanned by first character"
    texts = []
    for record in load_catalogue():
        doc = ingest_bytes(record.path.read_bytes(), record.file, None)
        texts += [doc.text[u.start:u.end] for u in units_of(doc)]
    assert len(texts) > 1000
    differ = [t for t in texts if _by_scan(scan, t) != _by_each(scan, t)]
    assert not differ, differ[:3]


def test_the_scan_finds_what_every_pattern_finds_at_folded_and_odd_characters() -> None:
    lex = lexicon()
    extra = [compile_any(p) for p in (["kelvin(?:a)?"], ["=Stad [A-Z]\\w+"], ["[a-zåäö]+nämnden"], ["\\(?lisa\\)?"],
                                      ["-enheten"], ["éva"], ["[0-9]+ kommuner"])]
    entry = lex.actors[0][0]
    scan = actors._Scan.of(Lexicon(**{**lex.__dict__, "actors": [*lex.actors, *((entry, p) for p in extra)]}))
    assert scan.starts is not None
    for text in ("\u212aelvin och KELVINA", "ſtad Stad Uppsala och stad uppsala", "Socialnämnden, ÖVERFÖRMYNDARNÄMNDEN",
                 "(LiSA) och lisa", "X-enheten -enheten", "Éva och ÉVA", "12 kommuner, \u0130 kommun", "Kommunen och regionen"):
        assert _by_scan(scan, text) == _by_each(scan, text), text
