"""Curated corrections (data/corrections.json): a human fixes what extraction got wrong, on the
record and apart from the automatic pipeline. Each correction matches a clause by a verbatim
fragment and may set its bearer kind and principal, unit, topics or duty kinds."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict, cast

from .extract.actors import Mention, bearer_from
from .extract.lexicon import lexicon
from .extract.model import Extraction


class Change(TypedDict, total=False):
    """What a correction sets: lexicon entry ids for the bearer and its unit, topic keys, duty kinds."""
    bearer: str
    unit: str
    topics: list[str]
    duty_kinds: list[str]


class _Required(TypedDict):
    match: str   # a verbatim fragment of the clause


class Correction(_Required, total=False):
    """One entry of data/corrections.json, under its agreement's key."""
    set: Change


def load_corrections(path: Path) -> dict[str, list[Correction]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return cast(dict[str, list[Correction]], data.get("corrections", {}))


def apply_corrections(extraction: Extraction, corrections: list[Correction]) -> int:
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
            if "topics" in change:
                clause.topics = list(change["topics"])
            if "duty_kinds" in change:
                clause.duty_kinds = list(change["duty_kinds"])
            clause.curated = True
            applied += 1
    return applied
