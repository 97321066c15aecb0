"""Which concepts of a vocabulary (topics, target groups, activities) a passage is about, from the
weighted cues of data/lexicon/cues.json."""
from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import lexicon

THRESHOLD = 1.0
HEADING_FACTOR = 0.6


@lru_cache(maxsize=4096)
def _own(scheme: str, lower: str) -> dict[str, float]:
    """Sum of cue weights per concept. Words split by a stray hyphen ("kompetens-utvecklings")
    are matched joined as well; a cue inside an example ("till exempel …") counts half."""
    lex = lexicon()
    joined = re.sub(r"(?<=[a-zåäö])-(?=[a-zåäö])", "", lower)
    # the joined text only when it differs (a cue that misses the text misses it joined the same);
    # the cue's literal tested inline (the build runs this loop ~150 times a passage: its CPU-s are here)
    texts = (lower,) if joined == lower else (lower, joined)
    examples = [m.end() for m in lex.example.finditer(lower)]
    result = {}
    for key, cues in lex.cues[scheme].items():
        score = 0.0
        for cue in cues:
            match = None
            for text in texts:
                if cue.literal in text and (match := cue.pattern.search(text)) is not None:
                    break
            if match is None:
                continue
            in_example = any(end <= match.start() and ". " not in lower[end:match.start()] for end in examples)
            score += cue.weight * (0.5 if in_example else 1.0)
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
