"""Hyphenation left inside a line: "sjukvårdsavta- let", "social- tjänstlagen". Text copied from a
hyphenated PDF and set again (pasted into Word, exported anew) keeps the hyphen of a line end that
is no line end any more, and the word it split is then two strings no search finds. Line ends are
undone where lines are joined (normalise._join); here a hyphen with a space after it inside a line
is undone when it cannot be anything else:

- the word goes on in lower case, with no conjunction after the hyphen — "hälso- och sjukvård",
  "barn- eller ungdomspsykiatri" keep theirs (layout.json `conjunctions_after_hyphen`);
- the part before is no abbreviation in capitals ("SIP- möte" is a real compound hyphen);
- and the Swedish Hunspell dictionary (hunspell/words.py, its compounding rules included) accepts
  the joined word: "sjukvårdsavtalet", "samordnad", "socialtjänstlagen" — a hyphen that joins two
  words of their own, where the joined form is no word ("e- post" → "epost"), stays.

The dictionary is loaded (seconds, once per process) only when a text has such a hyphen at all."""
from __future__ import annotations

import re

from ..hunspell.words import is_word
from .layout import layout

# a letter in lower case, a hyphen, one space, a letter in lower case: the two parts of a split word
INNER_HYPHEN = re.compile(r"(\w*[a-zåäöéü])- ([a-zåäöéü]\w*)")


def rejoin(chars: list[str], origin: list[int]) -> None:
    """Remove, in place, the hyphen and space of every word split inside the line `chars` (with
    `origin` the raw offset of each character)."""
    text = "".join(chars)
    if "- " not in text:
        return
    drop: list[int] = []
    for match in INNER_HYPHEN.finditer(text):
        before, after = match.group(1), match.group(2)
        if after.lower() in layout().conjunctions_after_hyphen or not before[:1].isalpha():
            continue
        if is_word(before + after):
            drop.extend((match.end(1), match.end(1) + 1))
    for k in reversed(drop):
        del chars[k]
        del origin[k]
