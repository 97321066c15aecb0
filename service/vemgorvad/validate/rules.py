"""Materialise what the vocabularies imply, with the SPARQL Update rules in queries/rules/."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph

from .. import paths


def rule_files() -> list[Path]:
    return sorted((paths.QUERIES / "rules").glob("*.ru"))


def apply_rules(store: pyoxigraph.Store) -> dict[str, int]:
    """Run every rule once, in file order; return how many quads each added."""
    added: dict[str, int] = {}
    for path in rule_files():
        before = len(store)
        store.update(path.read_text(encoding="utf-8"))
        added[path.stem] = len(store) - before
    return added
