"""Law citations: a declarative grammar (grammar.py) and its resolution to laws.json (resolve.py)."""

from .resolve import Citation, Provision, current_equivalent, find_citations, law_table

__all__ = ["Citation", "Provision", "current_equivalent", "find_citations", "law_table"]
