"""Extraction measured against the annotated units (tests/data/annotations/<agreement>.jsonl), as
the graph shows it to any client: the responsibilities are read with CONTRACT's query shape from a
build's dataset.nq, and matched to each annotated unit by quote overlap (textmatch.overlaps).

- recall: of the units annotated as responsibilities (obligation or recommendation), the share
  some extracted responsibility quotes;
- precision: of the units some extracted responsibility quotes, the share annotated as
  responsibilities;
- bearer kind: of the annotated responsibilities found, the share whose extracted bearer kind is
  the annotated one (no bearer kind = unspecified; a cost split into a municipal and a regional
  share = kommun+region). Every responsibility whose quote overlaps the unit counts, as an outside
  scorer matching by quote overlap alone would count it — the figure comparable across sessions and
  with the issue's judge;
- bearer kind, of unit: the same share over the responsibilities that quote the unit's own
  sentence, by quote alone (of_unit): the annotation guideline's unit is one sentence or one list
  item (section 1), so a responsibility quoting another sentence that shares a phrase with it
  ("hur hälso- och sjukvårdsinsatser ska tillgodoses" beside "VGR ansvarar för hälso- och
  sjukvårdsinsatser.") or differs from it only in its subject (parallel sentences "Socialtjänsten har
  ett ansvar att kalla till SIP …", "Den regionala hälso- och sjukvården har ett ansvar att kalla till
  SIP …") is that other unit's. Every overlapping responsibility counts only when none quotes the
  unit's sentence (the extraction cut it otherwise);
- bearer kind, own quote: the same share when, besides, the same words in two lists are told apart
  by the unit's list introduction (the guideline's section 4.2, `intro`). The gaps between the three
  are the matcher's, not the extraction's.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from .sample_units import batch_of
from .textmatch import overlaps, squash

ANNOTATIONS = Path(__file__).resolve().parents[1] / "data" / "annotations"
RESPONSIBILITY = {"obligation", "recommendation"}

QUERY = """
PREFIX vg: <https://w3id.org/vemgorvad/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?r ?key ?kind ?quote ?intro WHERE {
  ?r a vg:Responsibility ; vg:agreement/dcterms:identifier ?key ;
     vg:evidence/oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?r vg:bearerKind/skos:notation ?kind }
  OPTIONAL { ?r vg:listIntroduction ?intro }
}"""


CLASSES = ("obligation", "recommendation", "permission", "description")
CLASS_QUERY = """
PREFIX vg: <https://w3id.org/vemgorvad/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?key ?type ?quote WHERE {
  ?c a vg:Clause ; a ?type ; vg:agreement/dcterms:identifier ?key ; vg:evidence/oa:hasSelector/oa:exact ?quote .
  VALUES ?type { vg:Obligation vg:Prohibition vg:Recommendation vg:Permission vg:Description }
}"""


def annotated_units(split: str | None = None, agreements: set[str] | None = None,
                    batch: str | None = None) -> list[dict]:
    """The annotated units (files other than the draw and the second annotator's second-annotator*.jsonl),
    of one split and, when given, one draw (tests/eval/sample_units.py: FIRST_BATCH or a later batch)."""
    rows = []
    for path in sorted(ANNOTATIONS.glob("*.jsonl")):
        if path.stem == "units" or path.stem.startswith("second-annotator"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if "class" in row and (split is None or row["split"] == split) and \
                        (agreements is None or row["agreement"] in agreements) and \
                        (batch is None or batch_of(row) == batch):
                    rows.append(row)
    return rows


def extracted(dataset: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """Agreement key → (responsibility IRI, bearer kind or 'unspecified', quote, list introduction or
    '') from a dataset dump."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
    result: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    seen = set()
    for solution in store.query(QUERY, use_default_graph_as_union=True):
        iri = solution["r"].value
        kind = solution["kind"].value if solution["kind"] is not None else "unspecified"
        if (iri, kind) in seen:
            continue
        seen.add((iri, kind))
        intro = solution["intro"].value if solution["intro"] is not None else ""
        result[solution["key"].value].append((iri, kind, solution["quote"].value, intro))
    return result


def classes(dataset: Path) -> dict[str, list[tuple[str, str]]]:
    """Agreement key → (deontic class, quote) of every clause the graph shows (a prohibition counts as
    the obligation to refrain, as the guideline annotates it; a unit the graph shows no clause for is
    a description)."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for solution in store.query(CLASS_QUERY, use_default_graph_as_union=True):
        name = solution["type"].value.rsplit("#", 1)[-1].lower()
        result[solution["key"].value].append(("obligation" if name == "prohibition" else name, solution["quote"].value))
    return result


def class_of(unit: dict, clauses: list[tuple[str, str]]) -> str:
    """The class the graph gives a unit: the strongest of the clauses quoting exactly its text, or of
    those whose quotes overlap it when none does; description when none does."""
    text = squash(unit["text"])
    matched = [c for c, q in clauses if overlaps(q, unit["text"])]
    exact = [c for c, q in clauses if squash(q) == text]
    return min(exact or matched, key=CLASSES.index, default="description")


def class_figures(units: list[dict], clauses: dict[str, list[tuple[str, str]]]) -> tuple[dict[str, float | int], list[str]]:
    """Per deontic class, precision and recall of the class the graph gives each annotated unit
    (`<class>_p`, `<class>_r`, and `<class>_n` units annotated so), and every unit whose class differs."""
    pairs = [(u, u["class"], class_of(u, clauses.get(u["agreement"], []))) for u in units]
    figures: dict[str, float | int] = {}
    ratio = lambda a, b: round(a / b, 3) if b else float("nan")
    for cls in CLASSES:
        gold = sum(g == cls for _, g, _ in pairs)
        got = sum(x == cls for _, _, x in pairs)
        both = sum(g == x == cls for _, g, x in pairs)
        figures.update({f"{cls}_n": gold, f"{cls}_p": ratio(both, got), f"{cls}_r": ratio(both, gold)})
    wrong = [f"CLASS {u['id']} gold={g} got={x} {u['text'][:90]}" for u, g, x in pairs if g != x]
    return figures, wrong


def _kind_of(kinds: set[str]) -> str:
    """The bearer kind the graph gives a unit: a cost split into shares of both principals is
    kommun+region; several other kinds for one unit are a wrong answer, shown joined."""
    if kinds == {"kommun", "region"}:
        return "kommun+region"
    return "+".join(sorted(kinds)) if len(kinds) > 1 else next(iter(kinds))


@dataclass
class Score:
    gold: int = 0          # annotated responsibilities
    found: int = 0         # … quoted by some extracted responsibility
    quoted: int = 0        # units quoted by some extracted responsibility
    quoted_true: int = 0   # … that are annotated responsibilities
    kind_right: int = 0
    kind_right_unit: int = 0  # … over the responsibilities quoting the unit's own sentence
    kind_right_own: int = 0   # … with the unit's own responsibility told from merely overlapping ones
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "found", "quoted", "quoted_true", "kind_right", "kind_right_unit", "kind_right_own"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    def figures(self) -> dict[str, float | int]:
        ratio = lambda a, b: round(a / b, 3) if b else float("nan")
        return {"units_responsibility": self.gold, "recall": ratio(self.found, self.gold),
                "precision": ratio(self.quoted_true, self.quoted), "bearer_kind": ratio(self.kind_right, self.found),
                "bearer_kind_of_unit": ratio(self.kind_right_unit, self.found),
                "bearer_kind_own_quote": ratio(self.kind_right_own, self.found)}


def of_unit(unit: dict, matched: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    """The responsibilities that quote the unit's own sentence among those whose quotes overlap it,
    by quote alone: those quoting exactly its text; else those whose quote holds it or is a part of
    it (the extraction cut the sentence otherwise); all of them when none does. A quote that merely
    shares a run of words with the unit is another sentence's (the guideline's unit, section 1)."""
    text = squash(unit["text"])
    exact = [r for r in matched if squash(r[2]) == text]
    if exact:
        return exact
    return [r for r in matched if text in squash(r[2]) or squash(r[2]) in text] or matched


def own(unit: dict, matched: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    """The responsibilities that are the unit's own: those quoting its sentence (of_unit), narrowed
    by its list introduction when the same words stand in several lists."""
    mine = of_unit(unit, matched)
    text = squash(unit["text"])
    if not any(squash(r[2]) == text for r in mine):
        return mine
    intro = squash(unit.get("intro", ""))
    return [r for r in mine if intro and squash(r[3]) == intro] or mine


def score(units: list[dict], responsibilities: dict[str, list[tuple[str, str, str, str]]]) -> dict[str, Score]:
    """Per agreement, and 'all'."""
    per: dict[str, Score] = defaultdict(Score)
    for unit in units:
        s = per[unit["agreement"]]
        matched = [r for r in responsibilities.get(unit["agreement"], []) if overlaps(r[2], unit["text"])]
        truth = unit["class"] in RESPONSIBILITY
        if truth:
            s.gold += 1
        if matched:
            s.quoted += 1
            s.quoted_true += truth
            if not truth:
                s.misses.append(f"FP {unit['id']} [{unit['class']}] {unit['text'][:100]}")
        if truth and matched:
            s.found += 1
            got = _kind_of({r[1] for r in matched})
            got_unit = _kind_of({r[1] for r in of_unit(unit, matched)})
            got_own = _kind_of({r[1] for r in own(unit, matched)})
            s.kind_right_unit += got_unit == unit["bearer_kind"]
            s.kind_right_own += got_own == unit["bearer_kind"]
            if got == unit["bearer_kind"]:
                s.kind_right += 1
            else:
                s.misses.append(f"KIND {unit['id']} gold={unit['bearer_kind']} got={got} (of unit: {got_unit}, own quote: {got_own}) "
                                f"{unit['text'][:80]}")
        elif truth:
            s.misses.append(f"FN {unit['id']} [{unit['class']}/{unit['bearer_kind']}] {unit['text'][:100]}")
    total = Score()
    for s in list(per.values()):
        total.add(s)
    per["all"] = total
    return dict(per)
