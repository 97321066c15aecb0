"""Is this a Swedish word? — the Swedish Hunspell dictionary's answer (its compounding rules
included) for reading agreements: ingest/hyphens.py asks it whether a word split by a pasted
hyphenation ("sjukvårdsavta- let") is one word. The dictionary is the compact one the spelling of
questions reads (compact.py: read by a child process once, then kept in var/cache/hunspell), loaded
once per process and only when first asked."""
from __future__ import annotations

import threading
from functools import cache

from spylls.hunspell.algo.lookup import Lookup

from .. import paths
from ..wordlist import dictionary_path
from .compact import read

_loaded: list[Lookup] = []
_loading = threading.Lock()
_asking = threading.Lock()


def _lookup() -> Lookup:
    with _loading:
        if not _loaded:
            path = dictionary_path()
            if path is None:
                raise RuntimeError("the Swedish Hunspell dictionary (hunspell-sv) is not installed")
            _loaded.append(read(path, paths.VAR / "cache" / "hunspell"))
    return _loaded[0]


def warm() -> None:
    """Load the dictionary now — at a worker's start, so that the first text with a split word does
    not pay for the load inside its own job (and its CPU budget)."""
    _lookup()


@cache
def is_word(word: str) -> bool:
    """Whether the dictionary accepts the word — as written, or as a compound its rules allow."""
    lookup = _lookup()
    with _asking:   # spylls keeps caches that are not thread-safe
        return bool(lookup(word))
