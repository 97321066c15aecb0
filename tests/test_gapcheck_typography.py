"""Issue 14, PROTOCOL2.md §13 (session 15): PDF renderings in other typography — lists set as ruled
tables or behind a tab stop, justified text stretched wide in a narrow column, two justified columns,
a letterhead. Each rule with a test on development material."""
from __future__ import annotations

import pytest

from tests.eval import gapcheck_layouts as layouts
from tests.eval import gapcheck_variants as material
from vemgorvad.ingest.lines import _ends_in_page_of_pages, _of_pages
from vemgorvad.ingest.readers import _cells, _lone_markers, read_pdf
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

LANDSCAPE = "layout:drafts/innehall-numrerad:pdf-landscape-columns"
TABLES = "layout:constructed/punkter-ydre:pdf-tables"


@pytest.fixture(scope="module")
def peers() -> Peers:
    return Peers({}, {t: t for t in material.TOPICS})


def _chars(words: list[tuple[str, float]], size: float = 10.0) -> list[dict]:
    """The characters of a line: each word from its x, 5 pt a character."""
    out = []
    for word, x in words:
        for i, ch in enumerate(word):
            out.append({"text": ch, "x0": x + 5 * i, "x1": x + 5 * (i + 1), "size": size})
    return out


def test_a_bullet_before_a_tab_stop_is_a_list_marker_not_a_table_cell():
    """A word processor sets a bullet, then a tab stop, then the item: the gap is wider than an em,
    but the line is a list item ('• Ydre kommun' under 'Parter:'), not a table row."""
    text = "• Ydre kommun"
    assert _cells(text, _chars([("•", 50), ("Ydre", 80), ("kommun", 105)])) == "• Ydre kommun"
    assert _cells("3. Regionen", _chars([("3.", 50), ("Regionen", 80)])) == "3. Regionen"
    # a table row stays a row: a wide gap between cells, narrow ones inside them
    row = _cells("Torsby kommun socialnämnden", _chars([("Torsby", 50), ("kommun", 85), ("socialnämnden", 200)]))
    assert row == "Torsby kommun\tsocialnämnden"


def test_a_justified_line_stretched_wide_keeps_its_spaces():
    """A justified line in a narrow column stretches every space alike, wider than an em when a long
    word went to the next line; a table's cells stand apart by more than the words inside them."""
    words = [("skadligt", 50), ("bruk", 105), ("eller", 140), ("beroende", 180)]   # gaps 15, 15, 15
    assert _cells("skadligt bruk eller beroende", _chars(words), at_edge=True) == "skadligt bruk eller beroende"
    uneven = [("Uppgift", 50), ("Kommunen", 100), ("Regionen", 200)]               # gaps 15, 60
    assert _cells("Uppgift Kommunen Regionen", _chars(uneven), at_edge=True) == "Uppgift\tKommunen\tRegionen"
    # a row of one-word cells set evenly apart, short of the text's edge, is a table row
    assert _cells("skadligt bruk eller beroende", _chars(words)) == "skadligt\tbruk\teller\tberoende"


def _line(text: str, x0: float, top: float, size: float = 10.0) -> dict:
    chars = [{"text": ch, "x0": x0 + 5 * i, "x1": x0 + 5 * (i + 1), "size": size, "top": top}
             for i, ch in enumerate(text) if ch.strip()]
    return {"text": text, "x0": x0, "x1": x0 + 5 * len(text), "top": top, "bottom": top + size, "chars": chars}


def test_a_bullet_centred_beside_its_wrapped_item_marks_the_items_first_line():
    """A table row whose marker cell is centred on an item wrapped over two lines: the bullet stands
    alone between them, and goes before the item's first line."""
    lines = [_line("Målgrupp:", 20, 100), _line("Vuxna från 18 år som behöver insatser från både", 60, 112),
             _line("•", 30, 118), _line("kommunen och regionen", 60, 124), _line("• Vuxna med beroende", 30, 140)]
    got = [line["text"] for line in _lone_markers(lines)]
    assert got == ["Målgrupp:", "• Vuxna från 18 år som behöver insatser från både", "kommunen och regionen",
                   "• Vuxna med beroende"]


def test_a_justified_page_in_two_columns_is_read_a_column_at_a_time():
    """A landscape page in two justified columns whose left column opens with a title and a table of
    contents (lines that end far from the column's edge): the lines that end at one x, to the point,
    make it a column of running text, so the page is not read across (innehall-numrerad)."""
    assert material.split_of(LANDSCAPE) == "dev"
    text = " ".join(read_pdf(layouts.build(LANDSCAPE)[1]).split())
    assert "Psykisk ohälsa är en av de vanligaste orsakerna till sjukskrivning i länet" in text
    assert "Målgruppen är personer från 18 år med psykisk funktionsnedsättning eller med skadligt bruk" in text


def test_a_letterhead_row_ending_in_the_page_of_pages_is_no_title(peers):
    """'KOMMUNERNA I LÄNET · REGIONEN<tab>Dnr 2026/0412 Sid 1 (1)' at a one-page draft's head: the
    logos' text, a reference number and the page out of the pages (the Swedish office form 'Sid 1 (1)')
    are page furniture; the title is the draft's own (punkter-ydre)."""
    assert material.split_of(TABLES) == "dev"
    want = check(layouts.DOCUMENTS["constructed/punkter-ydre"].read_bytes(), "text.txt", peers)
    got = check(*reversed(layouts.build(TABLES)), peers)
    assert got["agreement"]["title"] == want["agreement"]["title"] == \
        "Samverkan kring vuxna med psykisk funktionsnedsättning och beroende i Ydre"
    assert {t["topic"]: t["status"] for t in got["topics"]} == {t["topic"]: t["status"] for t in want["topics"]}


def test_the_swedish_page_of_pages_is_a_page_number():
    assert _of_pages("Sid 2 (9)") and _of_pages("2 (9)") and _of_pages("Sida 2 av 9")
    assert not _of_pages("Sid 9 (2)") and not _of_pages("3 kap. 2 §")
    assert _ends_in_page_of_pages("KOMMUNERNA I LÄNET · REGIONEN Dnr 2026/0412 Sid 1 (1)")
    assert not _ends_in_page_of_pages("Kommunen ansvarar för boende enligt 2 kap. 1 §")
