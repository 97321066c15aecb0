"""Draw the units of the annotated extraction corpus (tests/data/annotations/units.jsonl).

A unit is what extraction reads and what a quote must be: one sentence of a paragraph or one list
item (headings are not units). From each of the five seed agreements UNITS_PER_AGREEMENT units of
at least three words are drawn at random with a fixed seed, and each is assigned to the development
or the held-out part *before anyone annotates or tunes* (HELD_OUT of them held out, by the same
seeded shuffle). Re-running the script reproduces the same draw from the same texts; it refuses to
overwrite annotations.

    python -m tests.eval.sample_units [--force]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from vemgorvad.catalogue import load_catalogue
from vemgorvad.extract.sentences import units_of
from vemgorvad.ingest import ingest_path

SEED = 20261203
UNITS_PER_AGREEMENT = 100
HELD_OUT = 40
OUT = Path(__file__).resolve().parents[1] / "data" / "annotations" / "units.jsonl"


def draw() -> list[dict]:
    rows = []
    for record in sorted(load_catalogue(), key=lambda r: r.key):
        doc = ingest_path(record.path)
        units = [u for u in units_of(doc) if u.kind != "heading" and len(u.text(doc).split()) >= 3]
        rng = random.Random(f"{SEED}:{record.key}")
        chosen = rng.sample(range(len(units)), min(UNITS_PER_AGREEMENT, len(units)))
        held = set(chosen[:HELD_OUT])
        for n in sorted(chosen):
            unit = units[n]
            block = doc.blocks[unit.block]
            intro = doc.block_text(block.intro) if unit.kind == "item" and block.intro is not None else ""
            previous = units[n - 1].text(doc) if n > 0 else ""
            rows.append({
                "id": f"{record.key}-{n:04d}",
                "agreement": record.key,
                "split": "heldout" if n in held else "dev",
                "section": doc.section_path(block.section) if block.section is not None else "",
                "kind": unit.kind,
                "intro": intro,
                "previous": previous,
                "text": unit.text(doc),
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = parser.parse_args(argv)
    if OUT.exists() and not args.force:
        print(f"{OUT} finns redan (already exists); --force skriver över", file=sys.stderr)
        return 1
    rows = draw()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} units → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
