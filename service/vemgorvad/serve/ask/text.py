"""Words for matching questions to the agreements: Swedish Snowball stems (PyStemmer), the parts
of compounds over the agreements' own vocabulary, and the nearest known word for a misspelt one.

Decompounding is a dynamic programme over the word's positions with parts of bounded length, so
its cost grows linearly with the word (never exponentially, whatever a client sends)."""
from __future__ import annotations

import bisect
import math
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ...language import load

WORD = re.compile(r"[a-zåäöéü0-9§]+(?:-[a-zåäöéü]+)*")
_stemmers = threading.local()   # a stemmer keeps state while it works: one per thread
MIN_PART = 4                    # the shortest part of a compound ("tand|vård")
MAX_PART = 24                   # the longest: bounds the work per position
MAX_COMPOUND = 64               # longer tokens are not split at all (no Swedish word is that long)
LINKS = ("s", "e", "")          # Swedish linking morphemes between parts ("hjälpmedel-s-förskrivning")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_stemmers, "swedish", None)
    if stemmer is None:
        stemmer = _stemmers.swedish = Stemmer.Stemmer("swedish")
    return stemmer


STEM_CACHE = 131072             # stems remembered: words of at most MAX_COMPOUND letters, so the
                                # cache holds at most about STEM_CACHE × 330 bytes (~45 MB), whatever
                                # clients send; a longer token (no Swedish word) is stemmed afresh


def stem(word: str) -> str:
    """Snowball's Swedish stem, also for the definite -an and -et Snowball leaves ("skolan" →
    "skol" like "skola", "anmälan" → "anmäl" like "anmäla", "barnet" → "barn")."""
    return _cached_stem(word) if len(word) <= MAX_COMPOUND else _stem(word)


@lru_cache(maxsize=STEM_CACHE)
def _cached_stem(word: str) -> str:
    return _stem(word)


def _stem(word: str) -> str:
    s: str = _stemmer().stemWord(word)
    if s == word and len(word) >= 6 and word.endswith(("an", "et")):
        return word[:-2]
    return s


class Vocabulary:
    """Stems seen in the agreements, with their document frequency: what a question can match."""

    def __init__(self) -> None:
        self.frequency: dict[str, int] = {}
        self.documents = 0
        self._sorted: list[str] = []
        self._splits: dict[str, tuple[str, ...]] = {}
        self._known: dict[str, tuple[str, ...]] = {}    # splits taken from an earlier index (reuse)
        self._sealed = False

    def add_document(self, stems: set[str]) -> None:
        self.documents += 1
        for s in stems:
            self.frequency[s] = self.frequency.get(s, 0) + 1

    def merge(self, frequency: dict[str, int], documents: int) -> None:
        """Add the documents of one agreement at once: their stems' document frequencies and their number."""
        self.documents += documents
        mine = self.frequency
        for s, n in frequency.items():
            mine[s] = mine.get(s, 0) + n

    def reuse(self, known: dict[str, tuple[str, ...]]) -> None:
        """Splits known to be the same over this vocabulary (Splits.valid_for), taken instead of made
        while the index is built; only those asked for are kept."""
        self._known = known

    def splits(self) -> Splits:
        """The splits of the agreements' words made so far, with the stems they were made over."""
        return Splits(frozenset(self.frequency), dict(self._splits))

    def freeze(self) -> None:
        self._sorted = sorted(self.frequency)

    def __contains__(self, s: str) -> bool:
        return s in self.frequency

    def __len__(self) -> int:
        return len(self.frequency)

    def idf(self, s: str) -> float:
        df = self.frequency.get(s, 0)
        return math.log(1 + (self.documents + 1) / (df + 0.5))

    def seal(self) -> None:
        """The index is built: from now on the words split are a client's, and a client's words are
        not remembered (a remembered split per distinct word would let requests grow memory)."""
        self._sealed = True
        self._known = {}

    def split(self, word: str) -> list[str]:
        """"hjälpmedelsförskrivning" → ["hjälpmedel", "förskrivning"] (stems), when every part is
        a known stem; the Swedish linking -s- and -e- are allowed between parts. The splits of the
        agreements' own words are remembered; a question's word is split afresh (linear in its
        at most MAX_COMPOUND letters)."""
        if len(word) > MAX_COMPOUND:
            return []
        parts = self._splits.get(word)
        if parts is None:
            parts = self._known.pop(word, None)
            if parts is None:
                parts = _split(word, self)
            if not self._sealed:
                self._splits[word] = parts
        return list(parts)

    def nearest(self, s: str) -> str | None:
        """The known stem a misspelt one most likely means (one or two edits, same first letter)."""
        if len(s) < 5 or not self._sorted:
            return None
        limit = 1 if len(s) < 8 else 2
        match = process.extractOne(s, self._sorted, scorer=Levenshtein.distance, score_cutoff=limit)
        if match and match[0][0] == s[0]:
            return match[0]
        return None


@dataclass
class Splits:
    """The compound splits an index made of the agreements' words, with the stems of the vocabulary
    they were made over: the next index (after `vemgorvad add`) takes those its vocabulary's changes
    cannot touch instead of making them again."""
    stems: frozenset[str]
    splits: dict[str, tuple[str, ...]]

    def valid_for(self, vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
        """The splits that are the same over `vocab`. A word's split reads only whether the stems of
        its substrings are known stems (a Swedish Snowball stem is a prefix of its word, so each is a
        substring too): a word in which no stem that came or went stands keeps its split."""
        changed = self.stems.symmetric_difference(vocab.frequency)
        if not changed:
            return dict(self.splits)
        words = list(self.splits)
        joined = "\n".join(words)
        starts, position = [], 0
        for word in words:
            starts.append(position)
            position += len(word) + 1
        touched = set()
        for s in changed:
            at = joined.find(s)
            while at >= 0:
                touched.add(bisect.bisect_right(starts, at) - 1)
                at = joined.find(s, at + 1)
        return {w: parts for n, (w, parts) in enumerate(self.splits.items()) if n not in touched}


def _split(word: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The split of `word` into the fewest known parts (at least two), by dynamic programming:
    best[i] is the best split of word[:i]; each position looks back at most MAX_PART letters, so
    the work is O(len(word) · MAX_PART · len(LINKS))."""
    n = len(word)
    if n < 2 * MIN_PART:
        return ()
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(MIN_PART, n + 1):
        choice: tuple[str, ...] | None = None
        for start in range(max(0, end - MAX_PART - 1), end - MIN_PART + 1):
            if start == 0 and end == n:
                continue   # the whole word is not a split of itself: at least two parts
            before = best[start]
            if before is None:
                continue
            piece = word[start:end]
            last = end == n
            for link in LINKS if not last else ("",):
                if link and not piece.endswith(link):
                    continue
                base = piece[:-len(link)] if link else piece
                if len(base) < MIN_PART:
                    continue
                s = stem(base)
                if s not in vocab:
                    continue
                candidate = (*before, s)
                if choice is None or len(candidate) < len(choice):
                    choice = candidate
                break
        best[end] = choice
    result = best[n]
    return result if result is not None and len(result) >= 2 else ()


def verb_of(s: str, vocab: Vocabulary) -> str | None:
    """The verb a Swedish action noun in -ing/-ning is made from, when the agreements use it:
    "utredning" → "utred" (utreda), "placering" → "placer" (placera), "samordning" → "samordn"
    (samordna). Snowball keeps the noun whole, so without this a question asking who "utreder"
    would never meet the agreement's "utredning"."""
    if not s.endswith("ing") or len(s) < 8:
        return None
    for cut in (3, 4):
        base = s[:-cut]
        if len(base) >= MIN_PART and base in vocab:
            return base
    return None


def content_stems(text: str, vocab: Vocabulary | None = None, stopwords: frozenset[str] = frozenset(),
                  memo: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Stems of the content words of a text, with compound parts added when a vocabulary is given.
    `memo` remembers each word's stems for one vocabulary and set of stop words (the caller's: the
    ask index is built with one of each, and its texts repeat their words — at N = 300 the 90,000
    texts have ~2 M words and far fewer distinct ones)."""
    result: list[str] = []
    if memo is None:
        for token in words(text):
            result.extend(_token_stems(token, vocab, stopwords))
        return result
    for token in words(text):
        found = memo.get(token)
        if found is None:
            found = memo[token] = tuple(_token_stems(token, vocab, stopwords))
        result.extend(found)
    return result


def _token_stems(token: str, vocab: Vocabulary | None, stopwords: frozenset[str]) -> list[str]:
    """The stems one word of a text gives (content_stems)."""
    result = []
    pieces = [token] + (token.split("-") if "-" in token else [])
    for w in pieces:
        if w in stopwords or len(w) < 2:
            continue
        s = stem(w)
        result.append(s)
        if vocab is not None and len(w) >= 2 * MIN_PART:
            result.extend(p for p in vocab.split(w) if p != s)
            verb = verb_of(s, vocab)
            if verb:
                result.append(verb)
    return result


stem.__wrapped__ = _stem     # type: ignore[attr-defined]  # the uncached stemmer, as lru_cache offered


@cache
def stopwords() -> frozenset[str]:
    """The words of a question that carry no content (data/lexicon/question.json, "stopwords"): here,
    beside the stemming, so the ask index's parts that the build makes need not load the question reader
    (understanding.py, its speller and wordfreq)."""
    return frozenset(load("question.json")["stopwords"])
