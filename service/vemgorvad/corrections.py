"""Curated corrections (data/corrections.json): a human fixes what extraction got wrong, on the
record and apart from the automatic pipeline. Each correction matches a clause by a verbatim
fragment and may set its bearer kind and principal, unit, topics or duty kinds."""
from __future__ import annotations

import json
from pathlib import Path

from .extract.actors import Mention, bearer_from
from .extract.lexicon import lexicon
from .extract.model import Extraction


def load_corrections(path: Path) -> dict[str, list[dict]]:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("corrections", {})


def apply_corrections(extraction: Extraction, corrections: list[dict]) -> int:
    applied = 0
    for correction in corrections:
        for clause in extraction.clauses:
            if correction["match"] not in clause.text:
                continue
            change = correction.get("set", {})
            if "bearer" in change:
                entry = lexicon().entries[change["bearer"]]
                mentions = [Mention(0, 0, entry, entry.sv)]
                if change.get("unit"):
                    unit = lexicon().entries[change["unit"]]
                    mentions.append(Mention(0, 0, unit, unit.sv))
                clause.bearer = bearer_from(mentions, "curated", 1.0)
            for field in ("topics", "duty_kinds"):
                if field in change:
                    setattr(clause, field, list(change[field]))
            clause.curated = True
            applied += 1
    return applied
