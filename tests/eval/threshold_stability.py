"""How much the abstention threshold, and the figures it gives, move when the ask model is refitted on a
slightly different development set — for each threshold rule of fit.py (THRESHOLD_RULES), side by side in one
process over the build in var/, on the development part only (the held-out part is never read here).

    python -m tests.eval.threshold_stability                 # seeds 0-5, 90 % of the training questions each
    python -m tests.eval.threshold_stability --seeds 10 --keep 0.8

For each seed and each leave-one-agreement-out fold (as tests/eval/crossfit.py: one build, no lexicon entries
switched off, no HTTP), the ranking and its calibration are fitted once on a random share (--keep) of the other
agreements' development questions; every rule then chooses its threshold from the same calibration rows and
the fold's own questions are judged with each. Printed per fold and rule: the threshold, principal and
abstention (mean and spread, max - min, over the seeds); then the pooled means, and the all-in figures (fitted
and judged on every development question, no subsample) per rule."""
from __future__ import annotations

import argparse
import statistics
import sys

import numpy as np

from vemgorvad.serve.ask import model as ranking
from vemgorvad.serve.ask.engine import AskEngine
from vemgorvad.serve.ask.features import NAMES
from vemgorvad.store import open_store

from .answers import questions
from .crossfit import _judge, figures
from .fit import (RANKING_FEATURES, THRESHOLD_RULES, _always_answering, calibrate_rows, calibration_rows_cited,
                  rank_weights, training_rows, use_model)


def _models(engine: AskEngine, qs: list[dict], x: np.ndarray, y: np.ndarray, groups: np.ndarray,
            mask: np.ndarray) -> dict[str, ranking.Model]:
    """One ranking and calibration fitted on `qs` (rows `x`, `y`, `groups` indexing `qs`), with each rule's threshold."""
    weights = rank_weights(x, y, groups, mask)
    use_model(engine, _always_answering(weights))
    inputs, right, answerable, cited = calibration_rows_cited(engine, qs)
    agreement = np.array([q["agreement"] for q in qs])
    models = {}
    for rule in THRESHOLD_RULES:
        calibration, bias, threshold, _ = calibrate_rows(inputs, right, answerable, agreement, rule, cited)
        models[rule] = ranking.Model(tuple(float(w) for w in weights), 0.0, tuple(calibration), bias, threshold, {})
    return models


def _subset(qs: list[dict], chosen: list[int], x: np.ndarray, y: np.ndarray,
            groups: np.ndarray) -> tuple[list[dict], np.ndarray, np.ndarray, np.ndarray]:
    """The questions `chosen` (indices into `qs`) and their rows, renumbered to index the returned list."""
    position = {i: k for k, i in enumerate(chosen)}
    rows = np.isin(groups, chosen)
    return ([qs[i] for i in chosen], x[rows], y[rows],
            np.array([position[int(g)] for g in groups[rows]], dtype=int))


def _spread(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} ±{(max(values) - min(values)) / 2:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=6, help="refits per fold (default: %(default)s)")
    parser.add_argument("--keep", type=float, default=0.9, help="share of the training questions each refit keeps")
    args = parser.parse_args(argv)
    if args.seeds < 1 or not 0 < args.keep <= 1:
        print("threshold_stability: --seeds ≥ 1 and 0 < --keep ≤ 1", file=sys.stderr)
        return 2
    mask = np.array([n in RANKING_FEATURES for n in NAMES])
    qs = questions("dev")
    if not qs:
        print("threshold_stability: no development questions in the bank", file=sys.stderr)
        return 1
    engine = AskEngine(open_store())
    x, y, _, groups = training_rows(engine, qs)
    keys = sorted({q["agreement"] for q in qs})
    # per rule, fold: one (threshold, principal, citation, abstention) per seed; pooled rows per rule and seed
    per: dict[tuple[str, str], list[tuple[float, ...]]] = {}
    pooled: dict[tuple[str, int], list[dict]] = {}
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        for key in keys:
            others = [i for i, q in enumerate(qs) if q["agreement"] != key]
            chosen = sorted(rng.choice(others, size=max(1, round(args.keep * len(others))), replace=False).tolist())
            train_qs, tx, ty, tg = _subset(qs, chosen, x, y, groups)
            for rule, model in _models(engine, train_qs, tx, ty, tg, mask).items():
                use_model(engine, model)
                rows = _judge(engine, [q for q in qs if q["agreement"] == key])
                pooled.setdefault((rule, seed), []).extend(rows)
                f = figures(rows)
                per.setdefault((rule, key), []).append((model.threshold, f["principal"], f["citation"], f["abstention"]))
        print(f"  seed {seed} done", file=sys.stderr)
    print(f"Leave-one-agreement-out, {args.seeds} refits per fold on {args.keep:.0%} of the other agreements' "
          "questions (mean ±half-range):")
    for key in keys:
        for rule in THRESHOLD_RULES:
            t, p, c, a = zip(*per[(rule, key)], strict=True)
            print(f"  {key:<22} {rule:<7} threshold {_spread(list(t))}  principal {_spread(list(p))}  "
                  f"citation {_spread(list(c))}  abstention {_spread(list(a))}")
    for rule in THRESHOLD_RULES:
        runs = [figures(pooled[(rule, s)]) for s in range(args.seeds)]
        mean_half = {k: _spread([r[k] for r in runs]) for k in ("principal", "citation", "abstention")}
        ranges = [statistics.mean(max(v) - min(v) for v in (list(zip(*per[(rule, key)], strict=True))[i] for key in keys))
                  for i in range(4)]
        print(f"  pooled {rule:<7} {mean_half}  mean per-fold range: threshold {ranges[0]:.3f} principal "
              f"{ranges[1]:.3f} citation {ranges[2]:.3f} abstention {ranges[3]:.3f}")
    everything = list(range(len(qs)))
    all_qs, ax, ay, ag = _subset(qs, everything, x, y, groups)
    for rule, model in _models(engine, all_qs, ax, ay, ag, mask).items():
        use_model(engine, model)
        print(f"  all-in dev {rule:<7} threshold {model.threshold:.3f} {figures(_judge(engine, qs))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
