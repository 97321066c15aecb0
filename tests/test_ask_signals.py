"""The calibration's signals of the question (serve/ask/signals.py), each on its own: what it measures on
questions whose words the agreements do and do not use, or beside a provision that does or does not carry
the question's focus, and that the calibration reads it by name."""
from __future__ import annotations

import numpy as np
import pytest

from vemgorvad.serve.ask import signals
from vemgorvad.serve.ask.features import NAMES, information
from vemgorvad.serve.ask.index import Entry
from vemgorvad.serve.ask.model import CALIBRATION_INPUTS, load
from vemgorvad.serve.ask.text import stem


@pytest.fixture(scope="module")
def engine(ask_engine):
    return ask_engine


def test_every_calibration_input_after_the_score_is_a_feature_or_a_signal():
    assert set(CALIBRATION_INPUTS[1:]) <= set(NAMES) | set(signals.SIGNALS)
    assert set(signals.SIGNALS) <= set(CALIBRATION_INPUTS), "a signal the calibration never reads"


def test_a_question_in_the_agreements_own_words_has_no_unknown_share(engine):
    interp = engine.interpret("Vem ansvarar för hjälpmedel?")
    assert interp.unknown == [] and information(engine.index, interp)[0] > 0
    assert signals.unknown_share(engine.index, interp) == 0.0


def test_the_unknown_share_is_the_information_of_the_words_no_agreement_uses(engine):
    """'hyresskulden' is in no agreement: its share of what the question tells is its weight over the whole."""
    interp = engine.interpret("Vem betalar hyresskulden för en klient?")
    known, unknown = information(engine.index, interp)
    assert interp.unknown == ["hyresskulden"] and known > 0 and unknown > 0
    assert signals.unknown_share(engine.index, interp) == pytest.approx(unknown / (known + unknown))
    assert 0.0 < signals.read(engine.index, interp).alone["unknown_share"] < 1.0


def test_a_word_the_thesaurus_maps_to_the_agreements_words_is_not_unknown(engine):
    """'jobbet' is in no agreement, but the thesaurus reads it as 'arbete', which they use: it tells what the
    agreements can say, so it counts with the known words, not the unknown ones."""
    interp = engine.interpret("Vem hjälper en klient med jobbet?")
    assert interp.unknown == ["jobbet"] and engine.index.synonyms.get(stem("jobbet"))
    assert information(engine.index, interp)[1] > 0
    assert signals.unknown_share(engine.index, interp) == 0.0


def test_a_question_only_in_words_no_agreement_uses_is_all_unknown(engine):
    interp = engine.interpret("Vem tar hand om katten?")
    assert interp.unknown and information(engine.index, interp)[0] == 0
    assert signals.unknown_share(engine.index, interp) == 1.0


def test_a_question_with_no_content_word_has_no_unknown_share(engine):
    interp = engine.interpret("Vem?")
    assert information(engine.index, interp) == (0, 0)
    assert signals.unknown_share(engine.index, interp) == 0.0


def test_the_calibration_reads_the_unknown_share_by_name_and_lowers_the_confidence_with_it():
    """The shipped calibration weighs the signal against answering: the same candidate is less likely right
    when more of the question is in words no agreement uses."""
    model = load()
    features = np.arange(len(NAMES), dtype=np.float64) / 10
    at = CALIBRATION_INPUTS.index("unknown_share")
    assert model.inputs(0.5, features, {"unknown_share": 0.25, "focus_missing": 0.0})[at] == 0.25
    assert model.confidence(0.5, features, {"unknown_share": 0.6, "focus_missing": 0.0}) < \
        model.confidence(0.5, features, {"unknown_share": 0.0, "focus_missing": 0.0})


def _entry(own: set[str], context: set[str] = frozenset()) -> Entry:
    """A provision of these stems only (the fields focus_missing reads)."""
    e = Entry.__new__(Entry)
    e.own, e.context = tuple(own), frozenset(context)
    return e


def test_the_focus_is_the_questions_rarest_word_in_swedish(engine):
    """'förvaltare' (Zipf about 3) is rarer in Swedish than 'ansöker' or 'klarar': it is what is asked about."""
    interp = engine.interpret("Vem ansöker om förvaltare för en klient som inte klarar sin vardag?")
    assert signals.focus(engine.index, interp) == [g for g in interp.focus_groups if stem("förvaltare") in g]


def test_a_compound_focus_is_carried_only_with_every_part(engine):
    """'akutmottagning' is read as 'akut' and 'mottagning': a provision about 'akuta insatser' lacks half of it."""
    interp = engine.interpret("Vem kör en klient till akutmottagningen?")
    groups = signals.focus(engine.index, interp)
    assert len(groups) == 2
    assert signals.focus_missing(groups, _entry({"akut", "insats"})) == 1.0
    assert signals.focus_missing(groups, _entry({"akut"}, {"mottagning"})) == 0.0


def test_the_focus_is_missing_when_neither_the_provision_nor_its_context_carries_it(engine):
    interp = engine.interpret("Vem ansöker om förvaltare för en klient?")
    groups = signals.focus(engine.index, interp)
    assert signals.focus_missing(groups, _entry({"ansök", "utredning"})) == 1.0
    assert signals.focus_missing(groups, _entry({"ansök"}, {stem("förvaltare")})) == 0.0
    assert signals.read(engine.index, interp).of(_entry({"ansök"}))["focus_missing"] == 1.0


def test_a_question_with_no_focus_misses_none(engine):
    interp = engine.interpret("Vem?")
    assert signals.focus(engine.index, interp) == []
    assert signals.focus_missing([], _entry(set())) == 0.0


def test_the_calibration_lowers_the_confidence_of_an_answer_without_the_focus():
    model = load()
    features = np.arange(len(NAMES), dtype=np.float64) / 10
    assert model.confidence(0.5, features, {"unknown_share": 0.1, "focus_missing": 1.0}) < \
        model.confidence(0.5, features, {"unknown_share": 0.1, "focus_missing": 0.0})
