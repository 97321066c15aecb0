"""Issue 14 items 4 and 6: the kind of agreement is recognised from what it regulates and speaks
of, and it is checked only against what is asked of its kind; the requirement findings are the
results of the SHACL validation of the completeness shapes (shapes/completeness.ttl, rendered
from data/requirements.json)."""
from __future__ import annotations

import random

import pytest

from checkutil import SEEDS, TOPIC_KEYS, agreement_text, seed_text
from vemgorvad.extract.kinds import kinds, law_kinds, recognise
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check
from vemgorvad.validate.completeness import check_agreement, requirements, together

IRI = "https://w3id.org/vemgorvad/id/agreement/test"
LABELS = {t: t for t in TOPIC_KEYS}

DOCTORS = """Avtal om läkarmedverkan i särskilda boenden i Exempelby kommun

1. Parter
Detta avtal är ingånget mellan Exempelby kommun och Vårdcentralen Exempelby AB.

2. Omfattning
Avtalet omfattar läkarinsatser för personer som bor i kommunens särskilda boenden för äldre.

3. Vårdgivarens åtaganden
Vårdgivaren ska utse en fast läkare för varje boende. Den fasta läkaren ska göra läkarbesök varje vecka
och ska genomföra en läkemedelsgenomgång för varje boende minst en gång per år.

4. Kommunens åtaganden
Kommunen ska se till att sjuksköterskan förbereder läkarbesöken.

5. Tvister
Tvister om avtalet ska i första hand lösas mellan parternas kontaktpersoner.

6. Giltighet
Avtalet gäller från och med 2026-01-01 till och med 2027-12-31.
"""


def report_of(text: str, peers: Peers | None = None) -> dict:
    return check(text.encode("utf-8"), "utkast.txt", peers or Peers({}, dict(LABELS)))


@pytest.mark.parametrize("key", SEEDS)
def test_the_seeds_are_agreements_of_the_law_kind(key):
    report = report_of(seed_text(key))
    kind = report["agreement"]["kind"]
    assert kind["key"] in law_kinds() and kind["law"] is True and not kind["assumed"]
    assert "other-kind" not in {f["code"] for f in report["findings"]}


def test_an_agreement_on_one_group_is_that_kind():
    groups = "2. Målgrupp\nÖverenskommelsen omfattar personer med missbruk eller beroende av alkohol eller narkotika.\n\n"
    text = agreement_text(groups=groups).replace("psykisk funktionsnedsättning och missbruk", "missbruk")
    assert report_of(text)["agreement"]["kind"]["key"] == "missbruk"


def test_an_agreement_on_doctors_in_care_homes_is_another_kind():
    report = report_of(DOCTORS)
    kind = report["agreement"]["kind"]
    assert kind["key"] == "lakarmedverkan_sarskilt_boende" and kind["law"] is False
    assert {"läkarbesök", "fast läkare"} & set(kind["words"]) and "läkarmedverkan" in kind["summary"]
    violations = [f for f in report["findings"] if f["severity"] == "violation"]
    assert violations == [], violations
    other = [f for f in report["findings"] if f["code"] == "other-kind"]
    assert len(other) == 1 and other[0]["severity"] == "info"
    assert "SoL 7 kap. 2 §" in other[0]["message"] and "HSL 16 kap. 3 §" in other[0]["message"]
    # none of the law kind's requirements, one by one
    required = {f.get("requirement") for f in report["findings"] if f["code"] == "missing-requirement"}
    assert not required & {"malgrupp-psykisk-funktionsnedsattning", "malgrupp-missbruk", "brukarinflytande"}
    rows = {t["topic"]: t for t in report["topics"]}
    assert rows["malgrupp_psykisk_funktionsnedsattning"]["requirement"] == "recommended"


def test_peer_practice_is_not_held_against_another_kind():
    peers = Peers({"sip": {"a", "b", "c", "d"}, "tvister": {"a", "b", "c", "d"}}, dict(LABELS),
                  {k: k for k in "abcd"})
    codes = {f["code"] for f in report_of(DOCTORS, peers)["findings"]}
    assert "peer-practice" not in codes


def test_a_text_that_says_nothing_of_its_kind_is_checked_as_the_default_and_says_so():
    found = recognise("Parterna ska träffas två gånger per år.", "Överenskommelse", {})
    assert found.assumed and found.kind.key in law_kinds()


def test_every_kind_has_requirements_and_every_requirement_a_known_kind():
    keys = {k.key for k in kinds()}
    assert law_kinds() <= keys
    for r in requirements():
        assert r.kinds and set(r.kinds) <= keys, r.id
    for k in keys:
        assert any(k in r.kinds for r in requirements()), k


# --- item 6: the findings are the SHACL results ------------------------------------------------

@pytest.mark.parametrize("kind", sorted(k.key for k in kinds()))
def test_an_empty_agreement_fails_exactly_its_kinds_shapes(kind):
    _summary, _report, results = check_agreement(IRI, set(), set(), kind)
    expected = {r.id for r in requirements() if kind in r.kinds}
    assert {r.shape for r in results} == expected
    for result in results:
        assert result.message and result.severity in ("violation", "warning")


def test_the_compiled_completeness_shapes_give_pyshacls_results():
    """The gap check runs the completeness shapes compiled to SPARQL (validate/shacl_sparql.py);
    pySHACL is the reference: the same results, shape by shape, for every kind and random sets of
    regulated and referred topics (the summary counts one result per failing shape)."""
    rng = random.Random(20261203)
    keys = [k.key for k in kinds()] + [None]
    for _ in range(60):
        kind = rng.choice(keys)
        regulated = {t for t in LABELS if rng.random() < 0.4}
        referenced = {t for t in LABELS if rng.random() < 0.15} - regulated
        summary, _none, compiled = check_agreement(IRI, regulated, referenced, kind)
        _summary, _report, reference = check_agreement(IRI, regulated, referenced, kind, engine="pyshacl")
        assert compiled == reference, (kind, regulated, referenced)
        assert (summary.violations, summary.warnings) == (sum(r.severity == "violation" for r in reference),
                                                          sum(r.severity == "warning" for r in reference))


def test_a_requirement_is_met_by_regulating_or_by_reference():
    law = "psykisk_funktionsnedsattning_och_missbruk"
    shapes = lambda regulated, referenced: {r.shape for r in check_agreement(IRI, regulated, referenced, law)[2]}
    assert "malgrupp-missbruk" in shapes(set(), set())
    assert "malgrupp-missbruk" not in shapes({"malgrupp_missbruk"}, set())
    assert "malgrupp-missbruk" not in shapes(set(), {"malgrupp_missbruk"})


def test_requirements_stated_together_are_a_shape_of_their_own():
    rule = together()[0]
    law = "psykisk_funktionsnedsattning_och_missbruk"
    first, second = (next(r for r in requirements() if r.id == i).topics[0] for i in rule.requirements)
    shapes = lambda regulated: {r.shape for r in check_agreement(IRI, regulated, set(), law)[2]}
    assert rule.code in shapes({first}) and rule.code in shapes({second})
    assert rule.code not in shapes({first, second}) and rule.code not in shapes(set())


def test_the_reports_requirement_findings_are_the_shacl_results():
    text = agreement_text(groups="", validity="")
    report = report_of(text)
    kind = report["agreement"]["kind"]["key"]
    regulated = {t["topic"] for t in report["topics"] if t["status"] == "covered"}
    referenced = {t["topic"] for t in report["topics"] if t["status"] == "referenced"}
    _summary, _graph, results = check_agreement(IRI, regulated, referenced, kind)
    codes = {rule.code for rule in together()}
    from_findings = {f.get("requirement") or f["code"] for f in report["findings"]
                     if f["code"] == "missing-requirement" or f["code"] in codes}
    assert from_findings == {r.shape for r in results}
    assert {"malgrupp-psykisk-funktionsnedsattning", "giltighetstid"} <= from_findings
