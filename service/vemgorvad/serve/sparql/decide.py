"""What a client's query may do, decided from a real parse: rdflib's SPARQL 1.1 parser and algebra
(a maintained grammar of the whole language), never a hand-written lexer.

The decision runs inside a query worker (sandboxed, memory-limited, killed at the deadline), so a
huge or pathological query costs the server nothing. It gives the query's form, the SERVICE
endpoints it calls, its dataset (FROM / FROM NAMED) and the extension functions it calls:

- a text this parser cannot read is refused (400), never passed on to the engine;
- an update (INSERT, LOAD, …) is refused (403);
- SERVICE is refused (403) unless every endpoint is on the operator's allow-list;
- the dataset the parser read is handed to the engine explicitly, so a FROM is honoured exactly as
  decided here (and the protocol's default-graph-uri / named-graph-uri override it, as the
  protocol says);
- a nesting too deep for the parser is a 400 ("for djupt nästlad"), not a crashed worker.

A text that screen.py clears (it provably holds no SERVICE, FROM or codepoint escape and is short
enough for the engine's parser) is not parsed here: the engine's own parser decides it, and any
error there brings it here.

Should the engine's own parser still read a SERVICE that this one did not, the worker's network
sandbox stops it: no process that evaluates queries can open a connection (sandbox.py).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import algebra, parser
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from .protocol import READ_ONLY

logging.getLogger("rdflib.term").setLevel(logging.ERROR)    # it warns about IRIs it thinks odd
# rdflib keeps the backslash of a local-name escape (PN_LOCAL_ESC, SPARQL 1.1 §19.8) in the IRI it
# makes: `e:a\#` becomes <http://e/a\#> where the grammar (and Oxigraph) say <http://e/a#>. A
# backslash can never stand in an IRI, so removing it before one of these characters is exact.
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
XSD = "http://www.w3.org/2001/XMLSchema#"
MODIFIERS = {"Slice", "OrderBy", "values"}     # LIMIT/OFFSET, ORDER BY, VALUES in rdflib's algebra
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass
class Decision:
    form: str
    services: list[str] = field(default_factory=list)       # endpoint IRIs; "?var" for a variable
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)      # extension function IRIs (not XSD casts)
    modified: bool = False          # a LIMIT, OFFSET, ORDER BY or VALUES anywhere (remote.capped)
    # not parsed here: screen.py cleared the text, the engine's own parser decides its form, and
    # any error it meets sends the text to the full decision (results.evaluate, pool.run)
    screened: bool = False

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _syntax(err: Exception) -> Refused:
    text = " ".join(str(err).split())[:500]
    return Refused(400, f"Syntaxfel i frågan: {text}\n(SPARQL syntax error.)")


def _iri(term: object) -> str:
    """The IRI as the grammar defines it (and the engine reads it): local-name escapes undone."""
    return _LOCAL_ESCAPE.sub(r"\1", str(term))


def _walk(node: object, found: Decision) -> None:
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name in MODIFIERS:
                found.modified = True
            if item.name == "ServiceGraphPattern":
                term = item.get("term")
                found.services.append(f"?{term}" if isinstance(term, Variable) else _iri(term))
            elif item.name == "Function":
                iri = _iri(item.get("iri"))
                if not iri.startswith(XSD) and iri not in found.functions:
                    found.functions.append(iri)
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)


def decide(text: str, base_iri: str | None = None) -> Decision:
    """The decision for a query text, or Refused (400 syntax, 403 update)."""
    try:
        parsed = parser.parseQuery(text)
    except RecursionError:
        raise Refused(400, "Frågan är för djupt nästlad för att tolkas.\n(The query is nested too deeply.)") from None
    except ParseBaseException as err:
        if _is_update(text):
            raise Refused(403, READ_ONLY) from None
        raise _syntax(err) from None
    except Exception as err:  # rdflib's parser raises plain exceptions for some inputs
        raise _syntax(err) from None
    try:
        query = algebra.translateQuery(parsed, base=base_iri)
    except RecursionError:
        raise Refused(400, "Frågan är för djupt nästlad för att tolkas.\n(The query is nested too deeply.)") from None
    except Exception as err:  # unknown prefix, a variable bound twice, …: the query is not valid
        raise _syntax(err) from None
    root = query.algebra
    decision = Decision(FORMS.get(root.name, "SELECT"))
    for clause in root.get("datasetClause") or []:
        fields = dict(clause.items())
        if fields.get("default") is not None:
            decision.from_graphs.append(_iri(fields["default"]))
        elif fields.get("named") is not None:
            decision.from_named.append(_iri(fields["named"]))
    try:
        _walk(root, decision)
    except RecursionError:
        raise Refused(400, "Frågan är för djupt nästlad för att tolkas.\n(The query is nested too deeply.)") from None
    return decision


def _is_update(text: str) -> bool:
    try:
        parser.parseUpdate(text)
        return True
    except Exception:
        return False


def check_services(decision: Decision, allowlist: tuple[str, ...] | list[str]) -> None:
    allowed = set(allowlist)
    for target in decision.services:
        if target not in allowed:
            raise Refused(403, f"SERVICE <{target}> är inte tillåtet: den här ändpunkten frågar inga andra "
                               f"tjänster utom de som driftsansvarig har godkänt (VEMGORVAD_SERVICE_ALLOWLIST)."
                               f"\n(Federated query to this endpoint is not allowed.)")

