"""Query expansion with the Swedish thesaurus (vemgorvad/thesaurus.py, serve/ask/expansion.py): the
thesaurus is read as its format says, both ways and one word at a time; the table the index keeps
holds only synonyms the agreements use, and every entry of it can match; a question in other words
than the agreement's finds the provision through the synonyms' own BM25, never through its own words'."""
from __future__ import annotations

import numpy as np
import pytest

from vemgorvad.serve.ask.expansion import expand, table
from vemgorvad.serve.ask.features import NAMES, bm25, candidates, synonyms, tokens
from vemgorvad.serve.ask.text import stem
from vemgorvad.thesaurus import parse, thesaurus_path
from vemgorvad.thesaurus import synonyms as thesaurus_synonyms

MYTHES = """ISO-8859-1
genomföra|1
|fullborda|utföra|verkställa|göra klart
ordna|2
(verb)|fixa|arrangera
|administrera
göra om|1
|upprepa
"""


def test_the_thesaurus_format_is_read_both_ways_one_word_at_a_time():
    pairs = parse(MYTHES)
    assert pairs["genomföra"] == {"fullborda", "utföra", "verkställa"}       # "göra klart" is no word
    assert "genomföra" in pairs["verkställa"] and "genomföra" in pairs["utföra"]   # both ways
    assert pairs["ordna"] == {"fixa", "arrangera", "administrera"}           # every meaning, any part of speech
    assert "göra om" not in pairs and "upprepa" not in pairs                 # a phrase heads nothing


def test_the_installed_thesaurus_is_folkets_synonymlexikon_as_mythes_sv_ships_it():
    assert thesaurus_path() is not None, "make installs mythes-sv (Makefile: thesaurus)"
    pairs = thesaurus_synonyms()
    assert len(pairs) > 10000
    assert "verkställa" in pairs["genomföra"] and "implementera" in pairs["införa"]
    assert all(w.isalpha() and w == w.lower() for w in pairs)


def test_the_table_keeps_only_synonyms_the_agreements_use_as_stems():
    found = table({stem("verkställa"), stem("arrangera")}, {"genomföra": frozenset({"verkställa", "fullborda"}), "verkställa": frozenset({"genomföra"}),
                          "fixa": frozenset({"arrangera"}), "arrangera": frozenset({"fixa"})})
    assert found == {stem("genomföra"): (stem("verkställa"),), stem("fixa"): (stem("arrangera"),)}


def test_expansion_adds_what_the_question_does_not_say_each_word_weighted_one_over_root_n():
    synonyms = {"genomför": ("verkställ",), "ordn": ("arrang", "fix", "styr", "admin")}
    added = expand(["genomför", "ordn", "genomför", "okänd"], {"styr"}, synonyms)
    assert added == [(["verkställ"], 1.0), (["arrang", "fix", "admin"], pytest.approx(3 ** -0.5))]
    assert expand(["verkställ"], set(), synonyms) == []


def test_every_entry_of_the_index_table_can_match_a_provision(engine):
    """Each entry the index keeps reaches words of the agreements: every synonym is a stem some
    provision says, so BM25 over the provisions' own words scores it above zero somewhere."""
    index = engine.index
    assert len(index.synonyms) > 1000
    for source, targets in index.synonyms.items():
        assert targets and source not in targets, source
    targets = sorted({t for found in index.synonyms.values() for t in found})
    unreached = [t for t in targets if not index.scores("own", [t]).max() > 0]
    assert not unreached, unreached[:10]


@pytest.fixture(scope="module")
def engine(ask_engine):
    return ask_engine


def test_a_question_in_other_words_finds_the_provision_through_the_synonyms(engine):
    """"genomförs" is no word of the provision; the thesaurus's "verkställa" is, and only the
    synonyms' feature sees it."""
    interp = engine.interpret("Vem ser till att det som avtalats genomförs i den egna organisationen i Västra Götaland?")
    added = synonyms(engine.index, interp, tokens(interp))
    assert any("verkställ" in group for group, _ in added)
    scores = bm25(engine.index, interp)
    found = candidates(engine.index, interp, interp.agreements, scores)
    at = NAMES.index("bm25_own_synonyms")
    target = [c for c in found if "verkställa sitt åtagande" in c.entry.quote]
    assert target and target[0].features[at] > 0
    rows = np.concatenate([np.asarray(engine.index.by_agreement[k]) for k in interp.agreements])
    best_own = float(scores[0][rows].max())
    assert best_own > 0      # relative to the question's own words' best BM25 in scope
    assert target[0].features[at] == pytest.approx(float(scores[3][target[0].entry.number]) / best_own)
