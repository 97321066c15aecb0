"""The question bank (tests/data/questions/bank.jsonl): validate it, assign the split, verify that
not-covered questions are absent from their agreement. See tests/data/questions/PROTOCOL.md.

    python -m tests.eval.questions --split   # add `split` to every question (stable, by id)
    python -m tests.eval.questions --check   # fields, verbatim evidence, absence; exit 1 on a fault
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from .textmatch import cites

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "tests" / "data" / "questions" / "bank.jsonl"
AGREEMENTS = ROOT / "data" / "agreements"
SEED = "20261203"
HELD_OUT_PERCENT = 45
KINDS = {"direct", "conditional", "cost", "joint", "process", "governance", "not_covered"}
REGISTERS = {"formal", "colloquial", "misspelt"}
PRINCIPALS = {"kommun", "region", "kommun+region", "other"}
REWORDING_BATCHES = frozenset({"q16"})
"""Batches that reword development passages (PROTOCOL.md, "Batches"): each covered question asks, in other words,
about a passage a development question already uses, so it names that question and copies no REWORDED_RUN
consecutive words of the passage or of that question that hold CONTENT_WORDS words of CONTENT_LETTERS letters or
more (a shared opener of short function words, "vem ska se till", is no copy)."""
REWORDED_RUN = 4
CONTENT_WORDS = 2
CONTENT_LETTERS = 5


def split_of(qid: str, batch: str | None = None) -> str:
    """`dev` or `heldout` by a seeded hash of the id; a question written in a batch (PROTOCOL.md, "Batches") is
    `dev`: the batch itself is the unseen check while it is fresh, and development material after."""
    if batch:
        return "dev"
    digest = int(hashlib.sha256(f"{SEED}:{qid}".encode()).hexdigest(), 16)
    return "heldout" if digest % 100 < HELD_OUT_PERCENT else "dev"


def squash(text: str) -> str:
    """As ../shared/eval/score.py compares texts: case, spacing, hyphens, bullets, footnote digits."""
    text = (text or "").lower()
    text = re.sub(r"(?<=[a-zåäöé])\d{1,2}(?=[\s.,;:)]|$)", "", text)
    text = re.sub(r"[\u00ad\ue000-\uf8ff\u2022\u25aa\u25cf\u00b7]", "", text)
    return re.sub(r"[\s\-\u2010\u2011]+", "", text)


def load(path: Path = BANK) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def texts() -> dict[str, str]:
    catalogue = json.loads((AGREEMENTS / "agreements.json").read_text(encoding="utf-8"))
    return {e["key"]: (AGREEMENTS / e["file"]).read_text(encoding="utf-8") for e in catalogue}


def word_runs(text: str, n: int = REWORDED_RUN) -> set[tuple[str, ...]]:
    """The runs of n consecutive words of a text that hold CONTENT_WORDS words of CONTENT_LETTERS letters or more."""
    words = re.findall(r"[\wåäöéü]+", (text or "").lower())
    runs = (tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    return {run for run in runs if sum(len(word) >= CONTENT_LETTERS for word in run) >= CONTENT_WORDS}


def rewording_faults(q: dict, by_id: dict[str, dict]) -> list[str]:
    """A covered question of a rewording batch: its passage is a development question's (named), and its wording
    is its own — no run of REWORDED_RUN words in common with the passage or with a named question."""
    qid, asked = q.get("id", "?"), word_runs(q.get("question", ""))
    named = q.get("shares_passage_with") or []
    found = [] if named else [f"{qid}: a rewording question names the development question whose passage it asks"]
    if asked & word_runs(q.get("evidence", "")):
        found.append(f"{qid}: a rewording question copies {REWORDED_RUN} consecutive words of its evidence")
    for name in named:
        if name in by_id and asked & word_runs(by_id[name].get("question", "")):
            found.append(f"{qid}: a rewording question copies {REWORDED_RUN} consecutive words of {name}'s question")
    return found


def faults(questions: list[dict], corpus: dict[str, str]) -> list[str]:
    found = []
    squashed = {k: squash(v) for k, v in corpus.items()}
    ids = Counter(q.get("id") for q in questions)
    by_id = {q.get("id", "?"): q for q in questions}
    for q in questions:
        qid = q.get("id", "?")
        if ids[qid] > 1:
            found.append(f"{qid}: id used {ids[qid]} times")
        if q.get("agreement") not in corpus:
            found.append(f"{qid}: unknown agreement {q.get('agreement')!r}")
            continue
        if q.get("kind") not in KINDS:
            found.append(f"{qid}: kind {q.get('kind')!r}")
        if q.get("register") not in REGISTERS:
            found.append(f"{qid}: register {q.get('register')!r}")
        expected = q.get("expected_principals")
        if not isinstance(expected, list) or any(p not in PRINCIPALS for p in expected):
            found.append(f"{qid}: expected_principals {expected!r}")
            continue
        if (q["kind"] == "not_covered") != (expected == []):
            found.append(f"{qid}: not_covered questions, and only they, expect no principal")
        if "other" in expected and not q.get("accepted_labels"):
            found.append(f"{qid}: 'other' needs accepted_labels")
        if expected:
            evidence = squash(q.get("evidence", ""))
            if len(evidence) < 20 or evidence not in squashed[q["agreement"]]:
                found.append(f"{qid}: evidence is not a verbatim passage of {q['agreement']}")
        else:
            terms = q.get("absent_terms") or []
            if not terms:
                found.append(f"{qid}: a not-covered question lists its absent_terms")
            lower = corpus[q["agreement"]].lower()
            for term in terms:
                if re.search(r"(?<![\wåäö])" + re.escape(term.lower()), lower):
                    found.append(f"{qid}: absent term {term!r} occurs in {q['agreement']}")
        if "batch" in q and not (isinstance(q["batch"], str) and re.fullmatch(r"[a-z0-9]+", q["batch"])):
            found.append(f"{qid}: batch {q['batch']!r} is not a short lowercase name")
        declared = set(q.get("shares_passage_with") or [])
        if declared and not (q.get("batch") and expected):
            found.append(f"{qid}: only a covered batch question declares shares_passage_with")
        if q.get("batch") and expected:
            shared = set()
            for other in questions:
                # any development question outside this batch: the rows with no batch and every other batch
                if (other.get("split") == "dev" and other.get("batch") != q["batch"] and other.get("agreement") == q["agreement"]
                        and other.get("evidence") and (cites(q.get("evidence"), other["evidence"])
                                                       or cites(other["evidence"], q.get("evidence")))):
                    shared.add(other["id"])
                    # a later batch's corrected question that names this one declares the shared passage for both
                    if other["id"] not in declared and qid not in (other.get("shares_passage_with") or []):
                        found.append(f"{qid}: a batch's evidence is a new passage; this one is {other['id']}'s")
            for name in sorted(declared - shared):
                found.append(f"{qid}: shares_passage_with names {name}, whose passage it does not use")
            if q["batch"] in REWORDING_BATCHES:
                found.extend(rewording_faults(q, by_id))
        if "split" in q and q["split"] != split_of(qid, q.get("batch")):
            found.append(f"{qid}: split must be {split_of(qid, q.get('batch'))} (assigned by id and batch)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", action="store_true", help="write the split of every question")
    parser.add_argument("--check", action="store_true", help="report faults; exit 1 if any")
    parser.add_argument("--bank", type=Path, default=BANK)
    args = parser.parse_args(argv)
    questions = load(args.bank)
    if args.split:
        for q in questions:
            q["split"] = split_of(q["id"], q.get("batch"))
        args.bank.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    problems = faults(questions, texts())
    for problem in problems:
        print(problem)
    counts = Counter((q.get("agreement"), q.get("split", "?")) for q in questions)
    kinds = Counter(q.get("kind") for q in questions)
    batches = Counter(q.get("batch") or "-" for q in questions if q.get("batch"))
    print(f"{len(questions)} questions; {dict(sorted(kinds.items()))}; "
          f"{dict(sorted((f'{a}/{s}', n) for (a, s), n in counts.items()))}"
          + (f"; batches {dict(sorted(batches.items()))}" if batches else ""))
    return 1 if (args.check and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
