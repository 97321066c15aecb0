"""Why the ranking misses, out of fold, on the development part only: each agreement's questions are
ranked by a conditional logit (fit.py) fitted on the other agreements' questions, and every answerable
question is put in one of three classes — its gold passage ranked first, ranked below another, or not
among the candidates at all. For a sample of the "ranked below" misses it prints the passage that won
and the gold one, with the weighted features that decided between them, so a new feature or method can
be chosen by what the misses call for (issue 13), before any fit is changed.

    python -m tests.eval.ranking_misses                  # counts, and 20 "ranked below" misses
    python -m tests.eval.ranking_misses --sample 40 --seed 3

Always answering (no abstention), so the figures are the ranking's own: top-1 citation (the first
passage is the gold one) and top-1 principal (its principal is the one expected). The held-out part
is never read here."""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass

import numpy as np

from vemgorvad.serve.ask.engine import AskEngine
from vemgorvad.serve.ask.features import NAMES, Candidate
from vemgorvad.store import open_store

from .answers import principal_ok, questions
from .fit import RANKING_FEATURES, _params, conditional_logit
from .textmatch import cites


@dataclass
class Ranked:
    question: dict
    candidates: list[Candidate]
    gold: np.ndarray        # 1.0 where the candidate's quote is the gold evidence
    principal: np.ndarray   # 1.0 where the candidate's principal is an expected one


def collect(engine: AskEngine, qs: list[dict]) -> list[Ranked]:
    out = []
    for q in qs:
        if not q["expected_principals"]:
            continue
        found = [c for c in engine.ranked(engine.interpret(q["question"], _params(q))) if c.entry.answerable]
        gold = np.array([1.0 if cites(c.entry.quote, q["evidence"]) else 0.0 for c in found])
        right = np.array([1.0 if principal_ok(q, [{"principal": {"kind": c.entry.kind, "label": c.entry.bearer_label},
                                                   "unit": {"label": c.entry.unit_label}}]) else 0.0 for c in found])
        out.append(Ranked(q, found, gold, right))
    return out


def out_of_fold(rows: list[Ranked], mask: np.ndarray) -> dict[str, np.ndarray]:
    """The weights each agreement's questions are ranked with: fitted without them."""
    weights = {}
    for key in sorted({r.question["agreement"] for r in rows}):
        train = [r for r in rows if r.question["agreement"] != key and r.candidates]
        x = np.vstack([np.vstack([c.features for c in r.candidates]) for r in train])
        y = np.concatenate([r.gold for r in train])
        groups = np.concatenate([np.full(len(r.candidates), i) for i, r in enumerate(train)])
        w = np.zeros(len(NAMES))
        w[mask] = conditional_logit(x[:, mask], y, groups)
        weights[key] = w
    return weights


def order(r: Ranked, w: np.ndarray) -> list[int]:
    scores = [float(c.features @ w) for c in r.candidates]
    return sorted(range(len(scores)), key=lambda i: (-scores[i], r.candidates[i].entry.start))


def report(rows: list[Ranked], weights: dict[str, np.ndarray], sample: int, seed: int) -> dict:
    first = below = absent = top_principal = 0
    misses = []
    for r in rows:
        w = weights[r.question["agreement"]]
        ranked = order(r, w)
        if ranked:
            top_principal += int(r.principal[ranked[0]])
        rank = next((k for k, i in enumerate(ranked) if r.gold[i]), None)
        if rank is None:
            absent += 1
        elif rank == 0:
            first += 1
        else:
            below += 1
            misses.append((r, ranked[0], ranked[rank], rank, w))
    n = len(rows)
    figures = {"answerable": n, "gold_first": first, "gold_below": below, "gold_absent": absent,
               "top1_citation": round(first / n, 3) if n else 0.0,
               "top1_principal": round(top_principal / n, 3) if n else 0.0}
    print(f"ranking_misses (dev, out of fold, always answering): {figures}")
    for r, win, gold, rank, w in random.Random(seed).sample(misses, min(sample, len(misses))):
        q = r.question
        print("=" * 100)
        print(f"{q['id']} [{q['kind']}] {q['question']!r} expected={q['expected_principals']}")
        for label, i in (("won", win), (f"gold (rank {rank + 1} of {len(r.candidates)})", gold)):
            c = r.candidates[i]
            e = c.entry
            print(f"  {label}: {e.kind} {e.deontic} score={float(c.features @ w):.2f} | {e.quote[:160]}")
        diff = (r.candidates[win].features - r.candidates[gold].features) * w
        decisive = {NAMES[j]: round(float(diff[j]), 2) for j in np.argsort(-np.abs(diff))[:5] if abs(diff[j]) > 0.01}
        print(f"  won by (weighted feature differences): {decisive}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=20, help="how many 'ranked below' misses to print")
    parser.add_argument("--seed", type=int, default=7, help="which sample")
    args = parser.parse_args(argv)
    if args.sample < 0:
        print("ranking_misses: --sample must be 0 or more", file=sys.stderr)
        return 2
    qs = questions("dev")
    if not qs:
        print("ranking_misses: no development questions in the bank", file=sys.stderr)
        return 1
    rows = collect(AskEngine(open_store()), qs)
    mask = np.array([n in RANKING_FEATURES for n in NAMES])
    report(rows, out_of_fold(rows, mask), args.sample, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
