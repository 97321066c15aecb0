"""The characters a regular expression's match can begin with, read from Python's own parse of it
(the standard library's `re._parser`, the parser `re.compile` uses): a scan can then try at a place
only the patterns that can begin with the character there.

`first_chars` answers for the plain characters only (PLAIN: ASCII letters and digits, å ä ö é ü in
either case), lower-cased; a text character outside them must be tried against every pattern,
because case-insensitive matching folds a few other characters into ASCII letters ("K", the Kelvin
sign, matches "k"). None means "cannot tell" (a negated class, a category such as \\w, a
backreference, a pattern that can match the empty string): such a pattern is tried everywhere.
"""
from __future__ import annotations

import importlib
from typing import Any

PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789åäöéü") | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖÉÜ")
#: Pattern characters that fold to nothing but themselves and their own case partner among PLAIN.
_SAFE = frozenset(chr(c) for c in range(128)) | PLAIN

_parser: Any = importlib.import_module("re._parser")
_ZERO_WIDTH = {_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT}
_REPEATS = {_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", _parser.MAX_REPEAT)}


class _Unknown(Exception):
    """The parse holds something first_chars does not read."""


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The lower-cased PLAIN characters a match of `pattern` can begin with (a superset), or None."""
    try:
        chars, nullable = _sequence(_parser.parse(pattern, flags).data)
    except (_Unknown, RecursionError):
        return None
    return None if nullable else frozenset(chars)


def _sequence(items: list[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """(first characters, whether the whole sequence can match the empty string)."""
    found: set[str] = set()
    for op, av in items:
        chars, nullable = _item(op, av)
        found |= chars
        if not nullable:
            return found, False
    return found, True


def _char(code: int) -> set[str]:
    """The dispatch key a text character this pattern character matches has (its lower case),
    when that is PLAIN; no key when no PLAIN character matches it (" ", "-")."""
    ch = chr(code)
    if ch not in _SAFE:
        raise _Unknown(ch)
    return {ch.lower()} & PLAIN


def _item(op: Any, av: Any) -> tuple[set[str], bool]:
    if op is _parser.LITERAL:
        return _char(av), False
    if op is _parser.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _parser.LITERAL:
                chars |= _char(value)
            elif kind is _parser.RANGE and value[1] - value[0] < 64:
                for code in range(value[0], value[1] + 1):
                    chars |= _char(code)
            else:       # NEGATE, CATEGORY, a wide range
                raise _Unknown(kind)
        return chars, False
    if op is _parser.SUBPATTERN:
        return _sequence(av[-1].data)
    if op is _parser.BRANCH:
        found: set[str] = set()
        empty = False
        for branch in av[1]:
            chars, nullable = _sequence(branch.data)
            found |= chars
            empty = empty or nullable
        return found, empty
    if op in _REPEATS:
        low, _, item = av
        chars, nullable = _sequence(item.data)
        return chars, nullable or low == 0
    if op in _ZERO_WIDTH:
        return set(), True
    raise _Unknown(op)
