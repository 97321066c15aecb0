"""Which query texts need no rdflib parse before the engine runs them: a conservative screen on the
characters of the text, sound whatever either parser does with it.

rdflib's parse (decide.py, ~10 ms a text in a deciding worker) is there to find what a query may
do that the engine must not do as written: call another host (SERVICE), name its own dataset
(FROM / FROM NAMED, which the decision hands to the engine explicitly), change data (an update). A
text is *clear* — run by the engine directly, its own parser deciding — when all of these hold:

1. It contains no `\\u` and no `\\U`. SPARQL 1.1 §19.2 lets `\\uXXXX` / `\\UXXXXXXXX` stand for any
   character anywhere in a query, before tokens are read; without either sequence, whatever a
   parser does with such escapes leaves the text as it is (Oxigraph 0.5 does not unescape at all:
   `\\u0053ERVICE` is a syntax error to it; either way such a text takes the full decision).
2. It contains neither `service` nor `from` in any letter case (Python's Unicode case-insensitive
   match, a superset of the ASCII-only case folding SPARQL keywords use: Oxigraph compares
   keywords with `eq_ignore_ascii_case`). A keyword is one token, and a token is a contiguous run
   of the text's characters: no comment, string, IRI or escape inside a token can split it. So
   with neither word anywhere in the text — in a comment, a string or an IRI included — no parser
   can read a SERVICE or a FROM in it, however its lexer and rdflib's disagree about where a
   comment, a string or a local name ends (the desynchronisation of issue 10, item 1).
3. It is at most `max_chars()` characters long. Oxigraph's parser and evaluator recurse once per
   nesting level and overflow the worker's stack past a depth (measured on 0.5.13 with the usual
   8 MiB stack: 2,196 unclosed `{`, the deepest per character of the constructs tried; `(`
   4,717; `!` more than 12,000); every level takes at least one character, so a text of at most
   half that (1,024) nests no deeper than half the depth the engine survives (`tests/test_sparql_screen.py`
   runs the deepest constructs at the bound). A deeper text takes the full decision, where
   rdflib's recursion limit refuses it (400) before the engine sees it.

Updates need no keyword in the screen: a clear text goes to `Store.query`, whose parser reads only
SELECT, ASK, CONSTRUCT and DESCRIBE — an update is a syntax error there, and every error of a clear
text (syntax, an extension function the engine lacks, anything else) sends it to the full decision,
which answers as it always has (403 for an update, 400 with rdflib's message for a syntax error).
What a clear text can then do is what a read-only query over the union default graph can do, the
same as a fully decided query without SERVICE or FROM. The evaluating worker's network sandbox
stays the second, independent guarantee.
"""
from __future__ import annotations

import re
import resource

#: Words whose presence (any case, anywhere) sends a text to the full decision.
KEYWORDS = ("service", "from")
_RISKY = re.compile(r"\\[uU]|" + "|".join(KEYWORDS), re.IGNORECASE)
#: Longest clear text at an 8 MiB stack: about half the shortest text that overflowed Oxigraph (2,200).
MAX_CHARS = 1024
#: Bytes of stack per character of text the bound allows (8 MiB / 1,024 = 8 KiB; measured: ~3.8 KiB
#: per unclosed `{`, the deepest per character found).
STACK_PER_CHAR = 8 * 1024


def max_chars() -> int:
    """The length bound for this process's stack (a smaller `ulimit -s` lowers it)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_STACK)
    if soft == resource.RLIM_INFINITY:
        return MAX_CHARS
    return min(MAX_CHARS, soft // STACK_PER_CHAR)


_LIMIT = max_chars()


def clear(text: str) -> bool:
    """True when the text needs no rdflib parse before the engine runs it (see the module's note)."""
    return len(text) <= _LIMIT and _RISKY.search(text) is None
