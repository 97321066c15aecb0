"""The answer body of /api/ask (and `vemgorvad ask --json`), with what a careful reader needs on
every card added beside the engine's fields: the agreement's status, the provisions the duty
rests on with their repeal and today's provision, the county, and a reference to copy. The
engine's own fields, their order and the answers' order are left exactly as they are."""
from __future__ import annotations

import datetime

from ...store import GraphStore
from ..ask.answers import Body
from .facts import Fact, Validity, agreement_status, legal_bases


def section_leaf(section: str | None) -> str:
    """"6. Ansvar > 6.2 Landstingets ansvar" → "6.2 Landstingets ansvar"."""
    return (section or "").split(" > ")[-1].strip()


def reference(title: str, county: str | None, section: str | None, quote: str | None, page: int | None = None,
              status: dict[str, str | None] | None = None) -> str:
    """One line to paste into a note or an e-mail: agreement (county, status), section, page, quote."""
    where = title
    if county and county.replace(" län", "") not in title:
        where += f" ({county})"
    if status and status.get("status") == "upphörd":
        where += f" [{(status['label'] or '').lower()}]"
    parts = [where]
    if section_leaf(section):
        parts.append(f"avsnitt {section_leaf(section)}")
    if page:
        parts.append(f"s. {page}")
    text = ", ".join(parts)
    return f"{text}: ”{quote}”" if quote else text


def _agreement_key(item: Body) -> str | None:
    agreement = item.get("agreement")
    if isinstance(agreement, dict):
        key: str | None = agreement.get("key")
        return key
    return agreement if isinstance(agreement, str) else None


def _decorate(item: Body, validity: dict[str, Validity], laws: dict[str, list[Fact]], today: datetime.date | None
              ) -> None:
    key = _agreement_key(item)
    v = validity.get(key) if key else None
    status = agreement_status(v, today)
    item["agreement_status"] = status
    item["county"] = v.county if v else None
    if item.get("responsibility") in laws:
        item["laws"] = laws[item["responsibility"]]
    elif "responsibility" in item:
        item["laws"] = []
    title = (item.get("agreement") or {}).get("title") if isinstance(item.get("agreement"), dict) else None
    item["reference"] = reference(title or (v.title if v else key or ""), item["county"], item.get("section"),
                                  item.get("quote"), item.get("page"), status)


def cards_of(body: Body) -> list[Body]:
    """Every card-like item of an answer body: answers, the cases of a paired rule, comparison rows,
    the answers of each agreement in force for the place named (some of them the answers' own)."""
    items = list(body.get("answers") or []) + list(body.get("cases") or [])
    for row in (body.get("comparison") or []) + (body.get("in_force") or []):
        items += [a for a in row.get("answers") or [] if all(a is not i for i in items)]
    return items


def _decorate_group(group: Body, validity: dict[str, Validity], today: datetime.date | None) -> None:
    """An agreement in force for the place named: its status and county on the group itself, so a group
    with no answer still says which agreement it is and how long it is valid ("inte reglerat i …")."""
    key = _agreement_key(group)
    v = validity.get(key) if key else None
    group["agreement_status"] = agreement_status(v, today)
    group["county"] = v.county if v else None


def enrich(body: Body, store: GraphStore, validity: dict[str, Validity], today: datetime.date | None = None) -> Body:
    """`body` with the presentation facts added to every card and to every group of agreements in force
    (in place; returns it)."""
    items = cards_of(body)
    laws = legal_bases(store, [i["responsibility"] for i in items if i.get("responsibility")])
    for item in items:
        _decorate(item, validity, laws, today)
    for group in body.get("in_force") or []:
        _decorate_group(group, validity, today)
    return body
