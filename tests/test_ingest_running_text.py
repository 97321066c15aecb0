"""Issue 14: what a PDF set anew does to the reading of its text (session 13, PROTOCOL2.md §11) — a
footnote's number left before running prose, a running head and a page number printed once in a
document of two pages, and a sentence a page's foot cuts in two."""
from __future__ import annotations

import pytest
from fpdf import FPDF

from tests.eval import gapcheck_layouts as layouts
from tests.eval import gapcheck_variants as material
from vemgorvad.ingest import normalise
from vemgorvad.ingest.readers import read_pdf
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check


def test_a_number_before_running_prose_heads_no_section():
    """'25 (RIM) syftar till att … beroendesjukdomar. Överenskommelsen och riktlinjerna …' — a footnote's
    number left at a line's start when a text is set anew: longer than any heading and holding a
    sentence's end, it is a paragraph, not a section heading over everything after it (Uppsala's
    `pdf-pasted` read `syfte_mal` covered under it). A short numbered heading stays one."""
    prose = ("25 (RIM) syftar till att tydliggöra samverkan och respektive huvudmans ansvar för tidig upptäckt och "
             "behandling av riskbruk. Överenskommelsen och riktlinjerna utgår från de nationella riktlinjerna och "
             "behandlar följande områden")
    doc = normalise(f"Överenskommelse\n\n{prose}\n\n10.5 Vuxna med missbruk och/eller beroende\n\nText om det.\n")
    kinds = {doc.text[b.start:b.end]: b.kind for b in doc.blocks}
    assert kinds[prose] == "paragraph" and kinds["10.5 Vuxna med missbruk och/eller beroende"] == "heading"


def _two_pages(head_on_first: bool) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 8)
    if head_on_first:
        pdf.cell(0, 4, "Dnr 2026/118", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.set_y(262)
    pdf.multi_cell(0, 5, "Regionen ansvarar för hälso- och sjukvård inom primärvården, vuxenpsykiatrin och beroende-")
    pdf.add_page()
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(0, 4, "Överenskommelse om samverkan", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, "medicin och för psykiatrisk tvångsvård enligt LPT och LRV.")
    return bytes(pdf.output())


def test_a_running_head_in_small_type_is_not_read_into_a_sentence_that_goes_on_over_the_page():
    """A document of two pages has its running head once — too seldom to be found by repetition — and a
    sentence hyphenated over the page took it in ("beroendeÖverenskommelse om samverkan medicin"). A line in
    small type in the top margin above everything else of a later page is its running head; on the first
    page such a line ("Dnr 2026/118") is kept."""
    doc = normalise(read_pdf(_two_pages(head_on_first=True)))
    assert "beroendemedicin och för psykiatrisk tvångsvård" in doc.text
    assert "Överenskommelse om samverkan" not in doc.text and "Dnr 2026/118" in doc.text


@pytest.mark.parametrize("foot", ["Sida 1 av 2", "1 av 2"])
def test_a_page_number_out_of_the_pages_is_furniture_even_once(foot):
    """A document of two pages prints "Sida 1 av 2" once: too seldom to repeat, it was read as a heading
    ('aldre-gavleborg' in small type: the care-home sentence under "Bakgrund" came under "Sida 1 av 2"
    and read as a duty). A page's number out of the pages (layout.json page_of_pages) is a page number;
    a number out of a larger one ("Sida 3 av 2") is not, nor a count in a sentence."""
    before = "Tidigare gällde en annan plan för äldre.\n\nKommunen ansvarar för:\n• läkarinsatser i ordinärt och särskilt boende\n"
    doc = normalise(f"Bakgrund\n\n{before}{foot}\n\f• särskilt boende\n")
    assert foot not in doc.text
    kept = normalise(f"Bakgrund\n\n{before}Sida 3 av 2\n\f• särskilt boende\n")
    assert "Sida 3 av 2" in kept.text


def test_a_duty_split_by_a_page_number_still_regulates_its_topics():
    """A sentence a page's foot cuts in two is quoted by its longer verbatim half (Document.verbatim_span),
    so its clause starts inside its sentence: the coverage paired clauses with sentences by their first
    character and read the duty as a description ('innehall-numrerad' `pdf-hyphenated`: the region's
    duty over the page, 3 topics `covered → mentioned`). A clause belongs to the sentence it stands in."""
    key = "drafts/innehall-numrerad"
    assert material.split_of(f"layout:{key}:pdf-hyphenated") == "dev"
    peers = Peers({}, {t: t for t in material.TOPICS})
    name, data = layouts.build(f"layout:{key}:pdf-hyphenated")
    got = {t["topic"]: t["status"] for t in check(data, name, peers)["topics"]}
    assert [got[t] for t in ("ansvar_region", "tvangsvard_lpt_lrv", "lakemedelsassisterad_behandling")] == ["covered"] * 3
