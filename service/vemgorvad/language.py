"""The language data of data/lexicon/*.json — patterns, word lists, synonyms, cue words — and the
one loader every stage reads it through (ingest's layout cues, extraction, the reading of
questions). It sits below the pipeline's stages so that each of them can use it.

**Entries.** Each file says in ``"_entries"`` where its entries are: a JSON pointer pattern (``*``
for any key or position) and what the entry is::

    "_entries": {"/markers/*": "pattern", "/function_words/*": "word", "/number_words/*": "key"}

``pattern`` is a regular expression matched as a whole word or phrase (case does not matter; a
leading ``=`` makes it case-sensitive), as :func:`compile_any` compiles it; ``regex`` a regular
expression that says itself where it starts and ends (matched as written, case-insensitive, ``^``
at a line's start); ``word`` a literal word or phrase, matched whole;
``glyph`` a literal character matched anywhere; ``key`` makes the keys of an object the entries;
``verb`` a verb by its infinitive, optionally followed by a pattern ("fatta (?:\\w+ )?beslut"): it
stands for the verb in every form (:func:`verb_forms`: the present "fattar", the s-passive "fattas"),
so a verb one agreement writes in the present and another in the infinitive is attested by both,
and a reader compiles the forms it needs (:func:`compile_verbs`).
An entry's text is the string, the first element of a ``[pattern, weight]`` pair, or the
``"pattern"`` of an object. Its id is the file and the JSON pointer: ``cues.json#/topics/sip/2``.

**Switching entries off.** ``VEMGORVAD_LEXICON_EXCLUDE`` (settings.py) names a JSON file with a
list of entry ids; every reader then sees the data without them. The evaluation uses it to score
each agreement with what only that agreement attests switched off (leave-one-agreement-out);
:func:`attest` says which agreements each entry matches (extract/lexicon.py's ``attestation()``
for the agreements of data/).

**General language.** An entry the seed agreements attest only once (or never) is kept when it is
general Swedish or the domain's language, not a fit to one text; a file says so for such entries in
``"_general"``: entry text → why (``"vilket innebär att": "a general Swedish connective"``). The
mark records the review; leave-one-agreement-out still switches such an entry off (the figures stay
strict), and :func:`general` names them for the count of single-agreement entries.

**Checked.** tests/test_lexicon.py: every key of every file is read by some reader, every entry
compiles and matches a seed agreement or one of its file's ``"_examples"`` (sentences a domain
expert writes for what the agreements do not show: colloquial questions, rare phrasings).
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import paths
from .settings import Locations

WORD = r"[\wåäöÅÄÖéü]"
KINDS = ("pattern", "regex", "word", "glyph", "key", "verb")

#: (file, top-level key) of everything a reader has asked for in this process.
READ: set[tuple[str, str]] = set()


class LexiconError(ValueError):
    """The language data cannot be read as declared; the message names the file and entry."""


# --- compiling --------------------------------------------------------------------------------------

#: A compiled pattern of the language data, as compile_any and compile_raw return it: the type of the
#: fields of the records that hold one data file's patterns (extract/parties.py, extract/coverage.py, …).
Pattern = re.Pattern[str]


def alternation(patterns: list[str]) -> str:
    """The patterns as one alternation; one starting with "=" is case-sensitive. No patterns (all
    switched off) match nothing."""
    if not patterns:
        return "(?!)"
    return "|".join(f"(?-i:{p[1:]})" if p.startswith("=") else p for p in patterns)


def compile_any(patterns: list[str]) -> re.Pattern[str]:
    """Whole-word alternation, case-insensitive (patterns starting with "=" are case-sensitive)."""
    return re.compile(rf"(?<!{WORD})(?:{alternation(patterns)})(?!{WORD})", re.I)


def compile_raw(patterns: list[str], before: str = "", after: str = "", flags: int = re.I) -> re.Pattern[str]:
    """The patterns as one alternation between `before` and `after` (e.g. "^" and r"\b")."""
    return re.compile(f"{before}(?:{alternation(patterns)}){after}", flags)


def verb_forms(infinitive: str, voice: str = "finite") -> list[str]:
    """The forms of a Swedish verb made from its infinitive by the regular conjugations (SAG).
    `voice`: "active" — the present ("beslutar", "erbjuder", "avgör", "utser"); "passive" — the
    s-passive ("hanteras", "löses", "bereds"); "finite" — both; "all" — both and the infinitive. A
    deponent ("träffas") is its own form. Forms of another conjugation than the verb's ("beviljer")
    are no word and match nothing."""
    word = infinitive.lower()
    if word.endswith("s"):
        return [word]
    active, passive = [word + "r"], [word + "s"]
    if word.endswith("a") and len(word) > 2:
        stem = word[:-1]
        active.append(stem + "er")
        passive += [stem + "es", stem + "s"]
        if stem.endswith("r"):
            active.append(stem)
    forms = {"active": active, "passive": passive, "finite": active + passive,
             "all": [word, *active, *passive]}[voice]
    return sorted(set(forms), key=lambda f: (-len(f), f))


def _verb_pattern(entry: str, voice: str) -> str:
    head = re.match(r"[\wåäöéü]+", entry)
    if head is None:
        raise LexiconError(f"{entry!r}: a verb entry starts with the verb's infinitive")
    forms = alternation([re.escape(f) for f in verb_forms(head.group(0), voice)])
    return f"(?:{forms})" + entry[head.end():]


def compile_verbs(entries: list[str], voice: str = "finite") -> re.Pattern[str]:
    """``verb`` entries as a whole-word pattern of the forms of `voice` (see verb_forms)."""
    return compile_any([_verb_pattern(e, voice) for e in entries])


def compile_words(words: list[str]) -> re.Pattern[str]:
    """Literal words or phrases, whole, case-insensitive."""
    return compile_any([re.escape(w) for w in words])


# --- the files ----------------------------------------------------------------------------------------

class Tracked(dict[str, Any]):
    """A file's data; every top-level key asked for is recorded in READ (for the test that every
    key is read)."""

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.name = name

    def __getitem__(self, key: str) -> Any:
        READ.add((self.name, key))
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        READ.add((self.name, key))
        return super().get(key, default)


def file_names() -> list[str]:
    return sorted(p.name for p in Path(paths.LEXICON).glob("*.json"))


@cache
def _raw(name: str) -> dict[str, Any]:
    try:
        data = json.loads((Path(paths.LEXICON) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise LexiconError(f"data/lexicon/{name}: {err}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"data/lexicon/{name}: not a JSON object")
    return data


@cache
def excluded() -> frozenset[str]:
    """The entry ids switched off by VEMGORVAD_LEXICON_EXCLUDE (none without it)."""
    path = Locations().lexicon_exclude
    if path is None:
        return frozenset()
    try:
        ids = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise LexiconError(f"VEMGORVAD_LEXICON_EXCLUDE={path}: {err}") from None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise LexiconError(f"VEMGORVAD_LEXICON_EXCLUDE={path}: expected a JSON list of entry ids")
    return frozenset(ids)


@cache
def load(name: str) -> Tracked:
    """A lexicon file as its readers see it: without the entries switched off."""
    data = copy.deepcopy(_raw(name))
    off = [e for e in _entries_of(name, data) if e.id in excluded()]
    # remove from the end, so positions of the entries still to remove stay right
    for entry in sorted(off, key=lambda e: [(0, s) if isinstance(s, int) else (1, 0) for s in e.pointer],
                        reverse=True):
        parent = _at(data, entry.pointer[:-1])
        last = entry.pointer[-1]
        if isinstance(parent, list) and isinstance(last, int):
            del parent[last]
        elif isinstance(parent, dict):
            parent.pop(last, None)
    return Tracked(name, data)


# --- entries ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    file: str
    pointer: tuple[str | int, ...]
    kind: str
    text: str

    @property
    def id(self) -> str:
        return self.file + "#" + "".join("/" + str(s).replace("~", "~0").replace("/", "~1") for s in self.pointer)

    def regex(self) -> re.Pattern[str]:
        """What the entry matches in a text, as the lexicon's readers match it (LexiconError if
        it does not compile)."""
        try:
            if self.kind == "pattern":
                return compile_any([self.text])
            if self.kind == "regex":
                return re.compile(alternation([self.text]), re.I | re.M)
            if self.kind == "glyph":
                return re.compile(re.escape(self.text))
            if self.kind == "verb":
                return compile_any([_verb_pattern(self.text, "all")])
            return compile_words([self.text])
        except re.error as err:
            raise LexiconError(f"{self.id}: {self.text!r} is not a valid pattern ({err})") from None


def _at(data: Any, pointer: tuple[str | int, ...]) -> Any:
    for step in pointer:
        data = data[step]
    return data


def _walk(data: Any, pattern: list[str], pointer: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if not pattern:
        yield pointer, data
        return
    step, rest = pattern[0], pattern[1:]
    if isinstance(data, dict):
        keys = [k for k in data if not k.startswith("_")] if step == "*" else [step] if step in data else []
        for key in keys:
            yield from _walk(data[key], rest, (*pointer, key))
    elif isinstance(data, list):
        indices = range(len(data)) if step == "*" else [int(step)] if step.isdigit() and int(step) < len(data) else []
        for index in indices:
            yield from _walk(data[index], rest, (*pointer, index))


def _entries_of(name: str, data: Mapping[str, Any]) -> list[Entry]:
    declared = data.get("_entries")
    if not isinstance(declared, dict):
        raise LexiconError(f"data/lexicon/{name}: no \"_entries\" declaration")
    found = []
    for where, kind in declared.items():
        if kind not in KINDS or not where.startswith("/"):
            raise LexiconError(f"data/lexicon/{name}: _entries {where!r}: {kind!r} is not one of {KINDS}")
        steps = where.split("/")[1:]
        if kind == "key":
            for pointer, value in _walk(data, steps[:-1], ()):
                if isinstance(value, dict):
                    found += [Entry(name, (*pointer, k), kind, k) for k in value if not k.startswith("_")]
            continue
        for pointer, value in _walk(data, steps, ()):
            text = value[0] if isinstance(value, list) and value else value.get("pattern") \
                if isinstance(value, dict) else value
            if not isinstance(text, str):
                raise LexiconError(f"{name}#{'/'.join(map(str, pointer))}: no text to match in {value!r}")
            found.append(Entry(name, pointer, kind, text))
    return found


def entries() -> list[Entry]:
    """Every entry of every lexicon file (switched off or not), in file order."""
    return [e for name in file_names() for e in _entries_of(name, _raw(name))]


def examples(name: str) -> list[str]:
    value = _raw(name).get("_examples", [])
    return [str(v) for v in value] if isinstance(value, list) else []


def general() -> frozenset[str]:
    """The ids of the entries their file marks as general language in ``"_general"`` (a
    LexiconError for a mark that names no entry of its file)."""
    marked = set()
    for name in file_names():
        texts = _raw(name).get("_general", {})
        if not isinstance(texts, dict):
            raise LexiconError(f"data/lexicon/{name}: \"_general\" must map entry texts to reasons")
        found = {e.text: e.id for e in _entries_of(name, _raw(name))}
        for text in texts:
            if text.startswith("_"):
                continue
            if text not in found:
                raise LexiconError(f"data/lexicon/{name}: \"_general\" names {text!r}, which is no entry of the file")
            marked |= {e.id for e in _entries_of(name, _raw(name)) if e.text == text}
    return frozenset(marked)


def attest(texts: Mapping[str, str]) -> dict[str, list[str]]:
    """Entry id → the agreements whose text it matches (sorted keys; [] for an entry no agreement
    attests — general language, a colloquial synonym). `texts`: agreement key → its text."""
    return {e.id: sorted(key for key, text in texts.items() if e.regex().search(text)) for e in entries()}
