"""Is a sentence a duty, and of which kind (do, pay, coordinate, convene, participate, report,
decide, follow up)?"""
from __future__ import annotations

from .lexicon import lexicon

KIND_ORDER = ("pay", "convene", "decide", "report", "coordinate", "participate", "followup", "do")


def duty_strength(text: str) -> float:
    """1.0 for a clear duty ("ska", "ansvarar för", "har kostnadsansvar"), 0.5 for a weak cue
    ("ger", "kan"), 0 for none. History ("infördes", "har tagit fram") counts as none."""
    lex = lexicon()
    lower = text.lower()
    if lex.markers.search(lower) or lex.reference_markers.search(lower):
        return 1.0
    if lex.past_tense.search(lower):
        return 0.0
    if lex.weak_markers.search(lower):
        return 0.5
    return 0.0


def duty_kinds(text: str) -> list[str]:
    """Kinds of duty a passage states, most specific first; "do" when nothing more specific."""
    lex = lexicon()
    lower = text.lower()
    kinds = [kind for kind, pattern in lex.kind_cues if pattern.search(lower)]
    kinds.sort(key=KIND_ORDER.index)
    return kinds or ["do"]
