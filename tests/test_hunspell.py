"""The Swedish Hunspell dictionary held compact (hunspell/compact.py) answers every lookup as spylls' own
Dictionary does, in a fraction of its memory; and a dictionary's odd corners (an entry with data
tags, the one-letter keys of spylls' lower-case index) are answered as spylls answers them."""
from __future__ import annotations

import gc
import re
import tracemalloc
from pathlib import Path

import pytest
from spylls.hunspell import Dictionary

from vemgorvad.hunspell import compact as hunspell
from vemgorvad.wordlist import dictionary_path

from tests.eval.answers import questions

WORD = re.compile(r"[^\W\d_]+")


def _variants(word: str) -> list[str]:
    """The word as a question may write it: as it is, lower case, capitalised, in capitals, and with
    the slips the spelling corrects (a letter dropped, two swapped)."""
    lower = word.lower()
    middle = len(lower) // 2
    return [word, lower, lower.capitalize(), lower.upper(), lower[:middle] + lower[middle + 1:],
            lower[:1] + lower[2:3] + lower[1:2] + lower[3:]]


@pytest.fixture(scope="module")
def swedish() -> Dictionary:
    path = dictionary_path()
    assert path is not None, "hunspell-sv is not installed"
    return Dictionary.from_files(str(path))


@pytest.mark.slow
def test_every_word_of_the_development_questions_is_looked_up_as_spylls_does(swedish):
    """Every word of every development question (not the held-out ones, not the fresh batch), as
    written, lower case, capitalised, in capitals and with a slip: the compact entries give the same
    answer as spylls' own — the spelling's corrections, and so the answers, are the same."""
    words = sorted({v for q in questions("dev") for w in WORD.findall(q["question"]) for v in _variants(w) if v})
    assert len(words) > 3000
    aff, dic = hunspell.compact(swedish)
    compact = hunspell.lookup(aff, dic)
    differ = [w for w in words if compact(w) != swedish.lookup(w)]
    assert differ == []
    assert any(swedish.lookup(w) for w in words) and not all(swedish.lookup(w) for w in words)


def test_the_compact_entries_take_a_fraction_of_spylls_memory(swedish):
    """sv_SE: 167 000 entries, 135 MB as spylls holds them; compact, under a fifth of it."""
    gc.collect()
    tracemalloc.start()
    try:
        _, dic = hunspell.compact(swedish)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(dic.index) == len(swedish.dic.index) > 100_000
    assert held < 30e6, held
    flag_sets = {id(entry[0]) for entries in dic.index.values() for entry in entries}
    assert len(flag_sets) == len({entry[0] for entries in dic.index.values() for entry in entries}) < 5000


def test_the_server_reads_the_dictionary_in_a_child_process_then_from_its_cache(tmp_path, monkeypatch):
    """hunspell.read: spylls reads the files in a child process and the compact entries come back,
    kept in the cache folder (a cache file that cannot be read is passed by and replaced); the next
    read takes them from the cache, with no child process."""
    path = dictionary_path()
    assert path is not None
    (tmp_path / f"{hunspell._digest(path)}.pickle").write_bytes(b"not a pickle")
    for source in ("child", "cache"):
        lookup = hunspell.read(path, tmp_path)
        assert lookup("remis") and lookup("hjälpmedelsförskrivning") and lookup("Stockholms"), source
        assert not lookup("hjälpmedelsförsrivning"), source
        assert isinstance(lookup.dic, hunspell.CompactDic), source
        assert [p.name for p in tmp_path.iterdir()] == [f"{hunspell._digest(path)}.pickle"]
        monkeypatch.setattr(hunspell, "_from_child", _no_child)


def _no_child(path):
    raise AssertionError(f"{path}: read again, not taken from the cache")


def test_a_dictionary_that_cannot_be_read_is_one_readable_error(tmp_path):
    with pytest.raises(RuntimeError, match="reading the Hunspell dictionary"):
        hunspell.read(tmp_path / "missing")


AFF = """SET UTF-8
FLAG long
SFX Aa Y 1
SFX Aa 0 er .
COMPOUNDFLAG Cc
"""
DIC = """5
kasse/AaCc
Kasse/Cc
IKEA
a
bok/Cc ph:boock
"""


@pytest.fixture
def small(tmp_path: Path) -> Dictionary:
    (tmp_path / "xx.aff").write_text(AFF, encoding="utf-8")
    (tmp_path / "xx.dic").write_text(DIC, encoding="utf-8")
    return Dictionary.from_files(str(tmp_path / "xx"))


def test_homonyms_and_data_tags_are_kept(small):
    """Two entries of one stem, an entry with a data tag (kept as spylls' own Word), flags shared."""
    _, dic = hunspell.compact(small)
    assert [w.flags for w in dic.homonyms("kasse")] == [{"Aa", "Cc"}]
    assert dic.homonyms("bok") == small.dic.homonyms("bok") and dic.homonyms("bok")[0].alt_spellings == ["boock"]
    assert dic.has_flag("kasse", "Aa") and not dic.has_flag("Kasse", "Aa") and not dic.has_flag("ingen", "Aa")
    assert dic.has_flag("kasse", "Cc", for_all=True)


@pytest.mark.parametrize("key", ["kasse", "ikea", "k", "a", "s", "e", "b", "o", "x"])
def test_the_lower_case_index_files_what_spylls_files(small, key):
    """Every key, the one-letter ones too (spylls files a lower-case stem under each of its letters):
    the same entries, as many times."""
    _, dic = hunspell.compact(small)

    def entries(words):
        return sorted((w.stem, tuple(sorted(w.flags)), w.captype.name) for w in words)
    assert entries(dic.homonyms(key, ignorecase=True)) == entries(small.dic.homonyms(key, ignorecase=True))


@pytest.mark.parametrize("word", ["kasse", "kasser", "Kasse", "KASSE", "KASSER", "kassebok", "bokkasse", "IKEA",
                                  "ikea", "Ikea", "A", "a", "bok", "BOK", "bokar", "kassekasse"])
def test_lookup_of_the_small_dictionary_is_spylls_lookup(small, word):
    aff, dic = hunspell.compact(small)
    assert hunspell.lookup(aff, dic)(word) == small.lookup(word)
