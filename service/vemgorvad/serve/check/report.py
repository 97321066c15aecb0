"""The gap report for an uploaded agreement (CONTRACT.md, POST /api/check).

The upload goes through the very same pipeline as every agreement of the build (pipeline.py:
ingest → extract → graph → rules → validate), into a temporary graph validated with the integrity
shapes; then the completeness shapes and the comparison with the agreements already in the graph
(peer practice) are what the gap check adds."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from ...extract.actors import find_mentions, find_subject
from ...extract.citations import current_equivalent, law_table
from ...extract.citations.resolve import Citation, Provision
from ...extract.coverage import Passage, TopicStatus, statuses
from ...extract.duties import duty_strength
from ...extract.kinds import Recognised, law_kinds, other_kind_message, recognise
from ...extract.lexicon import phrase
from ...extract.metadata import Metadata
from ...extract.model import Extraction
from ...extract.parties import Party
from ...extract.sentences import split_sentences, units_of
from ...ingest.document import Document
from ...peers import Peers, fingerprint
from ...pipeline import process
from ...validate.completeness import Requirement, Result, check_agreement, requirements, together

UPLOAD_KEY = "uppladdad"
PEER_MIN = 3
MAX_UNASSIGNED = 8
MAX_MODELS = 2

#: the body of POST /api/check (CONTRACT.md) and one finding in it: JSON objects
Report = dict[str, Any]
Finding = dict[str, Any]


#: The longest text a gap check takes: four times the longest of the agreements (75,000 characters),
#: so that every check finishes well within its time limit on a busy machine; a longer text gets a
#: 413 at once (the 10 MB limit is for the file: a PDF or DOCX holds far less text than its size).
MAX_CHECK_CHARS = 300_000


def check(data: bytes, filename: str, peers: Peers, today: date | None = None) -> Report:
    today = today or date.today()
    result = process(data, filename, UPLOAD_KEY, max_chars=MAX_CHECK_CHARS)
    doc, extraction, meta, shacl = result.doc, result.extraction, result.metadata, result.shacl
    found = statuses(doc, extraction, meta.party_details, result.reading)
    covered = {t for t, s in found.items() if s.status == "covered"}
    referenced = {t for t, s in found.items() if s.status == "referenced"}
    kind = recognise(doc.text, meta.title or "", {t: s.status for t, s in found.items()})
    law = kind.kind.key in law_kinds()
    agreement_iri = f"https://w3id.org/vemgorvad/id/agreement/{UPLOAD_KEY}"
    completeness, _, results = check_agreement(agreement_iri, covered, referenced, kind.kind.key)
    own = fingerprint(doc.text)   # once: with 300 peers, once per peer was seconds of a check
    same = {k for k, fp in peers.fingerprints.items() if fp == own}
    peer_keys = peers.keys - same
    applying = [r for r in requirements() if kind.kind.key in r.kinds]
    findings: list[Finding] = []
    findings += _requirement_findings(results, found, doc)
    findings += [] if law else [_other_kind(kind)]
    findings += _peer_findings(found, peers, peer_keys, applying) if law else []
    findings += _repealed(extraction, doc)
    findings += [_located(doc, f, None) for f in _validity(meta, today)] if "giltighetstid" in covered else []
    findings += _unassigned(doc, extraction, meta.party_details)
    order = {"violation": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f["severity"]], f["code"]))
    return {
        "agreement": {"title": meta.title, "parties": meta.parties,
                      "party_details": [p.as_dict() for p in meta.party_details],
                      "valid_from": meta.valid_from, "valid_to": meta.valid_to,
                      "kind": {**kind.as_dict(law), "summary": _kind_summary(kind, law)}},
        "topics": _topics(found, peers, peer_keys, doc, applying),
        "findings": findings,
        "shacl": {"conforms": shacl.conforms and completeness.violations == 0,
                  "results": shacl.violations + completeness.violations + completeness.warnings,
                  "violations": shacl.violations + completeness.violations,
                  "warnings": completeness.warnings},
        "summary": {"responsibilities": len(extraction.responsibilities), "clauses": len(extraction.clauses),
                    "citations": len(extraction.citations), "peers": len(peer_keys)},
    }


def _kind_summary(kind: Recognised, law: bool) -> str:
    """One Swedish sentence at the top of the report: what kind of agreement this is and why."""
    label = kind.kind.name["sv"]
    if kind.assumed:
        return (f"Texten säger inte tydligt vad slags överenskommelse den är; den granskas som "
                f"{kind.kind.article} {label}.")
    why = ", ".join(f"”{w}”" for w in kind.words[:3])
    because = f" (den talar om {why})" if why else ""
    if law:
        return f"Granskas som {kind.kind.article} {label}{because}, mot det som {kind.kind.basis_text()} kräver."
    return (f"Granskas som {kind.kind.article} {label}{because}. Jämförelsen med andra överenskommelser "
            f"i tjänsten görs inte: de är av ett annat slag.")


def _other_kind(kind: Recognised) -> Finding:
    return {"severity": "info", "code": "other-kind", "kind": kind.kind.key,
            "message": other_kind_message(kind), "quote": None}


def _requirement_for(topic: str, applying: list[Requirement]) -> Requirement | None:
    return next((r for r in applying if topic in r.topics), None)


def _where(doc: Document, passage: Passage) -> Finding:
    """A passage as the report quotes it: its words, its section, and its page in a PDF."""
    return {**_position(doc, passage.start), "quote": passage.quote}


def _position(doc: Document, start: int | None) -> Finding:
    """Where in the upload an offset of its text stands: the section's path, and the page of a PDF."""
    if start is None or start < 0:
        return {}
    section = doc.section_at(start)
    item: Finding = {"section": doc.section_path(section) if section is not None else ""}
    page = doc.page_at(start)
    if page is not None:
        item["page"] = page
    return item


def _located(doc: Document, finding: Finding, start: int | None) -> Finding:
    """A finding with where it stands in the upload (for a quote found in the text)."""
    if start is None and finding.get("quote"):
        start = doc.text.find(finding["quote"])
    return {**finding, **_position(doc, start)}


def _topics(found: dict[str, TopicStatus], peers: Peers, peer_keys: set[str], doc: Document,
            applying: list[Requirement]) -> list[Finding]:
    rows = []
    for topic, label in sorted(peers.labels.items()):
        requirement = _requirement_for(topic, applying)
        peer_count = len(peers.topics.get(topic, set()) & peer_keys)
        if requirement is not None and requirement.basis:
            basis = requirement.basis_text()
        else:
            basis = f"{peer_count} av {len(peer_keys)} överenskommelser reglerar detta"
        status = found.get(topic)
        rows.append({
            "topic": topic, "label": label, "status": status.status if status else "missing",
            "requirement": "law" if requirement is not None and requirement.kind == "law" else "recommended",
            "basis": basis,
            "evidence": [_where(doc, p) for p in status.regulating[:2]] if status else [],
            "references": [{**_where(doc, p), "refers_to": p.refers_to} for p in status.referencing[:2]]
            if status and status.status == "referenced" else [],
            "mentions": [{**_where(doc, p), "why": p.why} for p in status.mentioning[:2]]
            if status and status.status == "mentioned" else [],
            "peers": {"covered": peer_count, "total": len(peer_keys)},
            "models": [m for m in peers.models.get(topic, []) if m["agreement"] in peer_keys][:MAX_MODELS]
            if not status or status.status in ("missing", "mentioned") else [],
        })
    return rows


def _requirement_findings(results: list[Result], found: dict[str, TopicStatus], doc: Document) -> list[Finding]:
    """The requirement findings: one per result of the completeness shapes' validation (a
    requirement of this kind not met, or requirements the law states together met only in part)."""
    findings = []
    by_id = {r.id: r for r in requirements()}
    rules = {t.code: t for t in together()}
    for result in results:
        if result.shape in by_id:
            r = by_id[result.shape]
            findings.append({"severity": result.severity, "code": "missing-requirement", "requirement": r.id,
                             "requirement_kind": r.kind, "topic": r.topics[0],
                             "message": result.message + (f" Grund: {r.basis_text()}." if r.basis else ""),
                             "basis": r.basis_text(), "sources": [b.source for b in r.basis if b.source],
                             "quote": None})
        elif result.shape in rules:
            rule = rules[result.shape]
            shown = next((found[t].regulating[0] for i in rule.requirements for t in by_id[i].topics
                          if t in found and found[t].regulating), None)
            finding: dict[str, Any] = {"severity": result.severity, "code": rule.code, "requirement_kind": "law",
                       "message": f"{result.message} Grund: {rule.basis_text()}.", "basis": rule.basis_text(),
                       "quote": None}
            if shown is not None:
                finding.update(_where(doc, shown))
            findings.append(finding)
    return findings


def _peer_findings(found: dict[str, TopicStatus], peers: Peers, peer_keys: set[str],
                   applying: list[Requirement]) -> list[Finding]:
    """Topics most peers regulate that this text does not: missing, or only named. A topic the text
    refers to another document is regulated there, so peer practice has nothing to add."""
    findings = []
    required = {t for r in applying for t in r.topics}
    for topic, label in sorted(peers.labels.items()):
        count = len(peers.topics.get(topic, set()) & peer_keys)
        status = found[topic].status if topic in found else "missing"
        if status in ("covered", "referenced") or topic in required or count < PEER_MIN:
            continue
        here = "men inte den här" if status == "missing" else "den här nämner det bara"
        findings.append({"severity": "warning", "code": "peer-practice", "topic": topic,
                         "message": f"{label}: {count} av {len(peer_keys)} överenskommelser reglerar detta, "
                                    f"{here}.", "peers": {"covered": count, "total": len(peer_keys)},
                         "quote": None})
    return findings


def _repealed(extraction: Extraction, doc: Document) -> list[Finding]:
    """Every citation of a repealed law or provision, once, with where the rule stands today."""
    findings: list[Finding] = []
    seen: set[tuple[str, str | None]] = set()
    footnote_texts = {f.text for f in doc.footnotes.values()}
    for citation in extraction.citations:
        if citation.sfs is None:    # an unresolved name: no law to look up
            continue
        key = citation.sfs if citation.series == "SFS" else f"{citation.series} {citation.sfs}"
        law = law_table().get(key)
        if law is None or not law.repealed_by:
            continue
        provisions: list[Provision | None] = [*citation.provisions] or [None]
        for provision in provisions:
            ident = (key, provision.key if provision else None)
            if ident in seen:
                continue
            seen.add(ident)
            equivalent, verified = current_equivalent(citation, provision)
            equivalent = _named_laws(equivalent)
            cited = f"{provision.key + ' ' if provision else ''}{law.abbr} ({key})"
            note = "" if verified is not False else " (uppgiften om motsvarigheten är inte verifierad)"
            findings.append(_located(doc, {
                "severity": "warning", "code": "repealed-law",
                "message": f"Hänvisar till upphävd lag: {cited}, upphävd {law.repealed_on}. "
                           f"Motsvaras i dag av {equivalent}{note}.",
                "cited": cited, "current": equivalent, "verified": verified,
                "quote": _sentence_around(doc, citation, footnote_texts)}, citation.start))
    return findings


def _named_laws(text: str | None) -> str | None:
    """"SFS 2017:30 16 kap. 4 §" → "HSL (2017:30) 16 kap. 4 §": each SFS number the law table
    knows is named by its abbreviation, as the agreements and the requirements cite laws."""
    if not text:
        return text
    table = law_table()

    def name(match: re.Match[str]) -> str:
        law = table.get(match.group(1))
        return f"{law.abbr} ({match.group(1)})" if law is not None else match.group(0)
    return re.sub(r"\b(?:SFS|[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,4}) ((?:19|20)\d\d:\d{1,4})\b(?! ?\))", name, text)


def _sentence_around(doc: Document, citation: Citation, footnote_texts: Iterable[str]) -> str:
    """The sentence of the text a citation stands in (or its footnote's text)."""
    text = doc.text
    if text[citation.start:citation.end].strip() != citation.text:
        match = next((t for t in footnote_texts if citation.text in t), None)
        return match or citation.text
    line_start = text.rfind("\n", 0, citation.start) + 1
    line_end = text.find("\n", citation.end)
    line_end = len(text) if line_end == -1 else line_end
    for start, end in split_sentences(text[line_start:line_end], line_start):
        if start <= citation.start < end:
            return text[start:end]
    return text[line_start:line_end]


def _validity(meta: Metadata, today: date) -> list[Finding]:
    if meta.valid_to:
        if meta.valid_to < today.isoformat():
            if meta.extends:
                return [{"severity": "info", "code": "validity-extended",
                         "message": f"Avtalstiden gick ut {meta.valid_to}, men enligt texten förlängs överenskommelsen; "
                                    f"kontrollera att den inte har sagts upp.", "quote": meta.validity_quote}]
            return [{"severity": "warning", "code": "expired",
                     "message": f"Överenskommelsens giltighetstid gick ut {meta.valid_to}.", "quote": meta.validity_quote}]
        return []
    if meta.valid_from or meta.open_ended:
        return []
    return [{"severity": "warning", "code": "validity-missing",
             "message": "Det framgår inte från när eller hur länge överenskommelsen gäller.", "quote": None}]


def _unassigned(doc: Document, extraction: Extraction, parties: list[Party] | None = None) -> list[Finding]:
    """Duties stated without anyone to carry them: "det ska säkerställas att …", "planen ska upprättas".
    Extraction keeps a sentence only when it names a topic or a bearer, so a subjectless duty on
    no known topic is looked for among the sentences no clause took. A sentence that opens with a
    party's name or the name the text gives it ("Vårdgivaren ska …", nedan kallad vårdgivaren) has
    its bearer."""
    named = tuple(n.lower() for p in (parties or []) for n in (p.name, p.alias) if n)
    # a duty without a subject ("Det ska säkerställas att …") and one without an agent
    expletive, impersonal = phrase("expletive_duty", "^"), phrase("impersonal_duty")
    found = [(c.own_start, c.quote) for c in extraction.clauses
             if c.bearer is None and c.unit_kind == "sentence" and c.strength >= 1.0 and impersonal.search(c.text)]
    claimed = {c.own_start for c in extraction.clauses}
    for unit in units_of(doc):
        if unit.kind != "sentence" or unit.start in claimed:
            continue
        text = doc.text[unit.start:unit.end]
        if expletive.match(text) and duty_strength(text) >= 1.0 and not find_subject(text, find_mentions(text))[0]:
            found.append((unit.start, text))
    found = [(start, quote) for start, quote in found if not quote.lower().startswith(named or ("\0",))]
    return [_located(doc, {"severity": "info", "code": "duty-without-bearer",
                           "message": "En skyldighet utan någon som ska utföra den: det framgår inte vem som ansvarar.",
                           "quote": quote}, start) for start, quote in sorted(found)[:MAX_UNASSIGNED]]
