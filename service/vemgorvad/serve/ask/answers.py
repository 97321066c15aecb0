"""An answer as the API gives it (CONTRACT.md): the card of one responsibility, the cases of a rule
that depends on a condition the question does not give, one Swedish sentence that sums it up, and
the nearest passages when nothing answers. Ranking lives elsewhere (engine.py, features.py)."""
from __future__ import annotations

from typing import Any

from .index import PERMISSION, Entry, last_body
from .understanding import Interpretation

CASE_LIMIT = 4

#: a JSON object of the API's answer body (CONTRACT.md): fields are added to it on its way out
#: (cards.enrich), so it is not closed
Body = dict[str, Any]


def agreement_ref(key: str, record: dict[str, Any]) -> Body:
    return {"key": key, "title": record.get("title", key), "id": record.get("a")}


def answer_json(e: Entry, agreement: Body, interp: Interpretation, confidence: float) -> Body:
    principal: Body = {"id": e.bearer, "label": e.bearer_label, "kind": e.kind}
    unit: Body | None = {"id": e.unit, "label": e.unit_label} if e.unit else None
    if interp.recipient and e.recipient:
        principal = {"id": e.recipient, "label": e.recipient_label, "kind": e.recipient_kind}
        unit = None
    forum = last_body(e.named) if e.by_naming and (interp.recipient or interp.wants_body) else None
    if forum is not None:   # "vart/till vem går frågan?": the forum the provision sends it to
        principal = {"id": forum.iri, "label": forum.label, "kind": forum.kind}
    return {
        "principal": principal,
        "unit": unit,
        "statement": e.statement,
        "conditions": e.condition_text,
        "agreement": agreement,
        "section": e.section,
        "quote": e.quote,
        "responsibility": e.iri,
        "score": round(confidence, 3),
        "quote_start": e.start,
        "quote_end": e.end,
        "legal_basis": e.legal_basis,
        "kind_of_statement": e.deontic,
        "principal_from": "named" if e.by_naming else "parties" if e.by_parties else "bearer",
    }


def compare_json(e: Entry, agreement: Body) -> Body:
    """A responsibility as a comparison shows it (the fields compare_topic.rq selects)."""
    return {"principal": {"label": e.bearer_label, "kind": e.kind},
            "unit": {"label": e.unit_label} if e.unit_label else None, "statement": e.statement,
            "conditions": e.condition_text, "agreement": agreement, "section": e.section, "quote": e.quote,
            "responsibility": e.iri}


def nearest_json(e: Entry, agreement: Body) -> Body:
    """A passage shown as "närmaste stycken" when nothing answers the question well enough."""
    return {"agreement": agreement, "section": e.section, "quote": e.quote, "provision": e.iri,
            "kind_of_statement": e.deontic}


def _case_key(e: Entry) -> tuple[int | None, int | None, int | None, float | None]:
    return (e.min_age, e.max_age, e.more_than_days, e.cost_share)


def cases_of(top: Entry, answerable: list[Entry], interp: Interpretation) -> list[Body]:
    """The rule's cases when the best answer depends on a condition the question does not give:
    an age limit the question states no age for, a duration it gives no length of, or a cost split.
    The cases are the responsibilities of the same agreement and section (or the same sentence)
    with a condition of the same sort, one per condition."""
    by_age = (top.min_age is not None or top.max_age is not None) and interp.age_range is None
    by_days = top.more_than_days is not None and interp.days is None
    by_share = top.cost_share is not None
    if not (by_age or by_days or by_share):
        return []
    group: list[Entry] = []
    seen: set[tuple[object, ...]] = set()
    for e in [top] + [a for a in answerable if a is not top]:
        if e.agreement != top.agreement or not (e.section == top.section or e.start == top.start):
            continue
        if not ((by_age and (e.min_age is not None or e.max_age is not None))
                or (by_days and e.more_than_days is not None)
                or (by_share and e.cost_share is not None)):
            continue
        key = _case_key(e) + ((e.kind,) if by_share else ())
        if key in seen:
            continue
        seen.add(key)
        group.append(e)
        if len(group) >= CASE_LIMIT:
            break
    if len(group) < 2:
        return []
    group.sort(key=lambda e: (e.min_age or 0, e.max_age if e.max_age is not None else 999,
                              e.more_than_days or 0, -(e.cost_share or 0)))
    return [{"conditions": e.condition_text or _describe(e), "principal": {"id": e.bearer, "label": e.bearer_label,
                                                                          "kind": e.kind},
             "unit": {"id": e.unit, "label": e.unit_label} if e.unit else None,
             "quote": e.quote, "section": e.section, "responsibility": e.iri, "agreement": e.agreement}
            for e in group]


def _describe(e: Entry) -> str:
    if e.min_age is not None and e.max_age is not None:
        return f"{e.min_age}–{e.max_age} år"
    if e.min_age is not None:
        return f"från {e.min_age} år"
    if e.max_age is not None:
        return f"till och med {e.max_age} år"
    if e.more_than_days is not None:
        return f"längre än {e.more_than_days} dagar"
    if e.cost_share is not None:
        return f"{round(e.cost_share * 100)} % av kostnaden"
    return ""


def _who(label: str | None, unit: Body | None) -> str:
    who = (label or "").strip()
    lowered = who[:1].lower() + who[1:] if who and not who.isupper() and not who[1:2].isupper() else who
    return lowered + (f" ({unit['label'].lower()})" if unit and unit.get("label") else "")


def summary_of(top: Entry, cases: list[Body], record: dict[str, Any]) -> str:
    """One Swedish sentence: who is responsible, and under which condition when it depends on one
    ("I Uppsala län ansvarar regionen upp till 21 år, kommunen från 21 år.")."""
    place = record.get("county") or ""
    lead = f"I {place} " if place else ""
    if cases:
        parts = [f"{_who(c['principal']['label'], c['unit'])} {c['conditions']}".strip() for c in cases]
        verb = "står" if top.cost_share is not None else "ansvarar"
        if top.cost_share is not None:   # an optional split ("kan huvudmännen dela på kostnaden …") is no duty
            verb = "kan stå" if top.deontic == PERMISSION else "står"
            return f"{lead}{verb if lead else verb.capitalize()} för kostnaden: " + "; ".join(parts) + "."
        sentence = f"{lead}{verb} " + ", ".join(parts) + "."
        return sentence[0].upper() + sentence[1:]
    who = _who(top.bearer_label, {"label": top.unit_label} if top.unit_label else None)
    condition = f" {top.condition_text}" if top.condition_text else ""
    if top.deontic == PERMISSION:     # what a party may do is no duty of it
        sentence = f"{lead}har {who} befogenhet men ingen skyldighet{condition}." if lead \
            else f"{who[:1].upper() + who[1:]} har befogenhet men ingen skyldighet{condition}."
        return sentence
    if lead:
        return f"{lead}ansvarar {who}{condition}."
    return f"{who[:1].upper() + who[1:]} ansvarar{condition}."


__all__ = ["agreement_ref", "answer_json", "cases_of", "nearest_json", "summary_of"]
