"""Extraction measured against the annotated units (tests/data/annotations/<agreement>.jsonl), as
the graph shows it to any client: the responsibilities are read with CONTRACT's query shape from a
build's dataset.nq, and matched to each annotated unit by quote overlap (textmatch.overlaps).

- recall: of the units annotated as responsibilities (obligation or recommendation), the share
  some extracted responsibility quotes;
- precision: of the units some extracted responsibility quotes, the share annotated as
  responsibilities;
- bearer kind: of the annotated responsibilities found, the share whose extracted bearer kind is
  the annotated one (no bearer kind = unspecified; a cost split into a municipal and a regional
  share = kommun+region).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from .textmatch import overlaps

ANNOTATIONS = Path(__file__).resolve().parents[1] / "data" / "annotations"
RESPONSIBILITY = {"obligation", "recommendation"}

QUERY = """
PREFIX vg: <https://w3id.org/vemgorvad/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?r ?key ?kind ?quote WHERE {
  ?r a vg:Responsibility ; vg:agreement/dcterms:identifier ?key ;
     vg:evidence/oa:hasSelector/oa:exact ?quote .
  OPTIONAL { ?r vg:bearerKind/skos:notation ?kind }
}"""


def annotated_units(split: str | None = None, agreements: set[str] | None = None) -> list[dict]:
    """The annotated units (files other than the draw and the second annotator's), of one split."""
    rows = []
    for path in sorted(ANNOTATIONS.glob("*.jsonl")):
        if path.stem in ("units", "second-annotator"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if "class" in row and (split is None or row["split"] == split) and \
                        (agreements is None or row["agreement"] in agreements):
                    rows.append(row)
    return rows


def extracted(dataset: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Agreement key → (responsibility IRI, bearer kind or 'unspecified', quote) from a dataset dump."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(dataset), format=pyoxigraph.RdfFormat.N_QUADS)
    result: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    seen = set()
    for solution in store.query(QUERY, use_default_graph_as_union=True):
        iri = solution["r"].value
        kind = solution["kind"].value if solution["kind"] is not None else "unspecified"
        if (iri, kind) in seen:
            continue
        seen.add((iri, kind))
        result[solution["key"].value].append((iri, kind, solution["quote"].value))
    return result


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
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "found", "quoted", "quoted_true", "kind_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    def figures(self) -> dict[str, float | int]:
        ratio = lambda a, b: round(a / b, 3) if b else float("nan")
        return {"units_responsibility": self.gold, "recall": ratio(self.found, self.gold),
                "precision": ratio(self.quoted_true, self.quoted), "bearer_kind": ratio(self.kind_right, self.found)}


def score(units: list[dict], responsibilities: dict[str, list[tuple[str, str, str]]]) -> dict[str, Score]:
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
            got = _kind_of({kind for _, kind, _ in matched})
            if got == unit["bearer_kind"]:
                s.kind_right += 1
            else:
                s.misses.append(f"KIND {unit['id']} gold={unit['bearer_kind']} got={got} {unit['text'][:80]}")
        elif truth:
            s.misses.append(f"FN {unit['id']} [{unit['class']}/{unit['bearer_kind']}] {unit['text'][:100]}")
    total = Score()
    for s in list(per.values()):
        total.add(s)
    per["all"] = total
    return dict(per)
