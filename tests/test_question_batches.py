"""A fresh batch of questions (tests/eval/answers.py FRESH_BATCHES, PROTOCOL.md "Batches") is an untouched check:
in the development part, but never fitted, calibrated or thresholded on, in no development figure, scored on a
line of its own by `make eval`, and left out entirely by `--skip-batch`."""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.eval import __main__ as eval_main
from tests.eval import answers, fit
from tests.eval import questions as bank

FRESH = sorted(answers.FRESH_BATCHES)[0]
REWORDING = sorted(bank.REWORDING_BATCHES)[0]
PASSAGE_BATCH = "p1"  # a fresh-passage batch: new passages, not a rewording of development ones


def _q(qid: str, agreement: str = "uppsala", **extra: object) -> dict:
    return {"id": qid, "question": "Vem ansvarar?", "agreement": agreement, "names_agreement": False,
            "expected_principals": ["kommun"], "accepted_labels": [], "kind": "direct", "register": "formal",
            "section": "", "evidence": "", "conditions": "", "note": "", "split": "dev", **extra}


@pytest.fixture
def small_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rows = [_q("old-1"), _q("old-2", "sormland"), _q("fresh-1", batch=FRESH), _q("fresh-2", "sormland", batch=FRESH),
            _q("later-1", batch="s99"), _q("held-1", split="heldout")]
    path = tmp_path / "bank.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(answers, "BANK", path)
    monkeypatch.setattr(eval_main, "SKIPPED_BATCHES", set())
    return path


def test_the_development_questions_leave_out_a_fresh_batch_and_a_skipped_one(small_bank: Path) -> None:
    assert [q["id"] for q in answers.questions("dev")] == ["old-1", "old-2", "later-1"]
    assert [q["id"] for q in answers.questions("dev", {"sormland"})] == ["old-2"]
    assert [q["id"] for q in answers.questions("dev", batch=FRESH)] == ["fresh-1", "fresh-2"]
    assert [q["id"] for q in answers.questions("dev", skip={"s99"})] == ["old-1", "old-2"]
    assert answers.questions("dev", batch=FRESH, skip={FRESH}) == []
    assert answers.fresh_batches("dev") == [FRESH] and answers.fresh_batches("dev", {FRESH}) == []
    assert answers.fresh_batches("heldout") == []


def test_make_eval_scores_a_fresh_batch_on_its_own_line_all_in_only(small_bank: Path) -> None:
    parts = {name: [q["id"] for q in qs] for name, qs in eval_main.answer_parts("dev", None)}
    assert parts == {"answers/dev": ["old-1", "old-2", "later-1"], f"answers/dev[{FRESH}]": ["fresh-1", "fresh-2"]}
    loao = {name: [q["id"] for q in qs] for name, qs in eval_main.answer_parts("dev", {"sormland"})}
    assert loao == {"answers/dev": ["old-2"]}


def test_skip_batch_leaves_a_fresh_batch_out_entirely(small_bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eval_main, "SKIPPED_BATCHES", {FRESH, "s99"})
    parts = {name: [q["id"] for q in qs] for name, qs in eval_main.answer_parts("dev", None)}
    assert parts == {"answers/dev": ["old-1", "old-2"]}


class _Stop(Exception):
    pass


@pytest.mark.parametrize("argv", [["--check"], ["--check", "--without", "uppsala"]])
def test_fit_never_reads_a_fresh_batch(small_bank: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    """fit.py's own entry point, with the store and the engine stubbed: the questions it hands to the ranking's
    training (and so to calibration and the threshold, which read the same list) hold no fresh question."""
    seen: list[str] = []

    def training_rows(engine: object, qs: list[dict]) -> None:
        seen.extend(q["id"] for q in qs)
        raise _Stop

    monkeypatch.setattr(fit, "open_store", lambda: None)
    monkeypatch.setattr(fit.ranking, "load", lambda: None)
    monkeypatch.setattr(fit, "AskEngine", lambda store, model: object())
    monkeypatch.setattr(fit, "training_rows", training_rows)
    with pytest.raises(_Stop):
        fit.main(argv)
    assert seen and not any(q.startswith("fresh") for q in seen)
    assert "held-1" not in seen


def test_a_batch_question_is_in_the_development_part_whatever_its_id() -> None:
    ids = [f"x-{n}" for n in range(40)]
    assert {bank.split_of(i) for i in ids} == {"dev", "heldout"}
    assert {bank.split_of(i, FRESH) for i in ids} == {"dev"}
    q = _q("x-0", batch=FRESH, split="heldout")
    assert any("split must be dev" in f for f in bank.faults([q], {"uppsala": "text"}))


def test_the_bank_passes_its_own_check() -> None:
    """`python -m tests.eval.questions --check`: fields, verbatim evidence, verified absence, split by id and batch."""
    assert bank.faults(bank.load(), bank.texts()) == []


def test_a_batch_question_on_a_development_question_s_passage_is_a_fault() -> None:
    """PROTOCOL.md "Batches": a fresh check is written on passages no development question uses as evidence."""
    text = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov. Regionen ansvarar för vården."
    old = _q("old-1", evidence="Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov.")
    same = _q("new-1", batch=PASSAGE_BATCH, evidence="Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov.")
    other = _q("new-2", batch=PASSAGE_BATCH, evidence="Regionen ansvarar för vården.", expected_principals=["region"])
    found = bank.faults([old, same, other], {"uppsala": text})
    assert any(f.startswith("new-1:") and "old-1" in f for f in found)
    assert not any(f.startswith("new-2:") for f in found)


def test_a_batch_question_on_an_earlier_batch_s_passage_is_a_fault() -> None:
    """An earlier batch is development material once it has been scored, so a new batch is written on passages
    its questions do not use either; questions of the same batch may share one."""
    text = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov. Regionen ansvarar för vården."
    evidence = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov."
    earlier = _q("s98-1", batch="s98", evidence=evidence)
    later = _q("new-1", batch=FRESH, evidence=evidence)
    twin = _q("new-2", batch=FRESH, evidence=evidence)
    found = bank.faults([earlier, later, twin], {"uppsala": text})
    assert any(f.startswith("new-1:") and "s98-1" in f for f in found)
    assert not any((f.startswith("new-1:") and "new-2" in f) or (f.startswith("new-2:") and "new-1" in f) for f in found)


def test_a_batch_question_corrected_onto_a_development_passage_names_it() -> None:
    """PROTOCOL.md "Batches": a second reader's correction may move a batch question's gold onto a development
    question's passage only by naming that question in shares_passage_with; a name it does not share, or the field
    on a question outside a batch or not covered, is a fault."""
    text = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov. Regionen ansvarar för vården."
    evidence = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov."
    old = _q("old-1", evidence=evidence)
    named = _q("new-1", batch=FRESH, evidence=evidence, shares_passage_with=["old-1"])
    wrong = _q("new-2", batch=FRESH, evidence="Regionen ansvarar för vården.", expected_principals=["region"],
               shares_passage_with=["old-1"])
    unbatched = _q("old-2", evidence="Regionen ansvarar för vården.", expected_principals=["region"],
                   shares_passage_with=["old-1"])
    found = bank.faults([old, named, wrong, unbatched], {"uppsala": text})
    assert not any(f.startswith("new-1:") for f in found)
    assert any(f.startswith("new-2:") and "old-1" in f and "does not use" in f for f in found)
    assert any(f.startswith("old-2:") and "only a covered batch question" in f for f in found)


def test_an_earlier_batch_question_whose_passage_a_later_correction_names_is_no_fault() -> None:
    """When a second reader moves a fresh question onto an earlier batch question's passage and names it in
    shares_passage_with, the earlier question (itself a batch question) is not flagged for the later one's passage;
    an unnamed later question on the same passage still is."""
    text = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov. Regionen ansvarar för vården."
    evidence = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov."
    earlier = _q("s98-1", batch="s98", evidence=evidence)
    named = _q("new-1", batch=FRESH, evidence=evidence, shares_passage_with=["s98-1"])
    assert bank.faults([earlier, named], {"uppsala": text}) == []
    unnamed = _q("new-2", batch=FRESH, evidence=evidence)
    found = bank.faults([earlier, unnamed], {"uppsala": text})
    assert any(f.startswith("s98-1:") and "new-2" in f for f in found)
    assert any(f.startswith("new-2:") and "s98-1" in f for f in found)


def test_evaluate_scores_a_fresh_batch_apart_and_pools_nothing_of_it(small_bank: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`make eval`'s evaluate(), with the build, the service, extraction and the gap check stubbed: all-in prints
    answers/dev[<fresh>] from the same served base; a leave-one-agreement-out fold has no such line, and what it
    pools (raw) holds no fresh question; --verbose lists no fresh miss."""
    asked: list[tuple[str, list[str]]] = []

    def run(base: str, qs: list[dict], texts: dict) -> tuple[dict, list[dict]]:
        asked.append((base, [q["id"] for q in qs]))
        rows = [{"id": q["id"], "miss": f"MISS {q['id']}", "answerable": True, "seconds": 0.0} for q in qs]
        return {"n": len(qs)}, rows

    @contextlib.contextmanager
    def serving(*args: object, **kwargs: object) -> Iterator[str]:
        yield "http://stub"

    monkeypatch.setattr(eval_main, "build", lambda var, exclude=None: tmp_path)
    monkeypatch.setattr(eval_main, "serving", serving)
    monkeypatch.setattr(eval_main, "agreement_texts", dict)
    monkeypatch.setattr(eval_main, "fit", lambda *a: tmp_path / "model.json")
    monkeypatch.setattr(eval_main.extraction, "extracted", lambda dataset: {})
    monkeypatch.setattr(eval_main.extraction, "classes", lambda dataset: {})
    monkeypatch.setattr(eval_main, "_extraction", lambda *a: None)
    monkeypatch.setattr(eval_main.answers, "run", run)
    all_in = eval_main.evaluate(tmp_path / "all", ("dev",), None, verbose=True, gap=False)
    assert all_in == {"answers/dev": {"n": 3}, f"answers/dev[{FRESH}]": {"n": 2}}
    assert {base for base, _ in asked} == {"http://stub"}
    raw: dict = {"dev": {"answers": []}}
    fold = eval_main.evaluate(tmp_path / "s", ("dev",), {"sormland"}, verbose=True, raw=raw, refit=True, gap=False)
    assert fold == {"answers/dev": {"n": 1}}
    assert [r["id"] for r in raw["dev"]["answers"]] == ["old-2"]


def test_verbose_lists_no_miss_of_a_fresh_batch(small_bank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(eval_main, "build", lambda var, exclude=None: tmp_path)
    monkeypatch.setattr(eval_main, "serving", contextlib.contextmanager(lambda *a, **k: iter(["http://stub"])))
    monkeypatch.setattr(eval_main, "agreement_texts", dict)
    monkeypatch.setattr(eval_main.extraction, "extracted", lambda dataset: {})
    monkeypatch.setattr(eval_main.extraction, "classes", lambda dataset: {})
    monkeypatch.setattr(eval_main, "_extraction", lambda *a: None)
    monkeypatch.setattr(eval_main.answers, "run", lambda base, qs, texts: (
        {}, [{"id": q["id"], "miss": f"MISS {q['id']}", "answerable": True, "seconds": 0.0} for q in qs]))
    eval_main.evaluate(tmp_path / "all", ("dev",), None, verbose=True, gap=False)
    out = capsys.readouterr().out
    assert "MISS old-1" in out and "MISS fresh" not in out


def test_a_rewording_question_names_its_development_passage_and_uses_its_own_words() -> None:
    """PROTOCOL.md "Batches" (q16): a rewording batch asks about development passages in other people's words, so
    a covered question names the development question whose passage it uses and copies no run of four words (two of
    them of five letters or more) of that passage or of that question; a shared opener of short words is no copy,
    and a not-covered question of the batch has no passage to name."""
    text = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov. Regionen ansvarar för vården."
    evidence = "Socialtjänsten ansvarar för att utreda och ge insatser utifrån behov."
    old = _q("old-1", question="Vem ska se till att kartlägga behoven och bevilja insatser?", evidence=evidence)
    good = _q("new-1", batch=REWORDING, question="Vem ska se till att min brukare får hjälp?", evidence=evidence,
              shares_passage_with=["old-1"])
    unnamed = _q("new-2", batch=REWORDING, question="Vem kollar vad min brukare behöver?", evidence=evidence)
    copies_passage = _q("new-3", batch=REWORDING, question="Min brukare: ansvarar för att utreda det soc?",
                        evidence=evidence, shares_passage_with=["old-1"])
    copies_question = _q("new-4", batch=REWORDING, question="Kan soc kartlägga behoven och bevilja hjälp?",
                         evidence=evidence, shares_passage_with=["old-1"])
    absent = _q("new-5", batch=REWORDING, question="Vem betalar färdtjänsten?", expected_principals=[],
                kind="not_covered", absent_terms=["färdtjänst"])
    found = bank.faults([old, good, unnamed, copies_passage, copies_question, absent], {"uppsala": text})
    assert not any(f.startswith(("new-1:", "new-5:")) for f in found)
    assert any(f.startswith("new-2:") and "names the development question" in f for f in found)
    assert [f for f in found if f.startswith("new-3:")] == [
        "new-3: a rewording question copies 4 consecutive words of its evidence"]
    assert [f for f in found if f.startswith("new-4:")] == [
        "new-4: a rewording question copies 4 consecutive words of old-1's question"]
