"""The draw of a rewording batch's passages (tests/eval/rewording_draw.py, PROTOCOL.md "Rewording batches"): only
development evidence, near-twins as one passage, a seeded draw per agreement, and nothing of a question's wording
printed."""
from __future__ import annotations

from tests.eval import rewording_draw

SHARED = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov i varje enskilt fall."


def _row(qid: str, agreement: str, evidence: str, **extra: object) -> dict:
    return {"id": qid, "question": f"FRÅGA {qid}", "agreement": agreement, "evidence": evidence,
            "section": f"Avsnitt {qid}", "split": "dev", **extra}


def _rows() -> list[dict]:
    return [
        _row("a-1", "uppsala", SHARED),
        _row("a-2", "uppsala", SHARED + " Det gäller alla."),  # a near-twin: one passage with a-1
        _row("a-3", "uppsala", "Regionen ansvarar för den psykiatriska heldygnsvården."),
        _row("a-4", "uppsala", "", expected_principals=[]),  # not covered: no passage
        _row("a-5", "uppsala", "Den hemliga meningen som bara en kontrollfråga använder.", split="heldout"),
        _row("a-6", "uppsala", "Meningen som den nya satsen själv använder i sin egen fråga.", batch="z9"),
        _row("b-1", "sormland", "Landstinget ansvarar för läkarinsatser i kommunens särskilda boenden."),
        _row("b-2", "sormland", "Kommunen ansvarar för boendestöd och sysselsättning för målgruppen.", batch="q10"),
    ]


def test_passages_are_development_evidence_with_near_twins_joined() -> None:
    found = rewording_draw.passages(_rows(), batch="z9")
    assert sorted(found) == ["sormland", "uppsala"]
    uppsala = [[unit["evidence"] for unit in cluster] for cluster in found["uppsala"]]
    assert uppsala == [["Regionen ansvarar för den psykiatriska heldygnsvården."], [SHARED, SHARED + " Det gäller alla."]]
    assert [unit["ids"] for unit in found["uppsala"][1]] == [["a-1"], ["a-2"]]
    assert len(found["sormland"]) == 2  # an earlier batch's passage is development material


def test_the_draw_is_seeded_per_agreement_and_prints_no_question() -> None:
    rows = _rows()
    first = rewording_draw.draw(rows, seed="s", per_agreement=1, batch="z9")
    assert first == rewording_draw.draw(list(reversed(rows)), seed="s", per_agreement=1, batch="z9")
    assert [agreement for agreement, _ in first] == ["sormland", "uppsala"]
    everything = rewording_draw.draw(rows, seed="s", per_agreement=9, batch="z9")
    assert len(everything) == 4
    text = rewording_draw.render(everything)
    assert "FRÅGA" not in text and "hemliga" not in text and "nya satsen" not in text
    assert SHARED in text and "Avsnitt a-1" in text
