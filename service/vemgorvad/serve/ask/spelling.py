"""Spelling: a word of a question that no agreement uses and no Swedish dictionary knows is
replaced by the nearest word the agreements (or the gazetteer) use; a word the Swedish Hunspell
dictionary knows is never replaced — when it is rare (below Zipf 3) and an agreement word one or two
letters away is far more common ("remis" beside "remiss"), that word is looked for as well.

The dictionary is the Swedish Hunspell dictionary (PyPI `hunspell-sv`, found by wordlist.py)
looked up with spylls over its entries held compact (hunspell/compact.py); how common a word is comes from
wordfreq's Swedish list."""
from __future__ import annotations

import threading
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from spylls.hunspell.algo.lookup import Lookup
from wordfreq import zipf_frequency

from ... import paths
from ...hunspell.compact import read as read_dictionary
from ...wordlist import dictionary_path

FOLD = str.maketrans("åäöéü", "aaoeu")
COMMON_GAP = 1.5      # zipf: a neighbour this much more common (≈30×) is looked for beside a rare word
# A rare word is one below Zipf 3 (one in a million words), the low-frequency band of the Zipf scale (van Heuven,
# Mandera, Keuleers & Brysbaert 2014, QJEP 67(6): 1–3 low, 4–7 high frequency). Only a rare word has a neighbour
# looked for beside it: "remis" (1.6) gets "remiss"; "inne" (5.2), "spanska" (4.4) are meant as written —
# unless the question's words around it say otherwise (Speller._in_context).
RARE_ZIPF = 3.0
MIN_LENGTH = 4        # shorter words are never corrected
_lock = threading.Lock()


def fold(word: str) -> str:
    """Without the dots and rings people drop when they type ("Vasteras" for "Västerås")."""
    return word.lower().translate(FOLD)


_loaded: list[Lookup] = []
_loading = threading.Lock()
_loader: threading.Thread | None = None


def _load() -> None:
    with _loading:
        if _loaded:
            return
        path = dictionary_path()
        if path is None:
            raise RuntimeError("the Swedish Hunspell dictionary (hunspell-sv) is not installed")
        _loaded.append(read_dictionary(path, paths.VAR / "cache" / "hunspell"))
        zipf_frequency("och", "sv")


def _dictionary() -> Lookup:
    """The Swedish Hunspell dictionary's lookup, loaded once per process (a few seconds, in a child
    process): by the thread warm() started, or here if none did."""
    if not _loaded:
        _load()
    return _loaded[0]


def warm() -> None:
    """Start loading the dictionary in the background, so that neither the server's start nor a
    question waits for it unless that question needs it before it is there."""
    global _loader
    with _lock:
        if _loaded or _loader is not None:
            return
        _loader = threading.Thread(target=_load, name="hunspell-sv", daemon=True)
        _loader.start()


def wait() -> None:
    """Return once the dictionary is loaded (by warm()'s thread, or now): serve's warm-up waits, so
    that no load runs beside the first requests, holding the interpreter lock for seconds."""
    _dictionary()


def loaded() -> bool:
    return bool(_loaded)


@cache
def swedish_word(word: str) -> bool:
    with _lock:   # spylls keeps caches that are not thread-safe
        return bool(_dictionary()(word))


@dataclass(frozen=True)
class Correction:
    word: str             # as the question has it (lower case)
    to: str               # the word put in its place, or looked for beside it
    replaces: bool        # True: the word was unknown and is replaced; False: looked for as well
    place: bool = False   # the correction names a place (county, municipality)


class Speller:
    """Corrections against the agreements' own words and the names of places."""

    def __init__(self, corpus_words: set[str], place_names: set[str], known: set[str],
                 everyday_places: Collection[str] = (), corpus_pairs: AbstractSet[str] = frozenset()):
        self.corpus = corpus_words
        self.pairs = corpus_pairs                            # the agreements' two-word sequences (not copied)
        self.places = {fold(n): n for n in place_names}
        self.known = known                                   # stopwords, synonyms, domain terms
        # names that are everyday words too ('Boden', 'Mark'): a place only where written as a name
        self.everyday = {fold(n) for n in everyday_places}
        self._folded: dict[str, list[str]] = {}
        for w in sorted(corpus_words):
            if len(w) >= MIN_LENGTH:
                self._folded.setdefault(fold(w), []).append(w)
        self._choices = sorted(set(self._folded) | set(self.places))

    def correct(self, word: str, proper: bool = False,
                context: tuple[str | None, str | None] = (None, None)) -> Correction | None:
        """`proper`: the question writes the word as a name (capitalised, not first in its sentence):
        among the nearest words a place's name then goes before a common word ("i Kalar" is Kalmar,
        not "kallar"), and a name that is also an everyday word ("Boden") may be corrected to.
        `context`: the words before and after it in the question, for a known word used in place of
        another ("vill kala till SIP": the agreements write "kalla till", never "kala till")."""
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.corpus or lower in self.known or not lower.isalpha():
            return None
        folded = fold(lower)
        if folded == lower and folded in self.places and self.places[folded].lower() != lower and \
                (proper or folded not in self.everyday):   # typed without its dots and rings ("vasteras")
            return Correction(lower, self.places[folded], True, place=True)
        if folded in self.places and self.places[folded].lower() == lower:
            return None
        near = self._nearest(folded, lower, places=True, proper=proper)
        if near is None:
            return None   # nothing near to correct to: no need to ask the dictionary
        if swedish_word(lower) or swedish_word(lower.capitalize()):   # a name, too ("Stockholms")
            near = self._nearest(folded, lower, places=False)
            own = zipf_frequency(lower, "sv")
            if near and zipf_frequency(near, "sv") - own >= COMMON_GAP and \
                    (own < RARE_ZIPF or self._in_context(near, lower, context)):
                return Correction(lower, near, False)
            return None
        return Correction(lower, near, True, place=fold(near) in self.places and near not in self.corpus)

    def _in_context(self, near: str, word: str, context: tuple[str | None, str | None]) -> bool:
        """A real-word error in context (Mays, Damerau & Mercer 1991, with the agreements' word pairs for
        the language model): the neighbour stands beside the question's word before or after it in the
        agreements, and the word itself never does."""
        return self._beside(near, context) and not self._beside(word, context)

    def _beside(self, word: str, context: tuple[str | None, str | None]) -> bool:
        before, after = context
        return (before is not None and f"{before} {word}" in self.pairs) or \
            (after is not None and f"{word} {after}" in self.pairs)

    def _nearest(self, folded: str, lower: str, places: bool, proper: bool = False) -> str | None:
        limit = 1 if len(folded) < 7 else 2
        matches = process.extract(folded, self._choices, scorer=DamerauLevenshtein.distance,
                                  score_cutoff=limit, limit=8)
        best: tuple[tuple[int, bool, float, str], str] | None = None
        for choice, distance, _ in matches:
            if choice[0] != folded[0]:
                continue     # people rarely get the first letter wrong
            options = [(w, False) for w in self._folded.get(choice, [])]
            if places and choice in self.places and (proper or choice not in self.everyday):
                options.append((self.places[choice], True))
            for option, is_place in options:
                key = (distance, not (proper and is_place), -zipf_frequency(option.lower(), "sv"), option)
                if best is None or key < best[0]:
                    best = (key, option)
        return best[1] if best else None


__all__ = ["Correction", "Speller", "dictionary_path", "fold", "swedish_word", "warm"]
