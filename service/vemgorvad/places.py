"""Places: Sweden's counties (län) with their regions, municipalities and the districts of the three
big cities (data/gazetteer.json), which of them each agreement covers, and which agreements are in
force for a place on a date.

Place ids are SCB's codes — a county's two digits ("04"), a municipality's four ("0484") — and a
district's id from the gazetteer ("0180-bromma"). An agreement covers a place fully when one of its
`covers` is the place or contains it (a county-wide agreement covers every municipality of the
county), partly when it covers only something inside the place (a local agreement for two districts
of Stockholm, asked about Stockholm).

    gaz = gazetteer()
    [m.place.id for m in gaz.find("Vem gör vad i Katrineholm?")]      # ['0483']
    in_force(agreement_places(records), "0483", "2024-05-01")        # regional and local, grouped
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from . import paths
from .catalogue import Record

COUNTY, MUNICIPALITY, DISTRICT = "county", "municipality", "district"
_WORDS = re.compile(r"[^\W\d_]+")
# A capitalised word that does not begin a sentence: written as a proper name ("boendestöd i Kil").
_PROPER = re.compile(r"(?<![.!?:]\s)(?<![.!?:])(?<!^)(?<![\w-])[A-ZÅÄÖÉÜ][a-zåäöéü]+(?![\w])")
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—"})
# Words that say what kind of place follows or precedes a name ("Vara kommun", "stadsområde Norr").
_DISTRICT_WORDS = (r"stadsdelsförvaltning(?:en)?|stadsdelsnämnd(?:en)?|stadsdelsområde(?:t)?|"
                   r"stadsdelsnämndsområde(?:t)?|stadsområde(?:t)?|stadsområdesförvaltning(?:en)?|stadsdel(?:en)?")


@dataclass(frozen=True)
class Place:
    id: str
    kind: str                       # county | municipality | district
    name: str
    parent: str | None              # a municipality's county, a district's municipality
    names: tuple[str, ...]          # every name it goes by, the canonical one first
    word: bool = False              # also an everyday word: needs its kind or its parent named
    district_kind: str | None = None
    valid_from: str | None = None   # a district's organisation
    valid_to: str | None = None
    genitive: str | None = None     # a municipality's form before "kommun"/"stad"
    region: str | None = None       # a county's region
    former: tuple[str, ...] = ()    # a county's region's former names (landsting)
    short: str | None = None        # a county's short name ('Jönköping'), also a municipality's name or not

    @property
    def label(self) -> str:
        if self.kind == MUNICIPALITY:
            return f"{self.genitive} kommun"
        return self.name


@dataclass(frozen=True)
class Mention:
    place: Place
    start: int
    end: int
    text: str


class Gazetteer:
    def __init__(self, data: Mapping[str, Any]):   # data/gazetteer.json as read
        self.sources: dict[str, str] = dict(data.get("sources", {}))
        self.region_words: tuple[str, ...] = tuple(data.get("region_words", {}).get("before", []))
        self.places: dict[str, Place] = {}
        for c in data["counties"]:
            region = c["region"]
            names = (c["name"], *([c["short"]] if c["short"] not in
                                  {m["name"] for m in data["municipalities"]} else []),
                     *c.get("aliases", []), region["name"], *region.get("former", []))
            self._add(Place(c["code"], COUNTY, c["name"], None, tuple(dict.fromkeys(names)),
                            region=region["name"], former=tuple(region.get("former", [])), short=c["short"]))
        for m in data["municipalities"]:
            self._add(Place(m["code"], MUNICIPALITY, m["name"], m["county"], (m["name"],),
                            word=bool(m.get("word")), genitive=m["genitive"]))
        for d in data.get("districts", []):
            self._add(Place(d["id"], DISTRICT, d["name"], d["municipality"], (d["name"], *d.get("aliases", [])),
                            word=bool(d.get("word")), district_kind=d["kind"], valid_from=d.get("from"),
                            valid_to=d.get("to")))
        self._pattern, self._by_variant = self._compile()
        self._resolved: dict[str, list[tuple[Place, bool]]] = {}

    def _add(self, place: Place) -> None:
        if place.id in self.places:
            raise ValueError(f"gazetteer: the id {place.id!r} is used twice")
        if place.parent is not None and place.parent not in self.places:
            raise ValueError(f"gazetteer: {place.name} names an unknown parent {place.parent!r}")
        self.places[place.id] = place

    # --- the hierarchy ---------------------------------------------------------------------------

    def __getitem__(self, place_id: str) -> Place:
        try:
            return self.places[place_id]
        except KeyError:
            raise KeyError(f"okänd plats: {place_id!r}") from None

    def __contains__(self, place_id: object) -> bool:
        return place_id in self.places

    def of_kind(self, kind: str) -> list[Place]:
        return [p for p in self.places.values() if p.kind == kind]

    def ancestors(self, place_id: str) -> list[str]:
        """The places that contain this one, nearest first (a district: its municipality, its county)."""
        chain, parent = [], self[place_id].parent
        while parent is not None:
            chain.append(parent)
            parent = self.places[parent].parent
        return chain

    def county_of(self, place_id: str) -> str:
        place = self[place_id]
        return place.id if place.kind == COUNTY else self.ancestors(place_id)[-1]

    def children(self, place_id: str, on: str | date | None = None) -> list[Place]:
        """The places directly inside this one; with `on`, only districts that existed then."""
        when = _as_date(on) if on is not None else None
        return [p for p in self.places.values() if p.parent == place_id and (when is None or _exists(p, when))]

    def within(self, inner: str, outer: str) -> bool:
        """Whether `inner` is `outer` or lies inside it."""
        return inner == outer or outer in self.ancestors(inner)

    def county_code(self, name: str | None) -> str | None:
        """The county a catalogue's county field names ('Södermanlands län', 'Sörmland', 'Region Skåne')."""
        if not name:
            return None
        for mention in self.find(name):
            return self.county_of(mention.place.id)
        return None

    # --- names in a text ---------------------------------------------------------------------------

    def _variants(self, place: Place) -> list[tuple[str, bool]]:
        """(regular expression, needs-context) for each way a text can name the place."""
        out: list[tuple[str, bool]] = []
        for name in place.names:
            body = _name_pattern(name)
            out.append((body, place.word))
            if place.kind == DISTRICT:
                out.append((rf"(?:{_DISTRICT_WORDS})\s+{body}", False))
                out.append((rf"{body}s?\s+(?:{_DISTRICT_WORDS})", False))
        if place.kind == MUNICIPALITY:
            out.append((rf"{_name_pattern(place.genitive or place.name)}\s+(?:kommun|stad)", False))
        if place.kind == COUNTY and place.short and self.region_words:
            # the county's region by its short name: 'Region Jönköping' is the county, not the municipality
            words = "|".join(_name_pattern(w) for w in self.region_words)
            out += [(rf"(?:{words})\s+{_name_pattern(name)}", False) for name in (place.short, place.name)]
        return out

    def _compile(self) -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], Place, bool]]]:
        variants: list[tuple[re.Pattern[str], Place, bool]] = []
        alternatives: list[str] = []
        for place in self.places.values():
            for pattern, needs_context in self._variants(place):
                variants.append((re.compile(rf"^(?:{pattern})$", re.IGNORECASE), place, needs_context))
                alternatives.append(pattern)
        alternatives.sort(key=len, reverse=True)
        combined = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)
        return combined, variants

    def _candidates(self, text: str) -> list[tuple[int, int, str]]:
        """Every span a name matches, overlapping ones included (longest first at each start)."""
        spans: list[tuple[int, int, str]] = []
        pos = 0
        while pos < len(text):
            match = self._pattern.search(text, pos)
            if match is None:
                break
            spans.append((match.start(), match.end(), match.group(0)))
            pos = match.start() + 1
        return spans

    def _resolve(self, matched: str) -> list[tuple[Place, bool]]:
        """The places (with needs-context) a matched name can be; names recur, so remembered."""
        key = matched.lower()
        if key not in self._resolved:
            self._resolved[key] = [(place, needs) for pattern, place, needs in self._by_variant
                                   if pattern.match(matched)]
        return self._resolved[key]

    def find(self, text: str, on: str | date | None = None, proper: Collection[str] = ()) -> list[Mention]:
        """The places a text names, in text order; the longest name wins where names overlap
        ('Västra Götalands län' is the county, not a municipality). A name that is also an
        everyday word counts only with its kind ('Vara kommun', 'stadsområde Norr'), when the
        text names its municipality or county too, or when every word of it is among `proper` (the
        words written as proper names, `proper_names`) and it names one place only ('i Kil', not
        'i Centrum': three cities have one). `on` keeps only districts that existed then."""
        text = text.translate(_DASHES)
        when = _as_date(on) if on is not None else None
        taken: list[tuple[int, int, str]] = []
        for start, end, matched in sorted(self._candidates(text), key=lambda s: (-(s[1] - s[0]), s[0])):
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, matched))
        found: list[tuple[int, int, str, Place, bool]] = []
        for start, end, matched in sorted(taken):
            for place, needs_context in self._resolve(matched):
                if when is None or _exists(place, when):
                    found.append((start, end, matched, place, needs_context))
        proper_words = {w.lower() for w in proper}
        at_span = Counter((start, end) for start, end, *_ in found)
        found = [(start, end, matched, place, needs and not (
                     at_span[(start, end)] == 1 and all(w in proper_words for w in _WORDS.findall(matched.lower()))))
                 for start, end, matched, place, needs in found]
        plain = {place.id for *_, place, needs in found if not needs}
        named = plain | {a for pid in plain for a in self.ancestors(pid)}
        result: list[Mention] = []
        seen: set[tuple[int, str]] = set()
        for start, end, matched, place, needs_context in found:
            if needs_context and place.id not in plain and not (set(self.ancestors(place.id)) & named):
                continue
            if (start, place.id) not in seen:
                seen.add((start, place.id))
                result.append(Mention(place, start, end, matched))
        return result

    # --- what an agreement covers --------------------------------------------------------------------

    def covers_of(self, record: Mapping[str, Any]) -> list[str]:
        """The places an agreement covers: its catalogue's `covers` when given; for a county-wide
        agreement (level 'county') its county; for a local one the municipalities and districts its
        parties name; otherwise its county, if known."""
        explicit = [str(c) for c in record.get("covers") or []]
        if explicit:
            unknown = [c for c in explicit if c not in self.places]
            if unknown:
                raise ValueError(f"{record.get('key')}: okända platser i covers: {', '.join(unknown)}")
            return explicit
        county = self.county_code(record.get("county"))
        if record.get("level") == "local":
            named: list[str] = []
            for party in record.get("parties") or []:
                for mention in self.find(party):
                    if mention.place.kind != COUNTY and mention.place.id not in named:
                        named.append(mention.place.id)
            # a district named beside its own municipality ('Stockholms stad, stadsdelsförvaltningen
            # Bromma'): the district is what the agreement covers
            named = [p for p in named if not any(q != p and self.within(q, p) for q in named)]
            if named:
                return named
        return [county] if county else []


@dataclass(frozen=True)
class AgreementPlaces:
    """What `in_force` needs to know of an agreement."""
    key: str
    title: str
    covers: tuple[str, ...]
    level: str | None = None            # county | local (derived from covers when absent)
    valid_from: str | None = None
    valid_to: str | None = None
    prolongation: str | None = None     # automatic | decision: stays in force past valid_to until replaced
    replaces: str | None = None         # the key of the version it replaces


@dataclass
class InForceEntry:
    key: str
    title: str
    level: str
    status: str                         # in_force | prolonged | undated
    coverage: str                       # full | partial
    covers: list[str]
    valid_from: str | None
    valid_to: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class InForce:
    place: Place
    on: str
    regional: list[InForceEntry] = field(default_factory=list)
    local: list[InForceEntry] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [e.key for e in self.regional + self.local]

    def as_dict(self) -> dict[str, Any]:
        return {"place": {"id": self.place.id, "kind": self.place.kind, "label": self.place.label},
                "on": self.on, "regional": [e.as_dict() for e in self.regional],
                "local": [e.as_dict() for e in self.local]}


def agreement_places(records: Iterable[Record | Mapping[str, Any]], gaz: Gazetteer | None = None) -> list[AgreementPlaces]:
    """Catalogue records (catalogue.Record or dicts) → what `in_force` reads."""
    gaz = gaz or gazetteer()
    result = []
    for record in records:
        data = record if isinstance(record, Mapping) else record.as_dict()
        result.append(AgreementPlaces(data["key"], data.get("title") or data["key"], tuple(gaz.covers_of(data)),
                                      data.get("level"), data.get("valid_from"), data.get("valid_to"),
                                      data.get("prolongation"), data.get("replaces")))
    return result


def agreement_places_from_rows(rows: Iterable[Mapping[str, str | None]]) -> list[AgreementPlaces]:
    """The rows of queries/agreements_for_place.rq (lexical values) → what `in_force` reads, so
    the served graph, not the catalogue, can answer (one row per agreement and covered place)."""
    fields: dict[str, dict[str, str]] = {}
    covers: dict[str, list[str]] = {}
    for row in rows:
        key = str(row["agreement"])
        entry = fields.setdefault(key, {})
        covered = covers.setdefault(key, [])
        for name in ("title", "validFrom", "validTo", "prolongation", "replaces"):
            value = row.get(name)
            if value and not entry.get(name):
                entry[name] = str(value)
        place = row.get("covers")
        if place and place not in covered:
            covered.append(str(place))
    return [AgreementPlaces(key, e.get("title") or key, tuple(covers[key]), None, e.get("validFrom"),
                            e.get("validTo"), e.get("prolongation"), e.get("replaces"))
            for key, e in sorted(fields.items())]


def in_force(agreements: Iterable[AgreementPlaces], place_id: str, on: str | date | None = None,
             gaz: Gazetteer | None = None) -> InForce:
    """The agreements in force for a place on a date (today if not given), grouped: the county-wide
    (regional) ones first, then the local ones; within each group the most specific coverage first,
    then the newest. An agreement past its end date stays while a prolongation is recorded and no
    newer version replaces it; a version that replaces another hides it once it has started."""
    gaz = gaz or gazetteer()
    place = gaz[place_id]
    when = _as_date(on) if on is not None else date.today()
    candidates: list[tuple[AgreementPlaces, str, str, int]] = []
    for agreement in agreements:
        coverage, depth = _coverage(gaz, agreement.covers, place_id)
        if coverage is None:
            continue
        status = _status(agreement, when)
        if status is not None:
            candidates.append((agreement, coverage, status, depth))
    started = {a.replaces for a, *_ in candidates if a.replaces}
    result = InForce(place, when.isoformat())
    for agreement, coverage, status, _depth in sorted(
            candidates, key=lambda c: (-c[3], c[0].valid_from or "", c[0].key)):
        if agreement.key in started:
            continue
        level = agreement.level or ("county" if any(gaz[c].kind == COUNTY for c in agreement.covers) else "local")
        entry = InForceEntry(agreement.key, agreement.title, level, status, coverage, list(agreement.covers),
                             agreement.valid_from, agreement.valid_to)
        (result.regional if level == "county" else result.local).append(entry)
    for group in (result.regional, result.local):   # stable sorts: the last key leads
        group.sort(key=lambda e: e.key)
        group.sort(key=lambda e: e.valid_from or "", reverse=True)      # newest first, undated last
        group.sort(key=lambda e: (e.coverage != "full", -_coverage(gaz, e.covers, place_id)[1]))
    return result


def _coverage(gaz: Gazetteer, covers: Iterable[str], place_id: str) -> tuple[str | None, int]:
    full = [c for c in covers if c in gaz and gaz.within(place_id, c)]
    if full:
        return "full", max(_level(gaz, c) for c in full)
    part = [c for c in covers if c in gaz and gaz.within(c, place_id)]
    if part:
        return "partial", max(_level(gaz, c) for c in part)
    return None, 0


def _level(gaz: Gazetteer, place_id: str) -> int:
    return {COUNTY: 0, MUNICIPALITY: 1, DISTRICT: 2}[gaz[place_id].kind]


def _status(agreement: AgreementPlaces, when: date) -> str | None:
    start = _as_date(agreement.valid_from) if agreement.valid_from else None
    end = _as_date(agreement.valid_to) if agreement.valid_to else None
    if start and when < start:
        return None
    if end and when > end:
        return "prolonged" if agreement.prolongation else None
    return "in_force" if (start or end) else "undated"


def _exists(place: Place, when: date) -> bool:
    return (not place.valid_from or _as_date(place.valid_from) <= when) and \
        (not place.valid_to or when <= _as_date(place.valid_to))


def _as_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"ogiltigt datum: {value!r} (ÅÅÅÅ-MM-DD)") from None


def _name_pattern(name: str) -> str:
    """A name as a pattern: its parts separated by a hyphen or a space ('Hässelby-Vällingby',
    'Hässelby Vällingby')."""
    parts = re.split(r"[\s-]+", name.strip())
    return r"[\s-]+".join(re.escape(p) for p in parts)


def proper_names(text: str) -> set[str]:
    """The words a text writes as proper names, lower-cased: capitalised and not first in a sentence
    (Swedish capitalises names, not common nouns: "i Kil" is the municipality, "en kil" a wedge)."""
    return {m.group(0).lower() for m in _PROPER.finditer(text.strip())}


def place_iri(place_id: str) -> str:
    return f"https://w3id.org/vemgorvad/id/place/{place_id}"


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    return Gazetteer(json.loads(Path(path or paths.GAZETTEER).read_text(encoding="utf-8")))


@cache
def gazetteer() -> Gazetteer:
    """The project's gazetteer (data/gazetteer.json), read once."""
    return load_gazetteer()
