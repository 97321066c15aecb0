"""Places: the gazetteer against SCB's official counts, names in a text, what each agreement
covers, the agreements in force for a place on a date, and the same facts in the built graph."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from vemgorvad import paths
from vemgorvad.catalogue import load_catalogue
from vemgorvad.places import (AgreementPlaces, agreement_places, agreement_places_from_rows, gazetteer,
                              in_force, proper_names)
from vemgorvad.serve.named_queries import run_named

# SCB: municipalities per county (län), 290 in all.
OFFICIAL = {"01": ("Stockholms län", 26), "03": ("Uppsala län", 8), "04": ("Södermanlands län", 9),
            "05": ("Östergötlands län", 13), "06": ("Jönköpings län", 13), "07": ("Kronobergs län", 8),
            "08": ("Kalmar län", 12), "09": ("Gotlands län", 1), "10": ("Blekinge län", 5),
            "12": ("Skåne län", 33), "13": ("Hallands län", 6), "14": ("Västra Götalands län", 49),
            "17": ("Värmlands län", 16), "18": ("Örebro län", 12), "19": ("Västmanlands län", 10),
            "20": ("Dalarnas län", 15), "21": ("Gävleborgs län", 10), "22": ("Västernorrlands län", 7),
            "23": ("Jämtlands län", 8), "24": ("Västerbottens län", 15), "25": ("Norrbottens län", 14)}


@pytest.fixture(scope="module")
def gaz():
    return gazetteer()


# --- the gazetteer -------------------------------------------------------------------------------

def test_every_county_has_its_official_number_of_municipalities(gaz):
    counties = {p.id: p.name for p in gaz.of_kind("county")}
    assert counties == {code: name for code, (name, _) in OFFICIAL.items()}
    per_county = Counter(p.parent for p in gaz.of_kind("municipality"))
    assert per_county == Counter({code: n for code, (_, n) in OFFICIAL.items()})
    assert sum(per_county.values()) == 290


def test_municipality_codes_are_four_digits_beginning_with_their_county(gaz):
    codes = [p.id for p in gaz.of_kind("municipality")]
    assert len(set(codes)) == 290
    for place in gaz.of_kind("municipality"):
        assert len(place.id) == 4 and place.id.isdigit() and place.id[:2] == place.parent, place


def test_the_file_names_its_sources():
    data = json.loads(Path(paths.GAZETTEER).read_text(encoding="utf-8"))
    assert "SCB" in data["sources"]["municipalities"]
    assert {"stockholm", "goteborg", "malmo", "regions"} <= set(data["sources"])


def test_every_region_has_its_current_name_and_the_landsting_it_was(gaz):
    for county in gaz.of_kind("county"):
        assert county.region and (county.region.startswith("Region ") or county.region == "Västra Götalandsregionen")
        assert county.former, county.name
    for name, code in [("Stockholms läns landsting", "01"), ("Landstinget i Uppsala län", "03"),
                       ("Landstinget Sörmland", "04"), ("Region Västmanland", "19"), ("VGR", "14"),
                       ("Västra Götalandsregionen", "14"), ("Region Jämtland Härjedalen", "23"),
                       ("Sörmland", "04"), ("Jönköpings läns landsting", "06")]:
        assert gaz.county_code(name) == code, name


@pytest.mark.parametrize("on,expected", [
    ("2019-06-01", 14), ("2021-06-01", 13), ("2024-01-01", 11)])
def test_stockholm_has_the_districts_of_each_period(gaz, on, expected):
    districts = gaz.children("0180", on=on)
    assert len(districts) == expected, [p.name for p in districts]


@pytest.mark.parametrize("city,on,expected", [
    ("1480", "2015-01-01", 10), ("1480", "2022-01-01", 4), ("1280", "2012-01-01", 10),
    ("1280", "2015-01-01", 5), ("1280", "2018-01-01", 0)])
def test_goteborg_and_malmo_have_the_districts_of_each_period(gaz, city, on, expected):
    assert len(gaz.children(city, on=on)) == expected


# --- names in a text -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Vem ansvarar för boendestöd i Katrineholm?", ["0483"]),
    ("i katrineholms kommun", ["0483"]),
    ("Hässelby Vällingby", ["0180-hasselby-vallingby"]),
    ("stadsdelsförvaltningen Hässelby–Vällingby", ["0180-hasselby-vallingby"]),
    ("Landstinget i Uppsala län och kommunerna", ["03"]),
    ("Västra Götalands län", ["14"]),                       # the county, not a municipality inside the name
    ("Östra Göteborg", ["1480-ostra-goteborg"]),            # the district, not the city
    ("Upplands Väsby och Upplands-Bro", ["0114", "0139"]),
    ("Uppsala", ["0380"]),                                   # the municipality; the county is 'Uppsala län'
    ("Uppsala län", ["03"]),
])
def test_places_named_in_a_text(gaz, text, expected):
    assert [m.place.id for m in gaz.find(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("Vad ska vara med i planen?", []),                     # 'vara' is a verb here
    ("i Vara kommun", ["1470"]),
    ("mark och vatten", []),
    ("Mark i Västra Götaland", ["1463", "14"]),
    ("vem har ansvar i centrum", []),
    ("stadsområde Norr", ["1280-norr"]),
    ("Norr i Malmö", ["1280-norr", "1280"]),
])
def test_a_name_that_is_an_everyday_word_needs_its_kind_or_its_place(gaz, text, expected):
    assert [m.place.id for m in gaz.find(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("Vem ansvarar för boendestöd i Kil?", ["1715"]),         # written as a name
    ("Vem betalar i Vara?", ["1470"]),
    ("vem betalar i vara?", []),                               # not written as a name
    ("Vara. Vem betalar?", []),                                # first in a sentence: capitalised anyway
    ("Vem har ansvar i Centrum?", []),                         # a name, but of three cities' districts
])
def test_a_name_that_is_an_everyday_word_counts_when_written_as_a_name(gaz, text, expected):
    assert [m.place.id for m in gaz.find(text.lower(), proper=proper_names(text))] == expected


def test_proper_names_are_capitalised_words_not_first_in_a_sentence():
    assert proper_names("Vem kallar till SIP i Kil? Och i Boden, Norr?") == {"kil", "boden", "norr"}
    assert proper_names("Kil är en kommun.") == set()


def test_find_on_a_date_keeps_the_districts_of_that_date(gaz):
    assert [m.place.id for m in gaz.find("Centrum i Göteborg", on="2015-01-01")] == ["1480-centrum", "1480"]
    assert [m.place.id for m in gaz.find("Centrum i Göteborg", on="2022-01-01")] == ["1480-so-centrum", "1480"]


# --- what agreements cover ---------------------------------------------------------------------------

def test_each_seed_agreement_covers_its_places(gaz):
    covers = {a.key: a.covers for a in agreement_places(load_catalogue())}
    assert covers == {"stockholm-vasterort": ("0180-hasselby-vallingby", "0180-bromma", "0125"),
                      "sormland": ("04",), "vastmanland": ("19",), "vastra-gotaland": ("14",), "uppsala": ("03",)}


def test_a_local_agreement_without_covers_gets_them_from_its_parties(gaz):
    record = next(r for r in load_catalogue() if r.key == "stockholm-vasterort").as_dict()
    explicit = record.pop("covers")
    assert gaz.covers_of(record) == explicit


def test_unknown_places_in_covers_are_refused(gaz):
    with pytest.raises(ValueError, match="okända platser"):
        gaz.covers_of({"key": "x", "covers": ["9999"]})


def test_the_catalogue_keeps_covers_and_leaves_unset_fields_out(tmp_path):
    from vemgorvad.catalogue import catalogue_bytes
    records = load_catalogue()
    text = catalogue_bytes(records).decode("utf-8")
    assert '"covers": ["0180-hasselby-vallingby", "0180-bromma", "0125"]' in text
    assert text.count('"covers"') == 1 and text.count('"replaces"') == 0
    assert text.count('"prolongation"') == 2


# --- in force for a place on a date --------------------------------------------------------------------

CORPUS = [
    AgreementPlaces("sodermanland-2012", "Länsgemensam 2012", ("04",), "county", "2012-01-01", "2016-12-31",
                    "decision"),
    AgreementPlaces("sodermanland-2020", "Länsgemensam 2020", ("04",), "county", "2020-01-01", None, None,
                    "sodermanland-2012"),
    AgreementPlaces("eskilstuna", "Lokal Eskilstuna", ("0484",), "local", "2018-01-01", "2022-12-31"),
    AgreementPlaces("nykoping-flen", "Lokal Nyköping och Flen", ("0480", "0482"), "local", "2019-06-01", None),
    AgreementPlaces("bromma", "Lokal Bromma", ("0180-bromma",), "local", "2015-01-01", None),
    AgreementPlaces("stockholm", "Länsgemensam Stockholm", ("01",), "county", None, None),
    AgreementPlaces("future", "Kommande Eskilstuna", ("0484",), "local", "2030-01-01", None),
]


def test_a_municipality_gets_its_county_wide_and_its_local_agreements_grouped():
    result = in_force(CORPUS, "0484", "2021-03-01")
    assert [e.key for e in result.regional] == ["sodermanland-2020"]      # 2012's is replaced
    assert [e.key for e in result.local] == ["eskilstuna"]
    assert result.regional[0].status == "in_force" and result.regional[0].coverage == "full"


def test_a_prolonged_agreement_stays_until_its_successor_starts():
    before = in_force(CORPUS, "0484", "2018-06-01")
    assert [(e.key, e.status) for e in before.regional] == [("sodermanland-2012", "prolonged")]
    assert before.keys == ["sodermanland-2012", "eskilstuna"]


def test_expired_and_future_agreements_are_left_out():
    assert in_force(CORPUS, "0484", "2023-06-01").keys == ["sodermanland-2020"]
    assert in_force(CORPUS, "0484", "2011-01-01").keys == []


def test_a_county_gets_its_county_wide_agreement_first_and_local_ones_as_partial():
    result = in_force(CORPUS, "04", "2021-03-01")
    assert [e.key for e in result.regional] == ["sodermanland-2020"]
    assert {e.key for e in result.local} == {"eskilstuna", "nykoping-flen"}
    assert all(e.coverage == "partial" for e in result.local)


def test_a_district_gets_its_own_agreement_and_the_county_wide_one():
    result = in_force(CORPUS, "0180-bromma", "2024-01-01")
    assert [(e.key, e.status) for e in result.regional] == [("stockholm", "undated")]
    assert [(e.key, e.coverage) for e in result.local] == [("bromma", "full")]
    city = in_force(CORPUS, "0180", "2024-01-01")
    assert [(e.key, e.coverage) for e in city.local] == [("bromma", "partial")]


def test_the_most_specific_agreement_leads_its_group():
    corpus = [AgreementPlaces("two", "Två kommuner", ("0480", "0482"), "local", "2020-01-01", None),
              AgreementPlaces("city", "Stadsdelen", ("0180-bromma",), "local", "2010-01-01", None),
              AgreementPlaces("one", "En kommun", ("0180",), "local", "2021-01-01", None)]
    assert in_force(corpus, "0180-bromma", "2024-01-01").keys == ["city", "one"]


def test_a_bad_date_or_place_is_a_clear_error():
    with pytest.raises(ValueError, match="ogiltigt datum"):
        in_force(CORPUS, "0484", "1 maj")
    with pytest.raises(KeyError, match="okänd plats"):
        in_force(CORPUS, "9999", "2024-01-01")


def test_as_dict_is_json(gaz):
    body = in_force(CORPUS, "0484", "2021-03-01").as_dict()
    assert json.loads(json.dumps(body))["place"] == {"id": "0484", "kind": "municipality", "label": "Eskilstuna kommun"}


# --- the same facts in the built graph ------------------------------------------------------------------

@pytest.mark.parametrize("place", ["0180", "0180-bromma", "0125", "01", "04", "0484", "14", "1480", "0380"])
def test_the_graph_answers_as_the_catalogue_does(embedded_store, place):
    variables, rows = run_named(embedded_store, "agreements_for_place", place=place)
    values = [{v: (r[v].value if r[v] is not None else None) for v in variables} for r in rows]
    from_graph = agreement_places_from_rows(values)
    from_catalogue = agreement_places(load_catalogue())
    for on in ("2012-06-01", "2018-06-01", "2024-01-01"):
        assert in_force(from_graph, place, on).keys == in_force(from_catalogue, place, on).keys


def test_the_ask_engine_reads_validity_from_the_graph_as_the_catalogue_gives_it(embedded_store):
    """agreement_places.rq (what the ask engine reads) gives every agreement's dates, prolongation and
    the version it replaces as the build wrote them (ELI's dates): it asked for vg:validFrom/validTo,
    which nothing writes, so every agreement was undated — in force for ever, and never newest first."""
    variables, rows = run_named(embedded_store, "agreement_places")
    values = [{v: (r[v].value if r[v] is not None else None) for v in variables} for r in rows]
    from_graph = {a.key: a for a in agreement_places_from_rows(values)}
    from_catalogue = agreement_places(load_catalogue())
    assert any(a.valid_from for a in from_catalogue) and any(a.valid_to for a in from_catalogue)
    for a in from_catalogue:
        g = from_graph[a.key]
        assert (g.valid_from, g.valid_to, g.prolongation, g.replaces, set(g.covers)) == \
            (a.valid_from, a.valid_to, a.prolongation, a.replaces, set(a.covers))


def test_places_in_the_graph_are_skos_concepts_with_codes_and_the_hierarchy(embedded_store):
    rows = embedded_store.values("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?code ?parent WHERE { ?p a dcterms:Location ; skos:notation ?code .
          OPTIONAL { ?p skos:broader/skos:notation ?parent } }""")
    places = {r["code"]: r["parent"] for r in rows}
    assert len([c for c in places if len(c) == 4]) == 290 and len([c for c in places if len(c) == 2]) == 21
    assert places["0484"] == "04" and places["0180-bromma"] == "0180" and places["04"] is None
    spatial = embedded_store.values("""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?key ?code WHERE { ?a dcterms:identifier ?key ; dcterms:spatial/skos:notation ?code }""")
    assert {(r["key"], r["code"]) for r in spatial} >= {("sormland", "04"), ("stockholm-vasterort", "0125")}


def test_the_vocabulary_graph_is_validated_by_itself():
    """Per-agreement validation sees only the vocabulary nodes an agreement refers to; the places,
    concepts and laws are validated once, by validate_vocabulary — and a broken one is caught."""
    from vemgorvad.graph.vocabulary import vocabulary_quads
    from vemgorvad.validate.shacl import load_shapes, validate_vocabulary
    quads = vocabulary_quads()
    assert validate_vocabulary(quads, load_shapes()).violations == 0
    broken = [q for q in quads if not (q.subject.value.endswith("/place/0484") and
                                       q.predicate.value.endswith("#prefLabel") and
                                       getattr(q.object, "language", None) == "en")]
    result = validate_vocabulary(broken, load_shapes())
    assert result.violations == 1 and "place/0484" in result.messages[0]
