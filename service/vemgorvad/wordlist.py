"""The Swedish Hunspell dictionary (PyPI `hunspell-sv`, installed beside the package under
<prefix>/share/hunspell): where it is, and its word list — the stems of its .dic file, lower case,
without their affix flags. Extraction reads a word's lemma from the word list (extract/lemmas.py);
the reading of questions looks words up with spylls over the whole dictionary, read in a child process
and held compact (hunspell/compact.py), which takes seconds where the word list takes a fraction of one."""
from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

_FLAGS = re.compile(r"/[^\n]*")


def dictionary_path() -> Path | None:
    """The dictionary's files without their suffix (…/sv_SE for sv_SE.dic and sv_SE.aff)."""
    for prefix in (sys.prefix, sys.base_prefix, "/usr"):
        base = Path(prefix) / "share" / "hunspell"
        for name in ("sv_SE_expanded", "sv_SE"):
            if (base / f"{name}.dic").exists() and (base / f"{name}.aff").exists():
                return base / name
    return None


@cache
def stems() -> frozenset[str]:
    """Every stem the dictionary lists (its first line, the count, is no word and does no harm)."""
    path = dictionary_path()
    if path is None:
        raise RuntimeError("the Swedish Hunspell dictionary (hunspell-sv) is not installed")
    text = path.with_suffix(".dic").read_text(encoding="utf-8")
    return frozenset(_FLAGS.sub("", text).lower().split())
