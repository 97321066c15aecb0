"""Issue 14 item 2, second protocol (tests/data/gapcheck/PROTOCOL2.md §3): a document set in another
layout — two columns, small or large type, running heads and "Sida N av M" feet, page breaks inside
lists, numbered instead of bulleted lists, the reflowed text — gives the statuses of its text.

A PDF in two columns came out of the reader interleaved (a line of the left column glued to the line
of the right column beside it), so Stockholm's, Uppsala's and Västmanland's two-column PDFs differed
from their texts in 8, 5 and 5 topics; the reader now reads such a page a column at a time
(ingest/columns.py). The development layouts of the seeds are checked here; the held-out ones never."""
from __future__ import annotations

import io
import re
import statistics

import pdfplumber
import pytest
from fpdf import FPDF

from tests.eval import gapcheck_layouts as layouts
from tests.eval import gapcheck_variants as material
from vemgorvad.ingest import columns, normalise
from vemgorvad.ingest.lines import split_lines
from vemgorvad.ingest.readers import read_pdf
from vemgorvad.peers import Peers
from vemgorvad.pipeline import process
from vemgorvad.serve.check.report import check

LEFT = ("Kommunen ansvarar för socialtjänstens insatser och ska erbjuda boendestöd till den som behöver "
        "det i sitt dagliga liv. ") * 6
RIGHT = ("Regionen ansvarar för hälso- och sjukvården och ska erbjuda psykiatrisk öppenvård till den som "
         "har behov av den. ") * 6


def _two_columns(running: bool = True) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_font("DejaVu", "", 9)
    pdf.add_page()
    pdf.set_font_size(15)
    pdf.cell(0, 8, "Överenskommelse om samverkan", new_x="LMARGIN", new_y="NEXT")   # across both columns
    pdf.set_font_size(9)
    if running:
        pdf.cell(0, 4, "Sida 1 av 1", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    with pdf.text_columns(ncols=2, gutter=8) as cols:
        cols.write(text=LEFT)
        cols.new_column()
        cols.write(text=RIGHT)
    return bytes(pdf.output())


def _one_column() -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.set_font("DejaVu", "", 10)
    pdf.add_page()
    pdf.multi_cell(0, 5, (LEFT + RIGHT) * 2)
    return bytes(pdf.output())


def _parts(data: bytes) -> list[columns.Part] | None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        widths = [ch["x1"] - ch["x0"] for ch in page.chars if ch["text"].strip()]
        return columns.parts(page.chars, page.width, page.height, statistics.median(widths))


def _statuses(key: str, layout_id: str, peers: Peers) -> tuple[dict[str, str], dict[str, str]]:
    """The topic statuses of a document's text and of one of its layouts (`layout:KEY:LAYOUT`)."""
    want = {t["topic"]: t["status"] for t in check(layouts.DOCUMENTS[key].read_bytes(), "text.txt", peers)["topics"]}
    name, data = layouts.build(layout_id)
    return want, {t["topic"]: t["status"] for t in check(data, name, peers)["topics"]}


def _squashed(text: str) -> str:
    return " ".join(text.replace("-\n", "").split())


def test_a_page_in_two_columns_is_read_a_column_at_a_time():
    data = _two_columns()
    found = _parts(data)
    assert found is not None and any(p.x0 > 0 for p in found)
    text = _squashed(read_pdf(data))
    # every sentence whole, the left column's before the right column's, the title first
    assert text.startswith("Överenskommelse om samverkan")
    assert _squashed(LEFT) in text and _squashed(RIGHT) in text
    assert text.index(_squashed(LEFT)) < text.index(_squashed(RIGHT))


def test_a_page_in_one_column_is_read_across():
    assert _parts(_one_column()) is None
    assert _squashed(LEFT + RIGHT) in _squashed(read_pdf(_one_column()))


DEV = layouts.manifest("dev")


@pytest.fixture(scope="module")
def peers() -> Peers:
    return Peers({}, {t: t for t in material.TOPICS})


@pytest.fixture(scope="module")
def text_statuses(peers) -> dict[str, dict[str, str]]:
    out = {}
    for key in {row["source"] for row in DEV}:
        report = check((material.AGREEMENTS / f"{key}.txt").read_bytes(), f"{key}.txt", peers)
        out[key] = {t["topic"]: t["status"] for t in report["topics"]}
    return out


@pytest.mark.slow
@pytest.mark.parametrize("row", DEV, ids=[row["id"] for row in DEV])
def test_a_seed_in_another_layout_has_the_statuses_of_its_text(row, peers, text_statuses):
    name, data = layouts.build(row["id"])
    report = check(data, name, peers)
    got = {t["topic"]: t["status"] for t in report["topics"]}
    want = text_statuses[row["source"]]
    assert {t: (s, got.get(t)) for t, s in want.items() if got.get(t) != s} == STILL_DIFFERING.get(row["id"], {})


#: known differences still open, pinned so that a fix or a new difference shows (none among the seeds since
#: session 16: Västmanland's justified line ending a sentence, "… mellan huvudmännen." + "Med psykisk ohälsa
#: …", goes on in its paragraph — its spaces were stretched, so the width broke it; PROTOCOL2.md §14)
STILL_DIFFERING: dict[str, dict[str, tuple[str, str]]] = {}


def test_the_layouts_cover_every_feature_and_no_held_out_one_is_read():
    assert all(row["split"] == "dev" for row in DEV) and len(DEV) >= 10
    features = {(lay.fmt, lay.columns > 1, lay.running, lay.numbered, lay.reflowed, lay.break_in_lists)
                for lay in layouts.LAYOUTS.values()}
    for index in range(1, 6):   # two columns, running heads, numbered lists, reflowed, breaks in lists
        assert {f[0] for f in features if f[index]} == {"pdf", "docx"}
    assert {lay.size for lay in layouts.LAYOUTS.values()} >= {7.5, 13}


@pytest.mark.parametrize("key", ["drafts/missbruk-enbart", "constructed-kinds/aldre-gavleborg"])
def test_a_title_page_in_large_type_keeps_its_parties(key, peers):
    """At 13 pt the title (bold, wrapped), the parties' line under it and a draft note were joined into
    one paragraph and no party was found: lines the reader set in a heading's type and lines it did not
    are never one block (ingest/blocks.py)."""
    text = check(layouts.DOCUMENTS[key].read_bytes(), "text.txt", peers)["agreement"]["party_details"]
    name, data = layouts.build(f"layout:{key}:pdf-large-type")
    got = check(data, name, peers)["agreement"]["party_details"]
    assert [p["name"] for p in got] == [p["name"] for p in text] != []


def test_the_generator_nests_typed_lists_by_their_indentation():
    """'- Kommunen ska' with indented '– erbjuda …' and '1. Kommunen ska' with 'a) erbjuda …': the
    sub-items are rendered one level down, so a rendering keeps which item introduces which."""
    for name, outer, inner in (("streck-sotenas", "- Kommunen ska", "– erbjuda boendestöd"),
                               ("numrerad-tanum", "1. Kommunen ska", "a) erbjuda boendestöd")):
        found = material.blocks(layouts.DOCUMENTS[f"constructed/{name}"].read_text(encoding="utf-8"))
        levels = {b.text[:len(outer)]: b.level for b in found if b.kind == "item" and b.text.startswith(outer)}
        subs = [b.level for b in found if b.kind == "item" and b.text.startswith(inner)]
        assert levels == {outer: 1} and subs == [2]


NESTED = [f"layout:constructed/{name}:{layout}" for name in ("numrerad-tanum", "streck-sotenas")
          for layout in ("docx-numbered", "docx-two-columns")]


@pytest.mark.parametrize("layout_id", NESTED)
def test_a_nested_list_in_word_keeps_its_introductions(layout_id, peers):
    """Word's second list level ("List Bullet 2", numbering level 1) and a list paragraph that keeps its
    own "1." / "a)" are read as sub-items under the item that introduces them ("Båda parter ska" —
    "upprätta en SIP …"): 10 and 8 topics read `mentioned` instead of `covered` before."""
    key = layout_id.split(":")[1]
    want, got = _statuses(key, layout_id, peers)
    assert {t: (s, got.get(t)) for t, s in want.items() if got.get(t) != s} == {}


def test_a_bulleted_list_set_as_numbers_in_large_type_stays_a_list(peers):
    """pdf-large-type sets bullets as "1.", "2.": "1. boendestöd …" under "Kommunen ansvarar för:" is an
    item (a number with a lower-case word after it; a section heading starts with a capital), so its
    duty and the target groups under "Målgrupp:" read as in the text (8 topics differed before)."""
    key = "constructed/punkter-ydre"
    want, got = _statuses(key, f"layout:{key}:pdf-large-type", peers)
    topics = ("malgrupp_psykisk_funktionsnedsattning", "malgrupp_missbruk", "boende", "lvm", "sysselsattning_arbete",
              "ansvar_region")
    assert {t: (want[t], got.get(t)) for t in topics if got.get(t) != want[t]} == {}


def _row_pdf(gap_spaces: int, bold: bool) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.add_font("DejaVu", "B", str(material.FONT_BOLD))
    pdf.add_page()
    pdf.set_font("DejaVu", "B" if bold else "", 13 if bold else 10)
    pdf.cell(0, 6, "Boendestöd" + " " * gap_spaces + "ansvarar" + " " * gap_spaces + "–", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, "Kommunen ansvarar för boendestöd till den som behöver det i sitt dagliga liv och "
                         "regionen ansvarar för den psykiatriska vården av samma personer.")
    return bytes(pdf.output())


def test_the_cells_of_a_table_row_in_a_pdf_are_apart_by_a_tab():
    """Words set further apart than an em are two cells of a table (a PDF export of a table, or a
    table pasted as text with tabs): the line reads as the text's row does, a tab between its cells,
    so even a row set in a heading's type is no heading. Words a space apart keep their space."""
    wide = read_pdf(_row_pdf(4, bold=True))
    assert wide.splitlines()[0] == "Boendestöd\tansvarar\t–"
    row = split_lines(wide)[0]
    assert row.row and row.hint is None and row.text == "Boendestöd ansvarar –"   # a row, never a heading
    assert read_pdf(_row_pdf(1, bold=False)).splitlines()[0] == "Boendestöd ansvarar –"
    assert "\t" not in "".join(read_pdf(_row_pdf(4, bold=False)).splitlines()[1:])


@pytest.mark.parametrize("key", ["newuser/gnosjo-tabell", "newuser/torsby-versaler"])
@pytest.mark.parametrize("how", ["pdf", "docx"])
def test_a_table_pasted_as_text_reads_the_same_in_word_and_in_a_pdf(key, how, peers):
    """A table of duties and a table of parties, tab-separated in the text, rendered with every row
    set as a heading (the generator's blocks read a short line without a full stop as one): the DOCX
    keeps the tab, the PDF sets the cells apart, and a row is no heading whatever its style — so the
    parties and the duties in the rows read as in the text (4 and 1 topics differed before)."""
    path = layouts.DOCUMENTS[key]
    text = path.read_text(encoding="utf-8")
    want = check(text.encode("utf-8"), "text.txt", peers)
    data = material.to_pdf(text, key) if how == "pdf" else material.to_docx(text, key)
    got = check(data, f"doc.{how}", peers)
    statuses = lambda r: {t["topic"]: t["status"] for t in r["topics"]}
    assert {t: (s, statuses(got).get(t)) for t, s in statuses(want).items() if statuses(got).get(t) != s} == {}
    assert [p["name"] for p in got["agreement"]["party_details"]] == [p["name"] for p in want["agreement"]["party_details"]]


@pytest.mark.parametrize("layout", ["pdf-two-columns", "pdf-reflowed"])
def test_a_dash_list_with_sub_items_in_a_pdf_keeps_its_introductions(layout, peers):
    """'- Båda parter ska' + '– upprätta en SIP …': in the two-column PDF the sub-items stand further
    in behind the same bullet (a level read from indentation, as typed text's is); in the reflowed one
    they stand at the same level, and 'Båda parter ska' — a capital, stopping where a sentence cannot —
    is still what the items in lower case finish. 8 topics read `mentioned` instead of `covered` in
    both before."""
    key = "constructed/streck-sotenas"
    want, got = _statuses(key, f"layout:{key}:{layout}", peers)
    assert {t: (s, got.get(t)) for t, s in want.items() if got.get(t) != s} == {}


def test_a_bullet_set_further_in_is_a_sub_item_and_one_set_back_the_outer_list():
    """A wrapped text (a PDF's lines): the same bullet two characters further in than the item before
    is one level down; back at the margin, the outer list again. A list of one level whose item stops
    unfinished ('Kommunen ska') introduces the items after it that go on in lower case — not when the
    list has an introduction of its own."""
    wrapped = ("Kommunen har under lång tid arbetat med att utveckla stödet till personer med psykisk\n"
               "funktionsnedsättning och deras anhöriga i samverkan med regionen.\n"
               "Viktiga delar i kommunens ansvar för målgruppen är att:\n"
               " • Utreda och utfärda beslut om bistånd:\n"
               "    • Utredning och bistånd enligt SoL och LSS.\n"
               "    • Utredning och vård enligt LVM.\n"
               " • Tillhandahålla boende och stöd i hemmet så att personen får bo som den behöver.\n")
    doc = normalise(wrapped)
    items = [(b.level, b.intro, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "item"]
    intro = next(i for i, b in enumerate(doc.blocks) if doc.text[b.start:b.end].startswith("Viktiga"))
    first = next(i for i, b in enumerate(doc.blocks) if doc.text[b.start:b.end].startswith("• Utreda"))
    assert [(level, i) for level, i, _ in items] == [(1, intro), (2, first), (2, first), (1, intro)]
    flat = normalise("Ansvar\n• Kommunen ska\n• erbjuda boendestöd\n• ansvara för sysselsättning\n"
                     "• Regionen ska\n• erbjuda psykiatrisk behandling\n")
    blocks = [(flat.text[b.start:b.end], b.intro) for b in flat.blocks]
    index = {text: i for i, (text, _) in enumerate(blocks)}
    assert [i for _, i in blocks if i is not None] == [index["• Kommunen ska"]] * 2 + [index["• Regionen ska"]]


def test_a_present_tense_item_under_a_party_keeps_its_duty_when_bullets_are_set_as_numbers(peers):
    """'Regionen' — '1. tar hand om psykiatrisk vård …' (pdf-large-type sets bullets as 1., 2.): the
    item's number is its marker, as a bullet is, so the present tense after it is the party's duty as
    in the text ('• tar hand om …'); 4 topics differed before."""
    key = "newuser/boxholm-informell"
    want, got = _statuses(key, f"layout:{key}:pdf-large-type", peers)
    assert {t: (s, got.get(t)) for t, s in want.items() if got.get(t) != s} == {}


@pytest.mark.parametrize("layout", ["docx-numbered", "pdf-large-type"])
def test_a_draft_note_under_the_title_heads_no_section_in_any_type(layout, peers):
    """'Utkast från arbetsgruppen, november 2026' under the title, set as a heading by a rendering: a
    note about the document (layout.json document_notes) heads no part of the text, so the joint list
    stays under the title as in the text, and 'arbetsgruppen' in the note makes no section about the
    collaboration bodies (2 topics differed in every rendering before)."""
    key = "constructed/punkter-ydre"
    want, got = _statuses(key, f"layout:{key}:{layout}", peers)
    assert {t: (s, got.get(t)) for t, s in want.items() if got.get(t) != s} == {}


def test_a_heading_wrapped_with_loose_leading_is_one_heading():
    """A heading set in bold over two lines with more space between them than half its size (a
    line height of 6.5 mm at 11 pt), its second line in lower case: one heading — a heading starts
    with a capital — and the paragraph after it set off by space stays a paragraph."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(material.FONT))
    pdf.add_font("DejaVu", "B", str(material.FONT_BOLD))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, "Alla verksamheter ska ha rutiner för att fråga om våld, och personalen ska känna till dem "
                         "så att frågorna ställs på samma sätt i hela länet.")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(70, 6.5, "Gravida individer med psykisk ohälsa eller samsjuklighet")
    pdf.ln(1)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, "Verksamheter som möter gravida individer ska samverka kring stödet till dem.")
    doc = normalise(read_pdf(bytes(pdf.output())))
    kinds = [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]
    assert ("heading", "Gravida individer med psykisk ohälsa eller samsjuklighet") in kinds
    assert kinds[-1] == ("paragraph", "Verksamheter som möter gravida individer ska samverka kring stödet till dem.")


def test_items_lettered_with_a_full_stop_stay_under_the_numbered_item_they_follow():
    """'3.1 Kommunen ska' + 'a. utreda …', 'b. erbjuda …' (letters with a full stop, as Word's "a."
    numbering sets them): each a sub-item of '3.1 …', which introduces them — a number with a dot in it
    is a number, not a letter. 'm. fl.', 't. ex.' or 's. 19' at a line's start are no markers."""
    doc = normalise("3. Ansvar\n3.1 Kommunen ska\na. utreda behov av stöd,\nb. erbjuda boendestöd.\n"
                    "3.2 Regionen ska\na. erbjuda abstinensbehandling.\n")
    blocks = [(doc.text[b.start:b.end], b.kind, b.intro) for b in doc.blocks]
    index = {text: i for i, (text, _, _) in enumerate(blocks)}
    assert [(t, i) for t, kind, i in blocks if kind == "item" and t[:1].islower()] == [
        ("a. utreda behov av stöd,", index["3.1 Kommunen ska"]), ("b. erbjuda boendestöd.", index["3.1 Kommunen ska"]),
        ("a. erbjuda abstinensbehandling.", index["3.2 Regionen ska"])]
    for line in ("m. fl. ska kallas till mötet.", "t. ex. kommunens biståndshandläggare.", "s. 19 f., om planen."):
        wrapped = normalise("Till mötet kallas representanter för kommunen, regionen\n" + line + "\n")
        assert [b.kind for b in wrapped.blocks if b.kind == "item"] == [], line


@pytest.mark.parametrize("before", ["Överenskommelsen är tecknad mellan", "Parter"])
def test_a_numbered_list_after_an_unfinished_sentence_or_a_heading_is_no_run_of_headings(before):
    """Bullets set as numbers ('1. Sotenäs kommun', '2. Västra Götalandsregionen', pdf-large-type) after
    "… tecknad mellan" or right under a heading: '1.' followed at once by '2.' heads no section (a
    section is never empty), so the lines are a list; the next number after a list's last item goes on
    with the list ('1. Samverkan följs upp …' + '2. Avtalstid: …')."""
    doc = normalise(f"Samverkan i Sotenäs\n\n{before}\n1. Sotenäs kommun\n2. Västra Götalandsregionen\n\n"
                    "Uppföljning\n1. Samverkan följs upp årligen av ledningsgruppen.\n2. Avtalstid: 2027-03-01 – 2029-02-28\n")
    kinds = {doc.text[b.start:b.end]: b.kind for b in doc.blocks}
    assert [kinds[t] for t in ("1. Sotenäs kommun", "2. Västra Götalandsregionen", "2. Avtalstid: 2027-03-01 – 2029-02-28")] \
        == ["item"] * 3
    sections = normalise("Avtal\n\n1. Parter\nKommunen och regionen.\n\n2. Syfte\nAtt samverka.\n")
    assert [sections.text[b.start:b.end] for b in sections.blocks if b.kind == "heading"][1:] == ["1. Parter", "2. Syfte"]


def test_a_page_break_inside_a_list_whose_introducer_is_displaced_shifts_the_introducers_as_the_text_does():
    """A list's introducer after the list (two-column extraction), the list before it without one: the
    introducers shift back one list, as in the text — also when a rendering's page break falls inside
    the list (VGR's ablations as PDF lost `boende` to the split at the break). The split at a break is
    for a list no shift can explain."""
    def intros(text: str) -> dict[str, str | None]:
        doc = normalise(text)
        return {doc.text[b.start:b.end]: doc.text[doc.blocks[b.intro].start:doc.blocks[b.intro].end] if b.intro is not None
                else None for b in doc.blocks if b.kind == "item"}
    text = ("Huvudmännen samverkar kring målgruppen.\n\n• Erbjuda boendestöd.\n• Erbjuda sysselsättning.\n\n"
            "Kommunens ansvar är att:\n\n• Erbjuda psykiatrisk vård.\n{brk}• Erbjuda abstinensbehandling.\n\n"
            "Regionens ansvar är att:\n\nUppföljning sker årligen.\n")
    want = {"• Erbjuda boendestöd.": "Kommunens ansvar är att:", "• Erbjuda sysselsättning.": "Kommunens ansvar är att:",
            "• Erbjuda psykiatrisk vård.": "Regionens ansvar är att:", "• Erbjuda abstinensbehandling.": "Regionens ansvar är att:"}
    assert intros(text.format(brk="")) == want
    assert intros(text.format(brk="\f")) == want


def test_a_bullet_set_as_a_number_before_a_date_is_an_item_and_the_period_is_read():
    """'• 1 april 2027 – 31 mars 2030' under 'Avtalstid', set as '1. 1 april 2027 – …' (pdf-large-type):
    a number before a date is a list item's, as one before a word in lower case is, so the period is
    read as in the text (`giltighetstid` differed)."""
    text = "Samverkan i Habo\n\nAvtalstid\n1. 1 april 2027 – 31 mars 2030\n"
    doc = normalise(text)
    assert [b.kind for b in doc.blocks if doc.text[b.start:b.end].startswith("1. 1 april")] == ["item"]
    meta = process(text.encode("utf-8"), "utkast.txt", "utkast").metadata
    assert (meta.valid_from, meta.valid_to) == ("2027-04-01", "2030-03-31")


def _first_dev(layout: str) -> str:
    return next(lid for lid in layouts.layout_ids(tuple(layouts.DOCUMENTS))
                if lid.endswith(f":{layout}") and material.split_of(lid) == "dev")


def test_the_hyphenated_layouts_break_words_as_a_typesetter_and_a_paste_leaves_the_hyphens_inside_lines():
    """Session 13's material (PROTOCOL2.md §11): `pdf-hyphenated` breaks a word that does not fit at a
    Swedish hyphenation point with a hyphen at the line's end; `pdf-pasted` is that text joined again
    with spaces and set anew, so the hyphens stand inside lines ("sjukvårdsavta- let"). Every word of the
    text is still there once the breaks are undone, and a table row is never broken."""
    for layout, pattern in (("pdf-hyphenated", r"[a-zåäö]-\n[a-zåäö]"), ("pdf-pasted", r"[a-zåäö]- [a-zåäö]")):
        lid = _first_dev(layout)
        key = lid.split(":")[1]
        source = layouts.DOCUMENTS[key].read_text(encoding="utf-8")
        read = read_pdf(layouts.build(lid)[1])
        splits = re.findall(r"(\w+)-[ \n](\w+)", read)
        assert re.search(pattern, read), lid
        joined = {a + b for a, b in splits if a[-1].islower() and b[0].islower()}
        words = set(re.findall(r"\w+", " ".join(source.replace("-\n", "").split())))
        assert joined and len(joined & words) >= 0.8 * len(joined), (lid, sorted(joined - words)[:10])
    text = layouts.DOCUMENTS["newuser/gnosjo-tabell"].read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.count("\t") >= 2)
    read = read_pdf(layouts.build("layout:newuser/gnosjo-tabell:pdf-pasted")[1])
    assert row.split("\t")[0] + "\t" in read


def test_a_layout_with_headings_in_body_type_sets_no_heading_larger_or_bold():
    """`pdf-plain-headings`: every heading in the body's size and weight, so a reader finds it by its
    number and place only — no line of the rendering is hinted as a heading by its type."""
    lid = _first_dev("pdf-plain-headings")
    key = lid.split(":")[1]
    source = read_pdf(layouts.build(lid)[1])
    headings = [b.text for b in material.blocks(layouts.DOCUMENTS[key].read_text(encoding="utf-8"))
                if b.kind == "heading" and b.level > 0]
    assert headings and set(source.hints.values()) <= {"title", "item", "paragraph"}  # type: ignore[attr-defined]


def test_the_generator_reads_letters_with_a_full_stop_as_items_under_a_numbered_clause():
    """'3.1 Kommunen ska' + 'a. utreda …' (Word's "a." numbering): the generator's blocks keep '3.2
    Regionen ska' a block of its own with its items — it joined the whole section into one paragraph,
    so every rendering of bjurholm-numrerad lost the region's duties (PROTOCOL2.md §10)."""
    found = material.blocks(layouts.DOCUMENTS["newuser/bjurholm-numrerad"].read_text(encoding="utf-8"))
    texts = [(b.kind, b.text) for b in found]
    assert ("paragraph", "3.2 Regionen ska") in texts
    assert ("item", "a. erbjuda abstinensbehandling,") in texts

