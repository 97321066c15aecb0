"""A word that looks like a collaboration body ("…gruppen", "…rådet") is one only when its lemma ends
in a body head (extract/lemmas.py): "området" ends in the letters of "rådet" but is "område"."""
from __future__ import annotations

import pytest

from vemgorvad.extract.actors import find_mentions
from vemgorvad.extract.lemmas import body_word, lemmas
from vemgorvad.language import load


def bodies(text: str) -> list[str]:
    return [m.surface for m in find_mentions(text) if m.entry.id.startswith("body-")]


@pytest.mark.parametrize("sentence", [   # sentences of three agreements
    "Området är eftersatt och det finns en uppenbar risk att äldre med psykisk ohälsa inte omfattas av "
    "samverkansöverenskommelser inom det psykiatriska området utan hänvisas till äldreomsorgen.",
    "Utvecklingen av hjälpmedel inom det kognitiva området är snabb och kräver återkommande "
    "utbildningsinsatser till förskrivare.",
    "Denna skrift, som bl.a. ger en samlad bild av huvudmännens ansvar, uppdrag och insatser på "
    "rehabiliteringsområdet, kan utgöra ett stöd för arbetet med överenskommelserna om samarbetet på lokal nivå.",
    "Syftet är att tillsammans utveckla insatser inom området psykisk hälsa, och också för personer som "
    "denna länsöverenskommelse omfattar.",
])
def test_an_area_is_no_body(sentence):
    assert bodies(sentence) == []


@pytest.mark.parametrize(("sentence", "body"), [   # sentences of two agreements; no catalogue names them
    ("I de fall det anses fördelaktigt kan till exempel VuS-grupp samplaneras med BUS-gruppen.", "BUS-gruppen"),
    ("Tjänstemannaberedning kommuner och landsting (TKL) är ett tjänstemannaforum för gemensamma frågor som "
     "rör socialtjänsten och hälso- och sjukvården.", "tjänstemannaforum"),
])
def test_a_group_or_council_stays_a_body(sentence, body):
    assert body in bodies(sentence)


def test_the_lemma_decides_not_the_letters():
    assert lemmas("området") and not any(lemma.endswith("råd") for lemma in lemmas("området"))
    assert "råd" in lemmas("rådet") and "brukarråd" in lemmas("brukarrådet")
    for word in ("brukarrådet", "samverkansgruppen", "styrgruppen", "socialnämnden", "forumet",
                 "beredningen", "nätverket", "BUS-gruppen", "medlarrådet"):   # the last two: no word of the dictionary
        assert body_word(word), word
    for word in ("området", "vårdområdet", "funktionshinderområdet", "rehabiliteringsområdet"):
        assert not body_word(word), word


def test_the_heads_come_from_the_lexicon():
    heads = load("actors.json")["body_heads"]
    assert "råd" in heads and "grupp" in heads


def test_the_lexicon_example_tells_a_council_from_an_area():
    example = next(e for e in load("actors.json")["_examples"] if "området" in e)
    assert bodies(example) == ["Brukarrådet", "samverkansgruppen"]
