"""The Swedish Hunspell dictionary as the spelling of questions asks it — is this a Swedish word? —
with spylls' own lookup (affixes, compounds, capitalisation) over the same entries, held in a fifth of
the memory.

spylls reads each of the .dic file's entries (167 000 in sv_SE) into an object with a set of its
flags, a dict of its data tags and a list of its alternative spellings, and indexes them by stem and
by lower-case stem: 135 MB, the largest share of the server process's Python objects at every N.
Its lookup reads of an entry only its stem, flags and capitalisation, through `Dic.homonyms` and
`Dic.has_flag`. `CompactDic` answers those two from the entries by stem, each a (flags,
capitalisation) pair with one frozenset for each distinct set of flags (2 116 in sv_SE), and makes the
`Word` lookup reads when it asks for it. An entry with data tags or alternative spellings (sv_SE has
none) is kept as spylls read it.

spylls' lower-case index files a lower-case stem under each of its letters (reader: `for lword in
lower`, where `lower` is the stem itself when it is already lower case): 1.5 M references under 83
one-letter keys. Lookup reads it only for a word in capitals; a one-letter key's entries are made
again from the entries when asked (the same entries, grouped by stem), the other keys are kept.

The whole dictionary is read in a child process (`python -m vemgorvad.hunspell.child PATH` writes
the compact one, pickled, to its standard output), so that the objects spylls makes never fragment the
server's heap; the server keeps that result in var/cache/hunspell for its next start."""
from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, TypeAlias

from spylls.hunspell import Dictionary
from spylls.hunspell.algo.capitalization import Casing
from spylls.hunspell.algo.capitalization import Type as CapType
from spylls.hunspell.algo.lookup import Lookup
from spylls.hunspell.data.aff import Aff
from spylls.hunspell.data.dic import Dic, Word

from ..atomic import write_atomic

#: An entry: (flags, capitalisation) — or spylls' own Word when it has data tags or alternative spellings.
Entry: TypeAlias = "tuple[frozenset[str], CapType] | Word"
READ_TIMEOUT = 300    # seconds: the child reads the dictionary in ~3 s alone, ~20 s on a loaded machine


class CompactDic:
    """The entries of a .dic file as spylls' lookup asks for them (`homonyms`, `has_flag`)."""

    def __init__(self, dic: Dic, casing: Casing):
        shared: dict[Any, Any] = {}

        def entry(word: Word) -> Entry:
            if word.data or word.alt_spellings:
                return word
            flags: frozenset[str] = shared.setdefault(frozenset(word.flags), frozenset(word.flags))
            pair: tuple[frozenset[str], CapType] = shared.setdefault((flags, word.captype), (flags, word.captype))
            return pair

        def entries(words: list[Word]) -> tuple[Entry, ...]:
            made = tuple(entry(w) for w in words)
            return shared.setdefault(made, made) if all(isinstance(e, tuple) for e in made) else made

        self.casing = casing
        self.index: dict[str, tuple[Entry, ...]] = {stem: entries(words) for stem, words in dic.index.items()}
        stems = {stem: stem for stem in self.index}   # one string object per stem, the index's own
        self.lower: dict[str, tuple[tuple[str, Entry], ...]] = {
            key: tuple((stems[w.stem], entry(w)) for w in words)
            for key, words in dic.lowercase_index.items() if len(key) > 1}

    def homonyms(self, stem: str, *, ignorecase: bool = False) -> list[Word]:
        if not ignorecase:
            return [_word(stem, e) for e in self.index.get(stem, ())]
        if len(stem) == 1:
            return [_word(s, e) for s, e in self._filed_under_letter(stem)]
        return [_word(s, e) for s, e in self.lower.get(stem, ())]

    def has_flag(self, stem: str, flag: str, *, for_all: bool = False) -> bool:
        """As spylls' Dic.has_flag: any (or all) of the stem's entries has the flag."""
        homonyms = self.homonyms(stem)
        if not homonyms:
            return False
        if for_all:
            return all(flag in homonym.flags for homonym in homonyms)
        return any(flag in homonym.flags for homonym in homonyms)

    def _filed_under_letter(self, letter: str) -> Iterator[tuple[str, Entry]]:
        """The entries spylls' reader files under a one-letter key: a lower-case stem once for each
        time the letter occurs in it, any other stem once for each of its lower-case forms equal to it."""
        for stem, entries in self.index.items():
            for one in entries:
                captype = one.captype if isinstance(one, Word) else one[1]
                lower = stem if captype == CapType.NO else self.casing.lower(stem)
                for _ in range(sum(1 for form in lower if form == letter)):
                    yield stem, one


def _word(stem: str, entry: Entry) -> Word:
    if isinstance(entry, Word):
        return entry
    flags, captype = entry
    return Word(stem=stem, flags=flags, data={}, alt_spellings=[], captype=captype)


def compact(dictionary: Dictionary) -> tuple[Aff, CompactDic]:
    """The dictionary's affixes and its entries, compact."""
    return dictionary.aff, CompactDic(dictionary.dic, dictionary.aff.casing)


def lookup(aff: Aff, dic: CompactDic) -> Lookup:
    """spylls' lookup (what Dictionary.lookup calls) over the compact entries."""
    return Lookup(aff, dic)


def read(path: Path, cache: Path | None = None) -> Lookup:
    """The lookup of the dictionary at `path` (…/sv_SE for sv_SE.dic and sv_SE.aff), read by a child
    process — or from `cache` (a folder), where the child's result is kept under the digest of the
    dictionary's files, this code and spylls' version: a later start reads it in a fraction of a
    second instead of parsing the dictionary again (seconds; tens of them on a loaded machine). A
    cache that cannot be read or written is passed by."""
    kept = cache / f"{_digest(path)}.pickle" if cache is not None else None
    if kept is not None:
        found = _unpickled(kept)
        if found is not None:
            return lookup(*found)
    data = _from_child(path)
    if kept is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(kept, data)
        except OSError:
            pass
    aff, dic = pickle.loads(data)
    return lookup(aff, dic)


def _digest(path: Path) -> str:
    digest = hashlib.sha256(metadata.version("spylls").encode())
    for part in (path.with_suffix(".aff"), path.with_suffix(".dic"), Path(__file__)):
        digest.update(hashlib.sha256(part.read_bytes()).digest())
    return digest.hexdigest()


def _unpickled(kept: Path) -> tuple[Aff, CompactDic] | None:
    try:
        found = pickle.loads(kept.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError,
            IndexError):
        return None
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], CompactDic):
        return found[0], found[1]
    return None


def _from_child(path: Path) -> bytes:
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "vemgorvad.hunspell.child", str(path)], capture_output=True, env=env,
                          timeout=READ_TIMEOUT, check=False)
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"reading the Hunspell dictionary {path} failed: {last}")
    return done.stdout
