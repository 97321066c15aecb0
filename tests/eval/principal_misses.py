"""Why the answer names the wrong principal, out of fold, on the development part only (issue 13): each
agreement's questions are answered by a model fitted (fit.py, as crossfit.py does) on the other agreements'
development questions, and every answerable question whose answer does not name an expected principal is put
in one cause:

- abstained: the engine answered nothing (the calibration's threshold, or no answerable candidate);
- gold absent: the gold passage is not among the answerable candidates (retrieval, or a condition dropped it);
- gold first, its principal wrong: the answer quotes the gold passage, whose bearer is not the expected one
  (extraction: the bearer, or the party a clause without one is answered with);
- outranked by a clause without a bearer: the answer is a provision that binds no named bearer — answered with
  the party it names (by_naming) or the parties together (by_parties) — and the gold passage is ranked below;
- outranked by a clause with a bearer: the same, by a provision with a bearer of its own, by where the
  extraction found it (vg:bearerSource: agent, intro, section, context).

Each cause is also split by the question's kind (bank.jsonl "kind") and by whether the gold passage's own
principal is right (had it been first). The held-out part is never read here.

    python -m tests.eval.principal_misses            # the tally
    python -m tests.eval.principal_misses --show 20  # … and 20 misses of the two "outranked" causes"""
from __future__ import annotations

import argparse
import collections
import random
import sys

import numpy as np

from vemgorvad.serve.ask.engine import AskEngine
from vemgorvad.serve.ask.features import NAMES, Candidate
from vemgorvad.store import open_store

from .answers import principal_ok, questions
from .fit import RANKING_FEATURES, _params, fit_model, training_rows, use_model
from .textmatch import cites

SOURCES = """PREFIX vg: <https://w3id.org/vemgorvad/ontology#>
SELECT ?r ?source WHERE { ?r vg:bearerSource ?source }"""


def _right(q: dict, c: Candidate) -> bool:
    e = c.entry
    return principal_ok(q, [{"principal": {"kind": e.kind, "label": e.bearer_label}, "unit": {"label": e.unit_label}}])


def cause(q: dict, body: dict, ranked: list[Candidate], sources: dict[str, str]) -> tuple[str, bool | None, int | None]:
    """The cause of a wrong principal, whether the gold passage's own principal is right, and its rank."""
    answerable = [c for c in ranked if c.entry.answerable]
    gold = next((k for k, c in enumerate(answerable) if cites(c.entry.quote, q["evidence"])), None)
    gold_right = _right(q, answerable[gold]) if gold is not None else None
    if not body.get("answers"):
        return "abstained", gold_right, gold
    if gold is None:
        return "gold absent", None, None
    quote = body["answers"][0].get("quote")
    top = next((c for c in answerable if c.entry.quote == quote), answerable[0])
    if cites(quote, q["evidence"]):
        return "gold first, its principal wrong", gold_right, gold
    e = top.entry
    if e.by_naming or e.by_parties:
        return f"outranked by a clause without a bearer ({'by_naming' if e.by_naming else 'by_parties'})", gold_right, gold
    return f"outranked by a clause with a bearer ({sources.get(e.iri, '?').rsplit('/', 1)[-1]})", gold_right, gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=0, help="how many 'outranked' misses to print")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    qs = questions("dev")
    if not qs:
        print("principal_misses: no development questions in the bank", file=sys.stderr)
        return 1
    store = open_store()
    sources = {str(row["r"]): str(row["source"]) for row in store.values(SOURCES)}
    engine = AskEngine(store)
    mask = np.array([n in RANKING_FEATURES for n in NAMES])
    x, y, _, groups = training_rows(engine, qs)
    agreement_of_row = np.array([qs[int(g)]["agreement"] for g in groups])
    tally: collections.Counter[str] = collections.Counter()
    by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    gold_right: collections.Counter[tuple[str, bool | None]] = collections.Counter()
    shown = []
    answerable = 0
    for key in sorted({q["agreement"] for q in qs}):
        train = agreement_of_row != key
        others = [q for q in qs if q["agreement"] != key]
        position = {id(q): i for i, q in enumerate(others)}
        renumbered = np.array([position[id(qs[int(g)])] for g in groups[train]], dtype=int)
        model, _ = fit_model(engine, others, x[train], y[train], renumbered, mask)
        use_model(engine, model)
        for q in qs:
            if q["agreement"] != key or not q["expected_principals"]:
                continue
            answerable += 1
            body = engine._ask(q["question"], _params(q))
            if principal_ok(q, body.get("answers") or []):
                tally["right"] += 1
                by_kind[q["kind"]]["right"] += 1
                continue
            ranked = engine.ranked(engine.interpret(q["question"], _params(q)))
            why, gold_ok, rank = cause(q, body, ranked, sources)
            tally[why] += 1
            by_kind[q["kind"]][why] += 1
            gold_right[(why, gold_ok)] += 1
            if why.startswith("outranked"):
                shown.append((q, body, ranked, why, rank))
    print(f"principal_misses (dev, out of fold): {answerable} answerable questions")
    for why, n in tally.most_common():
        split = {str(ok): gold_right[(why, ok)] for ok in (True, False, None) if gold_right[(why, ok)]}
        print(f"  {n:4d}  {why}" + (f"   gold passage's principal right: {split}" if why != "right" else ""))
    print("by kind:")
    for kind in sorted(by_kind):
        counts = by_kind[kind]
        total = sum(counts.values())
        print(f"  {kind:<12} {counts['right']}/{total} right; " +
              ", ".join(f"{w} {n}" for w, n in counts.most_common() if w != "right"))
    for q, body, ranked, why, rank in random.Random(args.seed).sample(shown, min(args.show, len(shown))):
        answerable_c = [c for c in ranked if c.entry.answerable]
        print("=" * 100)
        print(f"{q['id']} [{q['kind']}] {q['question']!r} expected={q['expected_principals']}  {why}")
        top = body["answers"][0]
        print(f"  answered: {(top.get('principal') or {}).get('label')} | {str(top.get('quote'))[:160]}")
        if rank is not None:
            g = answerable_c[rank].entry
            print(f"  gold (rank {rank + 1}): {g.bearer_label} ({sources.get(g.iri, 'none').rsplit('/', 1)[-1]})"
                  f" | {g.quote[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
