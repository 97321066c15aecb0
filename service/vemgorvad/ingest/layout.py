"""The layout cues of data/lexicon/layout.json, loaded once, when first needed (so a problem with
the language data is reported where the command reports errors, not at import)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..language import compile_raw, load


@dataclass(frozen=True)
class Layout:
    function_words: frozenset[str]
    item_verbs: frozenset[str]
    conjunctions_after_hyphen: frozenset[str]
    bullets: tuple[str, ...]
    sub_bullets: frozenset[str]
    bullet_categories: frozenset[str]
    bullet_blocks: tuple[tuple[int, int], ...]
    intro_endings: tuple[str, ...]
    heading_verbs: frozenset[str]
    abbreviations: frozenset[str]
    page_number: re.Pattern[str]
    page_of_pages: re.Pattern[str]
    contents_heading: re.Pattern[str]
    document_notes: re.Pattern[str]
    max_heading_chars: int
    max_heading_words: int
    footnote_separator_min_spaces: int

    def bullet_symbol(self, char: str) -> bool:
        """A character that is a bullet by its Unicode class (layout.json 'bullet_symbols'): one of
        the Private Use Area, where symbol fonts put their bullets, or an 'other symbol' of the
        blocks of bullet, box, arrow and check shapes."""
        category = unicodedata.category(char)
        if category in self.bullet_categories:
            return True
        return category == "So" and any(first <= ord(char) <= last for first, last in self.bullet_blocks)


@cache
def layout() -> Layout:
    data = load("layout.json")
    return Layout(
        function_words=frozenset(data["function_words"]),
        item_verbs=frozenset(data["item_verbs"]),
        conjunctions_after_hyphen=frozenset(data["conjunctions_after_hyphen"]),
        bullets=tuple(data["bullet_glyphs"]),
        sub_bullets=frozenset(data["sub_bullet_glyphs"]),
        bullet_categories=frozenset(data["bullet_symbols"]["categories"]),
        bullet_blocks=tuple((int(a, 16), int(b, 16)) for a, b in data["bullet_symbols"]["symbol_blocks"]),
        intro_endings=tuple(data["intro_endings"]),
        heading_verbs=frozenset(data["heading_verbs"]),
        abbreviations=frozenset(data["abbreviations"]),
        page_number=compile_raw(data["page_number"], "^", "$"),
        page_of_pages=compile_raw(data["page_of_pages"], "^", "$"),
        contents_heading=compile_raw(data["contents_headings"], "^", "$"),
        document_notes=compile_raw(data["document_notes"], "^", "$"),
        max_heading_chars=int(data["max_heading_chars"]),
        max_heading_words=int(data["max_heading_words"]),
        footnote_separator_min_spaces=int(data["footnote_separator_min_spaces"]),
    )
