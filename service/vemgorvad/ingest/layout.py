"""The layout cues of data/lexicon/layout.json, loaded once."""
from __future__ import annotations

import json

from .. import paths

LAYOUT = json.loads((paths.LEXICON / "layout.json").read_text(encoding="utf-8"))
FUNCTION_WORDS = frozenset(LAYOUT["function_words"])
ITEM_VERBS = frozenset(LAYOUT["item_verbs"])
CONJUNCTIONS_AFTER_HYPHEN = frozenset(LAYOUT["conjunctions_after_hyphen"])
BULLETS = tuple(g for g in LAYOUT["bullet_glyphs"])
SUB_BULLETS = frozenset(LAYOUT["sub_bullet_glyphs"])
INTRO_ENDINGS = tuple(LAYOUT["intro_endings"])
HEADING_VERBS = frozenset(LAYOUT["heading_verbs"])
ABBREVIATIONS = frozenset(LAYOUT["abbreviations"])
