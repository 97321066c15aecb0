"""Issue 14 item 1, second protocol (tests/data/gapcheck/PROTOCOL2.md §5): ablations cut by a careful
reader's standard — every passage that regulates the topic, also list items under an introduction in
another section, goals, and sentences outside the topic's own section (passages2.jsonl, the first
protocol's format). The ablated topic is not covered and no other topic changes status."""
from __future__ import annotations

import pytest

from tests.eval import gapcheck_variants as material
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

PASSAGES2 = material.DATA / "passages2.jsonl"
CASES = material.read_jsonl(PASSAGES2)
DEV = [c for c in CASES if c["split"] == "dev"]
FIRST = {c["id"] for c in material.load_cases()}
#: open: "… vilka beslut som behöver förankras i andra ledningsnivåer" names implementation to cues.json
#: ("förankras" alone at full weight); lowering it changes Stockholm's leave-one-agreement-out graph
STILL_COVERED = {"vastmanland:implementering"}


def test_the_cases_are_sound():
    assert CASES and not {c["id"] for c in CASES} & FIRST, "new cases, not the first protocol's"
    for case in CASES:
        assert case["split"] == material.split_of(case["id"])
        assert case["topic"] in material.TOPICS and case["after_ablation"] in ("referenced", "mentioned", "missing")
        text = material.agreement_text(case["agreement"])
        ablated = material.ablate(text, case)
        for passage in case["regulating"] + case["mentioning"]:
            assert passage["text"] in text and passage["section"] in text, passage["text"][:60]
        for passage in case["regulating"]:
            assert material.squash(passage["text"]) not in material.squash(ablated)
        for passage in case["mentioning"]:
            assert material.squash(passage["text"]) in material.squash(ablated), passage["text"][:60]
    # most cases have regulating passages outside the topic's own section (list items, goals, boxes)
    assert sum(len({p["section"] for p in c["regulating"]}) > 1 for c in CASES) >= len(CASES) // 2


@pytest.fixture(scope="module")
def peers() -> Peers:
    return Peers({}, {t: t for t in material.TOPICS})


def _statuses(data: bytes, peers: Peers) -> dict[str, str]:
    return {t["topic"]: t["status"] for t in check(data, "utkast.txt", peers)["topics"]}


@pytest.mark.slow
@pytest.mark.parametrize("case", DEV, ids=[c["id"] for c in DEV])
def test_an_ablated_topic_is_not_covered_and_nothing_else_changes(case, peers):
    text = material.agreement_text(case["agreement"])
    before = _statuses(text.encode("utf-8"), peers)
    after = _statuses(material.ablate(text, case).encode("utf-8"), peers)
    assert before[case["topic"]] == "covered"
    # a case still open is pinned, so that its fix shows (PROTOCOL2.md §13)
    assert (after[case["topic"]] == "covered") == (case["id"] in STILL_COVERED)
    # the finer status (after_ablation) is scored by PROTOCOL2.md §5 and §14, not required here: 12 of 14
    # dev cases match it (Sörmland's housing reads `referenced` since session 16: "… för dessa verksamheter
    # är reglerade i avtal" points back to the housing; Västra Götaland's carers' support reads `missing`)
    ignore = {case["topic"], *case["collateral"]}
    assert {t: (s, after.get(t)) for t, s in before.items() if t not in ignore and after.get(t) != s} == {}
