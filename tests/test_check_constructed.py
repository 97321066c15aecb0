"""Issue 14 task 1: drafts written as lists in the ways people write them (tests/data/gapcheck/constructed/,
its README says how they were made) — '•', '-' with indented '–' sub-items, '1.' with 'a)' sub-items,
Word's Symbol-font Private-Use bullets and its 'o' sub-bullet pasted as plain text — are read as the
same draft in prose: title (a first line that names no kind of document), parties (a list after
'Parter:', 'mellan', 'tecknad mellan'), validity ('Gäller från … till …', 'giltig t.o.m.', a bare
date range under 'Avtalstid') and the law's requirements covered, with no false law violation.

The material is constructed for tuning (split "constructed"), not evaluation material: the held-out
drafts are never read here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkutil import TOPIC_KEYS
from vemgorvad.ingest import normalise
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check
from vemgorvad.validate.completeness import requirements

FOLDER = Path(__file__).resolve().parent / "data" / "gapcheck" / "constructed"
GOLDS = {p.name.removesuffix(".gold.json"): json.loads(p.read_text(encoding="utf-8"))
         for p in sorted(FOLDER.glob("*.gold.json"))}
KIND = "psykisk_funktionsnedsattning_och_missbruk"
LAW_TOPICS = sorted({t for r in requirements() if KIND in r.kinds and r.kind == "law" for t in r.topics})


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    peers = Peers({}, {t: t for t in TOPIC_KEYS})
    return {name: check((FOLDER / gold["file"]).read_bytes(), gold["file"], peers) for name, gold in GOLDS.items()}


def test_the_material_is_there_in_every_list_style():
    texts = {name: (FOLDER / g["file"]).read_text(encoding="utf-8") for name, g in GOLDS.items()}
    assert len(GOLDS) >= 4 and (FOLDER / "README.md").exists()
    joined = "\n".join(texts.values())
    for marker in ("\n• ", "\n- ", "\n  – ", "\n1. ", "\na) ", "\uf0b7\t", "\uf0a7\t", "\no\t"):
        assert marker in joined, marker
    assert not any("Överenskommelse" in t.splitlines()[0] for t in texts.values())   # titles that name no kind


@pytest.mark.parametrize("name", sorted(GOLDS))
def test_title_parties_and_validity_of_a_list_draft(name, reports):
    gold, agreement = GOLDS[name], reports[name]["agreement"]
    assert agreement["title"] == gold["title"]
    assert [(p["name"], p["kind"]) for p in agreement["party_details"]] == [(p["name"], p["kind"]) for p in gold["parties"]]
    assert (agreement["valid_from"], agreement["valid_to"]) == (gold["valid_from"], gold["valid_to"])
    assert agreement["kind"]["key"] == gold["agreement_kind"]


@pytest.mark.parametrize("name", sorted(GOLDS))
def test_a_list_draft_that_states_what_the_law_asks_has_no_law_violation(name, reports):
    report = reports[name]
    got = {t["topic"]: t["status"] for t in report["topics"]}
    stated = set(GOLDS[name]["topics"]["covered"]) & set(LAW_TOPICS)
    assert stated and {t: got[t] for t in stated if got[t] != "covered"} == {}
    assert [f.get("topic") for f in report["findings"] if f["severity"] == "violation"] == []


def test_the_items_under_a_nested_introduction_inherit_its_duty_and_its_bearer():
    """'- Kommunen ska' + indented '– erbjuda boendestöd', '1. Regionen ska' + 'a) ansvara för …':
    the outer item introduces the sub-items, which are its bearer's duties."""
    for text in ("Ansvar\n- Kommunen ska\n  – erbjuda boendestöd\n  – ansvara för sysselsättning\n- Regionen ska\n"
                 "  – erbjuda psykiatrisk vård\n",
                 "Ansvar\n1. Kommunen ska\na) erbjuda boendestöd,\nb) ansvara för sysselsättning.\n2. Regionen ska\n"
                 "a) erbjuda psykiatrisk vård.\n"):
        doc = normalise(text)
        items = {doc.text[b.start:b.end].lstrip("•- "): b for b in doc.blocks if b.kind == "item"}
        intro = {name: doc.text[doc.blocks[b.intro].start:doc.blocks[b.intro].end] if b.intro is not None else None
                 for name, b in items.items()}
        assert next(v for k, v in intro.items() if "boendestöd" in k).endswith("Kommunen ska")
        assert next(v for k, v in intro.items() if "psykiatrisk" in k).endswith("Regionen ska")


def test_a_numbered_line_after_a_colon_is_an_item_but_a_numbered_heading_is_not():
    """'Parterna är:' + '1. Ydre kommun', '2. Region Östergötland' is a list; a paragraph ending in a colon
    (a web address that page furniture took away) followed by '2. Lokala överenskommelser' is not."""
    listed = normalise("Parterna är:\n1. Ydre kommun\n2. Region Östergötland\n")
    assert [b.kind for b in listed.blocks] == ["paragraph", "item", "item"]
    heading = normalise("Text finns på hemsidan:\n\n2. Lokala överenskommelser\n\nDe lokala överenskommelserna "
                        "ska följa denna.\n")
    assert [b.kind for b in heading.blocks][1] == "heading"


def test_a_draft_note_is_neither_title_nor_section():
    doc = normalise("Utkast 2, november 2026\n\nSamverkan kring vuxna med psykisk ohälsa\n\nText om samverkan.\n")
    assert doc.blocks[0].kind == "paragraph"


def test_a_removed_requirement_is_still_a_violation(reports):
    """The test can fail: the Ydre draft without its SIP item has SIP as its one law violation."""
    gold = GOLDS["punkter-ydre"]
    text = (FOLDER / gold["file"]).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "(SIP)" in line)
    report = check(text.replace(line + "\n", "").encode("utf-8"), gold["file"], Peers({}, {t: t for t in TOPIC_KEYS}))
    assert [f.get("topic") for f in report["findings"] if f["severity"] == "violation"] == ["sip"]


@pytest.mark.parametrize("opening", [
    "Parter: Ydre kommun och Region Östergötland",                     # a label with the names on its line
    "Parter:\n* Ydre kommun\n* Region Östergötland",                     # Markdown's '*' items
    "Parterna är\n➢ Ydre kommun\n➢ Region Östergötland",                 # an arrow glyph, no colon
    "Parter\n\uf0b7\tYdre kommun\n\uf0b7\tRegion Östergötland",          # Word's Symbol bullet and a tab
])
def test_the_parties_of_a_list_draft_however_the_list_is_marked(opening):
    text = (f"Samverkan kring psykisk hälsa i Ydre\n\n{opening}\n\nMålgrupp:\n* Vuxna med psykisk funktionsnedsättning\n"
            "* Vuxna med missbruk och beroende\n\nKommunen ska:\n* erbjuda boendestöd\n"
            "* upprätta SIP tillsammans med regionen\n\nAvtalstid: 2027-01-01 – 2028-12-31\n")
    report = check(text.encode(), "utkast.txt", Peers({}, {t: t for t in TOPIC_KEYS}))
    assert report["agreement"]["parties"] == ["Ydre kommun", "Region Östergötland"]
    assert report["agreement"]["title"] == "Samverkan kring psykisk hälsa i Ydre"
    assert (report["agreement"]["valid_from"], report["agreement"]["valid_to"]) == ("2027-01-01", "2028-12-31")
    assert [f.get("topic") for f in report["findings"] if f["severity"] == "violation"] == []


@pytest.mark.parametrize("intro", ["Vem omfattas?", "Denna plan omfattar:", "Samverkan gäller personer med:",
                                   "Överenskommelsen riktar sig till:"])
def test_the_groups_listed_under_a_line_that_says_whom_the_draft_covers_are_in_scope(intro):
    text = (f"Samverkan kring psykisk hälsa i Ydre\n\nParter: Ydre kommun och Region Östergötland\n\n{intro}\n"
            "• vuxna med psykisk funktionsnedsättning\n• vuxna med missbruk och beroende\n\nKommunen ska:\n"
            "• erbjuda boendestöd\n• upprätta SIP tillsammans med regionen\n")
    report = check(text.encode(), "utkast.txt", Peers({}, {t: t for t in TOPIC_KEYS}))
    got = {t["topic"]: t["status"] for t in report["topics"]}
    assert got["malgrupp_psykisk_funktionsnedsattning"] == got["malgrupp_missbruk"] == "covered"
    assert [f.get("topic") for f in report["findings"] if f["severity"] == "violation"] == []
    # the same items under a line that does not say whom it covers only name the groups
    other = check(text.replace(intro, "Bakgrund:").encode(), "utkast.txt", Peers({}, {t: t for t in TOPIC_KEYS}))
    assert {t["topic"]: t["status"] for t in other["topics"]}["malgrupp_missbruk"] != "covered"
