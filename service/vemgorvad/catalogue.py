"""The catalogue of agreements (data/agreements/agreements.json): key, file, title, county,
parties and validity of each. A text file in data/agreements/ without a record still builds,
under a key made from its file name."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from . import paths
from .atomic import write_atomic
from .ingest import SUPPORTED_SUFFIXES
from .keys import key_from

OPTIONAL = ("covers", "prolongation", "replaces", "bodies")


class Body(TypedDict):
    """A body an agreement names without defining it, as data/lexicon/actors.json's bodies."""
    id: str
    sv: str
    en: str
    patterns: list[str]
    kind: NotRequired[str]


@dataclass
class Record:
    key: str
    file: str
    title: str
    county: str | None = None
    level: str | None = None
    parties: list[str] = field(default_factory=list)
    valid_from: str | None = None
    valid_to: str | None = None
    note: str | None = None
    covers: list[str] = field(default_factory=list)   # place ids (data/gazetteer.json); derived when empty
    prolongation: str | None = None   # "automatic" | "decision": in force past valid_to until replaced
    replaces: str | None = None       # the key of the earlier version this one replaces
    # the agreement's own named bodies (a forum, a board) its text names without defining them:
    # {"id", "sv", "en", "patterns"} as data/lexicon/actors.json's bodies — proper names belong here,
    # not in the general lexicon
    bodies: list[Body] = field(default_factory=list)
    directory: str = ""

    @property
    def path(self) -> Path:
        return Path(self.directory or paths.AGREEMENTS) / self.file

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("directory")
        for optional in OPTIONAL:   # left out when not set, so older catalogues read and write alike
            if not data[optional]:
                data.pop(optional)
        return data

    def as_dict_full(self) -> dict[str, Any]:
        return asdict(self)


def load_catalogue(directory: Path | None = None) -> list[Record]:
    directory = Path(directory or paths.AGREEMENTS)
    catalogue = directory / "agreements.json"
    records: list[Record] = []
    if catalogue.exists():
        for entry in json.loads(catalogue.read_text(encoding="utf-8")):
            known = {k: v for k, v in entry.items() if k in Record.__dataclass_fields__}
            records.append(Record(**known, directory=str(directory)))
    listed = {r.file for r in records}
    for path in sorted(directory.iterdir()) if directory.exists() else []:
        if path.suffix.lower() in SUPPORTED_SUFFIXES and path.name not in listed:
            records.append(Record(key_from(path.stem), path.name, path.stem, directory=str(directory)))
    return records


def catalogue_bytes(records: list[Record]) -> bytes:
    """The catalogue file's text: one record a line, so a change shows as a one-line diff."""
    lines = [json.dumps(r.as_dict(), ensure_ascii=False) for r in records]
    return ("[\n " + ",\n ".join(lines) + "\n]\n").encode("utf-8")


def save_catalogue(records: list[Record], directory: Path | None = None) -> None:
    """Replace the catalogue atomically (temp file, fsync, rename)."""
    directory = Path(directory or paths.AGREEMENTS)
    write_atomic(directory / "agreements.json", catalogue_bytes(records))
