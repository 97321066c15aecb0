"""Whether a word that looks like a collaboration body ("…gruppen", "…rådet", "…forumet") is one:
its lemma must end in one of data/lexicon/actors.json "body_heads". The lemma is read from the
Swedish Hunspell dictionary's word list (wordlist.py): a stem the dictionary lists that the word is,
bare or with one of "body_head_endings" ("rådet" = "råd" + "et", "området" = "område" + "t");
a compound the dictionary does not list is read by its last part, the longest tail of the word the
dictionary knows ("medlarrådet" by "rådet"; "funktionshinderområdet" by "området"). So
"brukarrådet" and "samverkansgruppen" are bodies and "området" is none — it ends in the letters of
"rådet" but its lemma is "område". A word the dictionary has no reading of is taken as the
pattern found it. After a hyphen only the last part counts ("BUS-gruppen")."""
from __future__ import annotations

from functools import cache

from ..language import load
from ..wordlist import stems

#: A tail shorter than this is no part of a compound worth reading ("et", "t").
MIN_TAIL = 3


@cache
def _heads() -> tuple[tuple[str, ...], tuple[str, ...]]:
    actors = load("actors.json")
    return tuple(actors["body_heads"]), ("", *actors["body_head_endings"])


def lemmas(word: str) -> list[str]:
    """The dictionary's stems that `word` (lower case) is, bare or with one of the endings."""
    known = stems()
    _, endings = _heads()
    return [word[:len(word) - len(e)] for e in endings
            if word.endswith(e) and len(word) > len(e) and word[:len(word) - len(e)] in known]


@cache
def body_word(word: str) -> bool:
    """True when the lemma of `word` (or of its last part) ends in a body head, or the dictionary
    has no reading of it."""
    heads, _ = _heads()
    last = word.lower().rsplit("-", 1)[-1]
    for start in range(max(len(last) - MIN_TAIL + 1, 0)):
        found = lemmas(last[start:])
        if found:
            return any(lemma.endswith(heads) for lemma in found)
    return True
