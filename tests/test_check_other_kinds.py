"""Issue 14 task 4: agreements of other kinds — the care of the elderly between a region and every
municipality of its county; doctors in municipal home care between a company and one municipality —
get their parties right (as the text names them, the company as neither municipality nor region),
no contradiction ("found" and "not identified"), their kind recognised, and no law violation
requirement by requirement, as text, DOCX and PDF. Constructed drafts (tests/data/gapcheck/
constructed-kinds/, its README says how they were made); the held-out agreements are never read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.eval import gapcheck_variants as material
from vemgorvad.extract.parties import find_parties
from vemgorvad.ingest import ingest_bytes
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

FOLDER = Path(__file__).resolve().parent / "data" / "gapcheck" / "constructed-kinds"
GOLDS = {p.name.removesuffix(".gold.json"): json.loads(p.read_text(encoding="utf-8"))
         for p in sorted(FOLDER.glob("*.gold.json"))}


def _rendered(name: str, how: str) -> tuple[bytes, str]:
    gold = GOLDS[name]
    text = (FOLDER / gold["file"]).read_text(encoding="utf-8")
    if how == "pdf":
        return material.to_pdf(text), f"{name}.pdf"
    if how == "docx":
        return material.to_docx(text), f"{name}.docx"
    return text.encode("utf-8"), gold["file"]


@pytest.fixture(scope="module")
def peers() -> Peers:
    return Peers({}, {t: t for t in material.TOPICS})


@pytest.mark.slow
@pytest.mark.parametrize("how", ["text", "docx", "pdf"])
@pytest.mark.parametrize("name", sorted(GOLDS))
def test_parties_title_validity_and_kind_of_another_kind_of_agreement(name, how, peers):
    gold = GOLDS[name]
    report = check(*_rendered(name, how), peers)
    agreement = report["agreement"]
    assert agreement["title"] == gold["title"]
    assert [(p["name"], p["kind"]) for p in agreement["party_details"]] == [(p["name"], p["kind"]) for p in gold["parties"]]
    assert (agreement["valid_from"], agreement["valid_to"]) == (gold["valid_from"], gold["valid_to"])
    assert agreement["kind"]["key"] == gold["agreement_kind"] and agreement["kind"]["law"] is False
    codes = [f["code"] for f in report["findings"]]
    assert not {"parties-missing", "parties-not-identified"} & set(codes)          # no contradiction
    violations = [f for f in report["findings"] if f["severity"] == "violation"]
    assert len(violations) == gold["expected_law_violations"], violations
    assert codes.count("other-kind") == 1


def test_the_material_is_there():
    assert len(GOLDS) >= 2 and (FOLDER / "README.md").exists()
    assert {g["agreement_kind"] for g in GOLDS.values()} == {"aldre", "lakarmedverkan_sarskilt_boende"}
    for gold in GOLDS.values():
        text = (FOLDER / gold["file"]).read_text(encoding="utf-8")
        assert text.splitlines()[0] == gold["title"]


def test_municipalities_coordinated_under_one_plural_head_are_each_a_party():
    """parties.json shared_head: 'A, B och Cs kommuner' names three municipalities (the genitive s
    dropped where only the name without it is known; 'Borås' keeps its s); 'andra kommuner' none."""
    def parties(line: str) -> list[str]:
        doc = ingest_bytes(f"Avtal om samverkan\n\nParter:\n• Region Gävleborg\n• {line}\n\nText.\n".encode(), "a.txt")
        return [p.name for p in find_parties(doc)]
    assert parties("Sandviken, Hofors och Söderhamns kommuner") == [
        "Region Gävleborg", "Sandvikens kommun", "Hofors kommun", "Söderhamns kommun"]
    assert parties("Gävle och Borås kommuner") == ["Region Gävleborg", "Gävle kommun", "Borås kommun"]
    assert parties("Samverkan med andra kommuner") == ["Region Gävleborg"]


def test_a_title_that_wraps_in_a_pdf_is_one_title_and_headings_stay_apart():
    """The PDF reader joins a large or bold line with the next one in the same type right below it
    when that line's first word would not have fitted on it (it wrapped); headings set apart stay
    apart."""
    doc = ingest_bytes(*_rendered("lakarinsatser-ljusdal", "pdf"))
    assert doc.text.startswith(GOLDS["lakarinsatser-ljusdal"]["title"] + "\n")
    headings = {s.heading for s in ingest_bytes(*_rendered("aldre-gavleborg", "pdf")).sections}
    assert {"Bakgrund", "Oenighet", "Uppföljning", "Giltighet"} <= headings, headings
