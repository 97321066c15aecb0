"""The five seed agreements read and extracted in the test process once per session: test_extract and
test_deontic each read all five whole through ingest and extraction (about a second of CPU per
agreement), and did so each on its own, twice per run. The results are read, never changed."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from vemgorvad.extract.clauses import extract
from vemgorvad.extract.model import Extraction
from vemgorvad.ingest import Document, ingest_path

AGREEMENTS = Path(__file__).resolve().parents[1] / "data" / "agreements"


@cache
def seed_extraction(key: str) -> tuple[Document, Extraction]:
    """A seed agreement (data/agreements/KEY.txt) as ingest gives it, and its extraction."""
    doc = ingest_path(AGREEMENTS / f"{key}.txt")
    return doc, extract(doc, key, None)
