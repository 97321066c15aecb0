"""Issue 16 item 4 as staff see it: /api/ask's groups of agreements in force for a place carry what the
page shows on each group — the agreement's validity (status, label, dates) and its county — also for a
group with no answer, which the page shows as "Inte reglerat i …"."""
from __future__ import annotations

import pytest

from vemgorvad.places import AgreementPlaces
from vemgorvad.serve.ask.cli import render
from vemgorvad.serve.present.facts import agreement_status, agreement_validity

#: the seed 'uppsala' as the county-wide agreement of Uppsala län and the seed 'stockholm-vasterort' as a
#: local agreement of Enköping: the local one says nothing about HVB costs (its group is empty)
CATALOGUE = [AgreementPlaces("uppsala", "Länsgemensam", ("03",), "county"),
             AgreementPlaces("stockholm-vasterort", "Lokal Enköping", ("0381",), "local", valid_from="2020-01-01")]
QUESTION = "Vem betalar HVB-placering i Enköping?"


@pytest.fixture
def constructed(ask_engine, monkeypatch):
    monkeypatch.setattr(ask_engine.reader, "places", CATALOGUE)
    ask_engine._answers.clear()
    yield ask_engine
    ask_engine._answers.clear()


def test_every_group_carries_its_agreements_validity_and_county(constructed, client):
    response = client.get("/api/ask", params={"q": QUESTION})
    assert response.status_code == 200
    body = response.json()
    groups = body["in_force"]
    assert [(g["level"], g["agreement"]["key"]) for g in groups] == [("county", "uppsala"),
                                                                     ("local", "stockholm-vasterort")]
    validity = agreement_validity(constructed.store)
    listed = {a["key"]: a for a in client.get("/api/agreements").json()}
    for g in groups:
        key = g["agreement"]["key"]
        assert g["agreement_status"] == agreement_status(validity.get(key))   # as a card's status is decided
        assert g["agreement_status"]["valid_to"] == listed[key]["valid_to"] and g["agreement_status"]["label"]
        assert g["county"] == listed[key]["county"]
        for a in g["answers"]:      # the cards in a group are decorated like every card
            assert a["agreement_status"] == g["agreement_status"] and "reference" in a
    empty = groups[1]
    assert empty["status"] == "not_covered" and empty["answers"] == []
    assert empty["agreement_status"]["label"], "a group with no answer still says how long its agreement is valid"


def test_a_question_about_one_agreement_has_no_groups(client):
    body = client.get("/api/ask", params={"q": "Vem betalar HVB-placering i Västmanland?"}).json()
    assert body["answers"] and "in_force" not in body


def test_the_command_line_lists_every_agreement_in_force_too(constructed, client):
    body = client.get("/api/ask", params={"q": QUESTION}).json()
    text = render(body)
    lines = text.splitlines()
    start = lines.index("Överenskommelser som gäller för Enköpings kommun:")
    county, local = lines[start + 1:start + 3]
    first, second = body["in_force"]
    assert county.startswith(f"- {first['agreement']['title']} (länsgemensam, {first['agreement_status']['label']}): ")
    assert county.endswith(f": {len(first['answers'])} svar")
    assert local == (f"- {second['agreement']['title']} (lokal, {second['agreement_status']['label']}): "
                     f"inte reglerat i {second['agreement']['title']}")
