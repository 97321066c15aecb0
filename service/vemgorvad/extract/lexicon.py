"""The extraction lexicon (data/lexicon/*.json, read through language.py), compiled once into
regular expressions; and which agreements attest each entry (for leave-one-agreement-out)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..catalogue import Body, load_catalogue
from ..ingest import normalise, read_path
from ..language import WORD, alternation, attest, compile_any, compile_raw, compile_words, excluded, load

__all__ = ["WORD", "ActorEntry", "Cue", "Lexicon", "TopicGroups", "alternation", "attestation", "compile_any",
           "compile_each", "compile_raw", "compile_words", "grammar", "lexicon", "phrase", "words"]


def compile_each(patterns: list[str]) -> list[re.Pattern[str]]:
    return [compile_any([p]) for p in patterns]


@dataclass(frozen=True)
class ActorEntry:
    id: str
    kind: str            # kommun | region | kommun+region | other
    role: str            # principal | unit | joint | each | other | individual | body | role | staff
    sv: str
    en: str
    principal: str | None = None  # a unit's principal id
    scope: str = "agreement"      # agreement | national


@dataclass
class Cue:
    pattern: re.Pattern[str]
    weight: float
    source: str
    literal: str = ""   # a substring every match contains: a cheap test before the regex

    def search(self, lower: str) -> re.Match[str] | None:
        return self.pattern.search(lower) if self.literal in lower else None


def required_literal(pattern: str) -> str:
    """The longest run of plain letters at the pattern's top level, not made optional — every
    match must contain it. "" when there is none to rely on."""
    runs, current, depth, i = [], "", 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            runs.append(current)
            current = ""
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if depth == 0 and (ch.isalpha() or ch in " -") and ch not in "()":
            current += ch
        else:
            runs.append(current)
            current = ""
        if ch in "?*{|" and depth == 0:
            if ch == "|":
                return ""
            if runs and runs[-1]:
                runs[-1] = runs[-1][:-1]  # the quantifier makes the last letter optional
        i += 1
    runs.append(current)
    best = max((r.strip() for r in runs), key=len, default="")
    return best.lower() if len(best) >= 3 else ""


@dataclass(frozen=True)
class TopicGroups:
    """Topics that belong together (cues.json "topic_groups"), named once for every reader."""
    structural: frozenset[str]          # about the agreement itself: regulated when named
    by_bearer_kind: dict[str, str]      # principal kind → the topic of that party's responsibilities
    collaboration: str                  # the topic of a collaboration body's duties
    young: str                          # the group "all ages" covers and "adults only" does not
    target_groups: dict[str, str]       # target-group concept → the topic "the agreement covers them"

    @property
    def by_bearer(self) -> frozenset[str]:
        return frozenset(self.by_bearer_kind.values())

    @property
    def target_group_topics(self) -> frozenset[str]:
        return frozenset(self.target_groups.values())


@dataclass
class Lexicon:
    actors: list[tuple[ActorEntry, re.Pattern[str]]]
    generic_body: re.Pattern[str]
    generic_body_exclude: frozenset[str]
    document_nouns: frozenset[str]
    responsibility_nouns: frozenset[str]
    duties: dict[str, Any]              # data/lexicon/duties.json as read
    finite_verb_set: frozenset[str]
    markers: re.Pattern[str]
    weak_markers: re.Pattern[str]
    past_tense: re.Pattern[str]
    reference_markers: re.Pattern[str]
    example: re.Pattern[str]          # "till exempel", "t.ex.": a cue inside an example counts half
    kind_cues: list[tuple[str, re.Pattern[str]]]
    conditions: dict[str, Any]          # data/lexicon/conditions.json as read
    topic_groups: TopicGroups
    cues: dict[str, dict[str, list[Cue]]] = field(default_factory=dict)
    passive_verbs: frozenset[str] = frozenset()
    scope_group_threshold: float = 0.6
    entries: dict[str, ActorEntry] = field(default_factory=dict)


@cache
def lexicon() -> Lexicon:
    actors_data = load("actors.json")
    actors: list[tuple[ActorEntry, re.Pattern[str]]] = []

    def add(entry: ActorEntry, patterns: list[str]) -> None:
        actors.append((entry, compile_any(patterns)))

    for p in actors_data["principals"]:
        add(ActorEntry(p["id"], p["kind"], "principal", p["sv"], p["en"]), p["patterns"])
    for key, role in (("joint", "joint"), ("each", "each")):
        p = actors_data[key]
        add(ActorEntry(p["id"], p["kind"], role, p["sv"], p["en"]), p["patterns"])
    for p in actors_data["units"]:
        kind = next(x["kind"] for x in actors_data["principals"] if x["id"] == p["principal"])
        add(ActorEntry(p["id"], kind, "unit", p["sv"], p["en"], principal=p["principal"]), p["patterns"])
    for key, role, scope in (("others", "other", "national"), ("individuals", "individual", "national"),
                             ("bodies", "body", "agreement"), ("roles", "role", "agreement"),
                             ("staff", "staff", "national")):
        for p in actors_data.get(key, []):
            add(ActorEntry(p["id"], p.get("kind", "other"), role, p["sv"], p["en"], scope=scope), p["patterns"])
        if key == "bodies":
            for p in catalogue_bodies():
                add(ActorEntry(p["id"], p.get("kind", "other"), "body", p["sv"], p["en"]), p["patterns"])
    duties = load("duties.json")
    cues_data = load("cues.json")
    cues: dict[str, dict[str, list[Cue]]] = {}
    for scheme in ("topics", "target_groups", "activities", "situations"):
        cues[scheme] = {
            key: [Cue(compile_any([pattern]), weight, pattern, required_literal(pattern)) for pattern, weight in entries]
            for key, entries in cues_data[scheme].items()
        }
    groups = cues_data["topic_groups"]
    topic_groups = TopicGroups(frozenset(groups["structural"]), dict(groups["by_bearer_kind"]),
                               groups["collaboration"], groups["young"], dict(groups["target_groups"]))
    return Lexicon(
        actors=actors,
        generic_body=compile_any(actors_data["generic_bodies"]),
        generic_body_exclude=frozenset(actors_data["generic_body_exclude"]),
        document_nouns=frozenset(actors_data["document_nouns"]),
        responsibility_nouns=frozenset(actors_data["responsibility_nouns"]),
        duties=duties,
        finite_verb_set=frozenset(duties["finite_verbs"]),
        markers=compile_any(duties["markers"]),
        weak_markers=compile_any(duties["weak_markers"]),
        past_tense=compile_any(duties["past_tense"]),
        kind_cues=[(k["id"], compile_any(k["cues"])) for k in duties["kinds"]],
        conditions=load("conditions.json"),
        cues=cues,
        topic_groups=topic_groups,
        example=compile_any(cues_data["example_markers"]),
        reference_markers=compile_any(duties["reference_markers"]),
        passive_verbs=frozenset(duties["passive_verbs"]),
        scope_group_threshold=cues_data["scope_group_threshold"],
        entries={entry.id: entry for entry, _ in actors},
    )


def catalogue_body_id(key: str, body_id: str) -> str:
    """How VEMGORVAD_LEXICON_EXCLUDE names a body of an agreement's catalogue record."""
    return f"catalogue#{key}/bodies/{body_id}"


def catalogue_bodies() -> list[Body]:
    """The named bodies of the agreements' catalogue records (their proper names are no general
    language), without those switched off."""
    return [body for record in load_catalogue() for body in record.bodies
            if catalogue_body_id(record.key, body["id"]) not in excluded()]


@cache
def grammar() -> dict[str, Any]:
    """The grammar rules of data/lexicon/grammar.json (phrases that mark a kind of sentence)."""
    return load("grammar.json")


@cache
def phrase(key: str, before: str = "", after: str = "", flags: int = re.I) -> re.Pattern[str]:
    """The patterns of grammar.json under `key` as one alternation between `before` and `after`
    (e.g. "^" and r"\b"): each reader says where its phrase may stand."""
    return compile_raw(grammar()[key], before, after, flags)


@cache
def words(key: str) -> frozenset[str]:
    """The words of grammar.json under `key`, as a set."""
    return frozenset(grammar()[key])


def attestation(texts: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Lexicon entry id → the agreements of data/ whose text it matches ([] for an entry none
    attests: general language, a colloquial synonym). Both the raw and the normalised text count:
    layout entries act on the raw text, the others on the normalised."""
    if texts is None:
        texts = {}
        for record in load_catalogue():
            raw = read_path(record.path)
            texts[record.key] = raw + "\n" + normalise(raw).text
    return attest(texts)
