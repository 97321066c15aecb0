"""Validate annotation files against units.jsonl and the guideline's field rules (stdlib only).

    python3 tests/eval/check_annotations.py [AGREEMENT_OR_FILE ...]

With no argument every tests/data/annotations/<agreement>.jsonl present is checked, and every
second annotator's file there (second-annotator*.jsonl, each a subset of the units); an argument is
an agreement key or a path (e.g. second-annotator.jsonl).
Exits non-zero and lists every problem.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

DIR = Path(__file__).resolve().parents[1] / "data" / "annotations"
UNIT_FIELDS = ["id", "agreement", "split", "section", "kind", "intro", "previous", "text"]
OPTIONAL_UNIT_FIELDS = ["batch"]    # a later draw (tests/eval/sample_units.py --batch); absent on the first
ADDED = ["class", "bearer_kind", "bearer_mode", "bearer_label", "bearer_source", "topics",
         "segmentation", "note"]
CLASSES = {"obligation", "recommendation", "permission", "description"}
KINDS = {"kommun", "region", "kommun+region", "other", "unspecified"}
MODES = {"single", "joint", "each"}
SOURCES = {"agent", "intro", "section", "context", "none"}
TOPICS = set(["parter", "malgrupp_psykisk_funktionsnedsattning", "malgrupp_missbruk", "malgrupp_barn_unga", "malgrupp_aldre", "syfte_mal", "ansvar_kommun", "ansvar_region", "gemensamt_ansvar", "sip", "utskrivning_slutenvard", "tvangsvard_lpt_lrv", "placering_hvb", "kostnadsfordelning", "hjalpmedel", "boende", "sysselsattning_arbete", "anhorigstod", "barn_som_anhoriga", "orosanmalan_barn", "sekretess_samtycke", "brukarinflytande", "samverkansorganisation", "avvikelser", "tvister", "uppfoljning", "giltighetstid", "implementering", "kompetensutveckling", "suicidprevention", "samsjuklighet", "tandvard", "lakemedelsassisterad_behandling", "spel_om_pengar", "lvm"])


def check_row(row: dict) -> list[str]:
    p = []
    cls, kind, mode = row.get("class"), row.get("bearer_kind"), row.get("bearer_mode")
    label, source = row.get("bearer_label"), row.get("bearer_source")
    if cls not in CLASSES:
        p.append(f"class {cls!r}")
    responsibility = cls in ("obligation", "recommendation")
    if responsibility:
        if kind not in KINDS:
            p.append(f"bearer_kind {kind!r} on a responsibility")
        if kind == "unspecified":
            if source != "none":
                p.append("unspecified bearer needs bearer_source 'none'")
            if mode is not None or label is not None:
                p.append("unspecified bearer has no mode or label")
        elif kind in KINDS:
            if source not in SOURCES - {"none"}:
                p.append(f"bearer_source {source!r} with bearer_kind {kind}")
            if mode not in MODES:
                p.append(f"bearer_mode {mode!r}")
            if kind == "kommun+region" and mode == "single":
                p.append("kommun+region with mode single")
            if kind != "kommun+region" and mode in ("joint", "each"):
                p.append(f"{kind} with mode {mode}")
            if not isinstance(label, str) or not label.strip():
                p.append("bearer_label missing")
    else:
        for f in ("bearer_kind", "bearer_mode", "bearer_label", "bearer_source"):
            if row.get(f) is not None:
                p.append(f"{f} must be null for {cls}")
    topics = row.get("topics")
    if not isinstance(topics, list) or len(set(topics)) != len(topics or []):
        p.append("topics must be a list without repeats")
    else:
        bad = [t for t in topics if t not in TOPICS]
        if bad:
            p.append(f"unknown topics {bad}")
    if row.get("segmentation") not in ("ok", "bad"):
        p.append(f"segmentation {row.get('segmentation')!r}")
    if not isinstance(row.get("note"), str):
        p.append("note must be a string")
    elif row.get("segmentation") == "bad" and not row["note"].strip():
        p.append("segmentation bad without a note")
    extra = set(row) - set(UNIT_FIELDS) - set(OPTIONAL_UNIT_FIELDS) - set(ADDED)
    if extra:
        p.append(f"unexpected fields {sorted(extra)}")
    return p


def check_file(path: Path, units: dict[str, dict], agreement: str | None) -> list[str]:
    problems = []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = [r.get("id") for r in rows]
    for i in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{path.name}: {i} appears {ids.count(i)} times")
    if agreement:
        expected = [u for u in units if units[u]["agreement"] == agreement]
        missing = [i for i in expected if i not in ids]
        for batch in sorted({units[i].get("batch") for i in missing}, key=str):
            of_batch = [i for i in expected if units[i].get("batch") == batch]
            gone = [i for i in missing if units[i].get("batch") == batch]
            if batch is not None and len(gone) == len(of_batch):
                # a later draw not yet annotated at all: reported, not a problem (it lands agreement by agreement)
                print(f"{path.name}: batch {batch} not annotated yet ({len(gone)} units)")
            else:
                problems.append(f"{path.name}: missing {gone}")
        if [i for i in ids if i in expected] != [i for i in expected if i in ids]:
            problems.append(f"{path.name}: not in the order of units.jsonl")
    for r in rows:
        uid = r.get("id")
        if uid not in units:
            problems.append(f"{path.name}: unknown id {uid}")
            continue
        if agreement and units[uid]["agreement"] != agreement:
            problems.append(f"{path.name}: {uid} belongs to {units[uid]['agreement']}")
        for f in UNIT_FIELDS + OPTIONAL_UNIT_FIELDS:
            if r.get(f) != units[uid].get(f):
                problems.append(f"{path.name}: {uid} field {f} differs from units.jsonl")
        problems += [f"{path.name}: {uid}: {m}" for m in check_row(r)]
    return problems


def main(argv: list[str]) -> int:
    units = {}
    for line in (DIR / "units.jsonl").read_text(encoding="utf-8").splitlines():
        u = json.loads(line)
        units[u["id"]] = u
    agreements = sorted({u["agreement"] for u in units.values()})
    targets = argv or ([a for a in agreements if (DIR / f"{a}.jsonl").exists()]
                       + [str(p) for p in sorted(DIR.glob("second-annotator*.jsonl"))])
    problems = []
    for t in targets:
        if t in agreements:
            problems += check_file(DIR / f"{t}.jsonl", units, t)
        else:
            problems += check_file(Path(t), units, None)
    for m in problems:
        print(m)
    names = [t if t in agreements else Path(t).name for t in targets]
    print(f"checked {', '.join(names) or 'nothing'}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
