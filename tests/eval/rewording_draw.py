"""Draw the development passages a rewording batch asks about (tests/data/questions/PROTOCOL.md, "Rewording batches").

The evidence units of the development questions (`split` dev; held-out rows are skipped, never used or printed, and
so are the rows of the batch being drawn for) are grouped per agreement, near-twins joined into one passage by score.py's citation rule
(`textmatch.cites` either way), the passages sorted by their first text, and PER_AGREEMENT of them drawn with one
`random.Random(seed)`, agreements in sorted key order. Only each passage's agreement, section and text is printed —
never a question's wording. With the bank as it stood when q16 was drawn (no q16 row counted) it reproduces q16's draw.

    python -m tests.eval.rewording_draw            # q16's draw: seed 20261205-q16, 9 per agreement
"""
from __future__ import annotations

import argparse
import random
import sys

from .questions import BANK, load
from .textmatch import cites

SEED = "20261205-q16"
BATCH = "q16"
PER_AGREEMENT = 9


def passages(rows: list[dict], batch: str = BATCH) -> dict[str, list[list[dict]]]:
    """Per agreement, the development evidence units clustered into passages: each passage a list of
    {"evidence", "section", "ids"} sorted by evidence, the passages sorted by their first evidence."""
    units: dict[str, dict[str, dict]] = {}
    for row in rows:
        if row.get("split") != "dev" or row.get("batch") == batch or not row.get("evidence"):
            continue
        unit = units.setdefault(row["agreement"], {}).setdefault(
            row["evidence"], {"evidence": row["evidence"], "section": row.get("section", ""), "ids": []})
        unit["ids"].append(row["id"])
    found = {}
    for agreement, by_text in units.items():
        texts = sorted(by_text)
        parent = list(range(len(texts)))

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if cites(texts[i], texts[j]) or cites(texts[j], texts[i]):
                    parent[root(j)] = root(i)
        clusters: dict[int, list[dict]] = {}
        for i, text in enumerate(texts):
            clusters.setdefault(root(i), []).append(by_text[text])
        found[agreement] = sorted(clusters.values(), key=lambda cluster: cluster[0]["evidence"])
    return found


def draw(rows: list[dict], seed: str = SEED, per_agreement: int = PER_AGREEMENT,
         batch: str = BATCH) -> list[tuple[str, list[dict]]]:
    rng = random.Random(seed)
    drawn = []
    for agreement, found in sorted(passages(rows, batch).items()):
        drawn.extend((agreement, cluster) for cluster in rng.sample(found, min(per_agreement, len(found))))
    return drawn


def render(drawn: list[tuple[str, list[dict]]]) -> str:
    """Agreement, section and text of each drawn passage: what the writer may see."""
    lines = []
    for n, (agreement, cluster) in enumerate(drawn):
        lines.append(f"[{n}] {agreement}")
        lines.extend(f"   § {unit['section']}\n   > {unit['evidence']}" for unit in cluster)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", default=SEED)
    parser.add_argument("--per-agreement", type=int, default=PER_AGREEMENT)
    parser.add_argument("--batch", default=BATCH, help="the batch drawn for: its own rows are not counted")
    args = parser.parse_args(argv)
    print(render(draw(load(BANK), args.seed, args.per_agreement, args.batch)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
