"""Query expansion with a general Swedish thesaurus (thesaurus.py: Folkets synonymlexikon, as
LibreOffice's mythes-sv ships it): a question that says "genomförs" finds the agreement's
"verkställa", "knarkar" finds "missbruk", "införs" finds "implementera".

The expansion terms are a field of their own, weighted down and apart from the question's own words
(weighted query expansion: Robertson & Spärck Jones 1976 weight what the expansion adds apart from
the query; RM3, Abdul-Jaleel et al. 2004, interpolates the expanded query with the original by one
weight). Here that weight is the ranking model's, fitted on the development questions: the
`bm25_own_synonyms` feature is BM25 of the synonyms alone over a provision's own words, each word's
n synonyms weighted 1/√n, relative to the best BM25 of the question's own words. (Over the paragraph
too, or as an idf-weighted coverage, they did no better out of fold; those were dropped.)

The table is made when the index is made (in the build, beside the graph): only the synonyms the
provisions say are kept (stem → the agreements' stems that are its synonyms), so the server never
reads the thesaurus itself."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from .text import stem

#: A question stem → the stems of the agreements' words that are its synonyms.
Table = dict[str, tuple[str, ...]]


def table(said: Collection[str], pairs: Mapping[str, frozenset[str]]) -> Table:
    """The thesaurus's `pairs` (word → synonyms) as stems, kept where a synonym's stem is one a
    provision of the agreements says (in `said`: the stems of the provisions' own words, what BM25
    over them can match) and differs from the word's own."""
    found: dict[str, set[str]] = defaultdict(set)
    stems: dict[str, str] = {}

    def stem_of(word: str) -> str:
        s = stems.get(word)
        if s is None:
            s = stems[word] = stem(word)
        return s

    for word, synonyms in pairs.items():
        own = stem_of(word)
        reached = {s for s in map(stem_of, synonyms) if s != own and s in said}
        if reached:
            found[own] |= reached
    return {s: tuple(sorted(reached)) for s, reached in sorted(found.items())}


def expand(sources: list[str], known: set[str], synonyms: Table) -> list[tuple[list[str], float]]:
    """For each of the question's stems (`sources`), the synonyms the agreements use that the
    question does not already say (`known`), and the weight each of them carries: 1/√n of n, so a
    word with many synonyms (most of them other senses of it) adds less for each. Out of fold on the
    development questions (tests/eval/ranking_misses.py's leave-one-agreement-out ranking, session 13)
    top-1 citation/principal were 0.629/0.698 without synonyms, 0.631/0.700 with 1/n, 0.639/0.708 with
    1/√n, 0.636/0.705 with 1 each."""
    out: list[tuple[list[str], float]] = []
    for s in dict.fromkeys(sources):
        new = [t for t in synonyms.get(s, ()) if t not in known]
        if new:
            out.append((new, len(new) ** -0.5))
    return out


__all__ = ["Table", "expand", "table"]
