"""Tables whose columns are the parties: "Uppgift | Kommunen | Regionen" over rows of tasks
("Boendestöd | ansvarar | –") — a responsibility assignment matrix (RACI, PMI's PMBOK Guide), the
way a writer puts who does what in a grid instead of in sentences. Each row allocates its task to
every party whose cell is filled; a cell with no letter ("–", empty) or only a negation ("ej")
allocates nothing.

A table is a run of rows in consecutive blocks; a row is a block whose cells the raw text parts by
tabs (a table pasted as text, a PDF's table whose cells the reader parted: ingest/lines.py
TABLE_ROW, ingest/readers.py), as many as the header has. Its first row is the header; it is a table of party columns when a
cell after the first names a party and nothing else. What a row does is read from its filled cells,
each with its party as subject ("Kommunen kan bistå" permits); a cell that states no duty of its
own ("ansvarar", "x", "kallar när behovet finns hos kommunen") allocates the task: an obligation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.document import Block, Document
from ..ingest.lines import TABLE_ROW
from . import deontic
from .actors import Bearer, Mention, bearer_from, find_mentions

PARTY_ROLES = ("principal", "joint", "each")
CELLS = re.compile(r"\t+")


@dataclass(frozen=True)
class Row:
    """A row of a table of party columns: what it does and who bears it."""
    modality: deontic.Modality
    bearer: Bearer | None


def party_rows(doc: Document) -> dict[int, Row]:
    """Block index → its row, for the body rows of every table of party columns that allocate."""
    rows: dict[int, Row] = {}
    header: list[Mention | None] | None = None
    for index, block in enumerate(doc.blocks):
        cells = _cells(doc, block)
        if cells is None:
            header = None
            continue
        if header is None:
            header = [None, *(party_only(cell) for cell in cells[1:])]
            continue
        row = _row(header, cells) if len(cells) == len(header) else None
        if row is not None:
            rows[index] = row
    return rows


def _cells(doc: Document, block: Block) -> list[str] | None:
    """The cells of a block that is one row of a table (cells parted by tabs in the raw text)."""
    if block.kind not in ("paragraph", "item"):
        return None
    start, end = doc.raw_span(block.start, block.end)
    raw = doc.raw[start:end]
    if not TABLE_ROW.match(raw.strip()):
        return None   # a list marker with a tab after it ("\uf0b7\t", "1.\t") parts no cells
    # a row a PDF wrapped over lines ("… (SIP)\tkallar när" / "behovet finns hos kommunen\tkallar …"):
    # its cells are what the tabs part, whatever the line breaks
    return [" ".join(cell.split()) for cell in CELLS.split(raw.strip())]


def party_only(text: str) -> Mention | None:
    """The party a text names when it names nothing else: a header cell ("Kommunen", "Region
    Dalarna"), or an item that only names the party whose acts the items under it list."""
    mentions = [m for m in find_mentions(text) if m.entry.role in PARTY_ROLES]
    if len(mentions) == 1 and mentions[0].start <= 1 and mentions[0].end >= len(text.rstrip(" :.")) - 1:
        return mentions[0]
    return None


def _filled(cell: str) -> bool:
    words = re.findall(r"[^\W\d_]+", cell.lower())
    return bool(words) and not all(w in deontic.lexicon().negators for w in words)


def _row(header: list[Mention | None], cells: list[str]) -> Row | None:
    """What a body row does: the strongest class of its filled party cells (a cell without a duty
    of its own allocates), borne by the parties of those cells; None when no party cell is filled."""
    filled = [(party, cell) for party, cell in zip(header, cells, strict=False) if party is not None and _filled(cell)]
    if not filled:
        return None
    best: deontic.Modality | None = None
    for party, cell in filled:
        sentence = f"{party.surface} {cell}"
        modality = deontic.classify(sentence, actors=((0, len(party.surface)),))
        if modality.cls == "description":
            modality = deontic.Modality("obligation", party.surface, 0, 0, "table")
        if best is None or deontic.RANK[modality.cls] > deontic.RANK[best.cls]:
            best = modality
    assert best is not None
    parties = [party for party, _ in filled]
    return Row(deontic.Modality(best.cls, best.cue, 0, 0, "table"), bearer_from(parties, "table", 0.9))
