"""One clause per sentence (issue 12 item 3): where a paragraph's sentences are cut
(extract/sentences.py split_sentences), on sentences of the seed agreements."""
from __future__ import annotations

import pytest

from vemgorvad.extract.sentences import split_sentences
from vemgorvad.ingest.layout import layout


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # a number ends the sentence that refers to an annex or a page (sormland, vastmanland)
    ("Ansvaret beskrivs närmare i bilaga 1. Hälsocenter och tandvård har ett ansvar att initiera till SIP.",
     ["Ansvaret beskrivs närmare i bilaga 1.", "Hälsocenter och tandvård har ett ansvar att initiera till SIP."]),
    ("SKL utarbetade en förkortad version av instrumentet, bil. 2. Inventeringar bör ske samordnat i länet.",
     ["SKL utarbetade en förkortad version av instrumentet, bil. 2.", "Inventeringar bör ske samordnat i länet."]),
    # an initial or a one-letter abbreviation is no sentence end
    ("Mötet leds av A. Svensson som kallar.", ["Mötet leds av A. Svensson som kallar."]),
    ("Se s. 19 i bilagan.", ["Se s. 19 i bilagan."]),
    # a number that goes on with another ("1. 1 april") stays one sentence
    ("Avtalet gäller från 1. 1 april 2027.", ["Avtalet gäller från 1. 1 april 2027."]),
    # "enl." (enligt) before the law it cites (sormland): the citation is the sentence's own
    ("Samarbete ersätter aldrig anmälan om den som kallar är orolig för att barn far illa. enl. 11 kap. 1 och 1 a §§ SoL.",
     ["Samarbete ersätter aldrig anmälan om den som kallar är orolig för att barn far illa. enl. 11 kap. 1 och 1 a §§ SoL."]),
])
def test_sentence_ends(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_every_abbreviation_keeps_its_sentence_whole() -> None:
    """Each abbreviation of layout.json, before a number or a capital, leaves the sentence whole."""
    for abbreviation in layout().abbreviations:
        text = f"Insatsen ges {abbreviation} 5 Dagar efter beslut."
        assert _sentences(text) == [text], abbreviation
