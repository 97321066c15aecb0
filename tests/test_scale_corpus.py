"""The synthetic corpora of `make scale` (tests/scale/generate.py): deterministic, every county with
its county-wide agreement, local ones with real places, versions that replace older ones, and texts
renamed away from the seed's county."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.scale.generate import generate
from vemgorvad.catalogue import load_catalogue
from vemgorvad.places import agreement_places, gazetteer, in_force


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    home = tmp_path_factory.mktemp("scale") / "N40"
    return home, generate(home, 40)


def test_the_same_n_gives_the_same_corpus(corpus, tmp_path):
    home, summary = corpus
    again = tmp_path / "again"
    assert generate(again, 40) == summary
    for path in sorted((home / "data" / "agreements").iterdir()):
        assert (again / "data" / "agreements" / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_county_has_one_current_county_wide_agreement_and_local_ones_cover_real_places(corpus):
    home, summary = corpus
    gaz = gazetteer()
    records = load_catalogue(home / "data" / "agreements")
    assert len(records) == 40 == summary["n"] and summary["local"] > 0 and summary["versions"] > 0
    current = Counter(r.county for r in records if r.level == "county" and not r.valid_to)
    assert len(current) == 21 and set(current.values()) == {1}
    for record in records:
        assert record.covers and all(c in gaz for c in record.covers), record.key
        if record.level == "local":
            assert all(gaz.county_of(c) == gaz.county_code(record.county) for c in record.covers)
    keys = {r.key for r in records}
    assert all(r.replaces in keys for r in records if r.replaces)
    assert len(keys) == 40


def test_in_force_gives_the_current_county_wide_and_the_local_agreement(corpus):
    home, _ = corpus
    records = load_catalogue(home / "data" / "agreements")
    facts = agreement_places(records)
    local = next(r for r in records if r.level == "local" and gazetteer()[r.covers[0]].kind == "municipality")
    result = in_force(facts, local.covers[0], "2026-06-01")
    assert local.key in [e.key for e in result.local]
    current = next(r for r in records if r.level == "county" and r.county == local.county and not r.valid_to)
    assert [e.key for e in result.regional] == [current.key]


def test_texts_are_renamed_to_their_county(corpus):
    home, _ = corpus
    catalogue = json.loads((home / "data" / "agreements" / "agreements.json").read_text(encoding="utf-8"))
    record = next(r for r in catalogue if r["county"] == "Kalmar län" and r["level"] == "county")
    text = (home / "data" / "agreements" / record["file"]).read_text(encoding="utf-8")
    found = {gazetteer().county_of(m.place.id) for m in gazetteer().find(text)}
    assert found == {"08"}, found


def test_make_scale_is_bounded_by_its_budget():
    """Once a corpus's time budget (SCALE_BUDGET) is spent, the remaining measurements are skipped
    with a row saying so, and no bound is longer than what is left."""
    import time

    from tests.scale import run
    result = run.Result(5)
    saved = run._deadline[0]
    try:
        run._deadline[0] = time.monotonic() + 30
        assert run.bound("build") <= 30 and run.bound("question") <= 30
        run._deadline[0] = time.monotonic() - 1
        called: list[int] = []
        run._bounded(result, "add of one agreement", lambda: called.append(1))
        assert called == [] and result.rows["add of one agreement"].startswith("skipped")
        assert run.bound("build") == 1.0
    finally:
        run._deadline[0] = saved


def test_the_compare_figure_is_every_page_of_each_topic_asked_once():
    """`make scale`'s compare row: each page of each topic requested once (its first request after the
    start: cold), in order, as many pages as the comparison says it has; a page that fails stops it."""
    from tests.scale import run
    asked: list[str] = []

    def fetch(path: str):
        asked.append(path)
        pages = 3 if "topic=a&" in path else 1
        return 200, json.dumps({"pages": pages, "agreements": []}).encode(), 0.25
    times, sizes = run.compare_sweep(fetch, ("a", "b"), 30)
    assert asked == ["/api/compare?topic=a&page=1", "/api/compare?topic=a&page=2", "/api/compare?topic=a&page=3",
                     "/api/compare?topic=b&page=1"]
    assert times == [250.0] * 4 and len(sizes) == 4
    with pytest.raises(RuntimeError):
        run.compare_sweep(lambda path: (404, b"{}", 0.1), ("a",), 30)
    with pytest.raises(run.Bounded):
        run.compare_sweep(fetch, ("a",), -1)
