"""Law citations in every form the agreements write them, resolved to SFS number, chapter and
section, and to where a repealed rule stands today."""
from __future__ import annotations

import pytest

from vemgorvad.extract.citations import find_citations
from vemgorvad.extract.citations.resolve import current_equivalent


def _one(text: str, as_of: str = "2012"):
    found = find_citations(text, as_of)
    assert len(found) == 1, [(c.text, c.sfs) for c in found]
    citation = found[0]
    return citation.sfs, citation.abbr, [p.key for p in citation.provisions], citation


@pytest.mark.parametrize("text, sfs, abbr, provisions", [
    ("enligt 2 kap. 7 § SoL ska", "2001:453", "SoL", ["2 kap. 7 §"]),
    ("enligt SoL 2 kap 7§ ska", "2001:453", "SoL", ["2 kap. 7 §"]),
    ("enligt 3 f § HSL", "1982:763", "HSL", ["3 f §"]),
    ("enligt HSL 8a§ ska", "1982:763", "HSL", ["8 a §"]),
    ("HSL 8a§ och 8b", "1982:763", "HSL", ["8 a §", "8 b §"]),
    ("enligt 8 a § hälso- och sjukvårdslagen", "1982:763", "HSL", ["8 a §"]),
    ("enligt 5 kap. 8 a § socialtjänstlagen", "2001:453", "SoL", ["5 kap. 8 a §"]),
    ("11 kap. 1 och 1 a §§ SoL", "2001:453", "SoL", ["11 kap. 1 §", "11 kap. 1 a §"]),
    ("SoL 5 kap § 1 a", "2001:453", "SoL", ["5 kap. 1 a §"]),
    ("8 kap. 10–11 §§ SoL", "2001:453", "SoL", ["8 kap. 10 §", "8 kap. 11 §"]),
    ("16 kap. 4 § HSL", "2017:30", "HSL", ["16 kap. 4 §"]),
    ("16 kap. 4 § hälso- och sjukvårdslagen (2017:30)", "2017:30", "HSL", ["16 kap. 4 §"]),
    ("12 kap. 11 § SoL (2025:400)", "2025:400", "SoL", ["12 kap. 11 §"]),
    ("socialtjänstlagen (2001:453)", "2001:453", "SoL", []),
    ("vård enligt LPT", "1991:1128", "LPT", []),
])
def test_each_written_form_resolves_to_law_chapter_and_section(text, sfs, abbr, provisions):
    assert _one(text)[:3] == (sfs, abbr, provisions)


def test_regulations_are_cited_by_series_and_number():
    found = find_citations("se SOSFS 2008:20/HSLF-FS 2017:40 och SOSFS 2011:9", "2012")
    assert [(c.series, c.sfs) for c in found] == [("SOSFS", "2008:20"), ("HSLF-FS", "2017:40"), ("SOSFS", "2011:9")]


def test_several_laws_in_one_phrase_are_each_cited():
    assert [c.abbr for c in find_citations("vård enligt LVM och LVU", "2012")] == ["LVM", "LVU"]


def test_a_citation_keeps_its_position_in_the_text():
    text = "Kommunen ska enligt 2 kap. 7 § SoL kalla till en samordnad individuell plan."
    citation = find_citations(text, "2012")[0]
    assert text[citation.start:citation.end] == "2 kap. 7 § SoL"


@pytest.mark.parametrize("text", [
    "Under åren 2010-2012 ska arbetet följas upp.",
    "Överenskommelsen gäller 2017–2020.",
    "Ring 08-123 45 67 eller se sidan 7.",
])
def test_years_and_numbers_that_are_not_citations_are_left_alone(text):
    assert find_citations(text, "2012") == []


def test_the_agreements_date_picks_the_law_version_when_the_numbering_fits_both():
    assert _one("8 kap. 10–11 §§ SoL", "2012")[0] == "2001:453"
    assert _one("8 kap. 10–11 §§ SoL", "2026")[0] == "2025:400"


@pytest.mark.parametrize("text, provision, today", [
    ("enligt 3 f § HSL", "3 f §", "2017:30 16 kap. 4 §"),
    ("enligt 8 a § HSL", "8 a §", "2017:30 16 kap. 3 §"),
    ("enligt 2 kap. 7 § SoL", "2 kap. 7 §", "2025:400 10 kap. 8"),
])
def test_repealed_provisions_point_to_where_the_rule_stands_today(text, provision, today):
    *_, citation = _one(text)
    current, verified = current_equivalent(citation, citation.provisions[0])
    assert today in current
    assert verified is True


def test_a_repealed_law_without_a_provision_points_to_the_law_that_replaced_it():
    *_, citation = _one("socialtjänstlagen (2001:453)")
    current, _ = current_equivalent(citation, None)
    assert "2025:400" in current


def test_a_law_in_force_has_no_current_equivalent():
    *_, citation = _one("16 kap. 4 § HSL")
    assert current_equivalent(citation, citation.provisions[0]) == (None, None)
