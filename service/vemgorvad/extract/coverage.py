"""Which topics an agreement regulates, with the clauses that show it. The graph's vg:regulates and
the gap check's covered/missing both come from here."""
from __future__ import annotations

from .lexicon import lexicon
from .model import Clause, Extraction


def evidence(extraction: Extraction) -> dict[str, list[Clause]]:
    """Topic → the clauses that show the agreement regulates it, strongest first."""
    found: dict[str, list[Clause]] = {}
    per_section: dict[tuple[int | None, str], list[Clause]] = {}
    for clause in extraction.clauses:
        if clause.fallback_topic:
            continue
        for topic in clause.topics:
            per_section.setdefault((clause.section, topic), []).append(clause)
            if _counts(clause, topic, extraction):
                found.setdefault(topic, []).append(clause)
    for (_section, topic), clauses in per_section.items():  # a section that keeps returning to a topic
        if topic not in found and topic not in lexicon().topic_groups.by_bearer and len(clauses) >= 2:
            found[topic] = clauses
    for topic, clauses in found.items():
        clauses.sort(key=lambda c: (-(c.is_responsibility), -c.topic_scores.get(topic, 0), c.start))
    return found


def _counts(clause: Clause, topic: str, extraction: Extraction) -> bool:
    groups = lexicon().topic_groups
    if topic in groups.structural:
        return True
    if topic in groups.by_bearer:
        return clause.is_responsibility
    if clause.is_responsibility or clause.strength >= 1.0:
        return True
    return topic in extraction.heading_topics.get(clause.section, [])


def covered_topics(extraction: Extraction) -> set[str]:
    return set(evidence(extraction))
