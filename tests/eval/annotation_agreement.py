"""Inter-annotator agreement between the primary annotation files and second-annotator.jsonl (stdlib only).

    python3 tests/eval/annotation_agreement.py [--markdown]

Pairs every unit of tests/data/annotations/second-annotator.jsonl with the same unit in the primary
file of its agreement (<agreement>.jsonl), and prints Cohen's kappa on `class`, raw agreement on
`class`, raw agreement on `bearer_kind` over the units both annotators call responsibilities
(obligation or recommendation), and every disagreement. Per agreement and overall.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

DIR = Path(__file__).resolve().parents[1] / "data" / "annotations"
RESPONSIBILITY = {"obligation", "recommendation"}


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


def main(argv: list[str]) -> int:
    second = load(DIR / "second-annotator.jsonl")
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
