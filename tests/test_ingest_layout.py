"""Layout independence in ingest (issue 14 item 2): headings and list items are found from numbering,
bullets and typography — a DOCX paragraph's style, a PDF line's size and weight — and, in text typed
as text, from its lines and blank lines, never from the line breaks of one PDF export; a table of
contents is contents, not headings; a PDF's pages are kept for the report."""
from __future__ import annotations

import io

import docx
from fpdf import FPDF

from vemgorvad.ingest import ingest_bytes, normalise
from vemgorvad.ingest.readers import Source

TYPED = """Överenskommelse om samverkan kring personer med missbruk
mellan Exempelby kommun och Region Exempelland

Innehåll
1. Bakgrund ........................ 1
2. Kommunens ansvar ................ 2

1. Bakgrund

Kommunerna har sedan länge samverkat med regionen.

2. Kommunens ansvar

Kommunen ansvarar för att:
• erbjuda boendestöd,
• utreda behov av insatser.

Stödet ges utan dröjsmål.
"""


def kinds(doc) -> list[tuple[str, str]]:
    return [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]


def test_typed_text_keeps_its_lines_and_blank_lines():
    doc = normalise(TYPED)
    assert kinds(doc) == [
        ("heading", "Överenskommelse om samverkan kring personer med missbruk mellan Exempelby kommun och "
                    "Region Exempelland"),
        ("contents", "Innehåll"), ("contents", "1. Bakgrund ........................ 1"),
        ("contents", "2. Kommunens ansvar ................ 2"),
        ("heading", "1. Bakgrund"), ("paragraph", "Kommunerna har sedan länge samverkat med regionen."),
        ("heading", "2. Kommunens ansvar"), ("paragraph", "Kommunen ansvarar för att:"),
        ("item", "• erbjuda boendestöd,"), ("item", "• utreda behov av insatser."),
        ("paragraph", "Stödet ges utan dröjsmål.")]
    assert [s.heading for s in doc.sections if s.number] == ["1. Bakgrund", "2. Kommunens ansvar"]


def test_a_reflowed_text_gives_the_same_blocks():
    """One line per paragraph, no blank lines: only whitespace differs, so do no blocks."""
    reflowed = "\n".join(line for line in TYPED.splitlines() if line.strip()).replace(
        "missbruk\nmellan", "missbruk mellan")
    assert kinds(normalise(reflowed)) == kinds(normalise(TYPED))


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_styles_make_headings_and_items():
    data = _docx([("Title", "Avtal om läkarmedverkan"), ("Heading 1", "Bakgrund"),
                  ("Normal", "Kommunen och vårdgivaren har samarbetat sedan 2020."),
                  ("Heading 1", "Vårdgivarens åtaganden"), ("Normal", "Vårdgivaren ska"),
                  ("List Bullet", "utse en fast läkare"), ("List Bullet", "delta i SIP")])
    doc = ingest_bytes(data, "avtal.docx")
    assert kinds(doc) == [("heading", "Avtal om läkarmedverkan"), ("heading", "Bakgrund"),
                          ("paragraph", "Kommunen och vårdgivaren har samarbetat sedan 2020."),
                          ("heading", "Vårdgivarens åtaganden"), ("paragraph", "Vårdgivaren ska"),
                          ("item", "• utse en fast läkare"), ("item", "• delta i SIP")]
    assert doc.blocks[-1].intro == 4
    assert doc.page_at(doc.blocks[-1].start) is None     # a DOCX has no pages of its own


def test_pdf_bold_and_larger_lines_are_headings_and_pages_are_kept(font):
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(font))
    pdf.add_font("DejaVu", "B", str(font).replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, "Tvister", new_x="LMARGIN", new_y="NEXT")      # no number: typography alone
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, "Oenighet mellan parterna löses i första hand av cheferna närmast verksamheten.")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, "Uppföljning", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, "Överenskommelsen följs upp varje år av styrgruppen.")
    doc = ingest_bytes(bytes(pdf.output()), "avtal.pdf")
    assert [k for k, _ in kinds(doc)] == ["heading", "paragraph", "heading", "paragraph"]
    assert [doc.page_at(b.start) for b in doc.blocks] == [1, 1, 2, 2]
    assert [s.heading for s in doc.sections] == ["Tvister", "Uppföljning"]


def test_a_source_is_a_str_with_hints():
    source = Source("Rubrik\nText.", {0: "heading"})
    assert source == "Rubrik\nText." and source.hints == {0: "heading"}
    assert normalise(source).blocks[0].kind == "heading"
