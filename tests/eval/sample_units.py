"""Draw the units of the annotated extraction corpus (tests/data/annotations/units.jsonl).

A unit is what extraction reads and what a quote must be: one sentence of a paragraph or one list
item (headings are not units). From each of the five seed agreements UNITS_PER_AGREEMENT units of
at least three words are drawn at random with a fixed seed, and each is assigned to the development
or the held-out part *before anyone annotates or tunes* (HELD_OUT of them held out, by the same
seeded shuffle). Re-running the script reproduces the same draw from the same texts; it refuses to
overwrite annotations.

A later *batch* (`--batch NAME`, listed in BATCHES with its own seed and size) draws fresh
development units when the first draw's development part is spent as a tuning signal: from each
agreement, units not already in units.jsonl (by id or by text, so a held-out unit is never drawn
again), all assigned `dev`, each with a `batch` field; an agreement with fewer undrawn units than
the batch's size gives all it has left, and one with none left (Stockholm-Västerort after s8: all its 147
units are drawn; Sörmland and Västra Götaland after s9; Uppsala after s11; only Västmanland is left for s13) gives nothing and is absent from the batch — no
error, no repeat. They are appended to units.jsonl; a batch already there is never drawn again. Units of the first draw have no `batch` field (FIRST_BATCH).

    python -m tests.eval.sample_units [--force]
    python -m tests.eval.sample_units --batch s7
    python -m tests.eval.sample_units --batch s8
    python -m tests.eval.sample_units --batch s9
    python -m tests.eval.sample_units --batch s10
    python -m tests.eval.sample_units --batch s11
    python -m tests.eval.sample_units --batch s13
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
FIRST_BATCH = "first"
BATCHES = {"s7": (20261204, 40), "s8": (20261205, 40), "s9": (20261206, 50),
           "s10": (20261207, 60), "s11": (20261208, 50), "s13": (20261209, 40)}  # name → (seed, units per agreement); all dev
OUT = Path(__file__).resolve().parents[1] / "data" / "annotations" / "units.jsonl"


def _row(doc, units: list, n: int, key: str, split: str) -> dict:
    unit = units[n]
    block = doc.blocks[unit.block]
    intro = doc.block_text(block.intro) if unit.kind == "item" and block.intro is not None else ""
    previous = units[n - 1].text(doc) if n > 0 else ""
    return {
        "id": f"{key}-{n:04d}",
        "agreement": key,
        "split": split,
        "section": doc.section_path(block.section) if block.section is not None else "",
        "kind": unit.kind,
        "intro": intro,
        "previous": previous,
        "text": unit.text(doc),
    }


def _candidates() -> list[tuple[str, object, list]]:
    """Per seed agreement (sorted by key): its key, its document and the units that can be drawn."""
    out = []
    for record in sorted(load_catalogue(), key=lambda r: r.key):
        doc = ingest_path(record.path)
        units = [u for u in units_of(doc) if u.kind != "heading" and len(u.text(doc).split()) >= 3]
        out.append((record.key, doc, units))
    return out


def draw() -> list[dict]:
    rows = []
    for key, doc, units in _candidates():
        rng = random.Random(f"{SEED}:{key}")
        chosen = rng.sample(range(len(units)), min(UNITS_PER_AGREEMENT, len(units)))
        held = set(chosen[:HELD_OUT])
        rows += [_row(doc, units, n, key, "heldout" if n in held else "dev") for n in sorted(chosen)]
    return rows


def draw_batch(batch: str, existing: list[dict]) -> list[dict]:
    """A later batch: from each agreement, units not in `existing` (neither their id nor their text),
    drawn with the batch's own seed, all in the development part. An agreement with no undrawn unit
    left contributes no row (`rng.sample` of an empty list is empty)."""
    seed, size = BATCHES[batch]
    taken_ids = {r["id"] for r in existing}
    rows = []
    for key, doc, units in _candidates():
        taken_texts = {r["text"] for r in existing if r["agreement"] == key}
        free = [n for n in range(len(units))
                if f"{key}-{n:04d}" not in taken_ids and units[n].text(doc) not in taken_texts]
        rng = random.Random(f"{seed}:{batch}:{key}")
        for n in sorted(rng.sample(free, min(size, len(free)))):
            row = _row(doc, units, n, key, "dev")
            row["batch"] = batch
            rows.append(row)
    return rows


def batch_of(row: dict) -> str:
    """The draw a unit came from."""
    return str(row.get("batch", FIRST_BATCH))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="overwrite an existing file (first draw only)")
    parser.add_argument("--batch", choices=sorted(BATCHES), help="append a later batch of development units")
    args = parser.parse_args(argv)
    if args.batch:
        if not OUT.exists():
            print(f"{OUT} saknas (missing): dra först det första urvalet", file=sys.stderr)
            return 1
        existing = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
        if any(batch_of(r) == args.batch for r in existing):
            print(f"omgången {args.batch} finns redan i {OUT} (batch already drawn)", file=sys.stderr)
            return 1
        added = draw_batch(args.batch, existing)
        with OUT.open("a", encoding="utf-8") as handle:
            for row in added:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{len(added)} units (batch {args.batch}) appended → {OUT}")
        return 0
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
