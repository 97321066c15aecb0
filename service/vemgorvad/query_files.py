"""The files of queries/: each `*.rq` with its comment header (name, titles, descriptions, typed
parameters; see queries/README.md and serve/named_queries.py), read once and again only when the
file changes. The one reader of .rq files: the named-query API, the ask engine's index and its
answer and comparison queries all load their SPARQL here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths

TYPES = ("key", "topic", "iri", "string", "integer")


class UnknownQuery(LookupError):
    pass


@dataclass
class Param:
    name: str
    type: str
    description: str


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "title": self.titles, "description": self.descriptions,
                "params": [{"name": p.name, "type": p.type, "description": p.description} for p in self.params],
                "href": f"/api/queries/{self.name}", "sparql": self.text}


_CACHE: dict[Path, tuple[float, NamedQuery]] = {}


def parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    query = NamedQuery(path.stem, path, text)
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "name":
            query.name = value
        elif key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in TYPES or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", parts[0]):
                raise ValueError(f"{path.name}: bad param line {value!r}")
            query.params.append(Param(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        elif key.startswith("title@"):
            query.titles[key[6:]] = value
        elif key.startswith("description@"):
            query.descriptions[key[12:]] = value
    return query


def all_queries(directory: Path | None = None) -> list[NamedQuery]:
    directory = Path(directory or paths.QUERIES)
    found = []
    for path in sorted(directory.glob("*.rq")):
        mtime = path.stat().st_mtime
        cached = _CACHE.get(path)
        if cached is None or cached[0] != mtime:
            cached = (mtime, parse(path))
            _CACHE[path] = cached
        found.append(cached[1])
    return found


def load(name: str, directory: Path | None = None) -> NamedQuery:
    for query in all_queries(directory):
        if query.name == name:
            return query
    raise UnknownQuery(f"Det finns ingen namngiven fråga som heter {name!r}. Se /api/queries.")


__all__ = ["TYPES", "NamedQuery", "Param", "UnknownQuery", "all_queries", "load", "parse"]
