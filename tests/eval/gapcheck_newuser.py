"""Score the law requirements of the gap check on the new-user drafts (tests/data/gapcheck/newuser/,
its README is the protocol): false violations (a stated requirement reported missing) and omissions
found, per draft.

    python -m tests.eval.gapcheck_newuser
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

FOLDER = Path(__file__).resolve().parent.parent / "data" / "gapcheck" / "newuser"
GOLDS = {p.name.removesuffix(".gold.json"): json.loads(p.read_text(encoding="utf-8"))
         for p in sorted(FOLDER.glob("*.gold.json"))}
ONE_GROUP = "one-target-group"


def violations(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["severity"] == "violation"]


def score(gold: dict[str, Any], report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(false violations, missed omissions) of one draft's report."""
    found = violations(report)
    topics = {f.get("topic") for f in found if f.get("topic")}
    false = sorted(t for t in gold["law_stated"] if t in topics)
    if any(f.get("code") == ONE_GROUP for f in found) and not any(t.startswith("malgrupp_") for t in gold["law_omitted"]):
        false.append(ONE_GROUP)
    missed = sorted(t for t in gold["law_omitted"] if t not in topics)
    return false, missed


def main() -> None:
    peers = Peers({}, {})
    total_false = total_missed = omitted = 0
    for name, gold in GOLDS.items():
        report = check((FOLDER / gold["file"]).read_bytes(), gold["file"], peers)
        false, missed = score(gold, report)
        total_false += len(false)
        total_missed += len(missed)
        omitted += len(gold["law_omitted"])
        print(f"{name:28} false {false or '-'}  missed {missed or '-'}")
    print(f"false violations {total_false}; omissions found {omitted - total_missed}/{omitted}")


if __name__ == "__main__":
    main()
