"""Words for matching questions to the agreements: Swedish stems, parts of compounds, and the
nearest known word for a misspelt one."""
from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

WORD = re.compile(r"[a-zåäöéü0-9§]+(?:-[a-zåäöéü]+)*")
_stemmers = threading.local()   # a Snowball stemmer keeps state while it works: one per thread
MIN_PART = 4
LINKS = ("s", "e", "")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball's Swedish stem, also for the definite -an and -et Snowball leaves ("skolan" →
    "skol" like "skola", "anmälan" → "anmäl" like "anmäla", "barnet" → "barn")."""
    stemmer = getattr(_stemmers, "swedish", None)
    if stemmer is None:
        stemmer = _stemmers.swedish = snowballstemmer.stemmer("swedish")
    s = stemmer.stemWord(word)
    if s == word and len(word) >= 6 and word.endswith(("an", "et")):
        return word[:-2]
    return s


class Vocabulary:
    """Stems seen in the agreements, with their document frequency: what a question can match."""

    def __init__(self):
        self.frequency: dict[str, int] = {}
        self.documents = 0
        self._sorted: list[str] = []

    def add_document(self, stems: set[str]) -> None:
        self.documents += 1
        for s in stems:
            self.frequency[s] = self.frequency.get(s, 0) + 1

    def freeze(self) -> None:
        self._sorted = sorted(self.frequency)

    def __contains__(self, s: str) -> bool:
        return s in self.frequency

    def idf(self, s: str) -> float:
        import math
        df = self.frequency.get(s, 0)
        return math.log(1 + (self.documents + 1) / (df + 0.5))

    def split(self, word: str) -> list[str]:
        """"hjälpmedelsförskrivning" → ["hjälpmedel", "förskrivning"] (stems), when both parts
        are known stems; the Swedish linking -s- and -e- are allowed between them."""
        return list(_split(word, self))

    def nearest(self, s: str) -> str | None:
        """The known stem a misspelt one most likely means (one or two edits, same first letter)."""
        if len(s) < 5 or not self._sorted:
            return None
        limit = 1 if len(s) < 8 else 2
        match = process.extractOne(s, self._sorted, scorer=Levenshtein.distance, score_cutoff=limit)
        if match and match[0][0] == s[0]:
            return match[0]
        return None


def _split(word: str, vocab: Vocabulary) -> tuple[str, ...]:
    for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:i], word[i:]
        for link in LINKS:
            if link and not head.endswith(link):
                continue
            base = head[:-len(link)] if link else head
            if len(base) < MIN_PART:
                continue
            head_stem, tail_stem = stem(base), stem(tail)
            if head_stem in vocab and tail_stem in vocab:
                return head_stem, tail_stem
            if head_stem in vocab and len(tail) >= 2 * MIN_PART:
                rest = _split(tail, vocab)
                if rest:
                    return (head_stem, *rest)
    return ()


def content_stems(text: str, vocab: Vocabulary | None = None, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Stems of the content words of a text, with compound parts added when a vocabulary is given."""
    result = []
    for token in words(text):
        pieces = [token] + (token.split("-") if "-" in token else [])
        for w in pieces:
            if w in stopwords or len(w) < 2:
                continue
            s = stem(w)
            result.append(s)
            if vocab is not None and len(w) >= 2 * MIN_PART:
                result.extend(p for p in vocab.split(w) if p != s)
    return result
