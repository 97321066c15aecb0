"""The responsibilities the extractor finds in one sentence under a numbered heading, with how each
got its bearer — for the bearer tests (test_bearer_*.py)."""
from __future__ import annotations

from vemgorvad.extract.clauses import extract
from vemgorvad.ingest import normalise


def duties(sentence: str) -> list[tuple[str | None, str, str | None]]:
    """(bearer kind, bearer source, bearer method) of each responsibility extracted from `sentence`."""
    clauses = extract(normalise("1. Samverkan\n" + sentence + "\n"), "t", "2020").clauses
    return [(c.bearer.kind if c.bearer else None, c.bearer_source, c.bearer.method if c.bearer else None)
            for c in clauses if c.is_responsibility]
