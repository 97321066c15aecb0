"""`vemgorvad ask`: the same answer as GET /api/ask, from the local build, printed for a person
(Swedish) or as the exact JSON body (--json)."""
from __future__ import annotations

import json
import sys
from typing import Any

from ...safe_text import for_terminal, json_for_terminal
from ...store import open_store
from ..present.cards import enrich
from ..present.facts import agreement_validity
from .engine import AskEngine
from .understanding import validate_question


def run_ask(question: str, agreement: str | None, as_json: bool) -> int:
    try:
        question = validate_question(question)
    except ValueError as err:
        print(f"vemgorvad: {err}", file=sys.stderr)
        return 2
    engine = AskEngine(open_store())
    if agreement and agreement not in engine.index.agreements:
        print(f"vemgorvad: okänd överenskommelse {for_terminal(repr(agreement))}; giltiga: {', '.join(engine.agreement_keys())}",
              file=sys.stderr)
        return 2
    body = enrich(engine.ask(question, agreement), engine.store, agreement_validity(engine.store))
    if as_json:
        print(json_for_terminal(json.dumps(body, ensure_ascii=False)))
        return 0
    print(for_terminal(render(body)))
    return 0


def render(body: dict[str, Any]) -> str:
    if body["status"] == "not_covered" or not body["answers"]:
        return "Inte reglerat i överenskommelsen." + (f" ({body['reason']})" if body.get("reason") else "")
    lines = []
    if body["status"] == "ambiguous":
        lines.append("Frågan kan gälla flera områden; bästa svaret först.")
    for n, a in enumerate(body["answers"][:3], 1):
        who = a["principal"]["label"] + (f" – {a['unit']['label']}" if a.get("unit") else "")
        lines.append(f"{n}. {who} ({a['principal']['kind']})")
        if a.get("conditions"):
            lines.append(f"   Villkor: {a['conditions']}")
        lines.append(f"   {a['agreement']['title']}, {a['section']}")
        lines.append(f"   ”{a['quote']}”")
    lines += _in_force_lines(body)
    return "\n".join(lines)


LEVELS = {"county": "länsgemensam", "local": "lokal"}


def _in_force_lines(body: dict[str, Any]) -> list[str]:
    """Every agreement in force for the place named, as the page shows them: name, level, validity,
    and how many answers it has — or that it does not regulate the question."""
    groups = body.get("in_force") or []
    if not groups:
        return []
    place = ((body.get("interpretation") or {}).get("place") or {}).get("label")
    lines = [f"Överenskommelser som gäller{f' för {place}' if place else ''}:"]
    for g in groups:
        title = (g.get("agreement") or {}).get("title", "")
        status = (g.get("agreement_status") or {}).get("label")
        about = ", ".join(x for x in (LEVELS.get(g.get("level", ""), ""), status) if x)
        answers = g.get("answers") or []
        what = f"{len(answers)} svar" if answers else f"inte reglerat i {title}"
        lines.append(f"- {title} ({about}): {what}")
    return lines
