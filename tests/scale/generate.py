"""Synthetic national corpora for `make scale`: N agreements made from the five seed agreements,
deterministic for a given N and seed.

Every county gets a county-wide agreement (its current version; some counties also an older version
that the current one replaces, prolonged by decision until then); the rest are local agreements of
one municipality, a few neighbouring municipalities, or a district of Stockholm, Göteborg or Malmö.
Each text is a seed's normalised text with:
- the seed's places renamed to the target's (county, region/landsting, municipalities, districts —
  real names from data/gazetteer.json, genitive forms included);
- some top-level sections dropped and two adjacent ones swapped;
- ages, durations and deadlines changed by a small amount ("21 år" → "20 år", "14 dagar" → "16 dagar").
The catalogue gives each agreement its county, level, parties, covered places, validity and the
version it replaces, so `places.in_force` knows what applies where.

    corpus = generate(Path("/tmp/scale/N100"), 100)   # a project copy with data/agreements filled
"""
from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from vemgorvad.catalogue import Record, catalogue_bytes, key_from, load_catalogue
from vemgorvad.ingest import normalise, read_path
from vemgorvad.places import COUNTY, DISTRICT, MUNICIPALITY, Gazetteer, Place, gazetteer

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("sormland", "stockholm-vasterort", "uppsala", "vastmanland", "vastra-gotaland")
TARGET_GROUPS = "personer med psykisk funktionsnedsättning och personer med skadligt bruk och beroende"
NUMBER = re.compile(r"\b(\d{1,3})(\s+)(år|års|dagar|dagars|veckor|veckors|månader|månaders|timmar)\b")


@dataclass
class Planned:
    record: Record
    seed: str
    places: list[Place]        # what the agreement covers
    county: Place


def _seed_texts() -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """Each seed's normalised text and the spans of its top-level sections."""
    records = {r.key: r for r in load_catalogue(ROOT / "data" / "agreements")}
    texts = {}
    for key in SEEDS:
        doc = normalise(read_path(records[key].path))
        tops = [s for s in doc.sections if s.parent is None]
        spans = []
        for i, section in enumerate(tops):
            end = tops[i + 1].start if i + 1 < len(tops) else len(doc.text)
            spans.append((section.start, end))
        texts[key] = (doc.text, spans)
    return texts


def _rename_map(gaz: Gazetteer, mentions: list, county: Place, locals_: list[Place],
                rng: random.Random) -> dict[str, str]:
    """Seed place names (and their genitives) → the target's, by kind."""
    targets_m = [p for p in gaz.children(county.id) if p.kind == MUNICIPALITY]
    districts = [p for p in locals_ if p.kind == DISTRICT]
    mapping: dict[str, str] = {}
    for mention in mentions:
        seen = mention.text
        if seen in mapping:
            continue
        place = mention.place
        if place.kind == COUNTY:
            if "landsting" in seen.lower():
                new = next((f for f in county.former if "landsting" in f.lower()), county.region or county.name)
            elif seen.endswith("län"):
                new = county.name
            elif re.match(r"region", seen, re.IGNORECASE) or seen.endswith("regionen") or seen.isupper():
                new = county.region or county.name
            else:
                new = county.name.removesuffix(" län").removesuffix("s") if county.name.endswith("s län") \
                    else county.name.removesuffix(" län")
        elif place.kind == MUNICIPALITY:
            target = (locals_[0] if locals_ and locals_[0].kind == MUNICIPALITY and rng.random() < 0.5
                      else rng.choice(targets_m))
            new = f"{target.genitive} kommun" if re.search(r"\s(kommun|stad)$", seen) else target.name
        else:
            target = districts[0] if districts else rng.choice(targets_m)
            new = target.name
        mapping[seen] = new
    return mapping


def _apply(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    names = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(s?)(?![\w-])")

    def swap(match: re.Match) -> str:
        new = mapping[match.group(1)]
        if match.group(2):              # a genitive: "Uppsalas" → "Kalmars", "Västerås" stays as it is written
            return new if new.endswith(("s", "x", "z")) else new + "s"
        return new
    return pattern.sub(swap, text)


def _vary(text: str, spans: list[tuple[int, int]], rng: random.Random) -> str:
    """Drop some top-level sections (never the first two) and swap two adjacent ones."""
    if len(spans) < 4:
        parts = [text]
    else:
        head = text[:spans[0][0]]
        sections = [text[s:e] for s, e in spans]
        kept = sections[:2] + [s for s in sections[2:] if rng.random() > 0.15]
        if len(kept) > 3:
            i = rng.randrange(2, len(kept) - 1)
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        parts = [head, *kept]
    varied = "".join(parts)

    def number(match: re.Match) -> str:
        value = int(match.group(1))
        if value < 2 or rng.random() < 0.5:
            return match.group(0)
        return f"{max(1, value + rng.choice((-2, -1, 1, 2)))}{match.group(2)}{match.group(3)}"
    return NUMBER.sub(number, varied)


def plan(n: int, gaz: Gazetteer, rng: random.Random) -> list[Planned]:
    counties = sorted(gaz.of_kind(COUNTY), key=lambda p: p.id)
    planned: list[Planned] = []

    def county_record(county: Place, version: int, start: str, end: str | None, replaces: str | None) -> Planned:
        short = county.name.removesuffix(" län")
        key = key_from(f"{short}-lansgemensam-{start[:4]}")
        seed = SEEDS[(int(county.id) + version) % len(SEEDS)]
        if seed == "stockholm-vasterort":
            seed = "vastmanland"
        record = Record(key, f"{key}.txt",
                        f"Länsgemensam överenskommelse om samverkan kring {TARGET_GROUPS} i {county.name}"
                        f" ({start[:4]})", county.name, "county", [county.region or county.name,
                                                                   f"Kommunerna i {county.name}"],
                        start, end, None, covers=[county.id],
                        prolongation="decision" if end else None, replaces=replaces)
        return Planned(record, seed, [county], county)

    for county in counties:                                    # the current county-wide versions
        planned.append(county_record(county, 2, f"{rng.randrange(2018, 2024)}-{rng.randrange(1, 13):02d}-01",
                                     None, None))
    versions = min(len(counties), max(0, n - len(counties)) // 4)   # a quarter of the rest; local ones the others
    for county in counties[:versions]:                         # older versions, replaced by the current one
        current = next(p for p in planned if p.county.id == county.id)
        older = county_record(county, 1, f"{int(current.record.valid_from[:4]) - 5}-01-01",
                              f"{int(current.record.valid_from[:4]) - 2}-12-31", None)
        current.record.replaces = older.record.key
        planned.append(older)
    cities = {"0180", "1480", "1280"}
    locals_: list[tuple[Place, list[Place]]] = []
    by_county = {c.id: [p for p in gaz.children(c.id) if p.kind == MUNICIPALITY] for c in counties}
    round_ = 0
    while len(planned) + len(locals_) < n:
        for county in counties:
            if len(planned) + len(locals_) >= n:
                break
            municipalities = by_county[county.id]
            if round_ >= len(municipalities):
                continue
            town = municipalities[(round_ * 7) % len(municipalities)]
            if town.id in cities:
                districts = gaz.children(town.id, on="2016-01-01") or gaz.children(town.id)
                locals_.append((county, [districts[round_ % len(districts)]]))
            elif rng.random() < 0.25 and len(municipalities) > 2:
                neighbour = municipalities[(round_ * 7 + 1) % len(municipalities)]
                locals_.append((county, [town, neighbour] if neighbour.id != town.id else [town]))
            else:
                locals_.append((county, [town]))
        round_ += 1
        if round_ > 60:
            break
    for county, places in locals_:
        start = f"{rng.randrange(2012, 2025)}-{rng.randrange(1, 13):02d}-01"
        names = " och ".join(p.name for p in places)
        key = key_from(f"{names}-lokal-{start[:4]}")
        parties = [county.region or county.name] + [
            f"{gaz[p.parent].genitive} stad, stadsdelsförvaltningen {p.name}" if p.kind == DISTRICT
            else f"{p.genitive} kommun" for p in places]
        record = Record(key, f"{key}.txt", f"Lokal överenskommelse om samverkan kring {TARGET_GROUPS} i {names}",
                        county.name, "local", parties, start, None, None,
                        covers=[p.id for p in places])
        planned.append(Planned(record, "stockholm-vasterort" if rng.random() < 0.4 else rng.choice(SEEDS),
                               places, county))
    keys: set[str] = set()
    for p in planned:                                         # keys stay unique
        base, i = p.record.key, 2
        while p.record.key in keys:
            p.record.key = f"{base}-{i}"
            p.record.file = f"{p.record.key}.txt"
            i += 1
        keys.add(p.record.key)
    return planned[:n]


def generate(dest: Path, n: int, seed: int = 16, extra: int = 1) -> dict:
    """A project copy at `dest` (ontology/, shapes/, queries/, data/ with N generated agreements) and
    `extra` more agreements beside it (dest/extra/) for timing `vemgorvad add`. Returns a summary."""
    rng = random.Random(f"vemgorvad-scale-{seed}-{n}")
    gaz = gazetteer()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("agreements"))
    agreements = dest / "data" / "agreements"
    agreements.mkdir()
    texts = _seed_texts()
    mentions = {key: gaz.find(text) for key, (text, _) in texts.items()}
    planned = plan(n + extra, gaz, rng)
    main, more = planned[:n], planned[n:]
    for folder, items in ((agreements, main), (dest / "extra", more)):
        folder.mkdir(exist_ok=True)
        for item in items:
            text, spans = texts[item.seed]
            mapping = _rename_map(gaz, mentions[item.seed], item.county, item.places, rng)
            body = _apply(_vary(text, spans, rng), mapping)
            (folder / item.record.file).write_text(body, encoding="utf-8")
        (folder / "agreements.json").write_bytes(catalogue_bytes([i.record for i in items]))
    return {"n": len(main), "county": sum(1 for p in main if p.record.level == "county"),
            "local": sum(1 for p in main if p.record.level == "local"),
            "versions": sum(1 for p in main if p.record.replaces), "extra": [p.record.key for p in more],
            "bytes": sum((agreements / p.record.file).stat().st_size for p in main)}
