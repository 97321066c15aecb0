"""Just enough of SPARQL's lexical grammar to answer safety questions before a query runs: which
form it is (SELECT/ASK/CONSTRUCT/DESCRIBE, or an update), whether it names its own dataset
(FROM / FROM NAMED) and which SERVICE endpoints it calls. Strings, IRIs and comments are skipped
as whole tokens, so a keyword inside a literal or a comment never counts. The engine parses the
query properly afterwards; this never needs to accept or reject a query on its own."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"""
    (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w\-:%\\.\u00B7-\uFFFF]*[\w\-:%\u00B7-\uFFFF])?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass
class Analysis:
    form: str | None = None               # SELECT, ASK, CONSTRUCT, DESCRIBE; None if unknown
    update: str | None = None             # the update keyword when the text is an update request
    has_dataset_clause: bool = False      # FROM or FROM NAMED
    services: list[str] = field(default_factory=list)   # endpoint IRIs, "?var" for a variable
    from_graphs: list[str] = field(default_factory=list)   # FROM <g>
    from_named: list[str] = field(default_factory=list)    # FROM NAMED <g>


def tokens(text: str):
    """(kind, text) pairs, skipping whitespace and comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        yield kind, match.group()


def _expand(pname: str, prefixes: dict[str, str]) -> str:
    prefix, _, local = pname.partition(":")
    return prefixes.get(prefix, pname + " (okänt prefix)") + local


def analyse(text: str) -> Analysis:
    result = Analysis()
    toks = list(tokens(text))
    prefixes: dict[str, str] = {}
    base = ""
    i = 0
    # prologue: BASE <iri> / PREFIX p: <iri>
    while i < len(toks):
        kind, value = toks[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "BASE" and i + 1 < len(toks):
            base = toks[i + 1][1][1:-1]
            i += 2
        elif upper == "PREFIX" and i + 2 < len(toks):
            prefixes[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
            i += 3
        else:
            break
    if i < len(toks) and toks[i][0] == "word":
        first = toks[i][1].upper()
        if first in QUERY_FORMS:
            result.form = first
        elif first in UPDATE_KEYWORDS:
            result.update = first
    for j, (kind, value) in enumerate(toks):
        if kind != "word":
            continue
        upper = value.upper()
        if upper == "FROM":
            result.has_dataset_clause = True
            k = j + 1
            named = k < len(toks) and toks[k][0] == "word" and toks[k][1].upper() == "NAMED"
            k += named
            if k < len(toks) and toks[k][0] in ("iri", "pname"):
                kind_k, target = toks[k]
                iri = _expand(target, prefixes) if kind_k == "pname" else target[1:-1]
                if kind_k == "iri" and base and ":" not in iri:
                    iri = base + iri
                (result.from_named if named else result.from_graphs).append(iri)
        elif upper == "SERVICE":
            k = j + 1
            if k < len(toks) and toks[k][0] == "word" and toks[k][1].upper() == "SILENT":
                k += 1
            if k >= len(toks):
                continue
            target_kind, target = toks[k]
            if target_kind == "iri":
                iri = target[1:-1]
                result.services.append(iri if ":" in iri or not base else base + iri)
            elif target_kind == "pname":
                result.services.append(_expand(target, prefixes))
            else:
                result.services.append(target)
    return result
