"""Which principal the ranking favours, all its candidates counted: the ranking model is a conditional logit
(tests/eval/fit.py), so softmax of the answerable candidates' scores is its probability that each is the passage
that answers the question; the probability that the answer's principal is of a kind is the sum over the
candidates of that kind (evidence aggregation over passages, as in answer re-ranking: Wang et al. 2018,
"Evidence aggregation for answer re-ranking in open-domain question answering"). Several passages that agree
on a principal then outweigh a single one that scores a little higher and names another."""
from __future__ import annotations

import numpy as np

from .features import Candidate


def principal_mass(scored: list[Candidate]) -> dict[str | None, float]:
    """The ranking's probability of each kind of principal: softmax of the answerable candidates' scores,
    summed by the kind each names."""
    answerable = [c for c in scored if c.entry.answerable]
    if not answerable:
        return {}
    scores = np.array([c.score for c in answerable])
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    mass: dict[str | None, float] = {}
    for c, w in zip(answerable, weights, strict=True):
        mass[c.entry.kind] = mass.get(c.entry.kind, 0.0) + float(w)
    return mass


def best_principal_first(ranked: list[Candidate], specific: bool = False) -> list[Candidate]:
    """`ranked` (best first) with the best answerable candidate of the most probable kind of principal moved
    to the front; the others keep their order. Ties between kinds go to the kind of the best candidate.
    `specific`: a candidate states the very condition the question gives (an age, a duration) — the special
    rule is not outvoted by general ones (lex specialis derogat legi generali), and the ranking stands."""
    mass = principal_mass(ranked)
    if not mass or specific:
        return ranked
    leader = next(c for c in ranked if c.entry.answerable)
    kind = max(mass, key=lambda k: (mass[k], k == leader.entry.kind))
    chosen = next(c for c in ranked if c.entry.answerable and c.entry.kind == kind)
    return [chosen] + [c for c in ranked if c is not chosen]


__all__ = ["best_principal_first", "principal_mass"]
