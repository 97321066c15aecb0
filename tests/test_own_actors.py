"""Actors an agreement names itself (issue 12, task 1 of round 3): the bodies it defines with a short
form (Schwartz–Hearst), its parties by their proper names, and the named bodies of its catalogue
record — none of them in the general lexicon. Constructed sentences, not seed sentences."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vemgorvad import language
from vemgorvad.catalogue import Record, catalogue_bytes, load_catalogue
from vemgorvad.extract.acronyms import defined_bodies, definitions, names_a_body
from vemgorvad.extract.actors import document_actors
from vemgorvad.extract.clauses import extract, own_actors
from vemgorvad.extract.lexicon import ActorEntry, catalogue_body_id, lexicon
from vemgorvad.extract.partof import placed_bodies
from vemgorvad.ingest import normalise

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text, short, long", [
    ("Frågan bereds av Samordningsrådet för psykiatri och socialtjänst (SPS) inför beslut.", "SPS",
     "Samordningsrådet för psykiatri och socialtjänst"),
    ("Ärendet lyfts till Ledningsgrupp för vård och omsorg, LVO, som avgör det.", "LVO", "Ledningsgrupp för vård och omsorg"),
    ("Arbetet leds av Nätverk för Hälsa och Omsorg (NHO).", "NHO", "Nätverk för Hälsa och Omsorg"),
])
def test_a_defined_short_form_gets_its_long_form(text, short, long):
    assert [(d.short, d.long) for d in definitions(text)] == [(short, long)]
    assert names_a_body(long)


def test_a_short_form_whose_letters_the_words_do_not_give_is_no_definition():
    assert definitions("Kommunen ansvarar för insatsen (XYZ).") == []
    assert definitions("Enligt beslutet (se bilaga) gäller detta.") == []   # one capital: not a short form
    # Schwartz–Hearst takes the shortest long form the letters allow: "Psykisk Hälsa i Norrland", no head
    assert [d.long for d in definitions("Arbetet leds av Nätverket Psykisk Hälsa i Norrland (PHiN).")] == \
        ["Psykisk Hälsa i Norrland"]


def test_only_a_long_form_with_a_body_head_names_a_body():
    text = ("Planen kallas Samordnad individuell plan (SIP). Frågor bereds i Tjänstemannagruppen "
            "för hälsa och omsorg (THO).")
    assert [e.sv for e, _ in defined_bodies(text)] == ["Tjänstemannagruppen för hälsa och omsorg (THO)"]


def test_a_defined_body_bears_duties_under_its_short_form_elsewhere_in_the_text():
    doc = normalise("1. Organisation\nSamverkan leds av Länsövergripande beredningsgrupp för psykisk hälsa (LBP).\n\n"
                    "2. Tvister\nLBP ska avgöra tvister mellan parterna.\n")
    clause = next(c for c in extract(doc, "t").clauses if c.text.startswith("LBP"))
    assert clause.is_responsibility and clause.bearer is not None
    assert clause.bearer.kind == "other" and clause.bearer.principal.sv.endswith("(LBP)")


PARTY_TEXT = ("Överenskommelse mellan Norrlandsregionen och kommunerna i Norrlands län.\n\n"
              "Viktiga delar i Norrlandsregionens ansvar är att:\n• erbjuda psykiatrisk vård\n"
              "• ge stöd till anhöriga\n")


def test_a_party_named_in_the_text_is_its_principal_wherever_named(tmp_path):
    """With the lexicon's own pattern for '…regionen' names switched off, the party the text states
    still gives the list's items their bearer."""
    own = own_actors(normalise(PARTY_TEXT))
    assert any(e.kind == "region" and e.role == "principal" and p.search("i Norrlandsregionens ansvar") for e, p in own)
    compound = [e.id for e in language.entries() if e.file == "actors.json" and "regionen" in e.text and e.text.startswith("[")]
    assert compound
    off = tmp_path / "off.json"
    off.write_text(json.dumps(compound), encoding="utf-8")
    script = ("import sys; from vemgorvad.extract.clauses import extract; from vemgorvad.ingest import normalise; "
              "items = [c for c in extract(normalise(sys.argv[1]), 't').clauses if c.unit_kind == 'item']; "
              "print(len(items), sorted({c.bearer.kind if c.bearer else 'none' for c in items}))")
    done = subprocess.run([sys.executable, "-c", script, PARTY_TEXT], capture_output=True, text=True, timeout=120,
                          env={"VEMGORVAD_LEXICON_EXCLUDE": str(off), "PATH": "/usr/bin:/bin"}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2 ['region']"


def test_a_records_bodies_are_actors_and_can_be_switched_off(tmp_path):
    entries = {e.id: e for e, _ in lexicon().actors}
    assert entries["tkl"].role == "body" and entries["tkl"].kind == "other"
    assert not any(p["id"] == "tkl" for p in language.load("actors.json")["bodies"])   # not general language
    off = tmp_path / "off.json"
    off.write_text(json.dumps([catalogue_body_id("uppsala", "tkl")]), encoding="utf-8")
    script = "from vemgorvad.extract.lexicon import lexicon; print(sorted(e.id for e, _ in lexicon().actors if e.id in ('tkl', 'nsv')))"
    done = subprocess.run([sys.executable, "-c", script], env={"VEMGORVAD_LEXICON_EXCLUDE": str(off), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['nsv']"


def test_a_records_bodies_survive_a_catalogue_round_trip(tmp_path):
    body = {"id": "x", "sv": "X-rådet", "en": "The X council", "patterns": ["x-rådet"]}
    record = Record("k", "k.txt", "T", bodies=[body])
    (tmp_path / "agreements.json").write_bytes(catalogue_bytes([record, Record("j", "j.txt", "U")]))
    again = load_catalogue(tmp_path)
    assert again[0].bodies == [body] and again[1].bodies == []
    assert "bodies" not in json.loads((tmp_path / "agreements.json").read_text(encoding="utf-8"))[1]



PLACED_TEXT = ("Överenskommelse mellan Region Norrland och kommunerna i Norrlands län.\n\n"
               "1. Organisation\nBeredningsgruppen för psykisk hälsa (BPH) ingår i Hälso- och sjukvårdsförvaltningen inom "
               "Region Norrland. Samverkansrådet för vård (SRV) leder arbetet.\n\n"
               "2. Uppföljning\nUtvecklingsstrateg på BPH är sammankallande. SRV ska följa upp överenskommelsen.\n")


def test_a_named_body_the_text_places_inside_a_principal_is_that_principals_unit():
    """'X ingår i … inom Region Y' makes the named body X a unit of the region wherever the text
    names it (the guideline's row on 'Verksamheten Välfärd'), learned from the text, not listed: a
    duty of X is the region's, and a body the text defines and places nowhere stays a body (other)."""
    extraction = extract(normalise(PLACED_TEXT), "t", "2020")
    assert {k: (e.kind, e.role, e.principal) for k, e in extraction.placed.items()} == {"body-bph": ("region", "unit", "region")}
    duties = {c.text.split()[0]: c for c in extraction.clauses if c.is_responsibility}
    assert duties["Utvecklingsstrateg"].bearer is not None and duties["Utvecklingsstrateg"].bearer.kind == "region"
    assert duties["SRV"].bearer is not None and duties["SRV"].bearer.kind == "other"


@pytest.mark.parametrize("sentence", [
    "Samordning och Region Norrland ska tillsammans följa upp arbetet.",   # named side by side: no placing
    "Frågan lyfts till Samordning. Region Norrland ska svara.",            # another sentence
    "Samordning ingår i Region Norrland och i kommunerna.",                # two principal kinds: no placing
    "Läs mer om Samordning på Region Norrlands webbsida.",                 # a genitive: whose page, not where
])
def test_a_body_merely_named_beside_a_principal_is_not_placed_in_it(sentence):
    entry = ActorEntry("samordning", "other", "body", "Samordning", "Samordning")
    pattern = re.compile(r"(?-i:Samordning)")
    with document_actors([(entry, pattern), (lexicon().entries["region"], re.compile(r"Region Norrlands?", re.I))]):
        assert placed_bodies(sentence, [(entry, pattern)]) == {}
        assert placed_bodies("Samordning inom Region Norrland ska svara.", [(entry, pattern)])["samordning"].kind == "region"
