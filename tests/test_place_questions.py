"""Issue 13 item 4, places in questions, checked over the gazetteer rather than the question bank: every
municipality and county as staff name it (with or without "kommun", the region by its short name, the
landsting it was), a misspelt name corrected, shown ("Menade du …?") and used, and spelling that never
replaces a known Swedish word."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rapidfuzz.distance import DamerauLevenshtein
from wordfreq import top_n_list

from vemgorvad.places import gazetteer
from vemgorvad.serve.ask.spelling import Speller, fold, swedish_word

ROOT = Path(__file__).resolve().parents[1]
DATA = json.loads((ROOT / "data" / "gazetteer.json").read_text(encoding="utf-8"))
#: the seed agreement of each county that has one (data/agreements/agreements.json)
SEEDS = {"03": "uppsala", "04": "sormland", "14": "vastra-gotaland", "19": "vastmanland"}


def _read(engine, question: str) -> tuple[str | None, str | None]:
    interp = engine.interpret(question)
    return (interp.place or {}).get("id"), interp.agreement


def test_every_municipality_is_read_by_its_name_and_with_kommun(ask_engine):
    wrong = []
    for m in DATA["municipalities"]:
        for question in (f"Vem ansvarar för SIP i {m['name']}?", f"Vem kallar till SIP i {m['genitive']} kommun?"):
            place, agreement = _read(ask_engine, question)
            if place != m["code"] or (m["county"] in SEEDS and agreement != SEEDS[m["county"]]):
                wrong.append((question, place, agreement))
    assert not wrong, wrong[:10]


def test_the_region_by_its_short_name_and_the_landsting_it_was_are_the_county(ask_engine):
    """'Region Jönköping' and 'Landstinget i Kalmar' are the county's region, not the municipality that
    shares the county's short name; every region word of the gazetteer is read."""
    words = DATA["region_words"]["before"]
    assert words
    wrong = []
    for c in DATA["counties"]:
        region = [f"{w[:1].upper()}{w[1:]} {c['short']}" for w in words] + [c["region"]["name"]]
        for name in region + c["region"]["former"]:
            place, agreement = _read(ask_engine, f"Vem betalar HVB-placering enligt {name}?")
            # Gotland's region was its municipality ("Gotlands kommun"): a former name may be the municipality
            right = place == c["code"] or (name not in region and place is not None
                                           and gazetteer().county_of(place) == c["code"])
            if not right or (c["code"] in SEEDS and agreement != SEEDS[c["code"]]):
                wrong.append((name, place, agreement))
    assert not wrong, wrong


@pytest.mark.parametrize("word", DATA["region_words"]["before"])
def test_each_region_word_names_the_county_by_itself(word):
    """Each entry of region_words is read and can match: it alone turns a short name shared with a
    municipality into the county."""
    found = gazetteer().find(f"vem betalar enligt {word} jönköping?")
    assert [m.place.id for m in found] == ["06"]
    assert [m.place.id for m in gazetteer().find("vem betalar i jönköping?")] == ["0680"]


def _misspellings(name: str) -> list[str]:
    """A letter dropped and two letters swapped, inside the name (people keep the first and the last)."""
    middle = len(name) // 2
    return [name[:middle] + name[middle + 1:], name[:middle] + name[middle + 1] + name[middle] + name[middle + 2:]]


def _unambiguous(typed: str, meant: str, speller: Speller) -> bool:
    """The misspelling is a fair test: no Swedish word or name (never replaced, by rule), no word of the
    agreements, and no other place name as near to it as the one meant."""
    lower = typed.lower()
    if swedish_word(lower) or swedish_word(typed) or lower in speller.corpus:
        return False
    distance = DamerauLevenshtein.distance(fold(lower), fold(meant))
    return not any(DamerauLevenshtein.distance(fold(lower), other) <= distance
                   for other in speller.places if other != fold(meant))


def test_a_misspelt_county_or_municipality_written_as_a_name_is_corrected_shown_and_used(ask_engine):
    """A random draw of municipalities (and every county) from the gazetteer, each misspelt by one
    letter dropped or swapped: the question is read with the place meant, says "Menade du …?" and is
    answered from that county's agreement."""
    rng = random.Random(13)
    one_word = [m for m in DATA["municipalities"] if m["name"].isalpha() and len(m["name"]) >= 5]
    places = [(m["name"], m["code"], m["county"]) for m in rng.sample(one_word, 60)]
    places += [(c["short"], c["code"], c["code"]) for c in DATA["counties"] if c["short"].isalpha()]
    speller = ask_engine.reader.speller
    tried, wrong = 0, []
    for name, code, county in places:
        for typed in _misspellings(name):
            if not _unambiguous(typed, name, speller):
                continue
            tried += 1
            interp = ask_engine.interpret(f"Vem betalar HVB-placering i {typed}?")
            place = (interp.place or {}).get("id")
            meant = interp.as_json().get("did_you_mean") or ""
            read_as = place == code or (place is not None and code == county and gazetteer().county_of(place) == county)
            if not (read_as and name in meant and (county not in SEEDS or interp.agreement == SEEDS[county])):
                wrong.append((typed, place, meant, interp.agreement))
    assert tried >= 60
    assert not wrong, wrong


def test_a_misspelt_genitive_county_is_shown_and_used(ask_engine):
    """"Västmnlands län": the word is corrected to an agreement word, and the place it completes is
    what the question is read with — and what "Menade du …?" names."""
    body = ask_engine.ask("Vem betalar HVB-placering i Västmnlands län?")
    assert body["interpretation"]["place"]["id"] == "19"
    assert body["interpretation"]["did_you_mean"] == "Menade du Västmanlands län?"
    assert body["answers"] and all(a["agreement"]["key"] == "vastmanland" for a in body["answers"])


def test_a_name_that_is_an_everyday_word_is_corrected_to_only_where_written_as_a_name(ask_engine):
    """"i Bodden" is Boden (written as a name); "bodden" and "boen" in lower case are no place."""
    assert _read(ask_engine, "Vem betalar HVB-placering i Bodden?")[0] == "2582"
    assert ask_engine.interpret("Vem betalar HVB-placering i Bodden?").as_json()["did_you_mean"] == "Menade du Boden?"
    for question in ("Vem betalar HVB-placering i bodden?", "Vem betalar för boen på HVB?"):
        interp = ask_engine.interpret(question)
        assert interp.place is None and not interp.did_you_mean, question
    speller = Speller(set(), {"Boden"}, set(), everyday_places={"Boden"})
    assert speller.correct("bodden") is None
    fix = speller.correct("bodden", proper=True)
    assert fix is not None and fix.to == "Boden" and fix.place


def test_a_name_prefers_the_nearest_place_to_an_equally_near_common_word():
    speller = Speller({"kallar"}, {"Kalmar"}, set())
    fix = speller.correct("kalar", proper=True)
    assert fix is not None and fix.to == "Kalmar" and fix.place and fix.replaces


def test_a_word_with_its_own_dots_and_rings_is_not_a_place_typed_without_them():
    """The dots-and-rings rule reads "vasteras" as Västerås; "skära" (to cut) is a word, not Skara."""
    speller = Speller(set(), {"Skara", "Västerås"}, set())
    assert speller.correct("skära", proper=True) is None
    fix = speller.correct("vasteras")
    assert fix is not None and fix.to == "Västerås"


def test_only_a_rare_known_word_has_a_commoner_neighbour_looked_for_beside_it():
    """Below Zipf 3 (the low-frequency band): "remis" gets "remiss" looked for; common words are meant
    as written ("inne" is not "inte", "spanska" not "svenska")."""
    speller = Speller({"remiss", "inte", "svenska", "måste"}, set(), set())
    remis = speller.correct("remis")
    assert remis is not None and remis.to == "remiss" and not remis.replaces
    for word in ("inne", "spanska", "matte"):
        assert speller.correct(word) is None, word


def test_no_common_swedish_word_is_replaced_or_read_as_another(ask_engine):
    """A random draw from the 5,000 commonest Swedish words (wordfreq) that the dictionary knows: none is
    replaced in a question, in lower case or written as a name; with no words around it that the
    agreements write beside a neighbour of it, none has another word looked for either; and in lower case
    it leaves the place the question names as it is (written as a name, "Mark" or "Vara" is a
    municipality: the gazetteer's rule)."""
    common = [w for w in top_n_list("sv", 5000) if w.isalpha() and len(w) >= 4 and swedish_word(w)]
    drawn = random.Random(4).sample(common, 300)
    speller = ask_engine.reader.speller
    wrong = []
    for word in drawn:
        for written in (word, word.capitalize()):
            interp = ask_engine.interpret(f"Vem ansvarar för {written} i Uppsala län?")
            if word not in interp.expanded.split() or (written == word and (interp.place or {}).get("id") != "03"):
                wrong.append((written, interp.corrected, interp.place))
            if speller.correct(word, proper=written != word) is not None:
                wrong.append((written, speller.correct(word, proper=written != word)))
    assert not wrong, wrong[:10]


def test_a_known_word_beside_words_the_agreements_write_with_a_neighbour_of_it_gets_that_neighbour(ask_engine):
    """A real-word error in context: "vill kala till SIP" — the agreements write "kalla till", never
    "kala till" — gets "kalla" looked for beside it; "kala" alone, or where the agreements write neither
    pair, does not."""
    speller = Speller({"kalla", "till"}, set(), set(), corpus_pairs={"kalla till"})
    fix = speller.correct("kala", context=("vill", "till"))
    assert fix is not None and fix.to == "kalla" and not fix.replaces
    assert speller.correct("kala") is None
    assert speller.correct("kala", context=("vill", "på")) is None
    both = Speller({"kalla", "till"}, set(), set(), corpus_pairs={"kalla till", "kala till"})
    assert both.correct("kala", context=("vill", "till")) is None
    interp = ask_engine.interpret("Skolan vill kala till SIP – vem ska hjälpa dem?")
    assert interp.corrected.get("kala") == "kalla" and "kala" in interp.expanded.split()
