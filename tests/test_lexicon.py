"""The language data (data/lexicon/*.json) as a whole: every key is read by the code, every entry
compiles and can match (a seed agreement or an example its file gives), entries can be switched
off by id, attestation says which agreements each entry matches, and the completeness shapes are
exactly what data/requirements.json renders."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vemgorvad import language
from vemgorvad.extract.actors import find_mentions
from vemgorvad.extract.lexicon import attestation
from vemgorvad.ingest import normalise, read_path
from vemgorvad.pipeline import process
from vemgorvad.serve.ask.engine import AskEngine
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check
from vemgorvad.validate.completeness import OUTPUT, render

ROOT = Path(__file__).resolve().parents[1]
AGREEMENTS = ROOT / "data" / "agreements"


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    texts = {}
    for path in sorted(AGREEMENTS.glob("*.txt")):
        raw = read_path(path)
        texts[path.stem] = raw + "\n" + normalise(raw).text
    return texts


def _code() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "service" / "vemgorvad").rglob("*.py"))


def test_every_key_of_every_file_is_read():
    """Every key of a lexicon file is named by the code that reads it (grammar.json's through
    phrase()/words(), the others by their loaders): a key nothing names is dead data."""
    code = _code()
    unread = [f"{name}: {key}" for name in language.file_names() for key in language.load(name)
              if not key.startswith("_") and f'"{key}"' not in code and f"'{key}'" not in code]
    assert unread == []


def test_the_readers_read_their_data(embedded_store):
    """Running the readers (a seed through the pipeline, a gap check, questions) reads every
    lexicon file, through the one loader."""
    text = (AGREEMENTS / "uppsala.txt").read_bytes()
    process(text, "uppsala.txt", "uppsala")
    check(text[:20000], "utkast.txt", Peers({}, {}))
    engine = AskEngine(embedded_store)
    for question in ("Vem betalar hjälpmedel för en 25-åring i Uppsala?", "Vem kallar till SIP när soc placerar?",
                     "Hur skiljer sig länen åt om kostnaden efter 14 dagar?"):
        engine.ask(question)
    assert {name for name, _ in language.READ} == set(language.file_names())


def test_every_entry_compiles():
    """Every entry is a regular expression Python compiles (the inner loop's part of the check below)."""
    broken = []
    for entry in language.entries():
        try:
            entry.regex()
        except language.LexiconError as error:
            broken.append(str(error))
    assert broken == []


@pytest.mark.slow   # every one of the ~2,600 entries searched through the whole seed corpus: 2 s of CPU
def test_every_entry_compiles_and_can_match(seed_texts):
    """Each entry matches a seed agreement or one of its file's "_examples" — a pattern that can
    match nothing (a typo, an anchor in the wrong place) fails here."""
    never = []
    for entry in language.entries():
        pattern = entry.regex()
        if not (any(pattern.search(x) for x in language.examples(entry.file))
                or any(pattern.search(t) for t in seed_texts.values())):
            never.append(f"{entry.id} {entry.text!r}")
    assert never == []


def test_every_file_declares_its_entries_and_each_declaration_finds_some():
    for name in language.file_names():
        data = language.load(name)
        declared = data.get("_entries")
        assert isinstance(declared, dict) and declared, name
        found = {e.id for e in language.entries() if e.file == name}
        for where in declared:
            prefix = name + "#" + where.split("*")[0].rstrip("/")
            assert any(i.startswith(prefix) for i in found), f"{name} {where} finds no entry"


def test_attestation_names_the_agreements_an_entry_matches():
    texts = {"a": "Socialtjänsten ansvarar för utredningen.", "b": "Regionen ansvarar för vården."}
    attested = attestation(texts)
    ids = {e.id: e for e in language.entries()}
    social = next(i for i, e in ids.items() if e.file == "actors.json" and e.text.startswith("socialtjänst("))
    assert attested[social] == ["a"]
    responsible = [i for i, keys in attested.items() if ids[i].text == "ansvarar"]
    assert responsible and all(attested[i] == ["a", "b"] for i in responsible)
    assert set(attested) == set(ids)                   # every entry is accounted for
    assert attested[next(i for i, e in ids.items() if e.text == "buprenorfin")] == []


def test_general_marks_name_entries_of_their_file(tmp_path, monkeypatch):
    """"_general" records that an entry the seeds attest once is general Swedish: each mark names an
    entry of its own file (the seven phrases reviewed in round 3 among them), and a mark that
    names none is one clear error."""
    ids = {e.id: e for e in language.entries()}
    texts = {ids[i].text for i in language.general()}
    assert {"vilket innebär att", "förslag till beslut", "fel och brister", "18 år och äldre"} <= texts
    # the fits to one text are gone: a sentence fragment and a phrase no reader could use
    assert not any("följande punkter" in e.text or e.text == "ta del av information" for e in ids.values())
    (tmp_path / "x.json").write_text(json.dumps({"_entries": {"/words/*": "word"}, "words": ["ett ord"],
                                                 "_general": {"ett annat ord": "?"}}), encoding="utf-8")
    monkeypatch.setattr(language.paths, "LEXICON", str(tmp_path))
    language._raw.cache_clear()
    try:
        with pytest.raises(language.LexiconError, match=r"x\.json.*'ett annat ord'"):
            language.general()
    finally:
        monkeypatch.undo()
        language._raw.cache_clear()


def test_switched_off_entries_are_gone_for_every_reader(tmp_path):
    """VEMGORVAD_LEXICON_EXCLUDE: the entries listed are not in the data any reader sees."""
    ids = {e.id: e for e in language.entries()}
    social = next(i for i, e in ids.items() if e.file == "actors.json" and e.text.startswith("socialtjänst("))
    word = next(i for i, e in ids.items() if e.file == "conditions.json" and e.text == "tio")
    off = tmp_path / "off.json"
    off.write_text(json.dumps([social, word]), encoding="utf-8")
    script = ("from vemgorvad.extract.actors import find_mentions; from vemgorvad.language import load; "
              "print([m.entry.id for m in find_mentions('Socialtjänsten ansvarar.')], "
              "'tio' in load('conditions.json')['number_words'])")
    env = {"VEMGORVAD_LEXICON_EXCLUDE": str(off), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "False"]
    assert [m.entry.id for m in find_mentions("Socialtjänsten ansvarar.")] == ["socialtjanst"]   # here: all on


def test_a_bad_exclusion_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "off.json"
    bad.write_text("{not json", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "vemgorvad.cli", "build", "--quiet"],
                          env={"VEMGORVAD_LEXICON_EXCLUDE": str(bad), "VEMGORVAD_VAR": str(tmp_path / "var"),
                               "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "VEMGORVAD_LEXICON_EXCLUDE" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_completeness_shapes_are_what_the_requirements_render():
    """shapes/completeness.ttl is generated from data/requirements.json; an edit to either alone
    fails here (`python -m vemgorvad.validate.completeness` writes it again)."""
    assert OUTPUT.read_text(encoding="utf-8") == render()


#: Words that may stand in a regular expression in Python: formats, not language.
FORMAT_WORDS = {"kap": "the provision keys of data/laws.json ('16 kap. 3 §')", "SFS": "Svensk författningssamling's "
                "number format", "https": "URLs", "www": "URLs", "values": "the #values marker of queries/*.rq",
                "SELECT": "the SPARQL keyword a query of queries/*.rq is wrapped at (serve/ask/sparql.py)"}
REGEX_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "split", "Regex"}


def _words_of_pattern(pattern: str) -> list[str]:
    bare = re.sub(r"\\.", "", pattern)                  # escapes (\w, \s, \d, \.)
    bare = re.sub(r"\[[^\]]*\]", "", bare)              # character classes ([a-zåäö])
    bare = re.sub(r"\(\?P?<[^>]*>|\{[^}]*\}", "", bare)  # group names, repetition counts
    return re.findall(r"[A-Za-zÅÄÖåäöéü]{2,}", bare)


def _literal_parts(node: ast.AST) -> list[str]:
    """The literal text of a pattern expression: a string, the fixed parts of an f-string, the
    pieces of a concatenation — not what is looked up or computed (a data key, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return _literal_parts(node.left) + _literal_parts(node.right)
    return []


def test_no_language_rule_in_python():
    """No regular expression in the code names a Swedish word: words, phrases and patterns of the
    language live in data/lexicon/ (shapes such as [A-ZÅÄÖ] and formats such as SFS numbers may)."""
    found = []
    for path in sorted((ROOT / "service" / "vemgorvad").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in REGEX_CALLS:
                continue
            for text in _literal_parts(node.args[0]):
                words = [w for w in _words_of_pattern(text) if w not in FORMAT_WORDS]
                if words:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {words}")
    assert found == []


def test_a_verb_entry_stands_for_the_verb_in_every_regular_form():
    assert {"beviljar", "beviljas"} <= set(language.verb_forms("bevilja"))
    assert {"avgör", "avgörs"} <= set(language.verb_forms("avgöra", "finite"))
    assert {"erbjuder"} <= set(language.verb_forms("erbjuda", "active")) and "erbjuda" not in language.verb_forms("erbjuda")
    assert language.verb_forms("träffas") == ["träffas"]
    entry = language.Entry("x.json", ("verbs", 0), "verb", r"fatta (?:\w+ )?beslut")
    for text in ("Nämnden fattar beslut.", "Nämnden ska fatta ett beslut."):   # attested by either form
        assert entry.regex().search(text), text
    assert not entry.regex().search("Kommunen fattade beslut")
    present = language.compile_verbs([r"fatta (?:\w+ )?beslut"], "active")
    assert present.search("nämnden fattar beslut") and not present.search("nämnden ska fatta beslut")
