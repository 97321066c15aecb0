"""Escalation ladders (serve/ask/steps.py, issue 13): a question asking where a matter ends up is
answered by the last step of the ladder its best provision starts, read from the agreement's order
and the language data of question.json ("last_step_questions", "later_steps")."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from vemgorvad.serve.ask import steps
from vemgorvad.serve.ask.index import Entry
from vemgorvad.serve.ask.understanding import _compiled

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine(ask_engine):
    return ask_engine


def _data() -> dict:
    return json.loads((ROOT / "data/lexicon/question.json").read_text(encoding="utf-8"))


def test_every_last_step_question_cue_is_read_and_marks_a_question(engine):
    """Each cue of "last_step_questions" alone makes a question ask for the last step; a question
    asking for the first step, or the next one, does not."""
    cues = _data()["last_step_questions"]
    assert _compiled().last_step.pattern.count("|") + 1 >= len(cues)
    examples = {"till slut": "Vart hamnar tvisten till slut?", "till sist": "Vart ska den lyftas till sist?",
                "sista ordet": "Vem har sista ordet när de är oense?", "i sista hand": "Vem avgör i sista hand?",
                r"varken\b.{1,80}\beller": "Om varken cheferna eller arbetsgruppen löser tvisten, vart går den?"}
    assert set(examples) == set(cues)
    for question in examples.values():
        assert engine.interpret(question).asks_last_step, question
    for question in ("Var ska ett samarbetsproblem lösas i första hand?", "Vem betalar placeringen?",
                     "Vi kommer inte överens lokalt – var ska det lösas då?"):
        assert not engine.interpret(question).asks_last_step, question


def test_every_later_step_marker_is_read_and_marks_a_later_step():
    """Each entry of "later_steps" marks a provision as a later step; a first step, or a condition that
    is not about the step before failing, does not."""
    markers = _data()["later_steps"]
    later = ["I tredje hand tas frågan upp i länsstyrgruppen.", "och i nästa steg till den lokala arbetsgruppen.",
             "Om en lösning inte uppnås tas problemet upp i arbetsgruppen."]
    assert len(markers) == len(later)
    for marker, text in zip(markers, later, strict=True):
        assert steps.compile_any([marker]).search(text), marker
    not_later = ["Tvister löses i första hand på lokal chefsnivå.", "Om den enskilde inte kan ge sitt samtycke ska …",
                 "Kommunen ansvarar om inget annat avtalats."]

    def entry(quote: str) -> Entry:
        return Entry(iri=quote, agreement="a", number=0, classes=frozenset(), deontic="obligation", kind=None,
                     bearer=None, bearer_label=None, unit=None, unit_label=None, statement=quote, quote=quote,
                     start=0, end=len(quote), section_iri=None, section="", heading="", min_age=None, max_age=None,
                     more_than_days=None, deadline_days=None, default_rule=False, cost_share=None, condition_text="",
                     confidence=1.0, each=False, recipient=None, recipient_kind=None, recipient_label=None)

    assert all(steps.is_later_step(entry(t)) for t in later)
    assert not any(steps.is_later_step(entry(t)) for t in not_later)


def test_a_question_for_the_last_step_gets_the_last_step_of_the_ladder(engine):
    """Sörmland's disputes go first to the local managers, then to the local working group, in the third
    place to the county steering group: asked where a dispute ends up when neither managers nor working
    group settle it, the answer is the steering group (the ladder read from the agreement's order), with
    the confidence of the ladder's first step, whose words the question shares; asked where it is settled
    first, the first step."""
    last = engine.ask("Om varken cheferna eller den lokala arbetsgruppen får ordning på en tvist, vart går den då?",
                      "sormland")
    assert last["status"] in ("answered", "ambiguous")
    assert last["answers"][0]["quote"].startswith("I tredje hand")
    first = engine.ask("Var ska ett samarbetsproblem mellan en vårdcentral och socialtjänsten lösas i första hand?",
                       "sormland")
    assert "i första hand" in first["answers"][0]["quote"]
    lead = next(e for e in engine.index.entries if e.agreement == "sormland"
                and e.quote.startswith("Tvister och samarbetsproblem löses i första hand"))
    ladder = steps.ladder(engine.index, lead)
    assert len(ladder) == 3 and ladder[-1].quote.startswith("I tredje hand")
    assert ladder[0].start < ladder[1].start < ladder[2].start
    assert all(steps.is_later_step(e) for e in ladder[1:])
    alone = next(e for e in engine.index.entries if e.agreement == "sormland" and e.quote.startswith("Avvikelser tas i första hand"))
    assert steps.ladder(engine.index, alone)[-1].quote.startswith("I tredje hand")
