"""Which concepts of a vocabulary (topics, target groups, activities) a passage is about, from the
weighted cues of data/lexicon/cues.json."""
from __future__ import annotations

from functools import lru_cache

from .lexicon import lexicon

THRESHOLD = 1.0
HEADING_FACTOR = 0.6


@lru_cache(maxsize=4096)
def _own(scheme: str, lower: str) -> dict[str, float]:
    result = {}
    for key, cues in lexicon().cues[scheme].items():
        score = sum(cue.weight for cue in cues if cue.search(lower))
        if score > 0:
            result[key] = score
    return result


def scores(scheme: str, text: str, heading: str = "") -> dict[str, float]:
    """Concept → score; the section heading lends part of its own score to every passage in it."""
    own = _own(scheme, text.lower())
    context = _own(scheme, heading.lower()) if heading else {}
    return {key: round(own.get(key, 0) + HEADING_FACTOR * min(context.get(key, 0), 1.0), 3)
            for key in sorted(set(own) | set(context))}


def concepts(scheme: str, text: str, heading: str = "", threshold: float = THRESHOLD) -> list[str]:
    found = scores(scheme, text, heading)
    return sorted((k for k, v in found.items() if v >= threshold), key=lambda k: -found[k])


def matched_phrases(scheme: str, key: str, text: str) -> list[str]:
    lower = text.lower()
    return [m.group(0) for cue in lexicon().cues[scheme][key] for m in [cue.search(lower)] if m]
