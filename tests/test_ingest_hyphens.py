"""Issue 14: a word hyphenated at a line end keeps its hyphen when the text is set anew (pasted from a
PDF into Word, exported again), and stands split inside a line — "Hälso- och sjukvårdsavta- let",
"social- tjänstlagen" — where no search finds it (VGR's dispute reference read as no reference in a
PDF, session 12). The normaliser joins such a word when the Swedish Hunspell dictionary accepts the
joined word; the hyphens of Swedish itself stay (ingest/hyphens.py)."""
from __future__ import annotations

import pytest

from vemgorvad.ingest import normalise
from vemgorvad.ingest.layout import layout


@pytest.mark.parametrize("split, whole", [
    ("sjukvårdsavta- let", "sjukvårdsavtalet"),
    ("social- tjänstlagen", "socialtjänstlagen"),
    ("sam- ordnad", "samordnad"),
    ("Överenskommel- sen", "Överenskommelsen"),
])
def test_a_word_split_inside_a_line_is_joined(split, whole):
    doc = normalise(f"Tvister hanteras enligt {split} i länet.")
    assert doc.text == f"Tvister hanteras enligt {whole} i länet."
    start = doc.text.index(whole)
    # every character still points to where it stands in the raw text
    assert doc.raw[doc.offsets[start]:doc.offsets[start + len(whole) - 1] + 1].replace("- ", "") == whole


@pytest.mark.parametrize("kept", ["Hälso- och sjukvården", "barn- eller ungdomspsykiatrin", "kommun- respektive regionnivå",
                                  "e- post", "SIP- möte", "LSS- handläggare", "psykiatri- 2 dagar"])
def test_the_hyphens_of_swedish_itself_stay(kept):
    """A conjunction after the hyphen (a suspended compound), an abbreviation in capitals before it, or a
    joined form the dictionary does not accept ("epost"): the hyphen is the writer's."""
    doc = normalise(f"Frågan gäller {kept} i länet.")
    assert doc.text == f"Frågan gäller {kept} i länet."


def test_every_conjunction_after_a_hyphen_keeps_a_suspended_compound():
    """Each entry of layout.json conjunctions_after_hyphen is read and keeps "hälso- X sjukvård"."""
    words = sorted(layout().conjunctions_after_hyphen)
    assert words
    for word in words:
        text = f"Det gäller hälso- {word} sjukvård."
        assert normalise(text).text == text, word
