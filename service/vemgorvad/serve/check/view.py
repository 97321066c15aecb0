"""The gap report as a reader sees it: the JSON of POST /api/check arranged for the HTML, PDF,
DOCX and text renderings (documents.py, cli.py), so every format says the same in the same order.

Findings fall in four groups, each under its own heading: breaches of what the law requires
("Brister mot lagen"), departures from recommended and peer practice ("Avvikelser från praxis" —
never called a requirement), points of quality to look over (a repealed law, a duty without anyone
to carry it, an expired validity), and information. Topics are listed by status: what is missing
first, then what is only mentioned or referred elsewhere, then what the agreement regulates.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

STATUS_LABELS = {
    "missing": "Saknas",
    "mentioned": "Nämns men regleras inte",
    "referenced": "Hänvisas till annat dokument",
    "covered": "Regleras",
}
STATUS_ORDER = ("missing", "mentioned", "referenced", "covered")
GROUPS = (
    ("law", "Brister mot lagen",
     "Det lagen kräver att en överenskommelse av det här slaget reglerar, men som inte regleras här."),
    ("practice", "Avvikelser från praxis",
     "Det som rekommenderas eller som de flesta andra överenskommelser reglerar. Inga lagkrav."),
    ("quality", "Att se över",
     "Hänvisningar till upphävda lagar, skyldigheter utan någon som ska utföra dem och annat att rätta."),
    ("info", "Att känna till", "Upplysningar som inte kräver någon ändring."),
)
PARTY_KINDS = {"kommun": "kommun", "region": "region", "other": "varken kommun eller region"}
PRACTICE_CODES = {"peer-practice", "missing-recommendation"}
QUALITY_CODES = {"repealed-law", "duty-without-bearer", "expired", "validity-missing", "validity-extended"}


def _text(value: Any) -> str:
    """A value shown as text: strings and numbers as they are, anything else (a report sent back
    by a client may hold anything) as nothing."""
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [dict(x) for x in value if isinstance(x, Mapping)] if isinstance(value, list) else []


def _plain(item: Mapping[str, Any]) -> dict[str, Any]:
    """An evidence, finding or model entry with every value as text."""
    return {k: _text(v) for k, v in item.items()}


def group_of(finding: Mapping[str, Any]) -> str:
    """Which of GROUPS a finding belongs to: its own `group`, else from its severity and code."""
    group = finding.get("group")
    if group in {g for g, *_ in GROUPS}:
        return cast(str, group)
    code, severity = finding.get("code", ""), finding.get("severity", "info")
    if severity == "violation":
        return "law"
    if code in PRACTICE_CODES or (code == "missing-requirement" and finding.get("requirement_kind") != "law"):
        return "practice"
    if code in QUALITY_CODES or severity == "warning":
        return "quality"
    return "info"


def where(item: Mapping[str, Any]) -> str:
    """"avsnitt 4.2 Tvister, sidan 7": where in the upload a quote or finding stands."""
    parts = []
    if item.get("section"):
        parts.append(f"avsnitt {item['section']}")
    if item.get("page"):
        parts.append(f"sidan {item['page']}")
    return ", ".join(parts)


def _parties(agreement: Mapping[str, Any]) -> list[dict[str, str]]:
    details = _dicts(agreement.get("party_details"))
    if details:
        return [{"name": _text(p.get("name")), "kind": PARTY_KINDS.get(_text(p.get("kind")), ""),
                 "role": _text(p.get("role"))} for p in details]
    names: list[Any] = found if isinstance(found := agreement.get("parties"), list) else []
    return [{"name": _text(name), "kind": "", "role": ""} for name in names]


def view(report: Mapping[str, Any], filename: str = "") -> dict[str, Any]:
    """The report arranged for reading (see the module docstring)."""
    agreement: Mapping[str, Any] = found if isinstance(found := report.get("agreement"), Mapping) else {}
    findings = [_plain(f) for f in _dicts(report.get("findings"))]
    groups = []
    for key, heading, lead in GROUPS:
        members = [dict(f, where=where(f)) for f in findings if group_of(f) == key]
        groups.append({"key": key, "heading": heading, "lead": lead, "findings": members})
    rows = []
    for t in _dicts(report.get("topics")):
        status = _text(t.get("status")) if t.get("status") in STATUS_ORDER else "missing"
        rows.append({
            "topic": _text(t.get("topic")), "label": _text(t.get("label")) or _text(t.get("topic")),
            "status": status, "status_label": STATUS_LABELS[status], "requirement": _text(t.get("requirement")),
            "requirement_label": "lagkrav" if t.get("requirement") == "law" else "praxis",
            "basis": _text(t.get("basis")),
            **{part: [dict(e, where=where(e)) for e in map(_plain, _dicts(t.get(part)))]
               for part in ("evidence", "references", "mentions")},
            "models": [_plain(m) for m in _dicts(t.get("models"))],
        })
    rows.sort(key=lambda t: (STATUS_ORDER.index(t["status"]), t["requirement"] != "law", t["label"]))
    topics = rows
    kind = _plain(agreement["kind"]) if isinstance(agreement.get("kind"), Mapping) else None
    counts = {status: sum(1 for t in topics if t.get("status") == status) for status in STATUS_ORDER}
    shacl: Mapping[str, Any] = given if isinstance(given := report.get("shacl"), Mapping) else {}
    return {
        "title": _text(agreement.get("title")) or "Överenskommelse utan titel",
        "filename": filename,
        "parties": _parties(agreement),
        "valid_from": _text(agreement.get("valid_from")),
        "valid_to": _text(agreement.get("valid_to")),
        "kind": kind,
        "groups": groups,
        "topics": rows,
        "counts": counts,
        "status_labels": STATUS_LABELS,
        "models": [r for r in rows if r["models"] and r.get("status") != "covered"],
        "law_breaches": len(groups[0]["findings"]),
        "shacl": {"conforms": shacl.get("conforms") is True, "results": _text(shacl.get("results")) or "0"},
    }
