"""What an agreement says about itself (issue 14 item 3), read by the grammar of
data/lexicon/parties.json and metadata.json from agreements written in many ways: the parties as
the text names them with their kind (a region, a county's municipalities, one municipality, a
district, a care provider), never both found and 'not identified'; title; validity."""
from __future__ import annotations

import pytest

from vemgorvad.extract.clauses import extract
from vemgorvad.extract.metadata import dates_in, describe
from vemgorvad.extract.parties import find_parties, grammar
from vemgorvad.ingest import normalise
from vemgorvad.pipeline import metadata

from seeds import seed_extraction

# Jämtlands län's municipalities in SCB's order (kommunkoder 2303–2380)
JAMTLAND = ["Ragunda", "Bräcke", "Krokoms", "Strömsunds", "Åre", "Bergs", "Härjedalens", "Östersunds"]
KRONOBERG = ["Uppvidinge", "Lessebo", "Tingsryds", "Alvesta", "Älmhults", "Markaryds", "Växjö", "Ljungby"]


def parties(text: str) -> list[tuple[str, str]]:
    return [(p.name, p.kind) for p in find_parties(normalise(text))]


def meta(text: str, filename: str = "utkast.txt"):
    doc = normalise(text)
    return describe(doc, extract(doc, "test"), filename)


@pytest.mark.parametrize("text, expected", [
    # a care provider and one municipality, the region named but expressly not a party
    ("Avtal om läkarinsatser i korttidsboende\n\n1. Parter\n\n1.1 Detta avtal har ingåtts mellan\n"
     "- Exempelby kommun, genom vård- och omsorgsnämnden, nedan kallad kommunen, och\n"
     "- Hälsohuset Väster AB, nedan kallad leverantören.\n\n"
     "1.2 Leverantören har avtal med Region Exempelland om vårdval. Region Exempelland är inte part i detta avtal.\n",
     [("Exempelby kommun", "kommun"), ("Hälsohuset Väster AB", "other")]),
    # the parties on a line of their own under the title
    ("Överenskommelse om samverkan vid spelberoende\n\nTorsås kommun och Region Kalmar län\n\n1. Syfte\n\n"
     "Syftet är att personer med spelberoende får samordnat stöd.\n",
     [("Torsås kommun", "kommun"), ("Region Kalmar län", "region")]),
    # a region and all the municipalities of its county, stated in a sentence
    ("Länsgemensam överenskommelse om äldres psykiska hälsa\n\n1. Parter\n\nParterna i denna överenskommelse är "
     "Region Jämtland Härjedalen och samtliga kommuner i Jämtlands län.\n",
     [("Region Jämtland Härjedalen", "region")] + [(f"{m} kommun", "kommun") for m in JAMTLAND]),
    # a district of a city and the region's psychiatry, named in a 'mellan' sentence
    ("Lokal överenskommelse\n\nDenna överenskommelse har tecknats mellan stadsdelsförvaltningen Skärholmen "
     "och Region Stockholm om samverkan kring personer med psykisk funktionsnedsättning.\n",
     [("stadsdelsförvaltningen Skärholmen", "kommun"), ("Region Stockholm", "region")]),
    # a landsting in an older agreement, the municipality by its name
    ("Mellan Landstinget i Värmland och Arvika kommun har följande överenskommelse träffats.\n",
     [("Landstinget i Värmland", "region"), ("Arvika kommun", "kommun")]),
])
def test_parties_as_the_text_names_them(text, expected):
    assert parties(text) == expected


def test_a_name_the_gazetteer_knows_ends_where_its_name_ends():
    """A title block running on into the next line ('… Region Västernorrland Version 2') keeps the
    region's own name."""
    assert ("Region Västernorrland", "region") in parties(
        "Överenskommelse mellan Timrå kommun och Region Västernorrland Version 2 remiss\n")


def test_the_provider_is_reported_as_neither_municipality_nor_region_and_with_its_alias():
    found = find_parties(normalise("Avtalet gäller mellan Ånge kommun och Läkarhuset Ånge AB, "
                                   "nedan kallad vårdgivaren, om läkarmedverkan.\n"))
    provider = next(p for p in found if p.kind == "other")
    assert provider.name == "Läkarhuset Ånge AB" and provider.alias == "vårdgivaren"
    assert provider.quote.startswith("Avtalet gäller mellan")


def test_generic_words_only_in_a_between_phrase_and_only_without_a_name_of_their_kind():
    assert parties("Denna överenskommelse gäller samarbetet mellan regionen och kommunerna i länet.\n") == [
        ("regionen", "region"), ("kommunerna", "kommun")]
    assert parties("Regionen ansvarar för psykiatrin. Kommunerna ansvarar för boendet.\n") == []


def test_every_form_and_context_of_the_grammar_can_match():
    g = grammar()
    samples = ["Region Gotland", "Västra Götalandsregionen", "Landstinget i Kalmar län", "Kronobergs läns landsting",
               "kommunerna i Hallands län", "varje enskild kommun i Skåne län", "länets kommuner",
               "stadsdelsnämnden Bromma", "Rinkeby-Kista stadsdelsförvaltning", "Nacka kommun",
               "Omsorgshuset Norr AB", "Samordningsförbundet Östra Östergötland", "Brukarföreningen Ljuset ideell förening"]
    for form in g.forms:
        assert any(form.pattern.fullmatch(s) for s in samples), form.pattern.pattern
    assert g.party_heading.search("2. Avtalsparter") and g.party_sentence.search("Undertecknande parter för denna "
                                                                                 "överenskommelse är")
    assert g.not_party.match(" är inte part i avtalet") and g.alias.match(", nedan kallad utföraren")
    assert g.signing.search("avtalet har träffats") and g.between_about.search("samverkan")


def test_parties_found_means_parter_covered_and_no_not_identified_finding(client):
    text = ("Överenskommelse om samverkan kring personer med missbruk\n\nNorbergs kommun och Region Västmanland\n\n"
            "1. Målgrupp\n\nÖverenskommelsen omfattar personer med skadligt bruk och beroende.\n")
    response = client.post("/api/check", files={"file": ("utkast.txt", text.encode(), "text/plain")})
    report = response.json()
    assert report["agreement"]["parties"] == ["Norbergs kommun", "Region Västmanland"]
    assert [p["kind"] for p in report["agreement"]["party_details"]] == ["kommun", "region"]
    assert next(t for t in report["topics"] if t["topic"] == "parter")["status"] == "covered"
    assert not [f for f in report["findings"] if f.get("topic") == "parter"]


@pytest.mark.parametrize("text, valid_from, valid_to", [
    ("5. Giltighetstid\n\nÖverenskommelsen gäller från och med den 1 april 2026 till och med den 31 mars 2029.\n",
     "2026-04-01", "2029-03-31"),
    ("Avtalsperiod 2026-02-01 – 2028-01-31\n\n1. Bakgrund\n\nTexten.\n", "2026-02-01", "2028-01-31"),
    ("Överenskommelsen gäller till och med 2027-12-31.\n", None, "2027-12-31"),
    ("Överenskommelsen träder i kraft den 15 januari 2027 och gäller tills vidare.\n", "2027-01-15", None),
    # a date that belongs to history or to the agreement it replaces is not the period
    ("Sedan den 1 januari 2010 ska kommunerna ha överenskommelser.\nDen här överenskommelsen ersätter den från "
     "2016-05-01.\n", None, None),
])
def test_validity_in_words_or_digits(text, valid_from, valid_to):
    m = meta(text)
    assert (m.valid_from, m.valid_to) == (valid_from, valid_to)


def test_open_ended_and_prolonged():
    m = meta("7. Avtalstid\n\nAvtalet gäller från och med 2026-01-01 till och med 2027-12-31. Avtalet förlängs "
             "därefter med ett år i taget om det inte sägs upp.\n")
    assert m.extends and (m.valid_from, m.valid_to) == ("2026-01-01", "2027-12-31")
    assert meta("Överenskommelsen gäller tills vidare.\n").open_ended


def test_dates_in_words():
    assert [d for *_, d in dates_in("den 1 mars 2026, 2026-03-02 och 3 december 2027")] == [
        "2026-03-01", "2026-03-02", "2027-12-03"]


@pytest.mark.parametrize("text, title", [
    ("ÖVERENSKOMMELSE\nom samverkan kring personer med missbruk\nmellan Ale kommun och Västra Götalandsregionen\n\n"
     "Version 2\n\n1. Bakgrund\n\nText.\n",
     "ÖVERENSKOMMELSE om samverkan kring personer med missbruk mellan Ale kommun och Västra Götalandsregionen"),
    ("Avtal om läkarmedverkan i särskilt boende i Ånge kommun\n\nmellan Ånge kommun och Läkarhuset Ånge AB\n\n"
     "1. Parter\n\nText.\n", "Avtal om läkarmedverkan i särskilt boende i Ånge kommun"),
])
def test_the_title_is_the_opening_block(text, title):
    assert meta(text).title == title


# --- party lists and a county's municipalities (issue 14 item 3) ------------------------------------

@pytest.mark.parametrize("text", [
    # a 'Parter:' line and a bullet list
    "Samverkansöverenskommelse om psykisk hälsa\n\nParter:\n- Region Kronoberg\n- Växjö kommun\n- Ljungby kommun\n\n"
    "Målgrupp:\n- personer med psykisk funktionsnedsättning\n",
    # 'tecknad mellan:' and bullets of another glyph
    "Överenskommelse om samverkan\n\nÖverenskommelsen är tecknad mellan:\n• Region Kronoberg\n• Växjö kommun\n"
    "• Ljungby kommun\n\nSyfte\n\nSyftet är att stärka samverkan.\n",
    # a numbered 'Parter' section whose numbered lines read as headings
    "Överenskommelse om samverkan\n\n1. Parter\n\n1. Region Kronoberg\n2. Växjö kommun\n3. Ljungby kommun\n\n"
    "2. Syfte\n\nSyftet är att stärka samverkan.\n",
    # 'Parterna är:' and municipalities by their names alone
    "Överenskommelse om samverkan\n\nParterna är:\n- Region Kronoberg\n- Växjö\n- Ljungby\n\nBakgrund\n\n"
    "Kommunerna och regionen har samverkat länge.\n",
])
def test_a_list_of_parties_after_the_line_that_introduces_it(text):
    assert parties(text) == [("Region Kronoberg", "region"), ("Växjö kommun", "kommun"), ("Ljungby kommun", "kommun")]


def test_a_list_stops_at_the_first_line_that_is_not_a_party():
    assert parties("Överenskommelse\n\nParter:\n- Region Kronoberg\n- Växjö kommun\n- Kommunerna ansvarar för "
                   "boendestöd och Ljungby kommun för skolan.\n") == [("Region Kronoberg", "region"),
                                                                      ("Växjö kommun", "kommun")]


@pytest.mark.parametrize("collective", ["kommunerna i Kronobergs län", "samtliga kommuner i Kronobergs län",
                                        "länets kommuner", "Kronobergs läns kommuner"])
def test_a_county_s_municipalities_named_as_one_are_each_a_party(collective):
    found = find_parties(normalise(f"Överenskommelse om vård för äldre\n\nÖverenskommelsen är tecknad mellan "
                                   f"Region Kronoberg och {collective}.\n"))
    assert [(p.name, p.kind) for p in found] == [("Region Kronoberg", "region")] + [(f"{m} kommun", "kommun")
                                                                                    for m in KRONOBERG]
    assert {p.member_of for p in found[1:]} == {collective}


def test_the_municipalities_of_a_county_the_gazetteer_does_not_know_stay_one_party():
    """A county that is not Sweden's (an example text) or 'länets kommuner' beside no region: as named."""
    assert parties("Överenskommelsen är tecknad mellan Region Exempelland och kommunerna i Exempellands län.\n") == [
        ("Region Exempelland", "region"), ("kommunerna i Exempellands län", "kommun")]
    assert parties("Överenskommelsen är tecknad mellan regionen och länets kommuner.\n") == [
        ("regionen", "region"), ("länets kommuner", "kommun")]


def test_a_municipality_named_as_well_as_its_county_s_is_reported_once_by_the_text_s_name():
    found = parties("Överenskommelse\n\nParter:\n- Region Dalarna\n- Länets kommuner:\n- Falu kommun\n")
    names = [n for n, _ in found]
    assert names.count("Falu kommun") == 1 and len(names) == 16 and names[0] == "Region Dalarna"


@pytest.mark.parametrize("key", ["stockholm-vasterort", "sormland", "vastmanland", "vastra-gotaland", "uppsala"])
def test_the_metadata_add_plans_with_is_what_the_whole_extraction_describes(key):
    """`vemgorvad add` plans a record with pipeline.metadata, which reads the parties without
    extracting the clauses: the same title, parties and validity as the pipeline's describe(). The
    seed as ingest reads it and its extraction are the session's (seeds.py), shared with test_extract
    and test_deontic."""
    doc, extraction = seed_extraction(key)
    assert metadata(doc, key) == describe(doc, extraction, key)
