"""The ask engine's parts, each on its own: linear-time decompounding, spelling that never replaces
a Swedish word, ages said and never invented, places found by the gazetteer, the fitted ranking
model and its calibrated abstention, the cases of a conditional rule, and SPARQL that selects
exactly the answers it returned, with values bound in VALUES."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine(ask_engine):
    return ask_engine


# --- words ---------------------------------------------------------------------------------------

def _vocab(*words: str):
    from vemgorvad.serve.ask.text import Vocabulary, stem
    vocab = Vocabulary()
    for w in words:
        vocab.add_document({stem(w)})
    vocab.freeze()
    return vocab


def test_compounds_split_into_known_parts_with_swedish_linking_letters():
    vocab = _vocab("hjälpmedel", "förskrivning", "tand", "vård", "kostnad", "fördelning")
    assert vocab.split("hjälpmedelsförskrivning") == ["hjälpmedel", "förskrivning"]
    assert vocab.split("tandvård") == ["tand", "vård"]
    assert len(vocab.split("tandvårdskostnadsfördelning")) == 4
    assert vocab.split("xylofonspelare") == []


def test_a_compound_the_agreements_also_use_whole_is_still_split_into_its_parts():
    """"hemsjukvårdsinsatser" is itself a word of the agreements; its parts must still be found,
    or a question about "hemsjukvård" never meets the provision about "hemsjukvårdsinsatser"."""
    vocab = _vocab("hemsjukvårdsinsatser", "hemsjukvård", "insatser")
    assert vocab.split("hemsjukvårdsinsatser") == ["hemsjukvård", "insats"]


def test_decompounding_does_linear_work_in_the_length_of_a_word(monkeypatch):
    """Counted, not timed: the number of stems looked up grows in proportion to the word's length,
    even for the worst case (every prefix splits, the whole never does)."""
    from vemgorvad.serve.ask import text
    vocab = _vocab("aaaa", "aaaab", "vård")
    calls = []
    original = text.stem
    monkeypatch.setattr(text, "stem", lambda w: calls.append(w) or original(w))
    counts = []
    for n in (200, 400, 800):
        calls.clear()
        assert text._split("aaaa" * (n // 4) + "x", vocab) == ()
        counts.append(len(calls))
    assert counts[1] <= 2.2 * counts[0] and counts[2] <= 2.2 * counts[1], counts
    assert vocab.split("a" * 5000) == []   # over MAX_COMPOUND: not tried at all


# --- spelling ------------------------------------------------------------------------------------

def test_a_known_swedish_word_is_never_replaced(engine):
    interp = engine.interpret("Vem är handläggare för LSS-insatser i Uppsala?")
    assert "handläggare" not in interp.corrected


def test_a_misspelt_county_is_corrected_used_and_shown(engine):
    body = engine.ask("Vem kallar till SIP i Västmanalnd?")
    assert body["interpretation"]["agreement"] == "vastmanland"
    assert body["interpretation"]["corrected"] == {"västmanalnd": "Västmanland"}
    assert body["interpretation"]["did_you_mean"] == "Menade du Västmanland?"
    assert all(a["agreement"]["key"] == "vastmanland" for a in body["answers"])


def test_a_municipality_missing_its_dots_and_rings_is_found():
    from vemgorvad.serve.ask.spelling import Speller
    speller = Speller({"remiss", "vårdcentral"}, {"Västerås"}, set())
    fix = speller.correct("vasteras")
    assert fix is not None and fix.to == "Västerås" and fix.place and fix.replaces
    assert speller.correct("vardcentral").to == "vårdcentral"


def test_a_rare_dictionary_word_is_kept_and_a_far_commoner_neighbour_looked_for_beside_it():
    from vemgorvad.serve.ask.spelling import Speller, swedish_word
    assert swedish_word("remis")   # a draw in chess: a real word, so never replaced
    fix = Speller({"remiss"}, set(), set()).correct("remis")
    assert fix is not None and fix.to == "remiss" and not fix.replaces


def test_the_swedish_dictionary_ships_with_the_package():
    from vemgorvad.serve.ask.spelling import swedish_word
    from vemgorvad.wordlist import dictionary_path
    assert dictionary_path() is not None
    assert swedish_word("hjälpmedelsförskrivning") and not swedish_word("hjälpmedelsförsrivning")


# --- ages ----------------------------------------------------------------------------------------

def test_an_age_group_word_is_shown_as_said_and_no_age_is_invented(engine):
    interp = engine.interpret("Vem ansvarar för barn som far illa?").as_json()
    assert interp["age"] is None and interp["age_group"] == "barn"
    assert engine.interpret("Vem ansvarar för hjälpmedel till en 25-åring?").as_json()["age"] == 25
    assert engine.interpret("Hon fyller 19 nästa vecka, vem ansvarar?").age == 19


def test_a_duration_in_words_and_an_age_said_bare_are_read_as_the_agreements_say_them(engine):
    """A duration is read with the number words the extraction reads in the agreements (conditions.json
    `number_words`: "längre än tre veckor"), so a question's "i tre veckor" meets a rule's "överstiger 14 dagar";
    an age said bare after "är"/"blir" ("Min mamma är 82 och …") is an age, a count of anything else is not."""
    assert engine.interpret("Insatserna beräknas pågå i tre veckor, vem ansvarar?").days == 21
    assert engine.interpret("Vem betalar efter två månader på HVB?").days == 60
    assert engine.interpret("Räcker det med en vecka?").days == 7
    assert engine.interpret("Vem betalar efter 14 dagar?").days == 14
    assert engine.interpret("Vi träffas en gång i veckan, vem kallar?").days is None
    assert engine.interpret("Min mamma är 82 och har blivit deprimerad, vem hjälper henne?").age == 82
    assert engine.interpret("Pappa är 90, vem ansvarar?").age == 90
    assert engine.interpret("Vi är 3 kommuner som undrar vem som betalar.").age is None
    assert engine.interpret("Det är 30 dagar sedan, vem betalar?").age is None


def test_every_age_group_and_permission_pattern_of_the_lexicon_is_read_and_can_match():
    from vemgorvad.serve.ask import understanding
    data = json.loads((ROOT / "data/lexicon/question.json").read_text(encoding="utf-8"))
    compiled = understanding._compiled()
    names = {name for _, name, _ in compiled.age_groups}
    assert names == {k for k in data["age_groups"] if not k.startswith("_")}
    for pattern, name, (low, high) in compiled.age_groups:
        for word in data["age_groups"][name]["patterns"]:
            example = word.replace("(?:et|en)?", "").replace("(?:en|ar|arna)?", "").replace("(?:a)?", "")
            example = example.replace("(?:en|er)?", "")
            assert pattern.search(f"gäller det {example} här"), (name, word)
        assert 0 <= low <= high <= 120
    for question in ("Får de hålla på så?", "Kan vi lämna ut uppgifterna?", "Har vi rätt att kalla till SIP?"):
        assert compiled.permission.search(question.lower()), question
    assert not compiled.permission.search("vem kallar till sip?")


# --- places --------------------------------------------------------------------------------------

@pytest.mark.parametrize("where, key", [
    ("i Katrineholm", "sormland"), ("i Enköping", "uppsala"), ("i Fagersta", "vastmanland"),
    ("i Borås", "vastra-gotaland"), ("på Ekerö", "stockholm-vasterort"),
])
def test_a_municipality_the_agreement_never_names_picks_its_agreement(engine, where, key):
    interp = engine.interpret(f"Vem ansvarar för boende {where}?")
    assert interp.agreement == key and interp.place["kind"] in ("municipality", "district")
    assert not {w for w in interp.focus if where.split()[-1].lower().startswith(w)}, interp.focus


# --- the model -----------------------------------------------------------------------------------

def test_the_shipped_model_has_a_weight_for_every_feature_and_says_what_it_was_fitted_on():
    from vemgorvad.serve.ask import features, model
    data = json.loads((ROOT / "data/ask/model.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == features.NAMES
    assert tuple(data["calibration"]["inputs"]) == model.CALIBRATION_INPUTS
    assert data["fitted"]["split"] == "dev"
    assert 0.0 <= data["calibration"]["threshold"] <= 1.0
    assert model.load().fitted == data["fitted"]


def test_the_shipped_ranking_weighs_a_dozen_general_features_at_most_and_its_threshold_was_judged_out_of_fold():
    """Few features, each kept because leave-one-agreement-out gained by it (fit.py's RANKING_FEATURES)."""
    from tests.eval.fit import RANKING_FEATURES
    data = json.loads((ROOT / "data/ask/model.json").read_text(encoding="utf-8"))
    used = data["fitted"]["ranking_features"]
    assert len(used) <= 12 and set(used) == set(RANKING_FEATURES)
    assert all(w == 0.0 for name, w in data["weights"].items() if name not in used)
    assert any(data["weights"][name] != 0.0 for name in used)
    assert {"brier_out_of_fold", "ece_out_of_fold"} <= set(data["fitted"]["dev_at_threshold"])


def test_the_fit_is_a_logistic_regression_that_recovers_a_known_rule():
    from tests.eval.fit import logistic
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4000, 3))
    truth = np.array([2.0, -1.0, 0.0])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(x @ truth - 0.5)))).astype(float)
    weights, bias = logistic(x, y, l2=0.01)
    assert np.allclose(weights, truth, atol=0.25) and abs(bias + 0.5) < 0.25


def test_a_question_nothing_regulates_says_what_was_looked_for_and_shows_the_nearest_passages(engine):
    body = engine.ask("Vem ansvarar för tandvård i Bromma?")
    assert body["status"] == "not_covered" and body["answers"] == []
    assert "Sökte efter" in body["reason"] and "tandvård" in body["reason"].lower()
    assert body["nearest"] and all(n["quote"] for n in body["nearest"])


def test_answers_carry_their_calibrated_confidence_best_first(engine):
    body = engine.ask("Vem kallar till SIP i Västmanland?")
    assert body["status"] in ("answered", "ambiguous")
    scores = [a["score"] for a in body["answers"]]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
    assert body["confidence"] >= engine.model.threshold


# --- conditions ----------------------------------------------------------------------------------

def test_a_rule_that_depends_on_an_age_the_question_does_not_give_is_shown_case_by_case(engine):
    body = engine.ask("Vem ansvarar för hjälpmedel i Uppsala?")
    cases = body.get("cases") or []
    assert {c["principal"]["kind"] for c in cases} >= {"kommun", "region"}, body
    assert any("21" in c["conditions"] for c in cases)
    assert "21" in body["summary"] and body["summary"].startswith("I Uppsala län")


@pytest.mark.parametrize("agreement", ["uppsala", "vastra-gotaland"])
def test_an_optional_cost_split_is_answered_as_each_partys_permission_not_a_duty(engine, agreement):
    """"… kan huvudmännen dela på kostnaden utifrån en schablon där …" (the guideline's row: a permission):
    a permission names who may act, so it answers; its statement and the summary say "kan", never that
    the party must pay."""
    body = engine.ask("Hur stor del av HVB-kostnaden tar regionen om vi inte har kommit överens om något annat?",
                      agreement)
    split = [a for a in body["answers"] if "schablon" in a["quote"]]
    assert {a["principal"]["kind"] for a in split} == {"kommun", "region"}, body["answers"]
    assert all(a["kind_of_statement"] == "permission" and " kan stå för " in a["statement"] for a in split)
    if body["answers"][0] in split:
        assert "kan stå för kostnaden" in body["summary"], body["summary"]


def test_an_age_group_keeps_the_rules_for_those_ages_and_drops_the_others(engine, embedded_store):
    body = engine.ask("Vem ansvarar för hjälpmedel för barn i Uppsala?")
    for answer in body["answers"]:
        assert "från 21" not in (answer["conditions"] or "")


# --- SPARQL ---------------------------------------------------------------------------------------

def test_the_returned_sparql_selects_exactly_the_answers_in_their_order(engine, embedded_store):
    for q in ("Vem ansvarar för hjälpmedel för en 25-åring i Uppsala?", "Vem kallar till SIP i Västmanland?"):
        body = engine.ask(q)
        _, rows = embedded_store.select(body["sparql"])
        found = list(dict.fromkeys(row["r"].value for row in rows))
        assert found == [a["responsibility"] for a in body["answers"]]


def test_values_are_bound_in_a_values_block_never_pasted(engine):
    """The answer query the engine builds for the question's best candidates binds their values; the words
    tacked on, which no agreement uses, may make the engine abstain (signals.unknown_share), so the query is
    built here for its candidates whether it answers or not."""
    from vemgorvad.serve.ask.sparql import answer_query
    question = 'Vem ansvarar för hjälpmedel för en 25-åring i Uppsala? "} DROP ALL {'
    interp = engine.interpret(question)
    best = [c.entry.iri for c in engine.ranked(interp) if c.entry.answerable][:3]
    query = answer_query(engine.answer_query, best, interp)
    assert best and "DROP" not in query and "VALUES (?r ?age ?ageTo ?days ?rank)" in query
    assert "DROP" not in (engine.ask(question)["sparql"] or "")


def test_an_action_noun_meets_its_verb():
    """"Vem gör utredningen?" and "Socialtjänsten utreder": Swedish action nouns in -ing/-ning
    are matched with the verb they are made from, when the agreements use it."""
    from vemgorvad.serve.ask.text import content_stems, stem, verb_of
    vocab = _vocab("utreda", "placera", "samordna", "utredning", "placering", "samordning", "ring")
    assert verb_of(stem("utredningen"), vocab) == "utred"
    assert verb_of(stem("placering"), vocab) == "placer"
    assert verb_of(stem("samordning"), vocab) == "samordn"
    assert verb_of(stem("ring"), vocab) is None
    assert "utred" in content_stems("Utredningen görs av socialtjänsten", vocab)


# --- comparison -------------------------------------------------------------------------------------

def test_a_comparison_is_paginated_from_a_view_computed_once(client, engine):
    first = client.get("/api/compare", params={"topic": "tvister", "per_page": 2}).json()
    assert first["page"] == 1 and first["per_page"] == 2 and first["total"] == len(engine.agreement_keys())
    assert len(first["agreements"]) == 2 and first["pages"] == -(-first["total"] // 2)
    second = client.get("/api/compare", params={"topic": "tvister", "per_page": 2, "page": 2}).json()
    keys = [r["agreement"]["key"] for r in first["agreements"] + second["agreements"]]
    assert keys == sorted(engine.agreement_keys())[:4]
    assert engine._compare_view() is engine._compare_view()   # the engine's view: computed once per engine


@pytest.mark.parametrize("params, status", [
    ({"topic": "tvister", "page": "0"}, 400), ({"topic": "tvister", "per_page": "1000"}, 400),
    ({"topic": "tvister", "page": "x"}, 400), ({"topic": "tvister", "page": "99"}, 404),
])
def test_a_bad_page_of_a_comparison_is_refused_in_swedish(client, params, status):
    response = client.get("/api/compare", params=params)
    assert response.status_code == status and response.json()["detail"]


def test_the_engines_comparison_view_agrees_with_its_sparql(engine, embedded_store):
    body = engine.compare("kostnadsfordelning")
    _, rows = embedded_store.select(body["sparql"])
    from_graph = {row["r"].value for row in rows if row.get("r") is not None}
    shown = {a["responsibility"] for r in body["agreements"] for a in r["answers"]}
    assert shown and shown <= from_graph


# --- several agreements, national questions ---------------------------------------------------------

def test_a_question_naming_no_place_is_answered_county_by_county(engine):
    body = engine.ask("Vem kallar till samordnad individuell plan?")
    assert body["status"] in ("answered", "ambiguous"), body
    counties = [row["county"] for row in body["counties"]]
    assert len(counties) == len(set(counties)) and len(counties) >= 3
    keys = [a["agreement"]["key"] for a in body["answers"]]
    assert len(keys) == len(set(keys)), "one answer per county, from its best agreement"


def test_a_question_naming_no_place_scores_only_candidates_chosen_by_index(engine):
    """Issue 16 item 3: a question naming no agreement does not score the country. Per county, the
    provisions scored are those the BM25 index ranks highest by their own words or their context
    and those the topic index lists for the question's topics — a bound set, whatever the corpus."""
    from vemgorvad.serve.ask import engine as ask_engine
    from vemgorvad.serve.ask.features import CANDIDATES_BY_TEXT, bm25
    interp = engine.interpret("Vem kallar till samordnad individuell plan?")
    assert engine.national(interp) and interp.topics
    groups = list(engine.counties().values())
    per = max(ask_engine.NATIONAL_MIN, CANDIDATES_BY_TEXT // len(groups))
    scored = engine.ranked(interp)
    assert 0 < len(scored) <= 3 * per * len(groups) < len(engine.index.entries)
    own, context, _, _ = bm25(engine.index, interp)
    for keys in groups:
        rows = np.concatenate([np.asarray(engine.index.by_agreement[k]) for k in keys])
        by_text = set(rows[np.argsort(-own[rows])[:per]]) | set(rows[np.argsort(-context[rows])[:per]])
        by_topic = {n for t in interp.topics for n in engine.index.by_topic.get(t, ())}
        for c in scored:
            if c.entry.agreement in keys:
                assert c.entry.number in by_text or c.entry.number in by_topic


def test_the_topic_index_per_agreement_lists_exactly_the_topic_index_filtered_by_agreement(engine):
    """features.candidates looks a county's topic candidates up by (agreement, topic), so a national
    question costs linear work in the agreements; it must list what by_topic lists, in its order."""
    index = engine.index
    expected: dict[tuple[str, str], list[int]] = {}
    for topic, numbers in index.by_topic.items():
        for n in numbers:
            expected.setdefault((index.entries[n].agreement, topic), []).append(n)
    assert expected and dict(index.by_agreement_topic) == expected


def test_the_calibration_reads_its_inputs_from_the_named_features():
    from vemgorvad.serve.ask.features import NAMES
    from vemgorvad.serve.ask.model import CALIBRATION_INPUTS, load
    features = np.arange(len(NAMES), dtype=np.float64) / 10
    named = [n for n in CALIBRATION_INPUTS[1:] if n in NAMES]
    inputs = dict(zip(CALIBRATION_INPUTS, load().inputs(0.5, features, dict.fromkeys(CALIBRATION_INPUTS, -1.0)), strict=True))
    assert inputs["score"] == 0.5 and named
    assert [inputs[n] for n in named] == [features[NAMES.index(n)] for n in named]


def test_a_municipality_gets_every_agreement_in_force_for_it_and_a_county_its_county_wide_one():
    from vemgorvad.places import AgreementPlaces, gazetteer
    from vemgorvad.serve.ask.text import Vocabulary
    from vemgorvad.serve.ask.understanding import Reader
    places = [AgreementPlaces("stockholm-lan", "Länsgemensam", ("01",), "county"),
              AgreementPlaces("bromma", "Lokal", ("0180-bromma",), "local"),
              AgreementPlaces("huddinge", "Lokal Huddinge", ("0126",), "local")]
    reader = Reader(Vocabulary(), [], {}, set(), places, gazetteer())
    assert reader.interpret("Vem ansvarar för boende i Bromma?").agreements == ["stockholm-lan", "bromma"]
    assert reader.interpret("Vem ansvarar för boende i Huddinge?").agreements == ["stockholm-lan", "huddinge"]
    county = reader.interpret("Vem ansvarar för boende i Stockholms län?")
    assert county.agreements == ["stockholm-lan"]      # answers from the county-wide one, every one shown
    assert county.place is not None and county.place["in_force"] == {"county": ["stockholm-lan"],
                                                                     "local": ["bromma", "huddinge"]}


def test_a_municipality_whose_name_is_a_word_counts_when_the_question_writes_it_as_a_name():
    """'Kil' is a municipality and a wedge: "i Kil" names the place, "en kil" and a lower-case
    "i kil" do not (then its kind or its county must be named)."""
    from vemgorvad.places import AgreementPlaces, gazetteer
    from vemgorvad.serve.ask.text import Vocabulary
    from vemgorvad.serve.ask.understanding import Reader
    places = [AgreementPlaces("varmland", "Länsgemensam", ("17",), "county"),
              AgreementPlaces("kil", "Lokal Kil", ("1715",), "local")]
    reader = Reader(Vocabulary(), [], {}, set(), places, gazetteer())
    assert reader.interpret("Vem ansvarar för boendestöd i Kil?").agreements == ["varmland", "kil"]
    assert reader.interpret("Vem ansvarar för boendestöd i Kils kommun?").agreements == ["varmland", "kil"]
    assert reader.interpret("vem ansvarar för boendestöd i kil?").place is None
    assert reader.interpret("Kil. Vem ansvarar för boendestöd?").place is None


# --- provisions that bind no named bearer --------------------------------------------------------

def test_a_provision_without_a_bearer_answers_with_the_forum_it_names(engine, embedded_store):
    """"Vem avgör …?" is answered by the rule that sends the dispute to the deciding body, though the
    sentence binds nobody as its subject: its principal is the actor it names (vg:names), said so."""
    body = engine.ask("Vem avgör en tvist om en enskild person i Uppsala som förvaltningscheferna inte kan lösa?")
    top = body["answers"][0]
    assert top["principal"]["kind"] == "other" and "Socialstyrelsen" in top["principal"]["label"]
    assert top["principal_from"] == "named" and "Socialstyrelsen" in top["quote"]
    _, rows = embedded_store.select(body["sparql"])
    assert (top["responsibility"], top["principal"]["id"]) in {(r["r"].value, r["bearer"].value) for r in rows}


def test_a_where_question_asks_for_the_forum_a_matter_goes_to(engine):
    """"Vart …?" (whither) and a clause-initial "var" before a verb ("var tas det upp?", "var ska
    det lösas?") ask where a matter goes: general Swedish, each recipient pattern read and able to
    match; "var" as the past of "vara" ("vem var ansvarig") does not ask that."""
    from vemgorvad.serve.ask import understanding
    compiled = understanding._compiled()
    for question in ("Vart lyfts en tvist?", "Vart går frågan sen?", "Vart vänder jag mig?",
                     "Var tas det upp?", "Var ska det lösas i första hand?", "Var fattas beslutet?",
                     "Till vem skickas anmälan?", "Vem tar emot anmälan?"):
        assert compiled.recipient.search(question.lower()), question
    for question in ("Vem var ansvarig för planen?", "Ska planen följas upp var fjärde år?",
                     "Vem ska göra vad?"):
        assert not compiled.recipient.search(question.lower()), question
    # a rule that names the parties and the body a dispute is lifted to answers with the body
    body = engine.ask("Vart lyfts en principiell tvist som inte går att lösa lokalt?", "uppsala")
    top = body["answers"][0]
    assert top["principal"]["kind"] == "other" and "TKL" in top["principal"]["label"], top["principal"]
    assert "TKL" in top["quote"]


def test_a_provision_that_names_no_one_binds_the_parties_together(engine, embedded_store):
    """A term of an agreement that names neither a bearer nor any actor ("Frågor kring kostnadsansvar
    ska diskuteras utan individens medverkan") binds the agreement's parties, as any term of a contract
    does: its principal is both principals together (joint_principals.rq), said so, and the answer
    query selects it with that principal."""
    from vemgorvad.serve.ask.index import named
    from vemgorvad.serve.ask.sparql import answer_query
    joint = {row["agreement"]: row["joint"] for row in embedded_store.values(named("joint_principals"))}
    assert set(joint) == set(engine.agreement_keys())
    bound = [e for e in engine.index.entries if e.by_parties]
    assert bound and all(e.kind == "kommun+region" and e.bearer == joint[e.agreement] and not e.named
                         and not e.by_naming for e in bound)
    sample = bound[::max(1, len(bound) // 12)]
    _, rows = embedded_store.select(answer_query(named("answer_candidates"), [e.iri for e in sample],
                                                 engine.interpret("Vem ansvarar?")))
    assert {(e.iri, e.bearer) for e in sample} <= {(r["r"].value, r["bearer"].value) for r in rows}
    assert len(rows) == len(sample), "one principal each: the parties together, never one row per party"


def test_the_answer_query_runs_as_two_parts_that_select_what_it_selects(engine, embedded_store):
    """The engine runs answer_candidates.rq as its branches with a bearer or named actors plus
    answer_parties.rq (quicker than the UNION); together they keep exactly what the query it returns keeps."""
    from vemgorvad.serve.ask.index import named
    from vemgorvad.serve.ask.sparql import answer_query, without_parties
    full = named("answer_candidates")
    assert "#parties-begin" in full and "#parties-begin" not in without_parties(full)
    for question in ("Vem ansvarar för hjälpmedel för en 25-åring i Uppsala?", "Vem följer upp överenskommelsen?"):
        interp = engine.interpret(question)
        found = [c for c in engine.ranked(interp) if c.entry.answerable][:30]
        assert any(c.entry.by_parties for c in found) and any(not c.entry.by_parties for c in found)
        _, rows = embedded_store.select(answer_query(full, [c.entry.iri for c in found], interp))
        assert engine._allowed(found, interp) == {row["r"].value for row in rows}


def test_the_actors_a_provision_names_are_ordered_as_it_names_them():
    from vemgorvad.serve.ask.index import Named, _in_order, first_party, last_body
    values = {"https://x/org/k/body/arbetsgruppen\tother\tArbetsgruppen", "https://x/org/k/kommun\tkommun\tKommunen",
              "https://x/org/k/body/lansstyrgruppen\tother\tLänsstyrgruppen"}
    named = _in_order("Om kommunerna inte enas tas frågan upp i arbetsgruppen och i tredje hand i länsstyrgruppen.",
                      values)
    assert [n.label for n in named] == ["Kommunen", "Arbetsgruppen", "Länsstyrgruppen"]
    assert first_party(named).label == "Kommunen" and last_body(named).label == "Länsstyrgruppen"
    person = (Named("https://x/role/enskild", "other", "Den enskilde", "individual"), *named)
    assert first_party(person).label == "Kommunen"   # a person in a role is not the party a rule is about


def test_the_ranking_fit_is_a_conditional_logit_that_puts_the_gold_passage_first():
    from tests.eval.fit import conditional_logit
    rng = np.random.default_rng(11)
    groups = np.repeat(np.arange(300), 10)
    x = rng.normal(size=(3000, 3))
    y = np.zeros(3000)
    for g in range(300):   # in each question, the passage with the highest 1.5·x0 − x1 (+ noise) is the gold one
        rows = np.flatnonzero(groups == g)
        y[rows[np.argmax(x[rows] @ np.array([1.5, -1.0, 0.0]) + rng.normal(scale=0.3, size=10))]] = 1.0
    w = conditional_logit(x, y, groups, l2=0.01)
    assert w[0] > 1.0 and w[1] < -0.5 and abs(w[2]) < 0.5 * abs(w[1])
    top = [np.flatnonzero(groups == g)[np.argmax(x[groups == g] @ w)] for g in range(300)]
    assert np.mean(y[top]) > 0.8


def test_the_calibration_report_is_the_brier_score_and_the_expected_calibration_error():
    from tests.eval.answers import reliability
    calibrated = [0.25] * 4 + [0.75] * 4          # a quarter right at 0.25, three quarters at 0.75
    right = [True, False, False, False, True, True, True, False]
    assert reliability(calibrated, right)["ece"] == 0.0
    assert reliability(calibrated, right)["brier"] == round(2 * (0.75 ** 2 + 3 * 0.25 ** 2) / 8, 3)
    overconfident = reliability([0.95] * 10, [True] * 5 + [False] * 5)
    assert overconfident["ece"] == 0.45 and overconfident["brier"] > 0.4
    assert reliability([1.0, 0.0], [True, False]) == {"brier": 0.0, "ece": 0.0}
    assert reliability([], []) == {}



def test_a_municipality_with_a_county_wide_and_a_local_agreement_gets_both_grouped(engine, monkeypatch):
    """Issue 16 item 4 on a constructed catalogue: the seed 'uppsala' as the county-wide agreement of
    Uppsala län, the seed 'vastmanland' as a local agreement of Enköping (in force since 2020), the seed
    'sormland' as an Enköping agreement that ended in 2015. A question naming Enköping is answered from the
    two in force only, and every agreement in force is shown, county-wide first, each with its own best answer."""
    from vemgorvad.places import AgreementPlaces
    catalogue = [AgreementPlaces("uppsala", "Länsgemensam", ("03",), "county"),
                 AgreementPlaces("vastmanland", "Lokal Enköping", ("0381",), "local", valid_from="2020-01-01"),
                 AgreementPlaces("sormland", "Lokal Enköping, upphörd", ("0381",), "local", valid_from="2010-01-01",
                                 valid_to="2015-12-31")]
    monkeypatch.setattr(engine.reader, "places", catalogue)
    engine._answers.clear()
    try:
        body = engine.ask("Vem ansvarar för hjälpmedel för en vuxen i Enköping?")
        assert body["interpretation"]["place"]["in_force"] == {"county": ["uppsala"], "local": ["vastmanland"]}
        assert body["status"] in ("answered", "ambiguous") and body["answers"]
        assert {a["agreement"]["key"] for a in body["answers"]} <= {"uppsala", "vastmanland"}
        groups = body["in_force"]
        assert [(g["level"], g["agreement"]["key"]) for g in groups] == [("county", "uppsala"), ("local", "vastmanland")]
        for g in groups:
            assert all(a["agreement"]["key"] == g["agreement"]["key"] for a in g["answers"])
            assert g["status"] == ("answered" if g["answers"] else "not_covered")
        assert any(g["answers"] for g in groups)
        for g in groups:   # a group holds its agreement's answers of `answers`, in their order
            mine = [a["responsibility"] for a in body["answers"] if a["agreement"]["key"] == g["agreement"]["key"]]
            assert [a["responsibility"] for a in g["answers"] if a["responsibility"] in mine] == mine
        county_only = engine.ask("Vem ansvarar för hjälpmedel för en vuxen i Uppsala län?")
        # a county alone: answers from its county-wide agreement, every agreement of the county grouped
        assert {a["agreement"]["key"] for a in county_only["answers"]} == {"uppsala"}
        assert [(g["level"], g["agreement"]["key"]) for g in county_only["in_force"]] == \
            [("county", "uppsala"), ("local", "vastmanland")]
        local = county_only["in_force"][1]
        assert local["status"] == "answered" and {a["agreement"]["key"] for a in local["answers"]} == {"vastmanland"}
    finally:
        engine._answers.clear()


@pytest.mark.parametrize("question", [
    "Hur fördelas kostnaden för en HVB-placering i Västra Götaland när vården och socialtjänsten inte går att skilja åt?",
    "Vem följer upp en placering på HVB-hem i Sörmland?",
    "Vem ska erbjuda stöd till anhöriga i Västmanland?",
])
def test_the_answers_come_in_the_order_the_ranking_gives(engine, question):
    """The fitted ranking decides the order: no statement of both principals is moved before the best
    answer by a rule of its own (such a rule moved the cost split "en tredjedel … två tredjedelar" behind
    "Då placering sker akut bör kostnadsfördelningen vara klarlagd …")."""
    body = engine.ask(question)
    interp = engine.interpret(question)
    ranked = [c.entry.iri for c in engine.ranked(interp) if c.entry.answerable]
    shown = [a["responsibility"] for a in body["answers"]]
    assert shown, body.get("reason")
    positions = [ranked.index(iri) for iri in shown]
    assert positions == sorted(positions), (shown, ranked[:8])


def test_the_ranking_miss_report_classes_each_question_by_where_its_gold_passage_ranks(capsys):
    """tests/eval/ranking_misses.py: gold first, gold ranked below another passage, or not among the
    candidates; top-1 citation and principal counted always answering, with the given weights."""
    from types import SimpleNamespace

    from vemgorvad.serve.ask.features import NAMES, Candidate
    from tests.eval.ranking_misses import Ranked, report

    def cand(x: float, start: int) -> Candidate:
        f = np.zeros(len(NAMES))
        f[0] = x
        return Candidate(SimpleNamespace(start=start, kind="kommun", deontic="obligation", quote=f"q{start}"), f)

    q = lambda n: {"id": f"q{n}", "kind": "direct", "question": "?", "expected_principals": ["kommun"], "agreement": "a"}
    rows = [Ranked(q(1), [cand(2.0, 1), cand(1.0, 2)], np.array([1.0, 0.0]), np.array([1.0, 0.0])),
            Ranked(q(2), [cand(2.0, 1), cand(1.0, 2)], np.array([0.0, 1.0]), np.array([0.0, 1.0])),
            Ranked(q(3), [cand(2.0, 1)], np.array([0.0]), np.array([1.0]))]
    w = np.zeros(len(NAMES))
    w[0] = 1.0
    figures = report(rows, {"a": w}, sample=1, seed=0)
    assert (figures["gold_first"], figures["gold_below"], figures["gold_absent"]) == (1, 1, 1)
    assert figures["top1_citation"] == round(1 / 3, 3) and figures["top1_principal"] == round(2 / 3, 3)
    assert "gold (rank 2 of 2)" in capsys.readouterr().out


def test_a_provision_whose_paragraph_is_about_the_question_topic_is_not_unregulated(engine, monkeypatch):
    """"Inte reglerat" needs the best provision to be about none of the question's topics: a list item
    under a paragraph about HVB placements is about them though its own words name none (its topics are
    read from its paragraph by the topic cues, index.paragraph_topics)."""
    from vemgorvad.serve.ask.features import Candidate
    from vemgorvad.serve.ask.index import _topics_of
    entry = next(e for e in engine.index.entries if e.answerable and e.paragraph_topics - e.topics - e.section_topics)
    topic = sorted(entry.paragraph_topics - entry.topics - entry.section_topics)[0]
    interp = engine.interpret("Vem ansvarar?", entry.agreement)
    interp.topics = [topic]
    monkeypatch.setitem(engine.index.regulates, entry.agreement,
                        engine.index.regulates.get(entry.agreement, set()) - {topic})
    best = Candidate(entry, np.zeros(1))
    assert not engine._unregulated(interp, best)
    monkeypatch.setattr(entry, "paragraph_topics", frozenset())
    assert engine._unregulated(interp, best)
    known: dict[str, frozenset[str]] = {}
    text = "Vuxna som får insatser genom t.ex. Hem för vård eller boende, HVB, i samband med placering"
    assert "placering_hvb" in _topics_of(text, known) and text in known   # read once per text


def test_a_verb_and_its_particle_meet_the_action_noun_the_agreements_use(engine):
    """"följs … upp" is looked for as uppföljning as well, with the particle after the object too
    (question.json "particle_nouns"); a verb with no particle after it, or whose noun the agreements
    never use, is read as before."""
    from vemgorvad.serve.ask.text import stem
    vocab = engine.index.vocab
    assert stem("uppföljning") in vocab and stem("utskrivning") in vocab
    for question, noun in (("Vem ska följa upp planen?", "uppföljning"), ("Hur följs planen upp?", "uppföljning"),
                           ("När skrivs patienten ut?", "utskrivning")):
        groups = engine.interpret(question, "uppsala").groups
        assert any(stem(noun) in g for g in groups), (question, groups)
    plain = engine.interpret("Vem ska följa planen?", "uppsala").groups
    assert not any(stem("uppföljning") in g for g in plain)
    assert not any(len(g) > 1 for g in engine.interpret("Vem ska xylofona upp?", "uppsala").groups)


# --- colloquial intents ----------------------------------------------------------------------------

@pytest.mark.parametrize("question, intent", [
    ("Vem står för notan när hon placeras?", "pay"),
    ("Vem står för fiolerna om han flyttar?", "pay"),
    ("Vem tar räkningen för tolken?", "pay"),
    ("Vem pröjsar hjälpmedlen?", "pay"),
    ("Vem bekostar tolk vid mötet?", "pay"),
    ("Ur vems budget tas boendet?", "pay"),
    ("Vad kostar en plats och på vems bekostnad?", "pay"),
    ("Vem har sista ordet om insatsen?", "decide"),
    ("Vem ger klartecken till placeringen?", "decide"),
    ("Vem godkänner planen?", "decide"),
    ("Vem bjuder in till mötet?", "convene"),
    ("Vem drar igång planeringen?", "convene"),
    ("Vem tar första steget när det krånglar?", "convene"),
    ("Vem håller koll på att planen följs?", "followup"),
    ("Vem slår larm om barnet far illa?", "report"),
])
def test_a_colloquial_way_of_asking_for_a_duty_is_read_as_that_duty(engine, question, intent):
    """question.json "intents": an ordinary speaker's ways of asking who pays, decides, calls,
    follows up or reports (general Swedish: 'stå för notan', 'ha sista ordet', 'dra igång')."""
    assert intent in engine.interpret(question, "uppsala").intents


def test_a_plain_who_question_asks_for_no_duty(engine):
    assert engine.interpret("Vem står för hjälpmedel till en 30-åring?", "uppsala").intents == []


@pytest.mark.parametrize("how", ["Hur snabbt", "Hur fort", "Hur snart", "Inom hur lång tid", "Senast när"])
def test_asking_how_fast_looks_for_the_agreements_words_of_time(engine, how):
    """'Hur snabbt ska …?' asks for a deadline: the question's group holds the agreements' own words
    for one ('utan dröjsmål', 'skyndsamt', 'omgående', 'senast'), though 'snabbt' itself is a stopword."""
    def members(question: str) -> set[str]:
        found = engine.interpret(question, "uppsala").groups
        return {s for g in found for m in g for s in (m if isinstance(m, tuple) else (m,))}

    time_words = {"skyndsam", "omgående", "senast", "dröjsmål"}
    assert time_words & members(f"{how} ska planen påbörjas?"), how
    assert not time_words & members("Vem ska påbörja planen?")


# --- calibration on out-of-fold rankings ------------------------------------------------------------

class _RecordingEngine:
    """Stands in for AskEngine in fit.out_of_fold_rows: remembers the ranking weights each question was asked with."""

    def __init__(self):
        self.model = None
        self._answers = {}
        self.weights_of = {}

    def ask(self, question, agreement=None):
        self.weights_of[question] = np.array(self.model.weights)
        return {"answers": []}

    def interpret(self, question, agreement=None):
        return question

    def ranked(self, interp):
        return []


def test_each_agreements_questions_are_calibrated_on_a_ranking_fitted_without_them():
    """fit.py calibrates on out-of-fold rankings (Platt 1999): an agreement's questions are ranked by weights
    fitted on the other agreements' candidates only, never on their own."""
    from vemgorvad.serve.ask.features import NAMES
    from vemgorvad.serve.ask.model import CALIBRATION_INPUTS
    from tests.eval.fit import out_of_fold_rows, rank_weights
    rng = np.random.default_rng(3)
    qs = [{"question": f"q{i}", "agreement": "a" if i < 20 else "b", "names_agreement": True,
           "expected_principals": ["kommun"]} for i in range(40)]
    groups = np.repeat(np.arange(40), 5)
    x = rng.normal(size=(200, len(NAMES)))
    y = np.zeros(200)
    y[np.arange(40) * 5 + rng.integers(0, 5, 40)] = 1.0
    x[:100, 0] += 2 * y[:100]           # in agreement a the gold passage stands out by the first feature,
    x[100:, 1] += 2 * y[100:]           # in b by the second
    mask = np.zeros(len(NAMES), dtype=bool)
    mask[:2] = True
    recorder = _RecordingEngine()
    inputs, right, answerable = out_of_fold_rows(recorder, qs, x, y, groups, mask)
    without_a = rank_weights(x[100:], y[100:], groups[100:], mask)
    without_b = rank_weights(x[:100], y[:100], groups[:100], mask)
    assert np.allclose(recorder.weights_of["q0"], without_a) and np.allclose(recorder.weights_of["q39"], without_b)
    assert without_a[1] > without_a[0] and without_b[0] > without_b[1]
    assert inputs.shape == (40, len(CALIBRATION_INPUTS)) and answerable.all() and not right.any()   # no answers: nothing right


def test_the_threshold_is_where_the_most_questions_are_handled_right():
    from tests.eval.fit import calibrate_rows
    rng = np.random.default_rng(5)
    score = np.concatenate([rng.normal(3, 1, 150), rng.normal(-1, 1, 50), rng.normal(-1, 1, 40)])
    right = np.concatenate([np.ones(150), np.zeros(90)])
    answerable = np.concatenate([np.ones(200, dtype=bool), np.zeros(40, dtype=bool)])
    x = np.column_stack([score, np.zeros((240, 4))])
    agreement = np.array(["a", "b", "c"] * 80)
    weights, bias, threshold, figures = calibrate_rows(x, right, answerable, agreement, "argmax")
    confidence = 1 / (1 + np.exp(-(x @ np.array(weights) + bias)))
    handled = lambda t: np.mean(np.where(answerable, right.astype(bool) & (confidence >= t), confidence < t))
    assert handled(threshold) == max(handled(t) for t in np.append(confidence, 0.0))
    assert abs(figures["handled"] - handled(threshold)) < 1e-3 and figures["abstention"] > 0.8
    for rule in ("bagged", "smoothed"):
        _, _, other, other_figures = calibrate_rows(x, right, answerable, agreement, rule)
        assert other_figures["threshold_rule"] == rule
        assert handled(other) >= handled(threshold) - 0.02 and abs(other_figures["handled"] - handled(other)) < 1e-3
    _, _, _, default_figures = calibrate_rows(x, right, answerable, agreement)
    assert default_figures["threshold_rule"] == "smoothed" and default_figures["utility"]["answered_right"] == 1.0


def _overlapping(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Confidences of 160 answerable questions, right or not, and of 40 not-covered ones, overlapping as the
    development questions' do."""
    rng = np.random.default_rng(seed)
    right = rng.random(160) < 0.65
    confidence = np.concatenate([np.clip(rng.normal(np.where(right, 0.5, 0.3), 0.15), 0, 1),
                                 np.clip(rng.normal(0.3, 0.15, 40), 0, 1)])
    return confidence, np.concatenate([right, np.zeros(40, dtype=bool)]), np.arange(200) < 160


def test_the_bagged_threshold_moves_less_than_the_argmax_when_a_few_questions_change():
    """Refits on nine tenths of the same questions: over twenty sets of questions, the median of the bootstrap
    resamples' best thresholds (the default) spreads less than the best threshold of each refit's own questions
    (on these sets 0.012 against 0.017 on average), and lies near the best threshold of all the questions."""
    from tests.eval.fit import argmax_threshold, bagged_threshold
    spread_argmax, spread_bagged = [], []
    for seed in range(20):
        confidence, right, answerable = _overlapping(seed)
        rng = np.random.default_rng(0)
        argmax, bagged = [], []
        for _ in range(12):
            keep = np.sort(rng.choice(200, 180, replace=False))
            argmax.append(argmax_threshold(confidence[keep], right[keep], answerable[keep]))
            bagged.append(bagged_threshold(confidence[keep], right[keep], answerable[keep]))
        spread_argmax.append(np.std(argmax))
        spread_bagged.append(np.std(bagged))
        assert abs(np.median(bagged) - argmax_threshold(confidence, right, answerable)) < 0.1
    assert np.mean(spread_bagged) < 0.85 * np.mean(spread_argmax)
    assert bagged_threshold(confidence, right, answerable) == bagged_threshold(confidence, right, answerable)
    assert bagged_threshold(np.array([]), np.array([]), np.array([])) == 0.0


def _goal_utility(confidence: np.ndarray, right: np.ndarray, cited: np.ndarray, answerable: np.ndarray,
                  threshold: float) -> float:
    """principal / 0.9 + citation / 0.85 + abstention / 0.85 of these questions at this threshold."""
    answered = confidence >= threshold
    return float(np.mean(right[answerable] & answered[answerable]) / 0.9
                 + np.mean(cited[answerable] & answered[answerable]) / 0.85
                 + np.mean(~answered[~answerable]) / 0.85)


def test_the_goals_threshold_maximises_the_figures_over_their_goals_whatever_the_mix_of_questions():
    """The "goals" rule weighs each figure by its goal and each question by the size of its class: near the best
    threshold of that utility on the questions themselves; as many not-covered questions again (each twice) leave it
    about where it was, while the count of questions handled right (the "bagged" rule) moves towards abstaining
    — a not-covered question weighs there what an answerable one does, so their number decides."""
    from tests.eval.fit import GOALS, bagged_threshold, calibrate_rows, goals_threshold
    assert GOALS == {"principal": 0.90, "citation": 0.85, "abstention": 0.85}
    moved_goals, moved_count = [], []
    for seed in range(10):
        confidence, right, answerable = _overlapping(seed)
        cited = right & (np.random.default_rng(seed).random(200) < 0.8)
        t = goals_threshold(confidence, right, answerable, cited)
        best = max(_goal_utility(confidence, right, cited, answerable, c) for c in np.append(confidence, 0.0))
        assert _goal_utility(confidence, right, cited, answerable, t) >= best - 0.05
        twice = np.concatenate([np.arange(200), np.arange(160, 200)])
        moved_goals.append(abs(goals_threshold(confidence[twice], right[twice], answerable[twice], cited[twice]) - t))
        moved_count.append(bagged_threshold(confidence[twice], right[twice], answerable[twice])
                           - bagged_threshold(confidence, right, answerable))
    assert np.mean(moved_goals) < 0.5 * np.mean(moved_count) and np.mean(moved_count) > 0
    # A citation counts: with none right the threshold rises (answering earns only the principal's share).
    confidence, right, answerable = _overlapping(0)
    assert goals_threshold(confidence, right, answerable, np.zeros(200, dtype=bool)) >= \
        goals_threshold(confidence, right, answerable, right)
    assert goals_threshold(np.array([]), np.array([]), np.array([])) == 0.0
    x = np.column_stack([np.log(confidence / (1 - confidence + 1e-9) + 1e-9), np.zeros((200, 4))])
    _, _, _, figures = calibrate_rows(x, right.astype(float), answerable, np.array(["a", "b"] * 100), "goals", right)
    assert figures["threshold_rule"] == "goals" and figures["goals"] == GOALS


@pytest.mark.parametrize("question", [
    "Vem ansvarar för hjälpmedel för en 25-åring?",
    "Vem betalar vid placering på HVB?",
    "Vem kallar till SIP i Bromma?",              # a place named: its agreements grouped where it has several
    "Vem ansvarar för tandvård för barn under 18 år?",
    "Vem ansvarar för xyzzy?",                    # nothing answers: not_covered from every agreement
])
def test_asking_many_agreements_in_one_pass_gives_what_asking_each_gives(engine, question):
    """A comparison's page is worked in one pass (ask_many: the question read once, BM25 once); each
    agreement's answer is exactly what `ask` with it chosen gives."""
    keys = engine.agreement_keys()
    engine._answers.clear()
    try:
        together = engine.ask_many(question, keys)
        engine._answers.clear()
        assert together == {key: engine.ask(question, key) for key in keys}
        assert list(together) == keys
        assert engine.ask_many(question, keys[::-1]) == {key: together[key] for key in keys[::-1]}   # from the cache
    finally:
        engine._answers.clear()


def _scored_candidate(kind: str | None, score: float, answerable: bool = True):
    from types import SimpleNamespace

    from vemgorvad.serve.ask.features import Candidate
    return Candidate(SimpleNamespace(kind=kind, answerable=answerable), np.zeros(1), score=score)


def test_the_principal_the_ranking_favours_is_the_one_most_of_its_probability_agrees_on():
    """Issue 13 (vote.py): softmax of the conditional logit's scores, summed by kind of principal. Three
    passages naming the municipality, each a little below one naming the region, outweigh it, and the best of
    them comes first; a clear leader keeps its place; a candidate that names no one counts for nothing."""
    from vemgorvad.serve.ask.vote import best_principal_first, principal_mass
    region, *kommun = [_scored_candidate("region", 5.0)] + [_scored_candidate("kommun", 4.6 - k / 10) for k in range(3)]
    nobody = _scored_candidate(None, 9.0, answerable=False)
    ranked = [nobody, region, *kommun]
    mass = principal_mass(ranked)
    assert set(mass) == {"region", "kommun"} and sum(mass.values()) == pytest.approx(1.0)
    assert mass["region"] == pytest.approx(1 / (1 + sum(np.exp(s - 5.0) for s in (4.6, 4.5, 4.4))))
    assert mass["kommun"] > mass["region"]
    assert best_principal_first(ranked) == [kommun[0], nobody, region, kommun[1], kommun[2]]
    clear = [_scored_candidate("region", 9.0), *kommun]
    assert best_principal_first(clear) == clear
    assert best_principal_first([nobody]) == [nobody]
    assert best_principal_first(ranked, specific=True) == ranked   # lex specialis: the ranking stands


def test_a_provision_for_the_age_the_question_gives_is_not_outvoted_by_general_ones(engine):
    """"Hjälpmedel för en 15-åring i Uppsala": the region's rule for those under 21 comes first though more
    of the ranking's probability lies on provisions of both principals that state no age (vote.py, specific)."""
    interp = engine.interpret("Vem ansvarar för hjälpmedel för en 15-åring i Uppsala?")
    ranked = [c for c in engine.ranked(interp) if c.entry.answerable]
    assert ranked[0].score == max(c.score for c in ranked)                    # the ranking stands
    assert ranked[0].entry.kind == "region" and ranked[0].entry.max_age is not None


def test_a_question_in_one_agreement_gets_the_best_passage_of_the_principal_the_ranking_favours(engine):
    from vemgorvad.serve.ask.vote import principal_mass
    interp = engine.interpret("Vem betalar en placering på HVB?", "sormland")
    ranked = [c for c in engine.ranked(interp) if c.entry.answerable]
    mass = principal_mass(ranked)
    assert ranked and ranked[0].entry.kind == max(mass, key=lambda k: mass[k])
    assert ranked[0] is max((c for c in ranked if c.entry.kind == ranked[0].entry.kind), key=lambda c: c.score)


def test_the_principal_miss_tally_puts_each_wrong_answer_in_one_cause():
    """tests/eval/principal_misses.py: a wrong principal is abstained, its gold passage absent, the gold passage
    answered with the wrong principal, or the gold passage outranked by a clause without a bearer (by the party
    it names or the parties together) or with one (by where the extraction found it, vg:bearerSource)."""
    from types import SimpleNamespace

    from vemgorvad.serve.ask.features import NAMES, Candidate
    from tests.eval.principal_misses import cause

    gold_text = "Kommunen ansvarar för att en samordnad individuell plan upprättas."
    other_text = "Regionen ansvarar för den psykiatriska vården av den enskilde patienten."

    def cand(quote: str, iri: str, kind: str, naming: bool = False, parties: bool = False) -> Candidate:
        entry = SimpleNamespace(quote=quote, iri=iri, kind=kind, bearer_label=kind.title(), unit_label=None,
                                answerable=True, by_naming=naming, by_parties=parties)
        return Candidate(entry, np.zeros(len(NAMES)))

    q = {"expected_principals": ["kommun"], "evidence": gold_text}
    gold = cand(gold_text, "g", "kommun")
    answer = lambda text: {"answers": [{"quote": text}]}
    sources = {"o": "https://w3id.org/vemgorvad/id/bearer-source/agent"}
    assert cause(q, {"answers": []}, [gold], sources) == ("abstained", True, 0)
    assert cause(q, answer(other_text), [cand(other_text, "o", "region")], sources) == ("gold absent", None, None)
    wrong_gold = cand(gold_text, "g", "region")
    assert cause(q, answer(gold_text), [wrong_gold], sources) == ("gold first, its principal wrong", False, 0)
    for naming, parties, why in ((True, False, "without a bearer (by_naming)"),
                                 (False, True, "without a bearer (by_parties)"),
                                 (False, False, "with a bearer (agent)")):
        top = cand(other_text, "o", "region", naming, parties)
        assert cause(q, answer(other_text), [top, gold], sources) == (f"outranked by a clause {why}", True, 1)


def test_a_question_that_asks_who_marks_the_provisions_that_bind_no_named_bearer(engine):
    """A question that asks who acts ("vem …?", "vilken huvudman …?", or for a body: question.json
    answer_types) sets who_unbound on a provision answered only by the actor it names or by the parties
    together, and on no other; a question that asks something else ("Kan …?", "Måste …?") sets it on none
    (features.py)."""
    from vemgorvad.serve.ask.features import NAMES, candidates
    at = NAMES.index("who_unbound")
    asking = ("Vem följer upp överenskommelsen?", "Vems ansvar är uppföljningen av överenskommelsen?",
              "Vilken huvudman följer upp överenskommelsen?", "Vilka aktörer följer upp överenskommelsen?",
              "Vilket organ följer upp överenskommelsen?")
    for question in asking:
        interp = engine.interpret(question, "uppsala")
        assert interp.asks_who, question
        found = candidates(engine.index, interp, ["uppsala"])
        assert any(c.entry.by_naming for c in found) and any(c.entry.by_parties for c in found)
        assert any(not (c.entry.by_naming or c.entry.by_parties) for c in found)
        for c in found:
            assert c.features[at] == float(c.entry.by_naming or c.entry.by_parties)
    for question in ("Kan socialtjänsten få hjälp med uppföljningen av överenskommelsen?",
                     "Måste överenskommelsen följas upp varje år?"):
        interp = engine.interpret(question, "uppsala")
        assert not interp.asks_who, question
        found = candidates(engine.index, interp, ["uppsala"])
        assert found and not any(c.features[at] for c in found)
