"""Resolve parsed citations to laws and provisions of data/laws.json: SFS number, chapter,
section, whether it is repealed, and where the rule stands today."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ... import paths
from ...language import alternation, compile_raw, load
from .grammar import scan


@dataclass(frozen=True)
class Provision:
    chapter: str | None
    section: str            # "7", "3 f"

    @property
    def key(self) -> str:
        return (f"{self.chapter} kap. " if self.chapter else "") + f"{self.section} §"

    @classmethod
    def parse(cls, key: str, marked: bool = False) -> Provision | None:
        """The provision a key of data/laws.json or requirements.json starts with ("16 kap. 3 §",
        "3 f §"; with `marked`, only when the § follows); None for anything else."""
        match = KEY.match(key)
        if match is None or (marked and not match.group(3)):
            return None
        return cls(match.group(1), match.group(2))


KEY = re.compile(r"(?:(\d+) kap\. )?(\d+(?: [a-h])?)( §)?")


@dataclass
class Citation:
    text: str               # as written
    start: int
    end: int
    sfs: str | None         # "2001:453"; None for an unresolved name
    series: str = "SFS"     # SFS, SOSFS, HSLF-FS
    abbr: str | None = None
    provisions: list[Provision] = field(default_factory=list)


@dataclass
class LawInfo:
    sfs: str
    series: str
    abbr: str
    title: str
    in_force_from: str | None
    repealed_by: str | None
    repealed_on: str | None
    verified: bool
    source: str
    note: str
    provisions: dict[str, dict[str, Any]]      # provision key → laws.json entry


def _normal_key(cited_as: str) -> str | None:
    """"2 kap. 7 §" → "2 kap. 7 §"; "3 f §" → "3 f §"; "8 kap. 10–11 §§" → "8 kap. 10 §"."""
    match = re.match(r"\s*(?:(\d{1,2})\s*kap\.?\s*)?(\d{1,3})\s?([a-h])?", cited_as)
    if not match:
        return None
    return Provision(match.group(1), match.group(2) + (" " + match.group(3) if match.group(3) else "")).key


@cache
def law_table() -> dict[str, LawInfo]:
    """SFS (or "SOSFS 2011:9") → what data/laws.json knows of it."""
    table = {}
    for law in json.loads(paths.LAWS.read_text(encoding="utf-8")):
        series = "SFS"
        number = law["sfs"]
        if law["abbr"].startswith(tuple(load("law_names.json")["regulation_series"])):
            series = law["abbr"].split()[0]
            number = law["abbr"].split()[1]
        key = number if series == "SFS" else f"{series} {number}"
        provisions = {}
        for p in law.get("provisions", []):
            k = _normal_key(p["cited_as"])
            if k:
                provisions[k] = p
        table[key] = LawInfo(number, series, law["abbr"].replace(" (ny)", ""), law["title"],
                             law.get("in_force_from"), law.get("repealed_by"), law.get("repealed_on"),
                             bool(law.get("verified")), law.get("source", ""), law.get("note", ""), provisions)
    return table


@cache
def _names() -> list[tuple[re.Pattern[str], str, list[str]]]:
    return [(compile_raw(law["names"], "^", "$"), law["abbr"], law["versions"]) for law in load("law_names.json")["laws"]]


@cache
def _regulation() -> re.Pattern[str]:
    series = alternation(load("law_names.json")["regulation_series"])
    return re.compile(rf"({series})\s*((?:19|20)\d\d:\d{{1,3}})((?:\s*/\s*(?:19|20)\d\d:\d{{1,3}})*)")


def _identify(name: str) -> tuple[str, list[str]] | None:
    cleaned = re.sub(r"\s+", " ", name.strip())
    for pattern, abbr, versions in _names():
        if pattern.match(cleaned):
            return abbr, versions
    return None


def pick_version(abbr: str, versions: list[str], provisions: list[Provision], as_of: str | None) -> str:
    """The law a citation means: the version whose numbering the provision fits (HSL 3 f § is the
    old law, HSL 16 kap. 4 § the new one), else the one in force at the agreement's date."""
    if len(versions) == 1:
        return versions[0]
    table = law_table()
    if provisions:
        fits = [v for v in versions if v in table and any(p.key in table[v].provisions for p in provisions)]
        # a law passed after the agreement cannot be what it cites
        fits = [v for v in fits if not as_of or (table[v].in_force_from or "0000") <= as_of]
        if len(fits) == 1:
            return fits[0]
        has_chapter = any(p.chapter for p in provisions)
        if abbr == "HSL":
            return versions[-1] if has_chapter else versions[0]
    if as_of:
        in_force = [v for v in versions if v in table and (table[v].in_force_from or "0000") <= as_of]
        if in_force:
            return in_force[-1]
    return versions[0] if provisions else versions[-1]


def find_citations(text: str, as_of: str | None = None) -> list[Citation]:
    found: list[Citation] = []
    for tokens, start, end in scan(text):
        written = text[start:end].strip()
        regulation = _regulation().match(written)
        if regulation:
            numbers = [regulation.group(2), *re.findall(r"(?:19|20)\d\d:\d{1,3}", regulation.group(3))]
            for number in numbers:
                found.append(Citation(written, start, end, number, regulation.group(1), regulation.group(1)))
            continue
        named = tokens.as_dict()   # the grammar's named results: law, sfs, chapter, sections
        name = named.get("law")
        sfs = named.get("sfs")
        chapter = named.get("chapter")
        sections = list(named.get("sections", []))
        provisions = [Provision(chapter or None, s) for s in sections]
        identified = _identify(name) if name else None
        if sfs:
            abbr = identified[0] if identified else None
            found.append(Citation(written, start, end, sfs, "SFS", abbr, provisions))
        elif identified:
            abbr, versions = identified
            found.append(Citation(written, start, end, pick_version(abbr, versions, provisions, as_of), "SFS",
                                  abbr, provisions))
    return found


def current_equivalent(citation: Citation, provision: Provision | None) -> tuple[str | None, bool | None]:
    """Where a repealed provision stands today (text from laws.json, in Swedish where it has a
    `current_equivalent_sv`: it is shown to Swedish readers) and whether that was verified."""
    key = citation.sfs if citation.series == "SFS" else f"{citation.series} {citation.sfs}"
    law = law_table().get(key) if key is not None else None
    if law is None or not law.repealed_by:
        return None, None
    if provision is not None and provision.key in law.provisions:
        entry = law.provisions[provision.key]
        return entry.get("current_equivalent_sv") or entry.get("current_equivalent"), bool(entry.get("verified"))
    new = law_table().get(law.repealed_by)
    title = f"{new.abbr} ({law.repealed_by})" if new else f"SFS {law.repealed_by}"
    return title, law.verified
