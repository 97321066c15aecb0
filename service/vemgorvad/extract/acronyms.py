"""Bodies an agreement defines itself: a long form with its short form in parentheses or as an
apposition ("Tjänstemannaberedning kommuner och landsting (TKL)", "Ledning i samverkan, LiSA"),
found by the algorithm of Schwartz & Hearst (2003, "A simple algorithm for identifying
abbreviation definitions in biomedical text", PSB 8:451–462): the short form's characters stand, in
order, in the long form, its first character at the start of a word, and the long form has at most
min(|S| + 5, 2·|S| + 1) words (one more than theirs for a three-letter form: Swedish
names of boards run longer, 'Nämnden för samverkan kring socialtjänst och vård, NSV'). A definition names a body when a word of the long form ends in a body head
("…beredning", "…grupp", "Ledning …", "Nätverk-…"), data/lexicon/actors.json "body_heads".

The agreement's own definitions then name that body everywhere in its text, under both forms —
no list of the bodies of known agreements is needed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..keys import slug
from ..language import load
from .lexicon import ActorEntry

UPPER = "A-ZÅÄÖÉÜ"
LETTER = r"A-Za-zÅÄÖåäöÉéÜü"
#: "Long Form (SF)" or "Long Form, SF" followed by a comma, a full stop, a parenthesis or a word.
SHORT = re.compile(rf"\(([{UPPER}][{LETTER}]{{1,7}})\)|,\s+([{UPPER}][{LETTER}]{{1,7}})(?=[\s,.;:)])")
WORDS = re.compile(rf"[{LETTER}][{LETTER}\-]*")
#: Where a long form cannot reach back past: a sentence's end, a paragraph, a parenthesis, a colon.
BOUNDARY = re.compile(r"[.!?:;()]\s|\n\s*\n|[()]")


@dataclass(frozen=True)
class Definition:
    short: str
    long: str
    start: int            # where the long form starts in the text


@cache
def body_heads() -> tuple[str, ...]:
    return tuple(load("actors.json")["body_heads"])


def _best_long_form(short: str, candidate: str) -> int | None:
    """Schwartz & Hearst's findBestLongForm: the offset in `candidate` where the long form starts,
    or None when the short form's characters do not all stand in it in order."""
    s, l = len(short) - 1, len(candidate) - 1
    low_short, low_long = short.lower(), candidate.lower()
    while s >= 0:
        ch = low_short[s]
        if not ch.isalnum():
            s -= 1
            continue
        while l >= 0 and (low_long[l] != ch or (s == 0 and l > 0 and low_long[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    return max(candidate.rfind(" ", 0, l + 1), candidate.rfind("\n", 0, l + 1)) + 1


def definitions(text: str) -> list[Definition]:
    """Every short form the text defines, with its long form (first definition of each wins)."""
    found: dict[str, Definition] = {}
    for match in SHORT.finditer(text):
        short = match.group(1) or match.group(2)
        if sum(ch.isupper() for ch in short) < 2 or short in found:
            continue
        bounds = [b.end() for b in BOUNDARY.finditer(text, max(0, match.start() - 300), match.start())]
        line_start = (bounds[-1] if bounds else max(0, match.start() - 300)) - 1
        before = text[line_start + 1:match.start()].rstrip(" ,")
        words = list(WORDS.finditer(before))
        limit = min(len(short) + 5, 2 * len(short) + 1)
        if not words:
            continue
        window = words[-limit:]
        candidate = before[window[0].start():]
        offset = _best_long_form(short, " " + candidate)
        if offset is None:
            continue
        long_form = " ".join(candidate[max(offset - 1, 0):].split())
        if long_form and long_form[0].isupper() and 0 < len(long_form.split()) <= limit:
            found[short] = Definition(short, long_form, line_start + 1 + window[0].start() + max(offset - 1, 0))
    return list(found.values())


@cache
def _head() -> re.Pattern[str]:
    """A word (or a hyphenated part of one) that is a body head, bare or as a compound's last part,
    in any form ("Ledning", "Tjänstemannaberedning", "Samordningsrådet", "Nätverket")."""
    heads = "|".join(re.escape(h) for h in body_heads())
    endings = "|".join(re.escape(e) for e in load("actors.json")["body_head_endings"])
    return re.compile(rf"(?:{heads})(?:{endings})?$")


def names_a_body(long_form: str) -> bool:
    return any(_head().search(part) for word in long_form.lower().split() for part in word.split("-"))


def defined_bodies(text: str) -> list[tuple[ActorEntry, re.Pattern[str]]]:
    """The bodies the text defines, as actor entries with a pattern for both their forms."""
    out = []
    for d in definitions(text):
        if not names_a_body(d.long):
            continue
        long_pattern = r"\s+".join(re.escape(w) for w in d.long.split())
        pattern = re.compile(rf"(?<![\wåäöÅÄÖ])(?:(?-i:{re.escape(d.short)})(?::s)?|(?i:{long_pattern})s?)(?![\wåäöÅÄÖ])")
        label = f"{d.long} ({d.short})"
        out.append((ActorEntry("body-" + slug(d.short, ""), "other", "body", label, d.short, scope="agreement"),
                    pattern))
    return out
