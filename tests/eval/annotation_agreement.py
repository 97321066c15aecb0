"""Inter-annotator agreement between the primary annotation files and a second annotator's file (stdlib only).

    python3 tests/eval/annotation_agreement.py [--second FILE]
    python3 tests/eval/annotation_agreement.py --sample BATCH

Pairs every unit of the second annotator's file (default tests/data/annotations/second-annotator.jsonl;
a bare name is looked up in that folder, e.g. second-annotator-s7.jsonl) with the same unit in the primary
file of its agreement (<agreement>.jsonl), and prints Cohen's kappa on `class`, raw agreement on
`class`, raw agreement on `bearer_kind` over the units both annotators call responsibilities
(obligation or recommendation), and every disagreement. Per agreement and overall. Then, for the
record, the unscored fields: `bearer_mode`, `bearer_source` and `bearer_label` over the shared
responsibilities, `segmentation`, exact and mean-Jaccard agreement of `topics`, and each topic difference;
and Cohen's kappa of every categorical field (class, bearer_kind, bearer_mode, bearer_source,
segmentation) over all paired units, and of `topics` as pooled yes/no decisions per unit and key.

`--sample BATCH` prints the ids of the blind second annotation of a later batch, chosen by a rule
fixed before any text was read: per agreement (sorted by key) the batch's ids in sorted order,
shuffled with random.Random(f"{BATCH}-blind-B:{agreement}"), the first SAMPLE_PER_AGREEMENT kept
(SAMPLE_SIZES overrides it for a batch drawn from fewer agreements: s10 and s11 have two, so 15 each, 30 in all).
"""
from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

DIR = Path(__file__).resolve().parents[1] / "data" / "annotations"
RESPONSIBILITY = {"obligation", "recommendation"}
SAMPLE_PER_AGREEMENT = 8
SAMPLE_SIZES = {"s10": 15, "s11": 15}    # batch → units per agreement, where it differs from SAMPLE_PER_AGREEMENT


def load(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r}


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in set(first) | set(second)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def figures(pairs: list[tuple[dict, dict]]) -> dict:
    classes = [(a["class"], b["class"]) for a, b in pairs]
    both = [(a, b) for a, b in pairs if a["class"] in RESPONSIBILITY and b["class"] in RESPONSIBILITY]
    return {
        "units": len(pairs),
        "class_kappa": kappa(classes),
        "class_agreement": sum(x == y for x, y in classes) / len(classes) if classes else float("nan"),
        "both_responsibility": len(both),
        "bearer_kind_agreement": (sum(a["bearer_kind"] == b["bearer_kind"] for a, b in both) / len(both)
                                  if both else float("nan")),
        "responsibility_agreement": sum((a["class"] in RESPONSIBILITY) == (b["class"] in RESPONSIBILITY)
                                        for a, b in pairs) / len(pairs) if pairs else float("nan"),
    }


def jaccard(a: list[str], b: list[str]) -> float:
    x, y = set(a), set(b)
    return 1.0 if not x | y else len(x & y) / len(x | y)


def secondary(pairs: list[tuple[dict, dict]]) -> dict:
    """Agreement on the fields the kappa leaves out: counts of agreeing units, and the topic differences."""
    both = [(a, b) for a, b in pairs if a["class"] in RESPONSIBILITY and b["class"] in RESPONSIBILITY]
    out: dict = {"both_responsibility": len(both), "units": len(pairs)}
    for field in ("bearer_mode", "bearer_source", "bearer_label"):
        out[field] = sum(a[field] == b[field] for a, b in both)
    out["segmentation"] = sum(a["segmentation"] == b["segmentation"] for a, b in pairs)
    out["topics_exact"] = sum(set(a["topics"]) == set(b["topics"]) for a, b in pairs)
    out["topics_jaccard"] = (sum(jaccard(a["topics"], b["topics"]) for a, b in pairs) / len(pairs)
                             if pairs else float("nan"))
    out["topic_differences"] = [(a["id"], sorted(set(a["topics"]) - set(b["topics"])),
                                 sorted(set(b["topics"]) - set(a["topics"])))
                                for a, b in pairs if set(a["topics"]) != set(b["topics"])]
    return out


KAPPA_FIELDS = ("class", "bearer_kind", "bearer_mode", "bearer_source", "segmentation")


def field_kappas(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    """Cohen's kappa of each categorical field over all paired units (a null value is its own category,
    so a responsibility against a description disagrees on the bearer fields too), and of `topics` as
    pooled yes/no decisions: one per unit and topic key that either annotator used in the sample."""
    out = {f: kappa([(str(a[f]), str(b[f])) for a, b in pairs]) for f in KAPPA_FIELDS}
    keys = sorted({t for a, b in pairs for t in (*a["topics"], *b["topics"])})
    out["topics"] = kappa([(k in a["topics"], k in b["topics"]) for a, b in pairs for k in keys]) \
        if keys else float("nan")
    return out


def blind_sample(batch: str, units: list[dict] | None = None) -> list[str]:
    """The ids of a later batch chosen for the blind second annotation (see the module doc)."""
    if units is None:
        units = list(load(DIR / "units.jsonl").values())
    chosen: list[str] = []
    for agreement in sorted({u["agreement"] for u in units}):
        ids = sorted(u["id"] for u in units if u["agreement"] == agreement and u.get("batch") == batch)
        random.Random(f"{batch}-blind-B:{agreement}").shuffle(ids)
        chosen += sorted(ids[:SAMPLE_SIZES.get(batch, SAMPLE_PER_AGREEMENT)])
    return chosen


def main(argv: list[str]) -> int:
    if argv[:1] == ["--sample"]:
        if len(argv) != 2:
            print("usage: annotation_agreement.py --sample BATCH", file=sys.stderr)
            return 2
        chosen = blind_sample(argv[1])
        if not chosen:
            print(f"no unit of batch {argv[1]!r} in units.jsonl", file=sys.stderr)
            return 1
        print("\n".join(chosen))
        return 0
    path = DIR / "second-annotator.jsonl"
    if argv[:1] == ["--second"]:
        if len(argv) < 2:
            print("usage: annotation_agreement.py --second FILE", file=sys.stderr)
            return 2
        path = Path(argv[1]) if Path(argv[1]).exists() else DIR / argv[1]
        if not path.exists():
            print(f"no such file: {argv[1]}", file=sys.stderr)
            return 1
    second = load(path)
    by_agreement: dict[str, list[tuple[dict, dict]]] = {}
    missing = []
    primaries: dict[str, dict[str, dict]] = {}
    for uid, b in second.items():
        ag = b["agreement"]
        if ag not in primaries:
            path = DIR / f"{ag}.jsonl"
            primaries[ag] = load(path) if path.exists() else {}
        a = primaries[ag].get(uid)
        if a is None:
            missing.append(uid)
            continue
        by_agreement.setdefault(ag, []).append((a, b))
    if missing:
        print(f"no primary annotation yet for {len(missing)} unit(s): {', '.join(sorted(missing))}")
    allpairs = [p for ps in by_agreement.values() for p in ps]
    rows = [(ag, figures(ps)) for ag, ps in sorted(by_agreement.items())] + [("all", figures(allpairs))]
    print("| agreement | units | kappa (class) | raw agreement (class) | responsibility yes/no agreement "
          "| both responsibilities | bearer_kind agreement |")
    print("|---|---|---|---|---|---|---|")
    for ag, f in rows:
        print(f"| {ag} | {f['units']} | {f['class_kappa']:.2f} | {f['class_agreement']:.2f} "
              f"| {f['responsibility_agreement']:.2f} | {f['both_responsibility']} | {f['bearer_kind_agreement']:.2f} |")
    print()
    conf = Counter((a["class"], b["class"]) for a, b in allpairs)
    labels = ["obligation", "recommendation", "permission", "description"]
    print("| primary \\ second | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for x in labels:
        print(f"| {x} | " + " | ".join(str(conf[(x, y)]) for y in labels) + " |")
    print()
    print("| unit | text | primary | second |")
    print("|---|---|---|---|")
    for a, b in allpairs:
        ka = (a["class"], a["bearer_kind"])
        kb = (b["class"], b["bearer_kind"])
        if ka != kb:
            text = a["text"] if len(a["text"]) <= 110 else a["text"][:107] + "…"
            fa = a["class"] + (f" / {a['bearer_kind']}" if a["bearer_kind"] else "")
            fb = b["class"] + (f" / {b['bearer_kind']}" if b["bearer_kind"] else "")
            print(f"| {a['id']} | {text.replace('|', '/')} | {fa} | {fb} |")
    sec = secondary(allpairs)
    n, m = sec["both_responsibility"], sec["units"]
    print()
    print(f"Unscored fields: on the {n} shared responsibilities bearer_mode {sec['bearer_mode']}/{n}, "
          f"bearer_source {sec['bearer_source']}/{n}, bearer_label {sec['bearer_label']}/{n}; "
          f"segmentation {sec['segmentation']}/{m}; topics exact {sec['topics_exact']}/{m}, "
          f"mean Jaccard {sec['topics_jaccard']:.2f}")
    kappas = field_kappas(allpairs)
    print()
    print("Cohen's kappa per field, all paired units (null its own category; topics as yes/no per unit and key): "
          + ", ".join(f"{f} {k:.2f}" for f, k in kappas.items()))
    if sec["topic_differences"]:
        print()
        print("| unit | topics only primary | topics only second |")
        print("|---|---|---|")
        for uid, only_a, only_b in sec["topic_differences"]:
            print(f"| {uid} | {', '.join(only_a) or '—'} | {', '.join(only_b) or '—'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
