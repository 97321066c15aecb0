"""Facts shown on an answer card that the ranking does not need: the agreement's status on a given
day (from its validity period and prolongation in the graph) and the status of each provision a
responsibility rests on (repealed or not, and today's provision from data/laws.json)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

from ...extract.citations.resolve import LawInfo, Provision, law_table
from ...graph.terms import law_iri
from ...store import GraphStore
from ...store.base import Binding, bound
from ..named_queries import MAX_VALUES, run_named

PROLONGATION_NOTES = {
    "automatic": "Enligt texten förlängs överenskommelsen automatiskt om ingen part säger upp den. "
                 "Kontrollera att den fortfarande gäller.",
    "decision": "Överenskommelsen har förlängts genom beslut. Kontrollera vilken version som gäller.",
}


#: a provision a responsibility rests on: id, label, repealed, and for a repealed one
#: repealed_on, replaced_by and today (where the rule stands now)
Fact = dict[str, str | bool | None]


@dataclass(frozen=True)
class Validity:
    key: str
    title: str
    county: str | None
    valid_from: str | None
    valid_to: str | None
    prolongation: str | None


def _value(binding: Binding | None) -> str | None:
    return None if binding is None else binding.value


def agreement_validity(store: GraphStore) -> dict[str, Validity]:
    """Every agreement's validity period, by key (one query; memoise it per store)."""
    _, rows = run_named(store, "agreement_validity")
    return {bound(row, "agreement"): Validity(bound(row, "agreement"), bound(row, "title"), _value(row.get("county")),
                                             _value(row.get("validFrom")), _value(row.get("validTo")),
                                             _value(row.get("prolongation"))) for row in rows}


def agreement_status(v: Validity | None, today: datetime.date | None = None) -> dict[str, str | None]:
    """`gällande`, `upphörd` (its end date has passed) or `okänd` (the text gives no period), with
    a Swedish label and, for an ended agreement that says it is prolonged, what to check."""
    today_iso = (today or datetime.date.today()).isoformat()
    if v is None:
        return {"status": "okänd", "label": "Giltighetstid okänd", "valid_from": None, "valid_to": None}
    status: dict[str, str | None] = {"valid_from": v.valid_from, "valid_to": v.valid_to}
    if v.valid_to and v.valid_to < today_iso:
        status |= {"status": "upphörd", "label": f"Upphörd {v.valid_to}"}
        if v.prolongation in PROLONGATION_NOTES:
            status["note"] = PROLONGATION_NOTES[v.prolongation]
    elif v.valid_from and v.valid_from > today_iso:
        status |= {"status": "ej trätt i kraft", "label": f"Gäller från {v.valid_from}"}
    elif v.valid_to:
        status |= {"status": "gällande", "label": f"Gällande till {v.valid_to}"}
    elif v.valid_from:
        status |= {"status": "gällande", "label": f"Gällande sedan {v.valid_from}, tills vidare"}
    else:
        status |= {"status": "okänd", "label": "Giltighetstid anges inte"}
    return status


@cache
def _laws_by_iri() -> dict[str, LawInfo]:
    return {law_iri(info.series, info.sfs).value: info for info in law_table().values()}


def _today_for(law: LawInfo | None, chapter: str | None, paragraph: str | None, successor: str | None) -> str | None:
    """Where the cited rule stands today: the provision's entry in data/laws.json (in Swedish where
    it has one), else the law that replaced the cited one."""
    if law is not None and paragraph:
        entry = law.provisions.get(Provision(chapter, paragraph).key)
        if entry:
            return entry.get("current_equivalent_sv") or entry.get("current_equivalent")
    return successor


def legal_bases(store: GraphStore, responsibilities: list[str]) -> dict[str, list[Fact]]:
    """The provisions each responsibility rests on, each with its repeal and today's provision. The
    named query takes at most MAX_VALUES responsibilities at a time: a page of /api/compare at
    N = 300 shows up to 150 (50 agreements, 3 each) and failed with "Högst 100 värden"."""
    if not responsibilities:
        return {}
    wanted = sorted(set(responsibilities))
    rows = []
    for start in range(0, len(wanted), MAX_VALUES):   # a responsibility's rows all come in its own batch
        _, batch = run_named(store, "legal_basis_status", responsibility=wanted[start:start + MAX_VALUES])
        rows += batch
    found: dict[str, dict[str, Fact]] = {}
    laws = _laws_by_iri()
    for row in rows:
        r, basis = bound(row, "responsibility"), bound(row, "basis")
        label = _value(row.get("label")) or _value(row.get("lawLabel")) or basis
        repealed_on = _value(row.get("repealedOn"))
        fact: Fact = {"id": basis, "label": label, "repealed": repealed_on is not None}
        if repealed_on is not None:
            successor = _value(row.get("repealedByLabel"))
            fact |= {"repealed_on": repealed_on, "replaced_by": successor,
                     "today": _today_for(laws.get(bound(row, "law")), _value(row.get("chapter")),
                                         _value(row.get("paragraph")), successor)}
        found.setdefault(r, {}).setdefault(basis, fact)
    return {r: list(facts.values()) for r, facts in found.items()}
