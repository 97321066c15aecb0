"""Every quote an answer gives is a passage of the agreement as its file has it (CONTRACT: only
whitespace, line-end hyphens, bullet glyphs and glued footnote numbers may be normalised; every
other letter and digit stands as in the agreement), compared the way ../shared/eval/score.py does.

Ingest drops page furniture (URL lines of a PDF's links, footnote texts, page numbers) and joins
the sentence around it; a quote of the joined sentence was then no passage of the agreement (one
held-out answer of round 2). A clause is still read whole, but quoted by its longest part that
stands in the original unbroken (Document.verbatim_span)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.eval.textmatch import squash
from vemgorvad.extract.clauses import extract
from vemgorvad.ingest import normalise

AGREEMENTS = Path(__file__).resolve().parents[1] / "data" / "agreements"

ACROSS_A_LINK = ("1. Samverkan\n\n"
                 "I arbetsgruppen representeras brukarorganisationerna av förbundet för barn och unga, \n\n"
                 "http://www.example.se/indikatorer/uppfoljning\n"
                 " FUB och andra organisationer. Kommunen ansvarar för boendet för personer med psykisk "
                 "funktionsnedsättning.\n")


def test_a_sentence_joined_across_a_url_line_is_quoted_by_its_longest_unbroken_part():
    doc = normalise(ACROSS_A_LINK)
    start = doc.text.index("I arbetsgruppen")
    end = doc.text.index("organisationer.") + len("organisationer.")
    assert "FUB" in doc.text[start:end]          # normalising joined the sentence across the link
    assert squash(doc.text[start:end]) not in squash(ACROSS_A_LINK)
    s, e = doc.verbatim_span(start, end)
    assert doc.text[s:e] == "I arbetsgruppen representeras brukarorganisationerna av förbundet för barn och unga,"
    assert squash(doc.text[s:e]) in squash(ACROSS_A_LINK)
    following = doc.text.index("Kommunen")
    whole = doc.text.index("funktionsnedsättning.") + len("funktionsnedsättning.")
    assert doc.verbatim_span(following, whole) == (following, whole)   # an unbroken sentence is kept whole


def test_every_clause_quote_of_a_text_with_furniture_stands_in_the_original():
    doc = normalise(ACROSS_A_LINK)
    extraction = extract(doc, "prov")
    assert extraction.clauses
    for clause in extraction.clauses:
        assert clause.quote == doc.text[clause.start:clause.end]
        assert squash(clause.quote) in squash(ACROSS_A_LINK), clause.quote
    assert any(c.quote.startswith("Kommunen ansvarar för boendet") for c in extraction.responsibilities)


def test_a_glued_footnote_number_and_a_line_end_hyphen_do_not_cut_a_quote():
    raw = ("Kommunen ansvarar för stöd till personer med psykisk störning1 och för boende-\n"
           "stöd i det egna hemmet.\n\n1 Enligt lagen (2001:453).\n")
    doc = normalise(raw)
    end = doc.text.index("hemmet.") + len("hemmet.")
    assert doc.verbatim_span(0, end) == (0, end)


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    catalogue = json.loads((AGREEMENTS / "agreements.json").read_text(encoding="utf-8"))
    return {e["key"]: squash((AGREEMENTS / e["file"]).read_text(encoding="utf-8")) for e in catalogue}


def test_every_quote_the_ask_engine_can_serve_stands_in_its_agreement(ask_engine, sources):
    """Over every provision of the seed agreements the served ask index holds (each is a quote
    /api/ask may give, as answer, case or nearest passage): squashed as score.py does, it is a
    substring of the agreement's file. The session's service's index is the one /api/ask answers
    from (tests/test_ask_saved.py proves it is the index of the whole graph)."""
    entries = ask_engine.index.entries
    assert len(entries) > 500 and {e.agreement for e in entries} == set(sources)
    wrong = [(e.agreement, e.quote[:120]) for e in entries if squash(e.quote) not in sources[e.agreement]]
    assert wrong == []


def test_the_quotes_of_answers_over_http_stand_in_their_agreement(client, sources):
    questions = ["Vem ansvarar för hjälpmedel?", "Vem betalar placering på HVB?", "Vem kallar till SIP?",
                 "Vem ansvarar för sysselsättning för personer med psykisk funktionsnedsättning?"]
    seen = 0
    for q in questions:
        body = client.get("/api/ask", params={"q": q}).json()
        for answer in body["answers"]:
            assert squash(answer["quote"]) in sources[answer["agreement"]["key"]], answer["quote"]
            seen += 1
    assert seen
