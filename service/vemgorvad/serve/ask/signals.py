"""What the question itself, and the question beside the answer it is given, tell about whether the agreements
can answer it: the calibration's inputs that are no feature of the ranking (model.CALIBRATION_INPUTS).

unknown_share — the share of the question's information carried by words no agreement uses (its content
words outside the agreements' vocabulary, each weighted by how rare it is in Swedish, features.unknown_weight;
the others by their idf in the agreements). A pre-retrieval predictor of query performance in the sense of
He & Ounis (2004): what a question asks about in words the collection never uses, no provision can carry —
"bostadstillägg", "parkeringstillstånd", "hyresskuld" —, while the coverage features (cover_own, cover_context)
only say that the best provision does not carry it, which a better provision elsewhere might. A word the
thesaurus maps to words the agreements use ("jobbet": "arbete", expansion.py) is no word they never use: the
ranking looks for it by its synonyms (bm25_own_synonyms), so it counts with what the agreements can say.

focus_missing — lexical answer validation (Magnini et al. 2002: an answer is validated by the question's
keywords standing with it): the question's focus, its rarest word in general Swedish (lowest Zipf, wordfreq's
Swedish list) among the words the agreements use, is not carried whole by the provision given as the answer or
its context — for a compound the agreements do not write, every part it is read as ("akutmottagning": "akut" and
"mottagning"). The key_missing feature takes the word of the highest idf in the agreements, which is often a word
they seldom use in any sense ("klar", "kvar", "svensk"); what a question asks about is the word that is rare in
Swedish ("förvaltare", "tolk", "problemspelande"), and a provision that states something about it carries it."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from wordfreq import zipf_frequency

from .features import information, unknown_weight
from .index import Entry, Index
from .text import stem, words
from .understanding import Group, Interpretation

SIGNALS = ("unknown_share", "focus_missing")


def unknown_share(index: Index, interp: Interpretation) -> float:
    """The share of the question's information (features.information) in words no agreement uses and the
    thesaurus maps to none they use (index.synonyms); 0 for a question with no content word."""
    known, _ = information(index, interp)
    unknown = mapped = 0.0
    for w in interp.unknown:
        if index.synonyms.get(stem(w)):
            mapped += unknown_weight(w)
        else:
            unknown += unknown_weight(w)
    total = known + unknown + mapped
    return unknown / total if total else 0.0


def focus(index: Index, interp: Interpretation) -> list[Group]:
    """The focus groups the question's focus word is read as: of the question's words (each part of a hyphenated
    one) read as focus groups — by its stem, or by the parts of its compound split —, the one of the lowest Zipf
    frequency in Swedish (the first of a tie); [] when no word is."""
    best: tuple[float, list[Group]] | None = None
    for word in words(interp.question.lower()):
        for part in word.split("-"):
            s = stem(part)
            stems = [s] if s in index.vocab else index.vocab.split(part)
            groups = [g for g in interp.focus_groups if any(m in g for m in stems)]
            if not groups:
                continue
            rarity = zipf_frequency(part, "sv")
            if best is None or rarity < best[0]:
                best = (rarity, groups)
    return best[1] if best else []


def _carries(group: Group, stems: Collection[str]) -> bool:
    """A group is carried when any alternative is: a stem, or a phrase whose stems all occur."""
    return any(all(s in stems for s in m) if isinstance(m, tuple) else m in stems for m in group)


def focus_missing(groups: list[Group], entry: Entry) -> float:
    """1 when the provision and its context do not carry every group of the question's focus, else 0 (0 for a
    question with no focus)."""
    return 0.0 if all(_carries(g, entry.own) or _carries(g, entry.context) for g in groups) else 1.0


@dataclass(frozen=True)
class Question:
    """The signals of one question: those of the question alone, read once, and those of it beside an answer."""
    alone: dict[str, float]
    focus: list[Group]

    def of(self, entry: Entry) -> dict[str, float]:
        """Every signal of SIGNALS for the question answered by this provision, by name."""
        return {**self.alone, "focus_missing": focus_missing(self.focus, entry)}


def read(index: Index, interp: Interpretation) -> Question:
    """The question's signals (each of SIGNALS, given an answer by Question.of)."""
    return Question({"unknown_share": unknown_share(index, interp)}, focus(index, interp))


__all__ = ["SIGNALS", "Question", "focus", "focus_missing", "read", "unknown_share"]
