"""Keys and slugs: the one place that says what an agreement key looks like (CONTRACT.md:
lowercase ASCII, digits and '-') and how a Swedish name becomes a key or a path segment of an IRI."""
from __future__ import annotations

import re

KEY_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
KEY = re.compile(rf"^{KEY_PATTERN}$")
KEY_MAX = 60
_ASCII = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuaaoeu")


def slug(text: str, empty: str = "x") -> str:
    """"Landstinget i Uppsala län" → "landstinget-i-uppsala-lan"; `empty` when nothing is left."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(_ASCII)).strip("-") or empty


def key_from(text: str) -> str:
    """An agreement key made from a title or file name, at most KEY_MAX characters."""
    return slug(text, "overenskommelse")[:KEY_MAX].strip("-")


def is_key(text: str) -> bool:
    return len(text) <= KEY_MAX and KEY.match(text) is not None
