"""Property tests for ingest and extraction — the pipeline `vemgorvad build` and the gap check
share (readers → normalise → extract → coverage evidence → agreement graph).

For any input: random Unicode, 100,000-character lines, deeply nested bullets, only digits,
bytes in mixed encodings or broken PDF/DOCX files, it
- finishes within a per-example deadline, without an exception other than a clean IngestError
  (undecodable, empty or unreadable input);
- keeps the normalised text traceable: every letter and digit of the normalised text stands at
  its recorded offset in the original text (CONTRACT: whitespace, line-end hyphens, bullet glyphs
  and glued footnote numbers may be normalised; every other letter and digit stands as in the
  agreement);
- produces only quotes (clause quotes, coverage evidence, the graph's oa:exact) that are verbatim
  spans of the normalised text and whose letters and digits are found, through the offsets, in
  the original text; the raw span the graph records (the evidence's vg:SourcePositionSelector) lies inside the original,
  and the graph's oa:exact values are those quotes (every responsibility's among them).

Example counts are small for `make test`; VEMGORVAD_PROPERTY_SCALE (`make fuzz`) multiplies them.
"""
from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vemgorvad.extract.clauses import extract
from vemgorvad.extract.coverage import statuses
from vemgorvad.extract.sentences import MAX_UNIT, units_of
from vemgorvad.graph.agreement import AgreementGraph
from vemgorvad.ingest import IngestError, ingest_bytes, normalise
from vemgorvad.ingest.layout import layout

SCALE = max(1, int(os.environ.get("VEMGORVAD_PROPERTY_SCALE", "1")))
LONG = 100_000


def examples(n: int) -> settings:
    return settings(max_examples=n * SCALE, derandomize=True, database=None, deadline=timedelta(seconds=20),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


# --- inputs ------------------------------------------------------------------------------------

# Pieces agreements are made of, so that generated text reaches headings, lists, footnotes,
# citations, conditions and bearers, not only the "too little text" paths.
PIECES = ["Kommunen", "Regionen", "Landstinget", "socialtjänsten", "primärvården", "Båda huvudmännen",
          "ansvarar för", "ska", "betalar", "hälften", "en tredjedel", "två tredjedelar", "hjälpmedel",
          "boende", "SIP", "samordnad individuell plan", "vid utskrivning", "från 21 års ålder",
          "upp till 18 år", "inom två veckor", "överstiger 14 dagar", "2 kap. 7 § SoL", "HSL 8a§",
          "3 f § hälso- och sjukvårdslagen", "SoL (2001:453)", "SOSFS 2011:9", "enligt LPT", "störning1",
          "förskrivnings-\nutbildning", "psykisk funk-\ntionsnedsättning", "hjälp\u00admedel", "Sida 2 av 9",
          "www.example.se/avtal", "12. Tvister", "10.6 Hjälpmedel", "a)", "1.", ".", ", ", ": ", " ", "  ",
          "\n", "\n\n", "\f", "\t", "\u00a0", "\r\n", *layout().bullets]
piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=8))
agreement_like = st.lists(piece, max_size=400).map("".join)
random_unicode = st.text(max_size=3000)
only_digits = st.one_of(st.text(alphabet="0123456789", min_size=1, max_size=3000),
                        st.text(alphabet="0123456789 .\n", min_size=1, max_size=3000))


@st.composite
def nested_bullets(draw) -> str:
    """Lists nested up to 60 levels deep, with every bullet glyph the layout knows, numbers and
    letters, indentation going up and down."""
    lines = []
    for _ in range(draw(st.integers(1, 200))):
        depth = draw(st.integers(0, 60))
        marker = draw(st.one_of(st.sampled_from(layout().bullets), st.sampled_from(["1.", "a)", "1.2.3.4", "ii)", ""])))
        words = draw(st.lists(st.sampled_from(PIECES[:28]), min_size=0, max_size=8))
        lines.append(" " * (2 * depth) + marker + " " + " ".join(words))
    return "\n".join(lines)


long_line = st.tuples(st.one_of(st.text(min_size=1, max_size=60), agreement_like.filter(bool)),
                      st.booleans()).map(lambda t: ((t[0].replace("\n", " ") if t[1] else t[0]) * LONG)[:LONG])
any_text = st.one_of(agreement_like, random_unicode, nested_bullets(), only_digits)

CODECS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "mac_roman",
          "cp437"]
mixed_bytes = st.lists(st.one_of(st.tuples(any_text, st.sampled_from(CODECS)).map(
    lambda t: t[0].encode(t[1], errors="replace")), st.binary(max_size=300)), max_size=6).map(b"".join)


# --- what must hold ----------------------------------------------------------------------------

def assert_traceable(doc) -> None:
    """Every letter and digit of the normalised text stands at its offset in the original."""
    raw, text = doc.raw, doc.text
    assert len(doc.offsets) == len(text) + 1
    assert all(0 <= o <= len(raw) for o in doc.offsets)
    wrong = [(i, ch, raw[doc.offsets[i]] if doc.offsets[i] < len(raw) else None)
             for i, ch in enumerate(text) if ch.isalnum() and (doc.offsets[i] >= len(raw) or raw[doc.offsets[i]] != ch)]
    assert not wrong, f"normalised characters that are not in the original at their offset: {wrong[:5]}"
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(text)


def assert_quotes_verbatim(doc, extraction) -> None:
    """Clause quotes and coverage evidence: spans of the normalised text, every letter and digit
    found in the original inside the raw span recorded for it."""
    passages = [p for status in statuses(doc, extraction).values()
                for p in (*status.regulating, *status.referencing, *status.mentioning)]
    for clause in [*extraction.clauses, *passages]:
        assert 0 <= clause.start < clause.end <= len(doc.text)
        assert clause.quote == doc.text[clause.start:clause.end]
        assert clause.quote.strip()
        if hasattr(clause, "own_start"):
            assert clause.start <= clause.own_start <= clause.own_end <= clause.end
        raw_start, raw_end = doc.raw_span(clause.start, clause.end)
        assert 0 <= raw_start <= raw_end <= len(doc.raw)
        for i in range(clause.start, clause.end):
            if doc.text[i].isalnum():
                assert doc.raw[doc.offsets[i]] == doc.text[i], (clause.quote, i)


def assert_graph_quotes(doc, extraction) -> None:
    """The graph built from it (as build and the gap check do) holds exactly those quotes."""
    record = {"key": "egenskap", "file": "egenskap.txt", "title": "Egenskapstest", "parties": [],
              "valid_from": None, "valid_to": None}
    quads = AgreementGraph(record, doc, extraction).build()
    exact = {str(q.object.value) for q in quads if q.predicate.value == "http://www.w3.org/ns/oa#exact"}
    assert {c.quote for c in extraction.responsibilities} <= exact <= {c.quote for c in extraction.clauses}


def pipeline(text: str):
    doc = normalise(text)
    assert_traceable(doc)
    extraction = extract(doc, "egenskap")
    assert_quotes_verbatim(doc, extraction)
    return doc, extraction


# --- the properties ----------------------------------------------------------------------------

@examples(40)
@given(any_text)
def test_any_text_is_normalised_and_extracted_with_verbatim_quotes(text):
    doc, extraction = pipeline(text)
    assert_graph_quotes(doc, extraction)


@examples(15)
@given(nested_bullets())
def test_deeply_nested_lists_keep_every_item_traceable(text):
    doc, _extraction = pipeline(text)
    assert all(b.level >= 1 for b in doc.blocks)


@settings(max_examples=2 * SCALE, derandomize=True, database=None, deadline=timedelta(seconds=60),
          suppress_health_check=list(HealthCheck))
@given(long_line)
def test_a_100000_character_line_takes_bounded_time(text):
    assert len(text) == LONG
    pipeline(text)


@examples(60)
@given(mixed_bytes)
def test_any_bytes_give_a_document_or_a_clean_ingest_error(data):
    try:
        doc = ingest_bytes(data, "avtal.txt")
    except IngestError as err:
        assert err.sv and err.en and 400 <= err.status < 500
        return
    assert_traceable(doc)
    assert_quotes_verbatim(doc, extract(doc, "egenskap"))


@examples(25)
@given(st.sampled_from([("avtal.pdf", b"%PDF-1.4\n"), ("avtal.docx", b"PK\x03\x04"), ("avtal.pdf", b""),
                        ("avtal", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")]), st.binary(max_size=2000))
def test_broken_pdf_and_docx_files_give_a_clean_ingest_error(kind, tail):
    name, head = kind
    try:
        doc = ingest_bytes(head + tail, name)
    except IngestError as err:
        assert err.sv and 400 <= err.status < 500
        return
    assert_traceable(doc)


# --- regressions found by these properties -----------------------------------------------------

def test_soft_hyphens_do_not_shift_the_offsets_of_what_follows():
    raw = ("Kommunen ansvarar för hjälp\u00admedel och ser till att alla får stöd i vardagen.\n"
           "• Regionen \u00adska\u00ad \u00adbe-\nhandla och följa upp vården enligt 2 kap. 7 § SoL.\n")
    doc, extraction = pipeline(raw)
    assert "hjälpmedel" in doc.text and "\u00ad" not in doc.text
    start = doc.text.index("hjälpmedel")
    assert raw[doc.offsets[start + 5]:doc.offsets[start + 5] + 5] == "medel"
    assert extraction.clauses


@pytest.mark.slow   # a large input: a 100,000-character line through the whole pipeline
def test_a_long_line_without_sentence_ends_is_cut_into_bounded_units():
    """A 100,000-character line of duties without a full stop once took minutes (every cost share
    re-read the whole "sentence"); units are now at most MAX_UNIT characters, cut at spaces."""
    unit = "Kommunen ansvarar för hjälpmedel och regionen betalar hälften och kommunen en tredjedel "
    text = (unit * (LONG // len(unit) + 1))[:LONG]
    started = time.process_time()   # this process's CPU, not the wall clock a loaded machine stretches
    doc, extraction = pipeline(text)
    elapsed = time.process_time() - started
    units = units_of(doc)
    assert max(u.end - u.start for u in units) <= MAX_UNIT
    assert sum(u.end - u.start for u in units) >= len(doc.text) - len(units)   # nothing is dropped
    assert extraction.responsibilities
    assert elapsed < 30, elapsed
