"""make eval's extraction score (tests/eval/extraction.py): the bearer kind as an outside scorer
matching by quote overlap counts it; the same over the responsibilities that quote the unit's own
sentence, by quote alone (the guideline's unit is one sentence or list item); and the same with the
same words in two lists told apart by the unit's list introduction."""
from __future__ import annotations

from tests.eval.extraction import class_figures, score

ITEM = "Erbjuda hälso- och sjukvård enligt Hälso- och sjukvårdsavtalet."
KOMMUN_INTRO = "Viktiga delar i kommunens ansvar för målgruppen är att:"
REGION_INTRO = "Viktiga delar i regionens ansvar för målgruppen är att:"


def _unit(uid: str, text: str, kind: str, intro: str = "") -> dict:
    return {"id": uid, "agreement": "a", "class": "obligation", "bearer_kind": kind, "text": text, "intro": intro}


def test_the_same_item_in_two_lists_is_told_apart_by_its_introduction_only_in_the_own_quote_figure():
    graph = {"a": [("r1", "kommun", ITEM, KOMMUN_INTRO), ("r2", "region", ITEM, REGION_INTRO)]}
    figures = score([_unit("u1", ITEM, "kommun", KOMMUN_INTRO), _unit("u2", ITEM, "region", REGION_INTRO)],
                    graph)["all"].figures()
    assert figures["bearer_kind"] == 0.0            # by overlap alone both units get kommun+region
    assert figures["bearer_kind_of_unit"] == 0.0    # both quote the same words: by quote alone, still both
    assert figures["bearer_kind_own_quote"] == 1.0


def test_a_sentence_that_only_shares_a_phrase_is_another_units_except_by_overlap_alone():
    """The guideline's unit is one sentence (section 1): a responsibility quoting another sentence
    that overlaps it is that sentence's, once some responsibility quotes the unit's own — but an
    outside scorer matching by overlap alone counts it (the first figure)."""
    text = "Identifiera samsjuklighet och säkerställa att behandling av missbruk sker parallellt och integrerat."
    other = "Båda huvudmännen ska säkerställa att behandling av missbruk sker parallellt och integrerat."
    graph = {"a": [("r1", "region", text, REGION_INTRO), ("r2", "kommun+region", other, "")]}
    s = score([_unit("u", text, "region", REGION_INTRO)], graph)["all"]
    assert s.figures()["bearer_kind"] == 0.0
    assert s.figures()["bearer_kind_of_unit"] == s.figures()["bearer_kind_own_quote"] == 1.0
    assert any("of unit: region" in m for m in s.misses)


def test_parallel_sentences_that_differ_in_their_subject_are_scored_apart():
    """"Socialtjänsten har ett ansvar att kalla till SIP …" and the region's sentence of the same words:
    each unit is scored by the responsibility quoting it, not by its neighbour's."""
    tail = " har ett ansvar att kalla till SIP, delta i SIP-möten och följa SIP-processen när behov föreligger."
    graph = {"a": [("r1", "kommun", "Socialtjänsten" + tail, ""), ("r2", "region", "Den regionala hälso- och sjukvården" + tail, "")]}
    units = [_unit("u1", "Socialtjänsten" + tail, "kommun"), _unit("u2", "Den regionala hälso- och sjukvården" + tail, "region")]
    figures = score(units, graph)["all"].figures()
    assert figures["bearer_kind"] == 0.0 and figures["bearer_kind_of_unit"] == 1.0


def test_a_quote_cut_otherwise_than_the_unit_counts_when_it_holds_the_unit_or_is_part_of_it():
    text = "Kommunen ska erbjuda boendestöd till personer med psykisk funktionsnedsättning."
    graph = {"a": [("r1", "kommun", text[:50], ""), ("r2", "region", "Regionen ska erbjuda boendestöd till personer med psykisk ohälsa.", "")]}
    assert score([_unit("u", text, "kommun")], graph)["all"].figures()["bearer_kind_of_unit"] == 1.0
    graph = {"a": [("r2", "region", "Regionen ska erbjuda boendestöd till personer med psykisk funktionsnedsättning.", "")]}
    assert score([_unit("u", text, "kommun")], graph)["all"].figures()["bearer_kind_of_unit"] == 0.0   # none quotes it: every overlap counts


def test_without_an_own_quote_every_figure_counts_every_overlapping_responsibility():
    text = "Kommunen ska erbjuda boendestöd till personer med psykisk funktionsnedsättning."
    graph = {"a": [("r1", "region", text + " Regionen ska bistå.", "")]}
    s = score([_unit("u", text, "kommun")], graph)["all"].figures()
    assert s["bearer_kind"] == s["bearer_kind_of_unit"] == s["bearer_kind_own_quote"] == 0.0


def test_the_class_figures_count_each_unit_once_by_its_own_clause():
    """Per deontic class (make eval's classes/<split>): the class of the clause quoting the unit's own
    text decides, else the strongest overlapping one; a unit no clause quotes is a description."""
    units = [dict(_unit("u1", "Kommunen ska erbjuda boendestöd till alla i målgruppen.", "kommun")),
             {**_unit("u2", "Regionen kan erbjuda konsultation vid behov till kommunen.", "region"), "class": "permission"},
             {**_unit("u3", "Syftet med överenskommelsen är att tydliggöra ansvaret.", "region"), "class": "description"}]
    clauses = {"a": [("obligation", units[0]["text"]), ("obligation", units[1]["text"])]}
    figures, wrong = class_figures(units, clauses)
    assert figures["obligation_p"] == 0.5 and figures["obligation_r"] == 1.0
    assert figures["permission_r"] == 0.0 and figures["description_p"] == figures["description_r"] == 1.0
    assert wrong == ["CLASS u2 gold=permission got=obligation Regionen kan erbjuda konsultation vid behov till kommunen."]
