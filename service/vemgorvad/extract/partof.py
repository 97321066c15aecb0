"""Named bodies an agreement places inside one principal (issue 12 item 2): "Verksamheten Välfärd
ingår i Regional utvecklingsförvaltning inom Region Västmanland" makes Välfärd a unit of the region
wherever the text names it, so "Utvecklingsstrateg på Välfärd är sammankallande" is the region's
duty, while a forum made up of both principals stays a body (kind other).

Learned from each agreement's own text while it is read (data/lexicon/actors.json "part_of"),
never listed per agreement. Only bodies with a proper name are placed — those of the agreement's
catalogue record and those the text defines with a short form —, and only when every statement
that places one names the same principal kind.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from ..language import alternation, load
from .actors import Mention, find_mentions
from .lexicon import ActorEntry, grammar, lexicon

#: How far apart a body's name and its principal's may stand (characters), within one sentence.
REACH = 90
SENTENCE_END = re.compile(r"[.!?:;]\s|\n\s*\n")


@cache
def _links() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = load("actors.json")["part_of"]
    return (re.compile(alternation(data["after_body"]), re.I),
            re.compile(alternation(data["before_body"]), re.I),
            re.compile(alternation(data["coordinated"]), re.I))


def _principal_of(mention: Mention) -> str | None:
    """The principal id a mention of a principal or of one of its units stands for."""
    entry = mention.entry
    if entry.kind not in ("kommun", "region"):
        return None
    if entry.role == "principal":
        return entry.id
    return entry.principal if entry.role == "unit" else None


def _placed(text: str, body: Mention, other: Mention) -> bool:
    after, before, _ = _links()
    if other.start >= body.end and other.surface.lower().endswith(tuple(grammar()["genitive_endings"])):
        return False    # "på landstingets webbsida": a genitive names whose thing it is, not where the body is
    if other.start >= body.end:
        stretch = text[body.end:other.start].removeprefix(")")   # "… hälsa (BPH) ingår i …"
        return len(stretch) <= REACH and not SENTENCE_END.search(stretch) and bool(after.fullmatch(stretch))
    if other.end <= body.start and body.start - other.end <= REACH:
        link = before.match(text, other.end, body.end)
        return link is not None and link.end() >= body.start
    return False


def _coordinated(text: str, principal: Mention, mentions: list[Mention]) -> set[str]:
    """The principals coordinated with this one ("Region Y och kommunerna", "i Region Y och i kommunen")."""
    out: set[str] = set()
    current = principal
    for m in (m for m in mentions if m.start >= principal.end):
        if not _links()[2].fullmatch(text[current.end:m.start]):
            break
        found = _principal_of(m)
        if found is not None:
            out.add(found)
        current = m
    return out


def placed_bodies(text: str, named: Sequence[tuple[ActorEntry, re.Pattern[str]]]) -> dict[str, ActorEntry]:
    """Body id → the entry that makes it a unit of its principal, for the bodies in `named` (bodies
    with a proper name, with their patterns) the text places inside one principal. Only the stretch
    around each place a named body stands is read for actors. Call it while the document's own
    actors are set (actors.document_actors), so that its parties are found by their names."""
    places: dict[str, set[str]] = defaultdict(set)
    bodies: dict[str, ActorEntry] = {}
    for entry, pattern in named:
        for match in pattern.finditer(text):
            start = max(0, match.start() - REACH - 60)
            window = text[start:match.end() + REACH + 60]
            mentions = find_mentions(window)
            for i, body in enumerate(mentions):
                if body.entry.id != entry.id or body.start > match.start() - start or body.end < match.end() - start:
                    continue
                before = next((m for m in reversed(mentions[:i]) if m.entry.id != body.entry.id), None)
                after = next((m for m in mentions[i + 1:] if m.entry.id != body.entry.id), None)
                for other in (before, after):   # the nearest other actor on each side ("X (XY) ingår i …")
                    principal = _principal_of(other) if other is not None else None
                    if other is not None and principal is not None and _placed(window, body, other):
                        places[body.entry.id].add(principal)
                        bodies[body.entry.id] = body.entry
                        if other is after:   # "ingår i regionen och i kommunerna": in both, so in neither alone
                            places[body.entry.id] |= _coordinated(window, other, mentions)
    principals = {e.id: e for e, _ in lexicon().actors if e.role == "principal"}
    out = {}
    for body_id, where in places.items():
        kinds = {principals[p].kind for p in where if p in principals}
        if len(where) == 1 and len(kinds) == 1:
            entry = bodies[body_id]
            principal = next(iter(where))
            out[body_id] = ActorEntry(entry.id, principals[principal].kind, "unit", entry.sv, entry.en,
                                      principal=principal, scope=entry.scope)
    return out


__all__ = ["placed_bodies"]
