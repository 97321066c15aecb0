"""The calibration's signals of the question itself (serve/ask/signals.py), each on its own: what it
measures on questions whose words the agreements do and do not use, and that the calibration reads it
by name."""
from __future__ import annotations

import numpy as np
import pytest

from vemgorvad.serve.ask import signals
from vemgorvad.serve.ask.features import NAMES, information
from vemgorvad.serve.ask.model import CALIBRATION_INPUTS, load


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
    assert 0.0 < signals.of(engine.index, interp)["unknown_share"] < 1.0


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
    assert model.inputs(0.5, features, {"unknown_share": 0.25})[at] == 0.25
    assert model.confidence(0.5, features, {"unknown_share": 0.6}) < model.confidence(0.5, features, {"unknown_share": 0.0})
