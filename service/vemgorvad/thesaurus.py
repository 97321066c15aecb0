"""The Swedish thesaurus LibreOffice ships (Debian `mythes-sv`, /usr/share/mythes/th_sv_SE_v2.dat):
where it is, and its synonym pairs. It is made from Folkets synonymlexikon (KTH; Kann & Rosell 2005,
"Free construction of a free Swedish dictionary of synonyms", NoDaLiDa), general Swedish that no
agreement was read to make; the copyright of Viggo Kann allows use and copying with its notice kept
(/usr/share/doc/mythes-sv/copyright). `make` installs the package when it is missing.

The file is MyThes's format, in ISO-8859-1: a line with the encoding, then for each headword a line
"word|n" followed by n lines of synonyms, each "(part of speech)|synonym|synonym…" (the part of speech
may be empty). The question reader uses one-word synonyms only, both ways (a synonym pair of the
lexicon is a pair whichever word heads it)."""
from __future__ import annotations

import sys
import hashlib
from collections import defaultdict
from functools import cache
from pathlib import Path

FILE = "th_sv_SE_v2.dat"


def thesaurus_path() -> Path | None:
    """The thesaurus's .dat file, where Debian's package or a prefix's share/mythes holds it."""
    for prefix in (sys.prefix, sys.base_prefix, "/usr"):
        candidate = Path(prefix) / "share" / "mythes" / FILE
        if candidate.exists():
            return candidate
    return None


def parse(text: str) -> dict[str, frozenset[str]]:
    """Each one-word entry → its one-word synonyms, both ways, lower case (`text` is the file, decoded)."""
    pairs: dict[str, set[str]] = defaultdict(set)
    lines = text.split("\n")
    head: str | None = None
    for line in lines[1:]:                       # the first line names the encoding
        line = line.strip()
        if not line:
            continue
        if line.startswith(("|", "(")):          # a meaning of the current headword
            if head is None:
                continue
            for synonym in line.split("|")[1:]:
                word = synonym.strip().lower()
                if word and word != head and _one_word(word):
                    pairs[head].add(word)
                    pairs[word].add(head)
            continue
        word = line.split("|", 1)[0].strip().lower()
        head = word if _one_word(word) else None
    return {word: frozenset(found) for word, found in pairs.items()}


def _one_word(word: str) -> bool:
    return word.isalpha()


def synonyms() -> dict[str, frozenset[str]]:
    """The thesaurus's one-word synonym pairs (parse), read afresh each time (~0.2 s): the index keeps
    only the part the agreements use (serve/ask/expansion.py), and the whole (~6 MB) is let go."""
    path = thesaurus_path()
    if path is None:
        raise RuntimeError("the Swedish thesaurus (Debian mythes-sv) is not installed: run make, "
                           "or apt-get install mythes-sv")
    raw = path.read_bytes()
    encoding = raw.split(b"\n", 1)[0].decode("ascii", "replace").strip() or "ISO-8859-1"
    return parse(raw.decode(encoding, "replace"))


@cache
def digest() -> str:
    """SHA-256 of the thesaurus file in use ("absent" without one): part of the saved ask index's key,
    so another version of the package makes the index again instead of keeping a stale synonym table
    (read once per process)."""
    path = thesaurus_path()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else "absent"


__all__ = ["FILE", "digest", "parse", "synonyms", "thesaurus_path"]
