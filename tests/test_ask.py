"""GET /api/ask, /api/compare and `vemgorvad ask`: the CONTRACT's shape, answers from the graph
with conditions applied, honest abstention, and Swedish errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = sorted(r["key"] for r in json.loads((ROOT / "data/agreements/agreements.json").read_text(encoding="utf-8")))


def ask(client, q: str, **params) -> dict:
    response = client.get("/api/ask", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


def top(body: dict) -> dict:
    assert body["status"] in ("answered", "ambiguous"), body
    return body["answers"][0]


@pytest.fixture(scope="module")
def texts(build_dir) -> dict[str, str]:
    return {key: (build_dir / "agreements" / key / "normalised.txt").read_text(encoding="utf-8") for key in KEYS}


# --- the contract ------------------------------------------------------------------------------

def test_an_answer_has_every_field_of_the_contract(client, texts):
    body = ask(client, "Vem ansvarar för hjälpmedel för en 25-åring i Uppsala?")
    assert set(body) >= {"question", "status", "interpretation", "answers", "sparql"}
    assert body["interpretation"]["agreement"] == "uppsala"
    assert "hjalpmedel" in body["interpretation"]["topics"]
    assert body["interpretation"]["age"] == 25
    for answer in body["answers"]:
        assert set(answer) >= {"principal", "unit", "statement", "conditions", "agreement", "section",
                               "quote", "responsibility", "score"}
        assert answer["principal"]["kind"] in ("kommun", "region", "kommun+region", "other")
        assert answer["principal"]["id"].startswith("https://w3id.org/vemgorvad/")
        assert answer["agreement"]["key"] == "uppsala"
        assert answer["quote"] in texts["uppsala"]
        assert answer["section"]
    scores = [a["score"] for a in body["answers"]]
    assert scores == sorted(scores, reverse=True)


def test_the_sparql_returned_finds_the_responsibilities_answered(client, embedded_store):
    body = ask(client, "Vem kallar till SIP i Västra Götaland?")
    _, rows = embedded_store.select(body["sparql"])
    found = {row["r"].value for row in rows}
    assert {a["responsibility"] for a in body["answers"]} <= found


def test_every_quote_in_every_answer_is_verbatim(client, texts):
    for q in ("vem ansvarar för boende för personer med psykisk funktionsnedsättning?",
              "vem ansvarar för sysselsättning?", "vem ska delta i samordnad vårdplanering?",
              "vem betalar vid placering på HVB?", "vem ansvarar för tvister?"):
        for answer in ask(client, q)["answers"]:
            assert answer["quote"] in texts[answer["agreement"]["key"]], answer["quote"]


# --- conditions change the answer --------------------------------------------------------------

def test_the_age_decides_who_prescribes_aids_in_uppsala(client):
    young = top(ask(client, "Vem ansvarar för hjälpmedel för en 15-åring i Uppsala?"))
    adult = top(ask(client, "Vem ansvarar för hjälpmedel för en 25-åring i Uppsala?"))
    assert young["principal"]["kind"] == "region"
    assert adult["principal"]["kind"] == "kommun"
    assert "21" in adult["conditions"]


def test_a_colloquial_question_with_a_typo_is_understood(client):
    answer = top(ask(client, "vem fixar hjälpmedel för minnet till en 25-åring i uppsla?"))
    assert answer["principal"]["kind"] == "kommun"


def test_the_hvb_cost_split_gives_each_party_its_share_as_a_default(client):
    body = ask(client, "Vem betalar vid placering på HVB i Uppsala?")
    split = [a for a in body["answers"] if "om inget annat är överenskommet" in a["conditions"]]
    assert {a["principal"]["kind"] for a in split} == {"kommun", "region"}


def test_asking_who_pays_for_a_subject_gives_the_subjects_rule_for_that_age(client):
    """The question's subject is read first, and among the answers stands the municipality's rule for
    aids from 21 — the region's rule for younger people is filtered out by the age. (That the aids rule,
    not the general cost rule for placements, is the first answer is not yet so: issue 13, left open.)"""
    body = ask(client, "Vem betalar hjälpmedel för en 25-åring i Uppsala?")
    assert body["interpretation"]["topics"][0] == "hjalpmedel"
    aids = [a for a in body["answers"] if "hjälpmedel" in a["quote"].lower()]
    assert any(a["principal"]["kind"] == "kommun" and "21" in a["conditions"] for a in aids), body["answers"]
    assert not any(a["principal"]["kind"] == "region" and "21" in a["conditions"] for a in aids)


@pytest.mark.parametrize("words, key", [
    ("i Uppsala", "uppsala"), ("i VGR", "vastra-gotaland"), ("i Bromma", "stockholm-vasterort"),
    ("i Västmanland", "vastmanland"), ("i Sörmland", "sormland"),
])
def test_a_county_or_place_in_the_question_restricts_the_agreement(client, words, key):
    body = ask(client, f"Vem ansvarar för boende {words}?")
    assert body["interpretation"]["agreement"] == key
    assert all(a["agreement"]["key"] == key for a in body["answers"])


def test_the_agreement_parameter_wins_over_a_county_in_the_question(client):
    body = ask(client, "Vem kallar till SIP i Uppsala?", agreement="vastmanland")
    assert {a["agreement"]["key"] for a in body["answers"]} == {"vastmanland"}


@pytest.mark.parametrize("q, intent", [
    ("vem kallar till SIP?", "convene"), ("vem betalar HVB?", "pay"), ("vem samordnar insatserna?", "coordinate"),
])
def test_the_kind_of_duty_asked_for_is_recognised(client, q, intent):
    assert intent in ask(client, q)["interpretation"]["duties"]


# --- abstention --------------------------------------------------------------------------------

def test_what_an_agreement_does_not_regulate_is_not_covered_without_answers(client):
    body = ask(client, "Vem ansvarar för tandvård i Bromma?")
    assert body["status"] == "not_covered" and body["answers"] == []


@pytest.mark.parametrize("q", [
    "Who is responsible for dental care?", "Vad kostar en kaffe på Centralen?", "asdfghjkl qwerty",
    "???", "<script>alert(1)</script>",
])
def test_unrelated_or_foreign_questions_never_fail(client, q):
    body = ask(client, q)
    assert body["status"] in ("not_covered", "answered", "ambiguous")


@pytest.mark.parametrize("q", ["Vilken färg har himlen på Mars?", "Hur lagar man köttbullar?"])
def test_unrelated_questions_are_not_answered(client, q):
    assert ask(client, q)["status"] == "not_covered"


# --- comparison --------------------------------------------------------------------------------

def test_compare_gives_one_entry_per_agreement_with_regulated_or_not(client, texts):
    body = client.get("/api/compare", params={"topic": "tvister"}).json()
    rows = body["agreements"]
    assert sorted(r["agreement"]["key"] for r in rows) == KEYS
    for row in rows:
        assert row["status"] in ("reglerat", "inte reglerat")
        for answer in row["answers"]:
            assert answer["quote"] in texts[row["agreement"]["key"]]
    assert any(r["status"] == "reglerat" and r["answers"] for r in rows)


def test_a_comparison_question_gets_the_comparison(client):
    body = ask(client, "Hur skiljer sig länen åt när det gäller tvister?")
    assert body["interpretation"].get("compare") is True
    assert len(body["comparison"]) == len(KEYS)


@pytest.mark.parametrize("params, status", [({}, 400), ({"topic": "finns-inte"}, 404)])
def test_compare_refuses_a_missing_or_unknown_topic_in_swedish(client, params, status):
    response = client.get("/api/compare", params=params)
    assert response.status_code == status
    assert response.json()["detail"]


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("params, words", [
    ({}, "saknas"), ({"q": ""}, "saknas"), ({"q": "   "}, "saknas"),
    ({"q": "x" * 1001}, "för lång"), ({"q": "vem\x00ansvarar"}, "styrtecken"), ({"q": "vem\x1bansvarar"}, "styrtecken"),
])
def test_bad_questions_get_400_with_a_swedish_detail(client, params, words):
    response = client.get("/api/ask", params=params)
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_an_unknown_agreement_is_404_listing_the_valid_keys(client):
    response = client.get("/api/ask", params={"q": "vem ansvarar för boende?", "agreement": "narnia"})
    assert response.status_code == 404
    body = response.json()
    assert "narnia" in body["detail"]
    assert all(key in body["detail"] for key in KEYS)


def test_a_question_of_exactly_the_maximum_length_is_accepted(client):
    assert client.get("/api/ask", params={"q": "boende " * 142 + "ab"}).status_code == 200


# --- the command line --------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vemgorvad.cli", "ask", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_cli_json_prints_exactly_the_api_body(client, build_dir):
    q = "Vem ansvarar för hjälpmedel för en 15-åring i Uppsala?"
    result = _cli(q, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ask(client, q)


def test_cli_prints_a_swedish_answer_with_the_quote():
    result = _cli("Vem ansvarar för tandvård i Bromma?")
    assert result.returncode == 0
    assert "Inte reglerat" in result.stdout
    result = _cli("Vem ansvarar för hjälpmedel för en 25-åring?", "--agreement", "uppsala")
    assert "Kommun" in result.stdout and "”" in result.stdout


@pytest.mark.parametrize("args", [("",), ("vem ansvarar för boende?", "--agreement", "narnia")])
def test_cli_errors_are_one_line_and_a_non_zero_exit(args):
    result = _cli(*args)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_repeated_question_gets_the_same_answer_and_callers_cannot_change_the_cache(embedded_store):
    from vemgorvad.serve.ask.engine import AskEngine
    engine = AskEngine(embedded_store)
    first = engine.ask("Vem kallar till SIP i Västmanland?")
    first["answers"].clear()
    second = engine.ask("Vem kallar till SIP i Västmanland?")
    assert second["answers"], "the cached answer must not be the caller's object"
    assert second == engine.ask("Vem kallar till SIP i Västmanland?")
    assert engine.ask("Vem kallar till SIP i Västmanland?", "uppsala")["interpretation"]["agreement"] == "uppsala"


def test_a_concept_named_by_a_label_no_agreement_uses_is_looked_for_in_the_agreements_words(client):
    """"substitutionsbehandling" is an altLabel of the LARO topic; Västmanland writes
    "läkemedelsassisterad behandling (LARO)"."""
    body = ask(client, "Vem ansvarar för substitutionsbehandling i Västmanland?")
    assert "läkemedelsassister behandling" in body["interpretation"]["words"]
    passages = [a["quote"] for a in body["answers"]] + [n["quote"] for n in body.get("nearest", [])]
    assert passages, body
