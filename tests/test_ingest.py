"""Ingest: bytes → text → normalised document whose every character maps back to the original."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from vemgorvad.ingest import IngestError, ingest_path, normalise, read_bytes
from vemgorvad.ingest.decode import decode

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "agreements").glob("*.txt"))
SWEDISH = ("Kommunen ansvarar för boendestöd och sysselsättning för personer med psykisk "
           "funktionsnedsättning. Regionen ansvarar för psykiatrisk vård och behandling.\n")
URL = re.compile(r"(?:https?://|www\.)\S+")


def _letters(text: str) -> str:
    """What CONTRACT says must stand as in the agreement: letters and digits."""
    return re.sub(r"[\W_]", "", text)


# --- decoding ----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_swedish_text_is_decoded_whatever_its_encoding(encoding):
    assert decode(SWEDISH.encode(encoding)) == SWEDISH


def test_cp1252_typographic_quotes_and_dashes_survive():
    text = "Kommunen ansvarar för ”boendestöd” – även för personer med samsjuklighet och beroende.\n"
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize("data, status", [
    (b"", 400),
    (b"   \n\n  ", 400),
    (b"\x00\x01\x02\x03" * 100, 415),
    (bytes(range(256)) * 40, 415),
    (b"1234567890 " * 50, 422),
])
def test_what_is_not_text_is_refused_with_a_swedish_reason(data, status):
    with pytest.raises(IngestError) as caught:
        read_bytes(data, "avtal.txt")
    assert caught.value.status == status
    assert re.search(r"[åäö]|Filen", caught.value.sv)


def test_unsupported_file_types_are_refused_by_name():
    with pytest.raises(IngestError) as caught:
        read_bytes(SWEDISH.encode(), "avtal.png")
    assert caught.value.status == 415
    assert ".png" in caught.value.sv


def test_an_unreadable_path_is_an_ingest_error(tmp_path):
    with pytest.raises(IngestError):
        ingest_path(tmp_path / "finns-inte.txt")


# --- normalisation -----------------------------------------------------------------------------

def test_line_end_hyphenation_is_undone_but_a_conjunction_hyphen_stays():
    doc = normalise("Vi erbjuder vård- och\nomsorgsinsatser för personer med psykisk funktions-\n"
                    "nedsättning. Arbets-\nförmedlingen ska delta i samarbetet kring individen.\n")
    assert "psykisk funktionsnedsättning." in doc.text
    assert "Arbetsförmedlingen ska delta" in doc.text
    assert "vård- och omsorgsinsatser" in doc.text


def test_private_use_bullets_become_list_items_of_the_sentence_that_introduces_them():
    doc = normalise("I socialtjänstens ansvar ingår att:\n\uf0b7 erbjuda sysselsättning åt den enskilde\n"
                    "\uf0b7 ge stöd till anhöriga och närstående\n")
    items = [b for b in doc.blocks if b.kind == "item"]
    assert len(items) == 2
    assert all(doc.text[b.start:b.end].startswith("• ") for b in items)
    assert {b.intro for b in items} == {0}
    assert "\uf0b7" not in doc.text


def test_a_bullet_is_known_by_its_unicode_class_not_by_a_list_of_glyphs():
    # U+F0A8 (a symbol font's private-use glyph) and U+25B6 (a geometric shape) are in no list of
    # glyphs; a copyright sign opens no list (an 'other symbol' outside the shapes' blocks)
    doc = normalise("Regionen ansvarar för att:\n\uf0a8 samordna vården kring den enskilde\n"
                    "\u25b6 delta i planeringen inför utskrivning\n\n© 2020 Region Exempel och kommunerna i länet\n")
    items = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "item"]
    assert items == ["• samordna vården kring den enskilde", "• delta i planeringen inför utskrivning"]
    assert "\uf0a8" not in doc.text and "\u25b6" not in doc.text
    assert "© 2020 Region Exempel" in doc.text


def test_repeated_page_furniture_is_removed_and_the_text_joins_across_pages():
    pages = ["Kommunen ansvarar för boendet för personer i målgruppen och gör det väl.",
             "Regionen ansvarar för psykiatrisk vård och behandling för personer i målgruppen.",
             "Båda huvudmännen ansvarar för att upprätta en SIP när den behövs för individen."]
    raw = "\f".join(f"Samverkansöverenskommelse psykisk ohälsa\nSida {n} av 3\n{body}\n"
                    for n, body in enumerate(pages, 1))
    doc = normalise(raw)
    assert "Samverkansöverenskommelse" not in doc.text
    assert "Sida" not in doc.text
    for body in pages:
        assert body in doc.text


def test_numbered_headings_make_nested_sections():
    doc = normalise("3. Ansvar\nHuvudmännen har olika ansvar för målgruppen enligt lag.\n"
                    "3.1 Kommunens ansvar\nKommunen ansvarar för boendestöd till personer i målgruppen.\n"
                    "3.2 Regionens ansvar\nRegionen ansvarar för psykiatrisk vård av personer i målgruppen.\n")
    numbers = [s.number for s in doc.sections]
    assert numbers == ["3", "3.1", "3.2"]
    assert doc.sections[1].parent == 0 and doc.sections[2].parent == 0
    assert doc.section_path(2) == "3. Ansvar > 3.2 Regionens ansvar"


def test_a_glued_footnote_number_leaves_the_word_and_its_text_leaves_the_body():
    doc = ingest_path(ROOT / "data" / "agreements" / "uppsala.txt")
    assert doc.footnotes, "the Uppsala text has footnotes after a separator line"
    note = doc.footnotes["1"]
    assert note.text.startswith("Rapport 2006:5")
    assert "Rapport 2006:5 från Nationell psykiatrisamordning" not in doc.text
    position = next(pos for pos, number in doc.markers if number == "1")
    assert doc.text[position - len("störning"):position + 1] == "störning."
    start, end = doc.raw_span(position - 20, position)
    assert "störning1" in doc.raw[start:end + 2]


def test_the_two_column_lists_of_vastra_gotaland_get_the_introducer_that_follows_them():
    doc = ingest_path(ROOT / "data" / "agreements" / "vastra-gotaland.txt")
    assert doc.repairs, "the repair must be reported, not silent"
    checked = set()
    for index, block in enumerate(doc.blocks):
        if block.kind != "item" or block.intro is None:
            continue
        intro = doc.block_text(block.intro)
        item = doc.block_text(index)
        for words, bearer in (("Bedriva uppsökande arbete", "kommunens ansvar"),
                              ("biståndsbesut", "kommunens ansvar"),
                              ("Arbeta med suicidprevention", "regionens ansvar"),
                              ("Besluta om permission från sluten tvångsvård", "regionens ansvar")):
            if words in item:
                assert bearer in intro.lower(), (item, intro)
                checked.add(words)
    assert len(checked) == 4


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_letter_and_digit_maps_back_to_the_same_character_of_the_original(seed):
    doc = ingest_path(seed)
    assert len(doc.offsets) == len(doc.text) + 1
    assert doc.offsets == sorted(doc.offsets), "offsets must follow the original's order"
    wrong = [(i, ch, doc.raw[doc.offsets[i]]) for i, ch in enumerate(doc.text)
             if ch.isalnum() and doc.raw[doc.offsets[i]] != ch]
    assert not wrong[:5]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_no_letters_are_lost_except_furniture_and_footnotes(seed):
    doc = ingest_path(seed)
    kept = len(_letters(doc.text))
    dropped = len(_letters(URL.sub("", doc.raw))) - kept - sum(
        len(_letters(URL.sub("", n.text))) + len(n.number) for n in doc.footnotes.values())
    assert dropped >= 0
    assert dropped / len(_letters(doc.raw)) < 0.05, "only page furniture, URLs and footnotes may go"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_normalisation_is_deterministic(seed):
    first, second = ingest_path(seed), ingest_path(seed)
    assert first.text == second.text
    assert [(b.kind, b.start, b.end, b.intro) for b in first.blocks] == \
           [(b.kind, b.start, b.end, b.intro) for b in second.blocks]
