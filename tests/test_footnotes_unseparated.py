"""Issue 14 task 2: a footnote a reader gives as an ordinary line — a PDF or DOCX whose notes are set
in body type with no separator — is a footnote, not a numbered heading: a line that opens with a
number the text has glued to a word as a marker ("… äldre8." … "8 Överenskommelse om …"), or the next
number right after such a note, higher than every note before it. Its words then name no topic of the
agreement (the development PDF of Uppsala read "28 Överenskommelse om … tandvårdsstöd för vissa
äldre …" as a heading, and the elderly as mentioned). A constructed text, rendered as the evaluation
material renders (tests/eval/gapcheck_variants.py: fpdf2 and python-docx)."""
from __future__ import annotations

import pytest

from tests.eval import gapcheck_variants as material
from vemgorvad.ingest import ingest_bytes
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

TEXT = """Överenskommelse om samverkan kring personer med psykisk funktionsnedsättning

1. Parter

Överenskommelsen är tecknad mellan Region Exempelland och Ydre kommun.

2. Målgrupp

Målgruppen är vuxna personer med psykisk funktionsnedsättning.3 Överenskommelsen omfattar även personer
med missbruk och beroende.

3 Lag 1993:387 om stöd och service till vissa funktionshindrade och socialtjänstlagen för vissa äldre
och personer med funktionsnedsättning

3. Samordnad individuell plan

Kommunen och regionen ska upprätta en samordnad individuell plan när den enskilde behöver insatser från
båda.4 Planen ska följas upp.5

4 Länsgemensam rutin för samordnad individuell plan
5 Socialstyrelsens vägledning för äldre

4. Giltighet

Överenskommelsen gäller från 2027-01-01 till 2028-12-31.
"""


@pytest.fixture(scope="module")
def peers() -> Peers:
    return Peers({}, {t: t for t in material.TOPICS})


def _renderings() -> dict[str, tuple[bytes, str]]:
    return {"text": (TEXT.encode("utf-8"), "utkast.txt"), "pdf": (material.to_pdf(TEXT), "utkast.pdf"),
            "docx": (material.to_docx(TEXT), "utkast.docx")}


@pytest.mark.parametrize("how", ["text", "pdf", "docx"])
def test_an_unseparated_footnote_is_a_footnote_in_every_rendering(how):
    data, name = _renderings()[how]
    doc = ingest_bytes(data, name)
    assert sorted(doc.footnotes) == ["3", "4", "5"]
    assert "Lag 1993:387" in doc.footnotes["3"].text and "äldre och personer" in doc.footnotes["3"].text
    headings = [s.heading for s in doc.sections]
    assert not any(h.startswith(("3 Lag", "4 Läns", "5 Social")) for h in headings), headings
    assert "funktionsnedsättning.3" not in doc.text and "behöver insatser från båda. Planen" in doc.text


def test_the_footnote_names_no_topic_of_the_agreement(peers):
    reports = {how: check(data, name, peers) for how, (data, name) in _renderings().items()}
    statuses = {how: {t["topic"]: t["status"] for t in r["topics"]} for how, r in reports.items()}
    assert statuses["text"]["malgrupp_aldre"] == "missing"
    assert statuses["pdf"] == statuses["text"] == statuses["docx"]


def test_a_numbered_heading_without_its_marker_stays_a_heading():
    """'3 Ansvarsområden' in a text whose '1.3' and '4.2 och 4.3' are section numbers: no marker, no note."""
    doc = ingest_bytes("Avtal\n\n1.3 Parter\n\nText om parterna, se 4.2 och 4.3.\n\n3 Ansvarsområden\n\n"
                       "Kommunen ska erbjuda boende.\n".encode(), "a.txt")
    assert doc.footnotes == {} and "3 Ansvarsområden" in [s.heading for s in doc.sections]


#: Notes whose markers an export did not space as the notes before: one glued to the words on both
#: sides ("avtal2vilar"), one spaced like a word ("riktlinjer 3 (RIM)") and found because the next
#: note, whose marker is glued, follows it; and a note that is only an address with its number glued
#: on, wrapped where the export put a space inside the address. No separator before any of them.
MARKERS = """Överenskommelse om samverkan

1. Ansvar

Regionen ansvarar för all hälso- och sjukvård med undantag för det ansvar som enligt avtal2vilar på kommunen.

Det finns en överenskommelse och regionala riktlinjer 3 (RIM) för missbruksvården.

Hjälpmedel förskrivs enligt regionens riktlinjer4. Rutinen finns på webbsidan5.

2 Ansvarsfördelning mellan kommunal hälso- och sjukvård och primärvården
3 Länsövergripande överenskommelse och regionala riktlinjer om missbruks- och beroendevården i länet
4 Riktlinjer för förskrivning av hjälpmedel
5http://www.example.se/rutiner/Search?SearchView&sortorder=start&category=all&level=&download=0&se
lection=VIS/RUTIN

2. Giltighet

Överenskommelsen gäller från 2027-01-01.
"""


@pytest.mark.parametrize("how", ["text", "pdf", "docx"])
def test_markers_glued_on_both_sides_spaced_or_on_an_address_find_their_notes(how):
    data, name = {"text": (MARKERS.encode("utf-8"), "utkast.txt"), "pdf": (material.to_pdf(MARKERS), "utkast.pdf"),
                  "docx": (material.to_docx(MARKERS), "utkast.docx")}[how]
    doc = ingest_bytes(data, name)
    assert sorted(doc.footnotes) == ["2", "3", "4", "5"], sorted(doc.footnotes)
    assert doc.footnotes["3"].text.startswith("Länsövergripande") and doc.footnotes["5"].text.startswith("http://")
    for words in ("Ansvarsfördelning mellan kommunal", "Länsövergripande överenskommelse", "lection=VIS", "download"):
        assert words not in doc.text, words
    assert "2. Giltighet" in [s.heading for s in doc.sections] or "Giltighet" in " ".join(s.heading for s in doc.sections)


def test_a_numbered_line_is_a_note_only_before_a_note_whose_marker_the_text_holds():
    """Headings numbered "3 …", "4 …" after text that says "3 (RIM)" and "inom 4 veckor": no marker is
    glued, so no line opens a run of notes, and both stay headings."""
    text = ("Avtal\n\nDet finns riktlinjer 3 (RIM) och svar ges inom 4 veckor.\n\n"
            "3 Ansvar\n\nKommunen ska erbjuda boende.\n\n4 Uppföljning\n\nParterna ska följa upp avtalet.\n")
    doc = ingest_bytes(text.encode(), "a.txt")
    assert doc.footnotes == {} and {"3 Ansvar", "4 Uppföljning"} <= {s.heading for s in doc.sections}
