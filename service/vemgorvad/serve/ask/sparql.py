"""The SPARQL the ask engine runs and returns: named queries with their values bound in a VALUES
block of properly serialised RDF terms (pyoxigraph's own), never pasted strings, so the query a
client receives selects exactly the answers it was given."""
from __future__ import annotations

import re
from typing import Protocol

from pyoxigraph import Literal, NamedNode

XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


SELECT_LINE = re.compile(r"^SELECT\b", re.MULTILINE)


class Conditions(Protocol):
    """What the answer query reads of a question (understanding.Interpretation): its ages and duration."""

    @property
    def age_range(self) -> tuple[int, int] | None: ...

    @property
    def days(self) -> int | None: ...


def _int(value: int | None) -> str:
    return "UNDEF" if value is None else str(Literal(str(int(value)), datatype=XSD_INTEGER))


def values_block(variables: list[str], rows: list[list[str]]) -> str:
    head = " ".join(f"?{v}" for v in variables)
    body = " ".join("(" + " ".join(row) + ")" for row in rows)
    return f"VALUES ({head}) {{ {body} }}"


def bind(template: str, block: str) -> str:
    """The block where the template's `#values` line stands (inside its WHERE group)."""
    if "#values" not in template:
        raise ValueError("the query has no #values line")
    return template.replace("#values", block, 1)


def answer_query(template: str, iris: list[str], interp: Conditions) -> str:
    """answer_candidates.rq for these responsibilities in this order, with the question's
    conditions: its age (or age group) and how long the need lasts."""
    low, high = interp.age_range if interp.age_range is not None else (None, None)
    age_to = high if high is not None and high != low else None
    rows = [[str(NamedNode(iri)), _int(low), _int(age_to), _int(interp.days), _int(rank)]
            for rank, iri in enumerate(iris)]
    return bind(template, values_block(["r", "age", "ageTo", "days", "rank"], rows))


def without_parties(template: str) -> str:
    """answer_candidates.rq without its UNION branch between `#parties-begin` and `#parties-end`
    (provisions that bind the agreement's parties together). The engine runs that branch on its own
    (answer_parties.rq, the same patterns after the VALUES block): inside the UNION, Oxigraph evaluates
    it over every provision of the store before joining the VALUES, 50–100 ms a question."""
    lines = template.split("\n")
    begin = next(i for i, line in enumerate(lines) if line.strip().startswith("#parties-begin"))
    end = next(i for i, line in enumerate(lines) if line.strip().startswith("#parties-end"))
    return "\n".join(lines[:begin] + lines[end + 1:])


def unconditioned(template: str) -> str:
    """The answer query (answer_candidates.rq or a part of it) with no VALUES block, as `SELECT DISTINCT ?r`
    around it: every provision it keeps for a question that gives no condition — no candidates listed, the
    conditions' variables unbound, so each FILTER on them passes. The same patterns as a question's query,
    so a provision is in this result exactly when that query, given it without conditions, keeps it."""
    query = bind(template, "")
    select = SELECT_LINE.search(query)
    if select is None:
        raise ValueError("the query has no SELECT line")
    return f"{query[:select.start()]}SELECT DISTINCT ?r WHERE {{\n{query[select.start():]}\n}}\n"


def compare_query(template: str, topic: str) -> str:
    """compare_topic.rq for one topic key."""
    block = values_block(["topic"], [[str(Literal(topic))]])
    if "#values" in template:
        return bind(template, block)
    return template.rstrip() + "\n" + block + "\n"


__all__ = ["Conditions", "answer_query", "bind", "compare_query", "unconditioned", "values_block", "without_parties"]
