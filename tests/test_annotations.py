"""The annotated extraction corpus (tests/data/annotations/, issue 12 item 5) keeps its shape: every
label file passes the field checks, and a later draw (tests/eval/sample_units.py --batch) adds only
fresh development units — never a unit of the first draw, so never a held-out one. Only the draw
(units.jsonl) and the checker's verdict are read here, no held-out label."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.eval import __main__ as eval_main
from tests.eval import annotation_agreement, check_annotations, extraction, sample_units

UNITS = Path(__file__).resolve().parent / "data" / "annotations" / "units.jsonl"


def _units() -> list[dict]:
    return [json.loads(line) for line in UNITS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_label_file_passes_the_field_checks(capsys):
    assert check_annotations.main([]) == 0, capsys.readouterr().out


def test_a_later_batch_holds_fresh_development_units_only():
    units = _units()
    first = [u for u in units if sample_units.batch_of(u) == sample_units.FIRST_BATCH]
    later = [u for u in units if sample_units.batch_of(u) != sample_units.FIRST_BATCH]
    assert later, "no later batch drawn"
    assert len({u["id"] for u in units}) == len(units)
    taken = {(u["agreement"], u["text"]) for u in first}
    for unit in later:
        assert unit["batch"] in sample_units.BATCHES, unit["id"]
        assert unit["split"] == "dev", unit["id"]
        assert (unit["agreement"], unit["text"]) not in taken, unit["id"]
    for unit in later:    # fresh against every earlier draw, not only the first (a text may recur within one)
        earlier = [u for u in units[:units.index(unit)] if sample_units.batch_of(u) != unit["batch"]]
        assert unit["id"] not in {u["id"] for u in earlier}, unit["id"]
        assert (unit["agreement"], unit["text"]) not in {(u["agreement"], u["text"]) for u in earlier}, unit["id"]
    per = Counter((u["batch"], u["agreement"]) for u in later)
    agreements = {u["agreement"] for u in first}
    drawn = {u["id"] for u in units} | {f'{u["agreement"]}:{u["text"]}' for u in units}
    exhausted = {key for key, doc, candidates in sample_units._candidates()
                 if all(f"{key}-{n:04d}" in drawn or f"{key}:{c.text(doc)}" in drawn
                        for n, c in enumerate(candidates))}
    for batch in {u["batch"] for u in later}:
        present = {a for (b, a) in per if b == batch}    # an agreement with nothing left is absent (s9: Stockholm; s10: three)
        assert present <= agreements and agreements - present <= exhausted, (batch, agreements - present)
        for agreement in agreements:    # the batch's size, unless the agreement has no undrawn unit left
            assert per[(batch, agreement)] == sample_units.BATCHES[batch][1] or agreement in exhausted, \
                (batch, agreement)


def test_a_batch_is_never_drawn_twice(monkeypatch, tmp_path, capsys):
    copy = tmp_path / "units.jsonl"
    copy.write_text(UNITS.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(sample_units, "OUT", copy)
    assert sample_units.main(["--batch", "s7"]) == 1
    assert "finns redan" in capsys.readouterr().err
    assert copy.read_text(encoding="utf-8") == UNITS.read_text(encoding="utf-8")


def test_the_blind_second_annotation_of_batch_s7_holds_exactly_its_seeded_sample():
    path = UNITS.parent / "second-annotator-s7.jsonl"
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = annotation_agreement.blind_sample("s7")
    assert len(chosen) == 5 * annotation_agreement.SAMPLE_PER_AGREEMENT
    assert ids == chosen


def test_the_blind_second_annotation_of_batch_s8_holds_exactly_its_seeded_sample():
    path = UNITS.parent / "second-annotator-s8.jsonl"
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = annotation_agreement.blind_sample("s8")
    assert len(chosen) == 37    # 8 from each of four agreements, Stockholm-Västerort's 5 (all its s8 units)
    assert ids == chosen


def test_the_blind_second_annotation_of_batch_s9_holds_exactly_its_seeded_sample():
    path = UNITS.parent / "second-annotator-s9.jsonl"
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = annotation_agreement.blind_sample("s9")
    assert len(chosen) == 32    # 8 from each of four agreements; Stockholm-Västerort has no s9 unit
    assert not any(c.startswith("stockholm-vasterort") for c in chosen)
    assert ids == chosen


@pytest.mark.parametrize("batch", ["s10", "s11"])
def test_the_blind_second_annotation_of_a_batch_holds_exactly_its_seeded_sample(batch: str) -> None:
    path = UNITS.parent / f"second-annotator-{batch}.jsonl"
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = annotation_agreement.blind_sample(batch)
    assert len(chosen) == 30    # 15 from each of the two agreements the batch was drawn from (SAMPLE_SIZES)
    assert {c.rsplit("-", 1)[0] for c in chosen} == {"uppsala", "vastmanland"}
    assert ids == chosen


def test_the_independent_second_annotation_of_batch_s11_holds_the_same_seeded_sample():
    path = UNITS.parent / "second-annotator-s11b.jsonl"    # annotator B, blind to A (AGREEMENT.md)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [r["id"] for r in rows] == annotation_agreement.blind_sample("s11")
    assert all(r["batch"] == "s11" and r["split"] == "dev" for r in rows)


def test_the_blind_sample_is_drawn_per_agreement_from_its_batch_only():
    units = [{"id": f"{a}-{i:04d}", "agreement": a, **({"batch": "x"} if i % 2 else {})}
             for a in ("a", "b") for i in range(40)]
    chosen = annotation_agreement.blind_sample("x", units)
    assert len(chosen) == 2 * annotation_agreement.SAMPLE_PER_AGREEMENT
    assert all(int(c[-4:]) % 2 for c in chosen)
    assert chosen == annotation_agreement.blind_sample("x", list(reversed(units)))
    assert chosen != annotation_agreement.blind_sample("y", [{**u, "batch": "y"} if "batch" in u else u
                                                             for u in units])


def test_the_unscored_fields_are_compared_over_shared_responsibilities_only():
    def row(uid, cls, mode=None, topics=()):
        return {"id": uid, "class": cls, "bearer_kind": "kommun" if mode else None, "bearer_mode": mode,
                "bearer_source": "agent" if mode else None, "bearer_label": "kommunen" if mode else None,
                "segmentation": "ok", "topics": list(topics)}
    pairs = [(row("u-1", "obligation", "single", ["sip"]), row("u-1", "obligation", "single", ["sip"])),
             (row("u-2", "obligation", "single", ["sip", "tvister"]), row("u-2", "recommendation", "joint", ["sip"])),
             (row("u-3", "obligation", "single"), row("u-3", "description")),
             (row("u-4", "description"), row("u-4", "description", topics=["boende"]))]
    sec = annotation_agreement.secondary(pairs)
    assert sec["both_responsibility"] == 2
    assert sec["bearer_mode"] == 1 and sec["bearer_source"] == 2 and sec["bearer_label"] == 2
    assert sec["segmentation"] == 4 and sec["topics_exact"] == 2
    assert abs(sec["topics_jaccard"] - (1 + 0.5 + 1 + 0) / 4) < 1e-9
    assert sec["topic_differences"] == [("u-2", ["tvister"], []), ("u-4", [], ["boende"])]


def test_kappa_per_field_counts_null_as_a_category_and_topics_per_unit_and_key():
    def row(cls, kind=None, topics=()):
        responsibility = cls in ("obligation", "recommendation")
        return {"class": cls, "bearer_kind": kind, "bearer_mode": "single" if responsibility else None,
                "bearer_source": "agent" if responsibility else None, "segmentation": "ok", "topics": list(topics)}
    pairs = [(row("obligation", "kommun", ["sip"]), row("obligation", "kommun", ["sip"])),
             (row("obligation", "region"), row("description", None, ["sip"])),
             (row("description"), row("description")),
             (row("permission", None, ["boende"]), row("permission", None, ["boende"]))]
    k = annotation_agreement.field_kappas(pairs)
    # class: observed 3/4; marginals A {obl 2, desc 1, perm 1}, B {obl 1, desc 2, perm 1} -> expected 5/16
    assert abs(k["class"] - (0.75 - 5 / 16) / (1 - 5 / 16)) < 1e-9
    # bearer_kind: kommun/kommun, region/None, None/None, None/None -> observed 3/4, expected (1*1 + 2*3)/16
    assert abs(k["bearer_kind"] - (0.75 - 7 / 16) / (1 - 7 / 16)) < 1e-9
    assert k["segmentation"] == 1.0    # one category on both sides: agreement by convention
    # topics: keys {boende, sip} x 4 units = 8 decisions, one disagreement (unit 2, sip)
    observed, a_yes, b_yes = 7 / 8, 2 / 8, 3 / 8
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    assert abs(k["topics"] - (observed - expected) / (1 - expected)) < 1e-9


def test_make_eval_scores_each_later_draw_on_its_own_line_and_skip_batch_leaves_it_out(monkeypatch):
    """`make eval`'s extraction figures, with an empty graph (no build, no extractor run): every later draw has
    its own line, per agreement too, and --skip-batch takes the draw out of every line."""
    s10 = [u for u in extraction.annotated_units("dev", batch="s10") if u["class"] in extraction.RESPONSIBILITY]
    assert s10, "batch s10 has no labelled responsibility"
    monkeypatch.setattr(eval_main, "SKIPPED_BATCHES", set())
    results: dict = {}
    eval_main._extraction(results, "dev", None, {}, None, False, "all")
    assert results["extraction/dev[s10]"]["units_responsibility"] == len(s10)
    assert {k for k in results if k.startswith("extraction/dev[s10]/")} == \
        {f"extraction/dev[s10]/{a}" for a in {u["agreement"] for u in s10}}
    monkeypatch.setattr(eval_main, "SKIPPED_BATCHES", {"s10"})
    skipped: dict = {}
    eval_main._extraction(skipped, "dev", None, {}, None, False, "all")
    assert not any("[s10]" in k for k in skipped)
    assert skipped["extraction/dev"]["units_responsibility"] == \
        results["extraction/dev"]["units_responsibility"] - len(s10)
