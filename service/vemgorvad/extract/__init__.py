"""Extract: normalised agreement → responsibilities and clauses, with conditions, citations and
provenance. The same code runs on every agreement; what varies lives in data/lexicon/."""
