"""A table whose columns are the parties ("Uppgift | Kommunen | Regionen", a responsibility
assignment matrix) allocates each row's task to the parties whose cells are filled
(extract/tables.py), in a text pasted with tabs and in a PDF whose cells the reader parts alike."""
from __future__ import annotations

import pytest

from checkutil import agreement_text
from vemgorvad.extract.clauses import extract
from vemgorvad.extract.coverage import statuses
from vemgorvad.extract.tables import party_rows
from vemgorvad.ingest import normalise
from vemgorvad.pipeline import process

TABLE = ("\n7. Vem gör vad\nUppgift\tKommunen\tRegionen\n"
         "Samordnad individuell plan\tkallar när behovet finns hos kommunen\tkallar när behovet finns hos regionen\n"
         "Tandvård\t–\tansvarar\n"
         "Hjälpmedel\t–\t–\n"
         "Anhörigstöd\tkan erbjuda stöd\t–\n")


def status_of(text: str) -> dict[str, str]:
    result = process(text.encode("utf-8"), "utkast.txt", "utkast")
    return {t: s.status for t, s in statuses(result.doc, result.extraction, result.metadata.party_details).items()}


def rows_by_task(text: str) -> dict[str, object]:
    doc = normalise(text)
    return {doc.block_text(i).split()[0]: row for i, row in party_rows(doc).items()}


def test_a_filled_party_cell_allocates_the_rows_task_to_that_party():
    rows = rows_by_task(TABLE)
    assert set(rows) == {"Samordnad", "Tandvård", "Anhörigstöd"}      # the header and the empty row allocate nothing
    assert rows["Samordnad"].bearer.kind == "kommun+region"
    assert rows["Tandvård"].bearer.kind == "region" and rows["Tandvård"].modality.cls == "obligation"
    assert rows["Anhörigstöd"].modality.cls == "permission"          # the cell's own modal decides


def test_the_rows_of_a_party_table_regulate_their_topics_and_an_empty_row_does_not():
    found = status_of(agreement_text(extra=TABLE))
    assert found.get("sip") == "covered" and found.get("tandvard") == "covered"
    assert found.get("hjalpmedel", "missing") != "covered"
    clauses = {c.text.split()[0]: c for c in extract(normalise(agreement_text(extra=TABLE)), "t").clauses}
    assert clauses["Tandvård"].bearer is not None and clauses["Tandvård"].bearer.kind == "region"


@pytest.mark.parametrize("table", [
    "\nParter\nNamn\tRoll\nTandvård\tansvarar\n",                        # no party column
    "\nKontakt\n•\tKommunen\n•\tRegionen ansvarar inte för tandvård\n",  # bullets with a tab are no cells
])
def test_a_table_without_party_columns_allocates_nothing(table):
    assert not party_rows(normalise(agreement_text(extra=table)))


def test_an_item_that_only_names_a_party_lists_that_partys_acts():
    """'• Kommunen' over '- erbjuder boendestöd' (the present tense, the subject left out): the items
    are the municipality's acts, as under a heading 'Kommunens ansvar'; an item naming more than the
    party introduces nothing of the kind."""
    text = agreement_text(extra="\n7. Ansvar\n* Kommunen\n  - erbjuder boendestöd\n* Regionen\n  - erbjuder tandvård\n")
    clauses = {c.text: c for c in extract(normalise(text), "t").clauses}
    assert clauses["erbjuder boendestöd"].deontic_class == "obligation"
    assert clauses["erbjuder boendestöd"].bearer.kind == "kommun" and clauses["erbjuder tandvård"].bearer.kind == "region"
    assert status_of(text).get("tandvard") == "covered"
    other = agreement_text(extra="\n7. Ansvar\n* Kommunen har många verksamheter\n  - erbjuder tandvård\n")
    assert status_of(other).get("tandvard", "missing") != "covered"


def test_a_row_wrapped_over_lines_keeps_its_cells():
    """A PDF wraps a long row ('… plan\\tkallar när' / 'behovet finns hos kommunen\\tkallar …'): the
    tabs still part its cells, as many as the header's, so the row allocates as the text's does."""
    wrapped = ("\n7. Vem gör vad\nUppgift\tKommunen\tRegionen\n"
               "Samordnad individuell plan\tkallar när\nbehovet finns hos kommunen\tkallar när behovet\nfinns hos regionen\n")
    rows = rows_by_task(wrapped)
    assert rows["Samordnad"].bearer.kind == "kommun+region" and rows["Samordnad"].modality.cls == "obligation"
    assert not rows_by_task("\nUppgift\tKommunen\tRegionen\nTandvård\tansvarar\n")   # a cell short of the header: no row
