"""How evaluation compares a quote with an annotated passage: as a reader would — case, spacing,
hyphens at line ends, bullet glyphs and footnote digits glued to a word do not count (the rule of
../shared/eval/score.py and of CONTRACT's "verbatim")."""
from __future__ import annotations

import re
from difflib import SequenceMatcher


def squash(text: str | None) -> str:
    text = (text or "").lower()
    text = re.sub(r"(?<=[a-zåäöé])\d{1,2}(?=[\s.,;:)]|$)", "", text)  # footnote markers: "störning1"
    text = re.sub(r"[\u00ad\ue000-\uf8ff\u2022\u25aa\u25cf\u00b7]", "", text)  # soft hyphen, bullets
    return re.sub(r"[\s\-\u2010\u2011]+", "", text)


def longest_common_run(a: str, b: str) -> int:
    if not a or not b:
        return 0
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size


def cites(quote: str | None, evidence: str | None) -> bool:
    """The citation rule of score.py: a common run of min(35, 60 % of the evidence) characters."""
    q, g = squash(quote), squash(evidence)
    if not q or not g:
        return False
    return longest_common_run(q, g) >= min(35, int(0.6 * len(g)))


def overlaps(quote: str, unit: str) -> bool:
    """A quote is *of* an annotated unit when they share most of the shorter one: the quote is the
    unit, a part of it, or the unit with a little more (a list introduction, a neighbour)."""
    q, u = squash(quote), squash(unit)
    if not q or not u:
        return False
    if q in u or u in q:
        return True
    return longest_common_run(q, u) >= max(20, int(0.6 * min(len(q), len(u))))
