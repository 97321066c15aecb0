"""Leave-one-agreement-out cross-validation of the ask model, in process, over the build in var/:
for each agreement, the ranking model and its abstention are fitted (fit.py) on the development
questions of the other four and judged on its own development questions — so a figure never comes
from a model that saw the question. Used to choose between feature sets on the development part
only (the held-out part is never read here).

    python -m tests.eval.crossfit                      # the features fit.py weighs (RANKING_FEATURES)
    python -m tests.eval.crossfit --features all       # every feature of features.NAMES
    python -m tests.eval.crossfit --features a,b,c     # only these (the others weigh 0)
    python -m tests.eval.crossfit --misses             # … and every question its abstention handles wrong

Quicker than `make eval` (one build, no lexicon entries switched off, no HTTP): a guide for
choosing, not the figure a report gives — `make eval` is."""
from __future__ import annotations

import argparse
import statistics
import sys

import numpy as np

from vemgorvad.serve.ask import model as ranking
from vemgorvad.serve.ask import signals
from vemgorvad.serve.ask.engine import AskEngine
from vemgorvad.serve.ask.features import NAMES
from vemgorvad.store import open_store

from .answers import principal_ok, questions, reliability
from .fit import L2, RANKING_FEATURES, _params, fit_model, training_rows
from .textmatch import cites


def _use(engine: AskEngine, model: ranking.Model) -> None:
    """Answer with this model from now on (answers cached under another model are forgotten)."""
    engine.model = model
    engine._answers.clear()


def _judge(engine: AskEngine, qs: list[dict]) -> list[dict]:
    rows = []
    for q in qs:
        body = engine._ask(q["question"], _params(q))
        answers = body.get("answers") or []
        row = {"agreement": q["agreement"], "answerable": bool(q["expected_principals"]),
               "confidence": float(body.get("confidence") or 0.0)}
        if row["answerable"]:
            row["principal"] = principal_ok(q, answers)
            row["citation"] = bool(answers) and cites(answers[0].get("quote"), q.get("evidence"))
        else:
            row["abstained"] = body.get("status") == "not_covered" or not answers
        interp = engine.interpret(q["question"], _params(q))
        row["question"], row["unknown"] = q["question"], list(interp.unknown)
        best = [c for c in engine.ranked(interp) if c.entry.answerable][:1]
        row["signals"] = signals.read(engine.index, interp).of(best[0].entry) if best else {}
        row["answered"] = body.get("status") != "not_covered" and bool(answers)
        row["quote"] = (answers[0].get("quote") or "")[:90] if answers else ""
        rows.append(row)
    return rows


def figures(rows: list[dict]) -> dict:
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    share = lambda xs, k: round(statistics.mean(bool(r.get(k)) for r in xs), 3) if xs else float("nan")
    return {"n": len(rows), "principal": share(ans, "principal"), "citation": share(ans, "citation"),
            "abstention": share(una, "abstained"),
            **reliability([r["confidence"] for r in rows], [bool(r.get("principal")) for r in rows])}


def _print_misses(rows: list[dict]) -> None:
    """Each question handled wrong by its abstention: a not-covered one answered, an answerable one abstained on."""
    for title, wrong in (("not covered, answered", lambda r: not r["answerable"] and not r["abstained"]),
                         ("answerable, abstained on", lambda r: r["answerable"] and not r["answered"])):
        missed = [r for r in rows if wrong(r)]
        print(f"  {title}: {len(missed)}")
        for r in missed:
            shown = " ".join(f"{k}={v:.2f}" for k, v in r["signals"].items())
            print(f"    [{r['agreement'][:10]}] {r['confidence']:.2f} {shown} unknown={r['unknown']} "
                  f"{r['question']!r} -> {r['quote']!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", default=",".join(RANKING_FEATURES),
                        help="comma-separated feature names to use, or 'all' (default: fit.py's RANKING_FEATURES)")
    parser.add_argument("--l2", type=float, default=L2, help="L2 penalty of the ranking fit (default: fit.py's)")
    parser.add_argument("--out-of-fold-calibration", action="store_true",
                        help="calibrate on out-of-fold rankings (fit.py --out-of-fold-calibration)")
    parser.add_argument("--misses", action="store_true",
                        help="list the questions handled wrong out of fold: not-covered ones answered, answerable ones "
                             "abstained on, with the words no agreement uses and the calibration's signals")
    args = parser.parse_args(argv)
    use = list(NAMES) if args.features == "all" else [n for n in args.features.split(",") if n]
    unknown = sorted(set(use) - set(NAMES))
    if unknown:
        print(f"crossfit: unknown features {unknown}; known: {', '.join(NAMES)}", file=sys.stderr)
        return 2
    mask = np.array([n in use for n in NAMES])
    qs = questions("dev")
    engine = AskEngine(open_store())
    x, y, _, groups = training_rows(engine, qs)
    agreement_of_row = np.array([qs[int(g)]["agreement"] for g in groups])
    pooled: list[dict] = []
    for key in sorted({q["agreement"] for q in qs}):
        train = agreement_of_row != key
        others = [q for q in qs if q["agreement"] != key]
        position = {id(q): i for i, q in enumerate(others)}
        renumbered = np.array([position[id(qs[int(g)])] for g in groups[train]], dtype=int)
        model, _ = fit_model(engine, others, x[train], y[train], renumbered, mask,
                             rows_out_of_fold=args.out_of_fold_calibration, l2=args.l2)
        _use(engine, model)
        rows = _judge(engine, [q for q in qs if q["agreement"] == key])
        pooled.extend(rows)
        print(f"  {key:<22} {figures(rows)}  threshold {model.threshold:.3f}")
    print(f"  pooled (out of fold)   {figures(pooled)}")
    if args.misses:
        _print_misses(pooled)
    print(f"  features ({len(use)}): {', '.join(use)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
