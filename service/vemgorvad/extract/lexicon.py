"""The extraction lexicon (data/lexicon/*.json), compiled once into regular expressions."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache

from .. import paths

WORD = r"[\wåäöÅÄÖéü]"


def compile_any(patterns: list[str]) -> re.Pattern:
    """Whole-word alternation; patterns starting with "=" are case-sensitive."""
    parts = []
    for pattern in patterns:
        if pattern.startswith("="):
            parts.append(f"(?-i:{pattern[1:]})")
        else:
            parts.append(pattern)
    return re.compile(rf"(?<!{WORD})(?:{'|'.join(parts)})(?!{WORD})", re.I)


def compile_each(patterns: list[str]) -> list[re.Pattern]:
    return [compile_any([p]) for p in patterns]


@dataclass(frozen=True)
class ActorEntry:
    id: str
    kind: str            # kommun | region | kommun+region | other
    role: str            # principal | unit | joint | each | other | individual | body | role
    sv: str
    en: str
    principal: str | None = None  # a unit's principal id
    scope: str = "agreement"      # agreement | national


@dataclass
class Cue:
    pattern: re.Pattern
    weight: float
    source: str
    literal: str = ""   # a substring every match contains: a cheap test before the regex

    def search(self, lower: str):
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


@dataclass
class Lexicon:
    actors: list[tuple[ActorEntry, re.Pattern]]
    generic_body: re.Pattern
    generic_body_exclude: frozenset[str]
    membership_prepositions: frozenset[str]
    document_nouns: frozenset[str]
    responsibility_nouns: frozenset[str]
    duties: dict
    finite_verbs: re.Pattern
    finite_verb_set: frozenset[str]
    markers: re.Pattern
    weak_markers: re.Pattern
    past_tense: re.Pattern
    kind_cues: list[tuple[str, re.Pattern]]
    conditions: dict
    cues: dict[str, dict[str, list[Cue]]] = field(default_factory=dict)
    topic_kinds: dict[str, str] = field(default_factory=dict)
    example: re.Pattern | None = None
    reference_markers: re.Pattern | None = None
    passive_verbs: frozenset[str] = frozenset()
    scope_group_threshold: float = 0.6
    entries: dict[str, ActorEntry] = field(default_factory=dict)


def _load(name: str) -> dict:
    return json.loads((paths.LEXICON / name).read_text(encoding="utf-8"))


@cache
def lexicon() -> Lexicon:
    actors_data = _load("actors.json")
    actors: list[tuple[ActorEntry, re.Pattern]] = []

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
                             ("bodies", "body", "agreement"), ("roles", "role", "agreement")):
        for p in actors_data[key]:
            add(ActorEntry(p["id"], p.get("kind", "other"), role, p["sv"], p["en"], scope=scope), p["patterns"])
    duties = _load("duties.json")
    cues_data = _load("cues.json")
    cues: dict[str, dict[str, list[Cue]]] = {}
    for scheme in ("topics", "target_groups", "activities", "situations"):
        cues[scheme] = {
            key: [Cue(compile_any([pattern]), weight, pattern, required_literal(pattern)) for pattern, weight in entries]
            for key, entries in cues_data[scheme].items()
        }
    topic_kinds = {k: v for k, v in cues_data["topic_kinds"].items() if not k.startswith("_")}
    return Lexicon(
        actors=actors,
        generic_body=compile_any(actors_data["generic_bodies"]),
        generic_body_exclude=frozenset(actors_data["generic_body_exclude"]),
        membership_prepositions=frozenset(actors_data["membership_prepositions"]),
        document_nouns=frozenset(actors_data["document_nouns"]),
        responsibility_nouns=frozenset(actors_data["responsibility_nouns"]),
        duties=duties,
        finite_verbs=compile_any(duties["finite_verbs"]),
        finite_verb_set=frozenset(duties["finite_verbs"]),
        markers=compile_any(duties["markers"]),
        weak_markers=compile_any(duties["weak_markers"]),
        past_tense=compile_any(duties["past_tense"]),
        kind_cues=[(k["id"], compile_any(k["cues"])) for k in duties["kinds"]],
        conditions=_load("conditions.json"),
        cues=cues,
        topic_kinds=topic_kinds,
        example=compile_any(cues_data["example_markers"]),
        reference_markers=compile_any(duties["reference_markers"]),
        passive_verbs=frozenset(duties["passive_verbs"]),
        scope_group_threshold=cues_data["scope_group_threshold"],
        entries={entry.id: entry for entry, _ in actors},
    )
