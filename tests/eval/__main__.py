"""`make eval`: our own figures — extraction against the annotated units, answers against the
question bank, the gap check against its ablations, variants, renderings and drafts
(tests/data/gapcheck/) — on the development part, and leave-one-agreement-out. When the annotated
units come from more than one draw (tests/eval/sample_units.py --batch), extraction is also printed
per draw: `extraction/dev[first]` is the first draw's development part, `extraction/dev[s7]` the
fresh units drawn later. A fresh batch of questions (tests/eval/answers.py FRESH_BATCHES) is answered by the
same served model on a line of its own, `answers/dev[q16]`, and is in no other figure (nor in any fit);
`--skip-batch q16` leaves it out entirely.

    python -m tests.eval                 # development part, all-in and leave-one-agreement-out
    python -m tests.eval --heldout       # … and the held-out part: only when a round of work stops
    python -m tests.eval --verbose       # … with every miss of the development part
    python -m tests.eval --no-gapcheck   # answers and extraction only (the gap check is the slow part)
    python -m tests.eval --extraction-only   # extraction only: builds, no service, answers or gap check

Leave-one-agreement-out answers each agreement's questions with an ask model fitted on that fold's
build and the other agreements' development questions only (tests/eval/fit.py --without KEY), so its
figures are clean; --shared-model uses data/ask/model.json instead (fitted on every agreement).

Every figure is measured on a build made for the run (in a scratch folder; data/ and var/ are not
touched), served by `vemgorvad serve` on a free loopback port, so it sees what a client sees.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from . import answers, extraction, gapcheck
from .harness import ROOT, agreement_texts, build, fit, loao_exclusions, serving, single_agreement_entries
from .sample_units import batch_of

SPLITS = ("dev", "heldout")
SKIPPED_BATCHES: set[str] = set()   # --skip-batch: draws kept unseen until a round's end


def _line(label: str, figures: dict) -> str:
    return f"  {label:<34} " + "  ".join(f"{k}={v}" for k, v in figures.items() if k != "by_kind") + (
        "\n  " + " " * 34 + " by kind: " + " ".join(f"{k}={v}" for k, v in figures["by_kind"].items())
        if "by_kind" in figures else "")


def evaluate(var: Path, splits: tuple[str, ...], agreements: set[str] | None, verbose: bool,
             exclude: Path | None = None, label: str = "all-in", raw: dict | None = None,
             refit: bool = False, gap: bool = True, extraction_only: bool = False) -> dict:
    """Figures by name; `raw` (when given) collects each split's extraction score and answer rows, so
    leave-one-agreement-out can be pooled over the agreements. `refit`: the ask model is fitted afresh
    on this build without the questions of `agreements` (a clean leave-one-agreement-out fold).
    `extraction_only`: the build's extraction figures alone (no service, answers or gap check)."""
    results: dict = {}
    dataset = build(var, exclude)
    graph = extraction.extracted(dataset)
    clauses = extraction.classes(dataset)
    if extraction_only:
        for split in splits:
            _extraction(results, split, agreements, graph, raw, verbose, label, clauses)
        return results
    texts = agreement_texts()
    model = None
    if refit and agreements is not None:
        model = fit(var, exclude, next(iter(agreements)), var / "ask-model.json")
    with serving(var, exclude, model=model) as base:
        for split in splits:
            _extraction(results, split, agreements, graph, raw, verbose, label, clauses)
            for name, qs in answer_parts(split, agreements):
                summary, rows = answers.run(base, qs, texts) if qs else ({}, [])
                results[name] = summary
                if name != f"answers/{split}":
                    continue   # a fresh batch: its own line, in no pooled figure, its misses never printed
                if raw is not None:
                    raw[split]["answers"].extend(rows)
                if verbose and split == "dev":
                    for row in rows:
                        if "miss" in row:
                            print(f"    [{label}] {row['miss']}")
            figures, misses = gapcheck.run(gapcheck.http_checker(base), split, agreements) if gap else ({}, [])
            for part, value in figures.items():
                results[f"gapcheck/{split}/{part}"] = value
            if verbose and split == "dev":
                for miss in misses:
                    print(f"    [{label}] gapcheck: {miss}")
    return results


def answer_parts(split: str, agreements: set[str] | None) -> list[tuple[str, list[dict]]]:
    """The question sets scored on `split`, by the name of their line: `answers/<split>` (every question but a
    fresh batch's and a skipped batch's) and, all-in only, `answers/<split>[<batch>]` for each fresh batch not
    skipped (tests/eval/answers.py FRESH_BATCHES) — answered by the same served model, counted in nothing else."""
    parts = [(f"answers/{split}", answers.questions(split, agreements, skip=SKIPPED_BATCHES))]
    if agreements is None:
        parts += [(f"answers/{split}[{batch}]", answers.questions(split, batch=batch))
                  for batch in answers.fresh_batches(split, SKIPPED_BATCHES)]
    return parts


def _extraction(results: dict, split: str, agreements: set[str] | None, graph: dict, raw: dict | None,
                verbose: bool, label: str, clauses: dict | None = None) -> None:
    """The extraction figures of one split into `results` (all, per draw, per agreement, and all-in per
    deontic class); its score into `raw` for pooling; its misses printed when `verbose` (development part only)."""
    units = [u for u in extraction.annotated_units(split, agreements) if batch_of(u) not in SKIPPED_BATCHES]
    per = extraction.score(units, graph)
    key = "all" if agreements is None else next(iter(agreements))
    results[f"extraction/{split}"] = per[key].figures() if key in per else {}
    wrong: list[str] = []
    if clauses is not None and agreements is None:
        results[f"classes/{split}"], wrong = extraction.class_figures(units, clauses)
    batches = sorted({batch_of(u) for u in units})
    for batch in batches if len(batches) > 1 else ():
        part = extraction.score([u for u in units if batch_of(u) == batch], graph)
        results[f"extraction/{split}[{batch}]"] = part[key].figures() if key in part else {}
        if agreements is None:
            for agreement in sorted(k for k in part if k != "all"):
                results[f"extraction/{split}[{batch}]/{agreement}"] = part[agreement].figures()
    if raw is not None:
        raw.setdefault(split, {"extraction": extraction.Score(), "answers": []})
        raw[split]["extraction"].add(per.get(key, extraction.Score()))
    if agreements is None:
        for agreement in sorted(k for k in per if k != "all"):
            results[f"extraction/{split}/{agreement}"] = per[agreement].figures()
    if verbose and split == "dev":
        for miss in per.get(key, extraction.Score()).misses + wrong:
            print(f"    [{label}] {miss}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heldout", action="store_true", help="also score the held-out part (end of a round only)")
    parser.add_argument("--no-loao", action="store_true", help="skip leave-one-agreement-out")
    parser.add_argument("--no-gapcheck", action="store_true", help="skip the gap check's figures")
    parser.add_argument("--shared-model", action="store_true",
                        help="leave-one-agreement-out with the model in data/ask/ (fitted on every agreement's "
                             "development questions, so not clean) instead of one fitted per fold")
    parser.add_argument("--extraction-only", action="store_true",
                        help="extraction figures only: builds, no service, answers or gap check (minutes, not tens)")
    parser.add_argument("--skip-batch", action="append", default=[], metavar="NAME",
                        help="leave this draw's units out of extraction and this batch's questions out of the "
                             "answers (a fresh draw or batch kept unseen; repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print every miss of the development part")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    SKIPPED_BATCHES.update(args.skip_batch)
    splits = SPLITS if args.heldout else ("dev",)
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="vemgorvad-eval-") as scratch:
        print("Alla överenskommelser, alla lexikonposter (all-in):")
        report["all-in"] = evaluate(Path(scratch) / "all", splits, None, args.verbose, gap=not args.no_gapcheck,
                                     extraction_only=args.extraction_only)
        for name, figures in report["all-in"].items():
            if figures:
                print(_line(name, figures))
        total, single, marked = single_agreement_entries()
        print(f"Lexikonet: {single} av {total} poster attesteras av en enda överenskommelse "
              f"({marked} av dem markerade som allmän svenska)")
        report["lexicon"] = {"entries": total, "single_agreement": single, "single_marked_general": marked}
        if not args.no_loao:
            print("Lämna en utanför (leave-one-agreement-out: each agreement without the lexicon entries only it attests"
                  + ("):" if args.extraction_only else ", answered by the shared model):" if args.shared_model else
                     ", answered by a model fitted without its questions):"))
            keys = sorted(agreement_texts())
            pooled: dict = {}
            for key in keys:
                exclude = Path(scratch) / f"exclude-{key}.json"
                excluded = loao_exclusions(key, exclude)
                result = evaluate(Path(scratch) / key, splits, {key}, args.verbose, exclude, label=f"loao {key}",
                                  raw=pooled, refit=not args.shared_model and not args.extraction_only,
                                  gap=not args.no_gapcheck, extraction_only=args.extraction_only)
                report.setdefault("loao", {})[key] = {"excluded_entries": excluded, **result}
                for name, figures in result.items():
                    if figures:
                        print(_line(f"{key} ({excluded} off) {name}", figures))
            for split, material in pooled.items():
                rows = material["answers"]
                report.setdefault("loao", {})[f"pooled/{split}"] = figures = {
                    f"extraction/{split}": material["extraction"].figures(),
                    f"answers/{split}": answers.summarise(rows, [r["seconds"] for r in rows]) if rows else {}}
                for name, value in figures.items():
                    if value:
                        print(_line(f"pooled {name}", value))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"(root: {ROOT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
