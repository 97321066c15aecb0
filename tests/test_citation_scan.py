"""The citation scanner tries the grammar only where a citation can begin (grammar._starts) instead
of at every character as pyparsing's scan_string does — half the extraction's time was failed
attempts. It must find exactly what scan_string finds: the same tokens, named results and spans,
on every window of the seed agreements and their footnotes, and on generated strings dense with the
grammar's own pieces (tabs, letters glued to numbers, brackets, conjunctions, series)."""
from __future__ import annotations

import random

import pytest

from vemgorvad.catalogue import load_catalogue
from vemgorvad.extract.citations.grammar import grammar, scan_window, windows
from vemgorvad.ingest import ingest_bytes

PIECES = ("2", "12", "7", "3 f", "8a", "kap.", "kap", "§", "§§", "st.", "och", "samt", "–", "-", "SoL", "HSL",
          "LSS", "LPT", "socialtjänstlagen", "hälso- och sjukvårdslagen", "Lagen", "lag", "förordning",
          "Tandvårdsförordning", "SOSFS", "HSLF-FS", "SFS", "2017:30", "1990:1404", "1998:1338", "/2008:20",
          "(", ")", ",", ".", "\t", " ", "  ", "\n", "a", "x12", "om", "enligt", "Ö", "18§", "1 a")


def found(matches) -> list:
    return [(tokens.as_list(), sorted((k, str(v)) for k, v in tokens.as_dict().items()), start, end)
            for tokens, start, end in matches]


def seed_windows(keys: set[str] | None = None) -> list[str]:
    """The windows of the seed agreements (of those named in keys), their footnotes' too."""
    out = []
    for record in load_catalogue():
        if keys is not None and record.key not in keys:
            continue
        doc = ingest_bytes(record.path.read_bytes(), record.file)
        for text in [doc.text, *(f.text for f in doc.footnotes.values())]:
            out += [text[start:end] for start, end in windows(text)]
    return out


# one seed in the inner loop (its windows hold 36 citations), every seed in the full run (0.9 s of CPU in a
# test-fast run at load 15, a fifth of it for this one)
@pytest.mark.parametrize("keys, least_windows, least_hits", [
    pytest.param({"vastra-gotaland"}, 10, 30, id="vastra-gotaland"),
    pytest.param(None, 50, 100, id="every seed", marks=pytest.mark.slow)])
def test_seed_windows_give_what_scan_string_gives(keys, least_windows, least_hits):
    texts = seed_windows(keys)
    assert len(texts) > least_windows
    hits = 0
    for text in texts:
        expected = found(grammar().scan_string(text))
        assert found(scan_window(text)) == expected, text[:200]
        hits += len(expected)
    assert hits > least_hits        # the windows do hold citations


@pytest.mark.parametrize("seed", range(4))
def test_generated_strings_give_what_scan_string_gives(seed):
    rng = random.Random(seed)
    for _ in range(300):
        text = "".join(rng.choice(PIECES) + rng.choice(("", " ", " ", "\t")) for _ in range(rng.randint(1, 25)))
        assert found(scan_window(text)) == found(grammar().scan_string(text)), repr(text)
