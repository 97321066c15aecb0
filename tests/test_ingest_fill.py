"""Issue 14 item 2, layouts that still changed statuses at session 13's end (PROTOCOL2.md §11 "Still
open"): a PDF's line ending a sentence is not a paragraph's end by itself — the reader measures whether
the line runs out to its column's edge (the next line's first word would not have fitted after it) —;
a numbered clause wrapped at a sentence's end, or inside a date range ("2027-01-01 –" / "2028-12-31."),
stays one clause; and the last page of a text in two columns, whose right column stops short, is read
a column at a time (it was read across: a line of the left column glued to the one beside it)."""
from __future__ import annotations

import io
import statistics

import pdfplumber
import pytest
from fpdf import FPDF

from tests.eval import gapcheck_layouts as layouts
from tests.eval import gapcheck_variants as material
from vemgorvad.ingest import columns, normalise
from vemgorvad.ingest.lines import split_lines
from vemgorvad.ingest.readers import Source, read_pdf
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

FIRST = "1.2 Vårdgivaren bedriver primärvård på uppdrag av regionen inom vårdvalet."
SECOND = ("Regionen är inte part i detta avtal och har inga åtaganden enligt det, utöver dem som "
          "följer av vårdvalets regelbok.")
NEXT = "1.3 Kontaktpersoner för avtalet är verksamhetscheferna hos båda parter."


def _pdf(*paragraphs: tuple[str, float | None]) -> bytes:
    """Paragraphs set one after the other (one multi_cell each) at 10 pt, each in its own width (None:
    the page's)."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_font("DejaVu", "", 10)
    pdf.add_page()
    for text, width in paragraphs:
        pdf.multi_cell(width or 0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _fitting(text: str) -> float:
    """A cell width in which `text` just fits on one line (the next word does not)."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_font("DejaVu", "", 10)
    return pdf.get_string_width(text) + 2 * pdf.c_margin + 0.5


def kinds(doc) -> list[tuple[str, str]]:
    return [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]


def test_a_pdf_line_knows_whether_it_runs_out_to_its_column_edge():
    body = "Kommunen ansvarar för att erbjuda boendestöd och sysselsättning till den som behöver det. " * 4
    lines = [line for line in split_lines(read_pdf(_pdf(("Ansvar", None), (body, None)))) if line.kind == "content"]
    # the heading ends short of the edge ("Kommunen" would have fitted after it), the paragraph's
    # lines run out to it, and its last line is the page's last: nothing follows it there
    assert [line.fill for line in lines] == [False, *([True] * (len(lines) - 2)), None]


def test_a_numbered_clause_wrapped_at_a_sentence_end_stays_one_clause():
    width = _fitting(FIRST)
    data = _pdf(("1. Parter", None), (FIRST + " " + SECOND, width), (NEXT, width))
    doc = normalise(read_pdf(data))
    texts = [text for _, text in kinds(doc)]
    assert FIRST + " " + SECOND in texts, texts
    assert any(text.startswith("1.3 Kontaktpersoner") for text in texts)


def test_a_numbered_clause_wrapped_inside_a_date_range_stays_one_clause():
    clause = "5.1 Överenskommelsen gäller 2027-01-01 – 2028-12-31."
    width = _fitting("5.1 Överenskommelsen gäller 2027-01-01 –")
    doc = normalise(read_pdf(_pdf(("5. Giltighet", None), (clause, width), (NEXT, width))))
    assert ("item", clause) in kinds(doc)


def test_a_line_ending_in_a_dash_is_continued_in_wrapped_text_without_measures():
    """A text exported from a PDF (no measures): a line that ends in a dash goes on in the next one,
    as one ending in a hyphen or a comma does — a date range is one clause."""
    text = ("Överenskommelsen har tagits fram av kommunen och regionen i samverkan med\n"
            "brukarorganisationerna och gäller för alla verksamheter som berörs av\n"
            "målgruppen i länet och i varje kommun som har anslutit sig till den.\n"
            "5.1 Överenskommelsen gäller 2027-01-01 –\n"
            "2028-12-31.\n")
    assert ("item", "5.1 Överenskommelsen gäller 2027-01-01 – 2028-12-31.") in kinds(normalise(text))


def test_a_full_line_ending_a_sentence_goes_on_and_a_short_one_ends_the_paragraph():
    """The same lines with the reader's measures (Source.fills): in wrapped text only the fill decides
    whether a sentence's end at a line's end ends the paragraph."""
    text = ("Regionen ska erbjuda en läkarbedömning\ninom två veckor.\nKommunen ska delta i den och\n"
            "följer upp den.\nParterna följer upp arbetet varje år\noch redovisar det.\nStyrgruppen beslutar om ändringar.")
    fills = {text.index("inom"): True, text.index("följer upp den"): False, text.index("och redovisar"): False}
    paragraphs = [t for k, t in kinds(normalise(Source(text, {}, fills))) if k == "paragraph"]
    assert paragraphs == ["Regionen ska erbjuda en läkarbedömning inom två veckor. Kommunen ska delta i den och följer upp den.",
                          "Parterna följer upp arbetet varje år och redovisar det.", "Styrgruppen beslutar om ändringar."]


def test_in_a_text_set_a_line_per_paragraph_a_full_line_ending_a_sentence_still_ends_its_block():
    """A short PDF whose lines read as typed text (a draft of one-line paragraphs): a line that ends a
    sentence is its own paragraph, as in the text ("Vi som skriver under är …" / "Vilka gäller det?");
    only a line the width broke inside a sentence goes on."""
    text = "Vi som skriver under är kommunen och regionen.\nVilka gäller det?\nÖverenskommelsen gäller 2027-01-01 –\n2028-12-31."
    fills = {0: True, text.index("Överenskommelsen"): True}
    assert [t for _, t in kinds(normalise(Source(text, {}, fills)))] == [
        "Vi som skriver under är kommunen och regionen.", "Vilka gäller det?",
        "Överenskommelsen gäller 2027-01-01 – 2028-12-31."]


def test_a_numbered_heading_in_body_type_is_no_clause_whatever_the_next_word():
    """'6.10 Remisser och konsultation' over a paragraph whose first word would not have fitted after
    it: the block so far reads as a heading, so the fill does not carry it on."""
    text = "6.10 Remisser och konsultation\nVårdgivaren ansvarar för att remittera den boende vid behov."
    doc = normalise(Source(text, {}, {0: True}))
    assert kinds(doc)[0] == ("heading", "6.10 Remisser och konsultation")


SCOPE = ("Överenskommelsen gäller alla verksamheter hos kommunen och regionen som möter personer i målgruppen, också när "
         "de drivs av en annan utförare på uppdrag av någon av parterna, och den ska vara känd av all personal i dem. "
         "Överenskommelsens målgrupp är personer över 18 år med psykisk ohälsa, riskbruk, skadligt bruk eller beroende av "
         "alkohol och andra substanser när det finns ett behov av samverkan mellan huvudmännen.")
MEANING = ("Med psykisk ohälsa avses i denna överenskommelse psykisk sjukdom, psykisk funktionsnedsättning och psykiska besvär "
           "i de fall där individen behöver samordnat stöd från kommun och region.")


def _landscape(text: str, align: str, width: float) -> bytes:
    """A paragraph in 8 pt across a landscape page in a cell `width` mm wide (lines longer than 130
    characters, so the text reads as typed: a line per paragraph)."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_font("DejaVu", "", 8)
    pdf.add_page()
    pdf.multi_cell(width, 4, text, align=align, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _ending_at_a_line_end(text: str, word: str) -> float:
    """A cell width (mm) in which one printed line of `text`, not its last, ends with `word`."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_font("DejaVu", "", 8)
    pdf.add_page()
    for tenth in range(2700, 2000, -2):
        lines = pdf.multi_cell(tenth / 10, 4, text, dry_run=True, output="LINES")
        if any(line.rstrip().endswith(word) for line in lines[:-1]):
            return tenth / 10
    raise AssertionError("no width ends a printed line with the word")


def test_a_justified_line_that_ends_a_sentence_goes_on_in_a_text_read_as_typed():
    """Small type across a landscape page reads as typed text (a line per paragraph), where a line that
    ends a sentence ends its block — unless justification stretched its spaces: then the width broke it,
    and the paragraph goes on ("… mellan huvudmännen." / "Med psykisk ohälsa avses …")."""
    text = SCOPE + " " + MEANING
    data = _landscape(text, "J", _ending_at_a_line_end(text, "huvudmännen."))
    lines = [line for line in split_lines(read_pdf(data)) if line.kind == "content"]
    assert len(lines) >= 2 and min(len(line.text) for line in lines[:-1]) > 130
    assert any(line.text.endswith("huvudmännen.") and line.fill and line.stretched for line in lines)
    assert [t for _, t in kinds(normalise(read_pdf(data)))] == [text]


def test_a_ragged_line_that_ends_a_sentence_is_not_stretched():
    """The same words set ragged (left-aligned): no line is stretched, so a line that ends a sentence at
    the text's edge ends its block as in typed text, where one-line paragraphs keep apart."""
    text = SCOPE + " " + MEANING
    data = _landscape(text, "L", _ending_at_a_line_end(text, "huvudmännen."))
    lines = [line for line in split_lines(read_pdf(data)) if line.kind == "content"]
    assert any(line.text.endswith("huvudmännen.") for line in lines) and not any(line.stretched for line in lines)


LONG = ("Kommunen ansvarar för socialtjänstens insatser och ska erbjuda boendestöd till den som behöver "
        "det i sitt dagliga liv. ") * 16
SHORT = ("Regionen ansvarar för hälso- och sjukvården och ska erbjuda psykiatrisk öppenvård till den som "
         "har behov av den. ") * 4


def _short_right_column() -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_font("DejaVu", "", 9)
    pdf.add_page()
    with pdf.text_columns(ncols=2, gutter=8) as cols:
        cols.write(text=LONG)
        cols.new_column()
        cols.write(text=SHORT)
    return bytes(pdf.output())


def test_the_last_page_of_a_two_column_text_whose_right_column_stops_short_is_read_a_column_at_a_time():
    data = _short_right_column()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        widths = [ch["x1"] - ch["x0"] for ch in page.chars if ch["text"].strip()]
        rows = columns._rows(page.chars, 1.0)
        right = sum(any(ch["x0"] > page.width / 2 for ch in row) for row in rows)
        assert right < columns.MIN_BOTH_SIDES * len(rows)    # too few rows on the right over the page
        assert columns.parts(page.chars, page.width, page.height, statistics.median(widths)) is not None
    text = " ".join(read_pdf(data).replace("-\n", "").split())
    assert " ".join(LONG.split()) in text and " ".join(SHORT.split()) in text


@pytest.fixture(scope="module")
def peers() -> Peers:
    return Peers({}, {t: t for t in material.TOPICS})


@pytest.mark.slow
@pytest.mark.parametrize("key", ["drafts/missbruk-enbart", "newuser/bjurholm-numrerad"])
def test_development_drafts_in_two_columns_have_the_statuses_of_their_texts(key, peers):
    """Session 13's open dev renderings: missbruk-enbart (4 topics, its one page read across) and
    bjurholm-numrerad (the validity, '5.1 … 2027-01-01 –' / '2028-12-31.' split)."""
    lid = f"layout:{key}:pdf-two-columns"
    assert material.split_of(lid) == "dev"
    want = {t["topic"]: t["status"] for t in check(layouts.DOCUMENTS[key].read_bytes(), "text.txt", peers)["topics"]}
    name, data = layouts.build(lid)
    got = {t["topic"]: t["status"] for t in check(data, name, peers)["topics"]}
    assert {t: (s, got.get(t)) for t, s in want.items() if got.get(t) != s} == {}
