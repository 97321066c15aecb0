"""Extraction: the same code on any agreement finds who carries which duty, under which
conditions, with a verbatim quote. Statement forms are taken from the seed agreements."""
from __future__ import annotations

from pathlib import Path

import pytest

from vemgorvad.extract.clauses import extract
from vemgorvad.ingest import ingest_path, normalise

from seeds import seed_extraction

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "agreements").glob("*.txt"))


def responsibilities(text: str, as_of: str = "2016"):
    return extract(normalise(text), "test", as_of).responsibilities


def only(text: str, as_of: str = "2016"):
    found = responsibilities(text, as_of)
    assert len(found) == 1, [(c.text, c.bearer and c.bearer.kind) for c in found]
    return found[0]


def seed(key: str):
    return seed_extraction(key)        # shared with test_deontic: each seed extracted once per session


# --- statement forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, kind, unit", [
    ("Kommunen ansvarar för boendestöd till personer med psykisk funktionsnedsättning.", "kommun", None),
    ("Socialtjänsten har kostnadsansvar för placering på HVB för personer med missbruk.", "kommun", "socialtjanst"),
    ("Regionen ansvarar för psykiatrisk vård och behandling av personer i målgruppen.", "region", None),
    ("Landstinget ansvarar för hälso- och sjukvårdsinsatser för barn och unga.", "region", None),
    ("Båda huvudmännen ansvarar för att en samordnad individuell plan upprättas.", "kommun+region", None),
    ("Respektive huvudman ansvarar för kompetensutveckling av sin personal.", "kommun+region", None),
])
def test_a_direct_statement_names_its_bearer(sentence, kind, unit):
    clause = only(sentence)
    assert clause.bearer.kind == kind
    assert (clause.bearer.unit.id if clause.bearer.unit else None) == unit
    assert clause.quote == sentence


def test_a_passive_duty_names_its_agent_after_av():
    clause = only("Tvister löses i första hand av Chefsforum.")
    assert clause.bearer.kind == "other" and clause.bearer.method == "passive-agent"


def test_kinds_of_duty_are_told_apart():
    assert "pay" in only("Socialtjänsten har kostnadsansvar för placering på HVB för personer med missbruk.").duty_kinds
    assert "convene" in only("Kommunen kallar till samordnad individuell plan när behov finns.").duty_kinds
    assert only("Regionen ska förskriva hjälpmedel för personer i målgruppen.").duty_kinds == ["do"]


def test_every_bullet_of_an_introduced_list_is_a_responsibility_of_the_introduced_bearer():
    found = responsibilities("I socialtjänstens ansvar ingår att:\n\uf0b7 erbjuda sysselsättning\n"
                             "\uf0b7 ge stöd till anhöriga\n\uf0b7 utreda behov av boende\n")
    items = [c for c in found if c.unit_kind == "item"]
    assert [c.text for c in items] == ["erbjuda sysselsättning", "ge stöd till anhöriga", "utreda behov av boende"]
    assert {(c.bearer.kind, c.bearer.unit.id, c.bearer.method) for c in items} == {("kommun", "socialtjanst", "list")}


def test_a_list_introduced_by_viktiga_delar_goes_to_that_principal():
    found = responsibilities("Viktiga delar i regionens ansvar för målgruppen är att:\n"
                             "\uf0b7 Erbjuda psykiatrisk behandling.\n\uf0b7 Förskriva hjälpmedel.\n")
    items = [c for c in found if c.unit_kind == "item"]
    assert len(items) == 2 and {c.bearer.kind for c in items} == {"region"}
    assert "hjalpmedel" in items[1].topics


@pytest.mark.parametrize("sentence, shares", [
    ("Vid placering på HVB betalar landstinget en tredjedel och kommunen två tredjedelar av "
     "placeringskostnaden, om inget annat är överenskommet.", {"region": 0.3333, "kommun": 0.6667}),
    ("Vid placering på HVB står kommunen för två tredjedelar och regionen för en tredjedel av kostnaden "
     "om inte annat överenskommits.", {"region": 0.3333, "kommun": 0.6667}),
    ("Kostnaden för placeringen delas med hälften var, kommunen betalar hälften och regionen hälften.",
     {"region": 0.5, "kommun": 0.5}),
])
def test_a_cost_split_is_one_rule_per_party_with_its_share(sentence, shares):
    found = responsibilities(sentence)
    assert {c.bearer.kind: c.conditions.cost_share for c in found} == shares
    assert all(c.duty_kinds == ["pay"] for c in found)
    assert all("kostnadsfordelning" in c.topics for c in found)


@pytest.mark.parametrize("sentence", [
    # uppsala and vastra-gotaland, word for word but the region's name
    "I de fall HVB tillhandahåller både socialtjänstinsatser och hälso- och sjukvårdsinsatser och fördelningen "
    "mellan dessa är oklar kan huvudmännen dela på kostnaden utifrån en schablon där landstinget betalar en "
    "tredjedel och kommunen två tredjedelar av placeringskostnaden, om inget annat är överenskommet.",
    "Kostnaden kan delas så att regionen betalar hälften och kommunen hälften.",
])
def test_a_cost_split_offered_as_an_option_is_each_partys_permission_with_its_share(sentence):
    """The guideline's row on "kan huvudmännen dela på kostnaden utifrån en schablon": the principals may
    use the split, so it is no duty, but each party's share is still there for "who pays what"."""
    clauses = extract(normalise(sentence), "test", "2016").clauses
    assert not [c for c in clauses if c.is_responsibility]
    assert sorted((c.deontic_class, c.bearer.kind) for c in clauses if c.conditions.cost_share) == \
        [("permission", "kommun"), ("permission", "region")]
    assert all(c.duty_kinds == [] for c in clauses)
    assert all(" kan stå för " in c.statement for c in clauses if c.conditions.cost_share)


def test_the_split_is_a_default_only_when_the_text_says_so():
    default = responsibilities("Vid placering på HVB betalar regionen en tredjedel och kommunen två "
                               "tredjedelar av kostnaden, om inget annat är överenskommet.")
    agreed = responsibilities("Vid placering på HVB betalar regionen en tredjedel och kommunen två "
                              "tredjedelar av kostnaden.")
    assert all(c.conditions.default_rule for c in default)
    assert not any(c.conditions.default_rule for c in agreed)


@pytest.mark.parametrize("sentence, min_age, max_age", [
    ("Regionen ansvarar för hjälpmedel till barn och unga upp till 21 år.", None, 20),
    ("Kommunen har ansvar för hjälpmedel för kognition från 21 års ålder.", 21, None),
    ("Kommunen ansvarar för vissa hjälpmedel för personer som fyllt 21 år.", 21, None),
    ("Vuxenpsykiatrin ansvarar för vård av personer över 18 år.", 18, None),
    ("Barn- och ungdomspsykiatrin ansvarar för vård av barn under 18 år.", None, 17),
])
def test_age_conditions_are_read_as_a_range_of_whole_years(sentence, min_age, max_age):
    clause = only(sentence)
    assert (clause.conditions.min_age, clause.conditions.max_age) == (min_age, max_age)


def test_duration_and_deadline_conditions():
    long = only("Kommunen ansvarar för kostnaden om vistelsen varar mer än 90 dagar.")
    assert long.conditions.more_than_days == 90
    soon = only("Kommunen ska kalla till planeringsmöte inom tre arbetsdagar.")
    assert soon.conditions.deadline_days is not None


@pytest.mark.parametrize("text", [
    "Överenskommelsen infördes år 2010 efter ett långt arbete.",
    "Målgruppen är personer med psykisk funktionsnedsättning.",
])
def test_a_description_is_not_a_responsibility(text):
    assert responsibilities(text) == []


@pytest.mark.parametrize("text", [
    "Det ska säkerställas att rutiner finns.",
    "En samordnad vårdplan ska alltid upprättas om patienten har behov av insatser från kommunen.",
])
def test_an_agentless_duty_is_a_responsibility_without_a_bearer_never_a_guess(text):
    """Issue 12 item 2: the municipality in the condition ("insatser från kommunen") is not the
    bearer; no one is named, so the duty stays a responsibility with the bearer unspecified."""
    clause = only(text)
    assert clause.deontic_class == "obligation" and clause.bearer is None and clause.bearer_source == "none"


# --- on the seeds ------------------------------------------------------------------------------

@pytest.mark.parametrize("key, intro_words", [
    ("uppsala", "I socialtjänstens ansvar ingår att"),
    ("vastra-gotaland", "Viktiga delar i kommunens ansvar för målgruppen är att"),
])
def test_on_the_seeds_every_bullet_of_a_responsibility_list_becomes_a_responsibility(key, intro_words):
    doc, extraction = seed(key)
    intros = [i for i in range(len(doc.blocks)) if intro_words in doc.block_text(i)]
    assert intros
    by_block = {c.block: c for c in extraction.responsibilities}
    for intro in intros:
        items = [i for i, b in enumerate(doc.blocks) if b.intro == intro and b.level == 1]
        assert len(items) >= 5
        assert all(i in by_block and by_block[i].bearer.kind == "kommun" for i in items), \
            [doc.block_text(i)[:40] for i in items if i not in by_block]


def test_the_uppsala_hvb_split_is_extracted_from_its_own_words():
    _, extraction = seed("uppsala")
    shares = {(c.deontic_class, c.bearer.kind, c.conditions.cost_share) for c in extraction.clauses
              if c.conditions.cost_share and "placering_hvb" in c.topics}
    assert shares == {("permission", "region", 0.3333), ("permission", "kommun", 0.6667)}   # "kan huvudmännen dela på …"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_quote_is_the_agreements_own_text(path):
    doc, extraction = seed(path.stem)
    assert extraction.responsibilities, "an agreement about responsibilities yields some"
    for clause in extraction.clauses:
        assert clause.quote == doc.text[clause.start:clause.end]
        assert clause.start <= clause.own_start < clause.own_end <= clause.end
        start, end = doc.raw_span(clause.start, clause.end)
        assert doc.raw[start:end].split()[0].strip("•\uf0b7-")[:3] in clause.quote


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_seed_has_responsibilities_of_both_principals(path):
    _, extraction = seed(path.stem)
    kinds = {c.bearer.kind for c in extraction.responsibilities if c.bearer is not None}
    assert {"kommun", "region"} <= kinds


def test_extraction_is_deterministic():
    """A second extraction of the same document (ingested afresh) gives what the session's first gave."""
    _, extraction = seed(SEEDS[0].stem)
    first = [(c.start, c.end, c.bearer and c.bearer.kind, tuple(c.topics)) for c in extraction.clauses]
    again = extract(ingest_path(SEEDS[0]), SEEDS[0].stem, None)
    second = [(c.start, c.end, c.bearer and c.bearer.kind, tuple(c.topics)) for c in again.clauses]
    assert first == second


@pytest.mark.parametrize("text, topic", [
    ("Ledningsgruppen följer upp överenskommelsen en gång per år.", "uppfoljning"),
    ("Styrgruppen följer upp samverkan årligen.", "uppfoljning"),
    ("Samverkan följs upp årligen av ledningsgruppen.", "uppfoljning"),
    ("Överenskommelsen ska följas upp vartannat år.", "uppfoljning"),
    ("Kommunen ska erbjuda anhöriga stöd.", "anhorigstod"),
    ("Anhöriga ska erbjudas information och stöd.", "anhorigstod"),
    ("Regionen ansvarar för anhörigstöd i primärvården.", "anhorigstod"),
])
def test_follow_up_and_carers_support_are_read_in_any_verb_form_and_word_order(text, topic):
    """The follow-up verb in every form ('följer', 'följs', 'följas upp') and support offered to
    carers with either object first ('erbjuda anhöriga stöd', 'stöd till anhöriga') are one cue each."""
    clause = only(text)
    assert topic in clause.topics, clause.topics


@pytest.mark.parametrize("sentence, kind", [
    ("Enligt lagen är kommunen skyldig att erbjuda stöd till anhöriga.", "kommun"),
    ("Vid behov är socialtjänsten skyldig att kalla till samordnad individuell plan.", "kommun"),
    ("Enligt avtalet har regionen ansvar för läkemedelsassisterad behandling.", "region"),
])
def test_after_a_fronted_adverbial_the_subject_inside_the_predicate_bears_the_duty(sentence, kind):
    """Verb-second: after 'Enligt lagen', 'Vid behov' the subject follows the finite verb and
    stands inside a predicate of several words ('är kommunen skyldig', 'har regionen ansvar')."""
    clause = only(sentence)
    assert clause.bearer is not None and clause.bearer.kind == kind and clause.bearer_source == "agent"


def test_both_parties_without_the_article_are_both_principals():
    """'Båda parter ska' (a list's introduction written without the article) names both principals."""
    doc = normalise("Samverkan\n- Båda parter ska\n  – upprätta en samordnad individuell plan\n"
                    "  – erbjuda anhöriga stöd\n")
    items = [c for c in extract(doc, "t", "2016").clauses if c.unit_kind == "item" and c.is_responsibility]
    assert items and all(c.bearer is not None and c.bearer.kind == "kommun+region" for c in items)


@pytest.mark.parametrize("sentence, kind", [
    # 'initiera' is taking the initiative, whatever is initiated (Västmanland, Västra Götaland, Uppsala)
    ("Övriga verksamheter inom hälso- och sjukvården som ex den kommunala primärvården ansvarar för att "
     "initiera och följa SIP-processen enligt framtagen SIP-rutin.", "convene"),     # vastmanland-0370 (dev)
    ("Regionen ska initiera samverkan kring tillnyktring.", "convene"),
    # the regular forms of verbs and nouns the kinds already name
    ("Representanter för frivården ska inbjudas till styrgruppen en gång per år.", "convene"),
    ("De verksamheter som ansvarar för insatser godkänner sin del av planen.", "decide"),
    ("Personalen ska fullgöra anmälningsskyldigheten enligt socialtjänstlagen.", "report"),
])
def test_a_duty_to_initiate_invite_approve_or_report_has_its_kind(sentence: str, kind: str) -> None:
    assert only(sentence).duty_kinds == [kind]


def test_a_passive_initiated_act_is_no_initiative_of_the_bearer():
    """'… ansvarar för att en rehabilitering initieras': the act is started, the bearer does it — no call
    to a meeting or an initiative to collaborate."""
    assert only("Landstinget ansvarar för att en psykiatrisk rehabilitering initieras.").duty_kinds == ["do"]


def test_a_description_after_a_responsibility_gives_it_its_topics_and_stays_a_passage_of_its_own():
    """A description that elaborates the responsibility before it in the same paragraph gives that
    responsibility its topics (a question about LARO finds the region's duty), and is still a clause
    of its own, its quote its own sentence, so a question about what it says can cite it (issue 12:
    a merged description was never cited)."""
    text = ("Hälso- och sjukvården ansvarar för medicinska insatser. "
            "Individer med opioidberoende kan behöva läkemedelsassisterad behandling, LARO.")
    clauses = extract(normalise(text), "test", "2016").clauses
    assert [(c.deontic_class, c.quote) for c in clauses] == [
        ("obligation", "Hälso- och sjukvården ansvarar för medicinska insatser."),
        ("description", "Individer med opioidberoende kan behöva läkemedelsassisterad behandling, LARO.")]
    duty, description = clauses
    assert "lakemedelsassisterad_behandling" in duty.topics
    assert description.topics == ["lakemedelsassisterad_behandling"] and description.bearer is None
    assert not description.is_responsibility


def test_a_description_that_names_an_actor_is_a_passage_an_answer_can_cite():
    """A service described in the present ("Habiliteringen erbjuder råd, stöd och behandling …") obliges
    nobody, but it answers "vem ger …?" with the actor it names: it is a clause (a description, no
    bearer). A sentence that names no actor and no topic is none."""
    text = ("Habiliteringen erbjuder råd, stöd och behandling till personer med funktionsnedsättningar. "
            "Detta är ett exempel utan några aktörer alls.")
    clauses = extract(normalise(text), "test", "2016").clauses
    assert [(c.text[:15], c.deontic_class, c.bearer) for c in clauses] == [("Habiliteringen ", "description", None)]
    assert clauses[0].fallback_topic
