"""The comparison: one row per agreement, each made by the same engine as "Fråga" — the row for an
agreement is what asking the same question with that agreement chosen gives. A topic is compared
through the question "Vem ansvarar för <topic>?", which the page shows, so the two never disagree."""
from __future__ import annotations

import datetime

from ...store import GraphStore
from ..ask.answers import Body
from ..ask.engine import AskEngine
from .cards import enrich
from .facts import Validity, agreement_status

ROW_ANSWERS = 3


def topic_question(label: str) -> str:
    """The question a topic is compared by: "Tandvård" → "Vem ansvarar för tandvård?"."""
    keep_case = len(label) > 1 and label[:2].isupper()   # an abbreviation such as "SIP" or "LVM"
    return f"Vem ansvarar för {label if keep_case else label[:1].lower() + label[1:]}?"


def compare(engine: AskEngine, question: str, store: GraphStore, validity: dict[str, Validity], today: datetime.date | None = None,
            topic: str | None = None, label: str | None = None, keys: list[str] | None = None) -> Body:
    """`keys`: the agreements of one page (all when not given)."""
    rows: list[Body] = []
    for key, body in engine.ask_many(question, engine.agreement_keys() if keys is None else keys).items():
        answers = body.get("answers") or []
        record = engine.index.agreements.get(key, {})
        row: Body = {
            "agreement": {"key": key, "title": record.get("title", key), "id": record.get("a")},
            "county": record.get("county"),
            "agreement_status": agreement_status(validity.get(key), today),
            "status": "reglerat" if answers else "inte reglerat",
            "regulated": bool(answers),
            "answer_status": body.get("status"),
            "summary": body.get("summary"),
            "answers": answers[:ROW_ANSWERS],
            "more": max(0, len(answers) - ROW_ANSWERS),
        }
        if body.get("cases"):
            row["cases"] = body["cases"]
        if not answers and body.get("reason"):
            row["reason"] = body["reason"]
        rows.append(row)
    # every row's cards decorated at once: one legal-basis query for the page, not one per agreement
    enrich({"answers": [a for row in rows for a in row["answers"]],
            "cases": [c for row in rows for c in row.get("cases") or []]}, store, validity, today)
    return {"question": question, "topic": topic, "label": label, "agreements": rows}
