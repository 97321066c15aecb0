"""`/api/ask` measured on the question bank (tests/data/questions/bank.jsonl) by the rules of
../shared/eval/score.py: principal (the top answer's kind; a joint question also accepts the
municipality and the region as the two best), citation (the top quote shares a run of
min(35, 60 %) characters with the gold evidence), verbatim (the top quote stands in the agreement),
abstention (a not-covered question gets `not_covered` or no answer), latency p50/p95."""
from __future__ import annotations

import json
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from .textmatch import cites, squash

BANK = Path(__file__).resolve().parents[1] / "data" / "questions" / "bank.jsonl"
# Batches of questions kept as an untouched check (PROTOCOL.md, "Batches"): a question with `"batch": NAME` for a
# NAME here is in the development part, but no fit, calibration, threshold or development figure reads it; `make
# eval` scores it on a line of its own (`answers/dev[NAME]`), and `--skip-batch NAME` leaves it out entirely. A
# batch leaves this set (and joins the development figures and the fit) once it has been scored as fresh.
FRESH_BATCHES = frozenset({"q16"})


def batch_of(q: dict) -> str | None:
    """The batch a question was written in (None: written before batches)."""
    batch = q.get("batch")
    return str(batch) if batch else None


def questions(split: str | None = None, agreements: set[str] | None = None, batch: str | None = None,
              skip: frozenset[str] | set[str] = frozenset()) -> list[dict]:
    """The bank's questions of `split` and `agreements`. Without `batch`: every question but those of a fresh
    batch (FRESH_BATCHES) — what fitting, calibration and the development figures read. With `batch`: that
    batch's questions only. A batch in `skip` is left out either way."""
    if not BANK.exists():
        return []
    rows = [json.loads(line) for line in BANK.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [q for q in rows if (split is None or q.get("split") == split)
            and (agreements is None or q["agreement"] in agreements)
            and batch_of(q) not in skip
            and (batch_of(q) == batch if batch is not None else batch_of(q) not in FRESH_BATCHES)]


def fresh_batches(split: str, skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The fresh batches with questions in `split`, not skipped, in name order."""
    return sorted(b for b in FRESH_BATCHES - set(skip) if questions(split, batch=b))


def principal_ok(q: dict, answers: list[dict]) -> bool:
    if not answers:
        return False
    top = answers[0]
    kind = (top.get("principal") or {}).get("kind")
    labels = " " + " ".join(((top.get(part) or {}).get("label") or "") for part in ("principal", "unit")).lower() + " "
    for expected in q["expected_principals"]:
        if expected == "other":
            if any(label.lower() in labels for label in q.get("accepted_labels", [])):
                return True
        elif expected == "kommun+region":
            if kind == "kommun+region":
                return True
            if {(a.get("principal") or {}).get("kind") for a in answers[:2]} == {"kommun", "region"}:
                return True
        elif kind == expected:
            return True
    return False


def ask(base: str, q: dict, timeout: float = 30.0) -> tuple[int, dict, float]:
    params = {"q": q["question"]}
    if not q.get("names_agreement", False) and q.get("agreement"):
        params["agreement"] = q["agreement"]
    request = urllib.request.Request(f"{base}/api/ask?{urllib.parse.urlencode(params)}")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, body = err.code, err.read()
    elapsed = time.perf_counter() - started
    try:
        data = json.loads(body.decode("utf-8"))
    except ValueError:
        data = {}
    return status, data if isinstance(data, dict) else {}, elapsed


def judge(q: dict, status: int, body: dict, texts: dict[str, str]) -> dict:
    answers = body.get("answers") or []
    row: dict = {"id": q["id"], "kind": q["kind"], "agreement": q["agreement"], "http": status,
                 "answerable": bool(q["expected_principals"])}
    if isinstance(body.get("confidence"), (int, float)):
        row["confidence"] = float(body["confidence"])
    if row["answerable"]:
        row["principal"] = principal_ok(q, answers)
        row["citation"] = bool(answers) and cites(answers[0].get("quote"), q.get("evidence"))
        if answers:
            key = (answers[0].get("agreement") or {}).get("key")
            quote = squash(answers[0].get("quote"))
            row["verbatim"] = bool(quote) and key in texts and quote in texts[key]
    else:
        row["abstained"] = body.get("status") == "not_covered" or not answers
    row["ok"] = row.get("principal", row.get("abstained", False))
    if not row["ok"] or (row["answerable"] and not row["citation"]):
        top = answers[0] if answers else {}
        row["miss"] = (f"{q['id']} [{q['kind']}] {q['question']!r} expected={q['expected_principals']} "
                       f"got={(top.get('principal') or {}).get('kind')} status={body.get('status')} "
                       f"quote={str(top.get('quote'))[:80]!r}")
    return row


def reliability(confidences: list[float], right: list[bool], bins: int = 10) -> dict:
    """How well the best answer's confidence is calibrated: the Brier score and the expected
    calibration error (ECE: |mean confidence − share right| per tenth of [0, 1], weighted by its
    share of the questions; Naeini et al. 2015). `right`: the top answer names the right principal
    (never, for a question no agreement regulates)."""
    pairs = [(min(max(float(c), 0.0), 1.0), bool(r)) for c, r in zip(confidences, right, strict=True)]
    if not pairs:
        return {}
    brier = sum((c - r) ** 2 for c, r in pairs) / len(pairs)
    ece = 0.0
    for b in range(bins):
        inside = [(c, r) for c, r in pairs if min(int(c * bins), bins - 1) == b]
        if inside:
            ece += len(inside) / len(pairs) * abs(sum(c for c, _ in inside) / len(inside)
                                                  - sum(r for _, r in inside) / len(inside))
    return {"brier": round(brier, 3), "ece": round(ece, 3)}


def summarise(rows: list[dict], latencies: list[float]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    share = lambda xs, k: round(sum(1 for r in xs if r.get(k)) / len(xs), 3) if xs else float("nan")
    by_kind = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    ordered = sorted(latencies)
    return {
        "n": len(rows), "http_errors": sum(1 for r in rows if r["http"] != 200),
        "principal": share(answerable, "principal"), "citation": share(answerable, "citation"),
        "verbatim": share([r for r in answerable if "verbatim" in r], "verbatim"),
        "abstention": share(unanswerable, "abstained"),
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else float("nan"),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1) if ordered else float("nan"),
        **reliability([r["confidence"] for r in rows if "confidence" in r],
                      [bool(r.get("principal")) for r in rows if "confidence" in r]),
        "by_kind": {k: share(v, "ok") for k, v in sorted(by_kind.items())},
    }


def run(base: str, qs: list[dict], texts: dict[str, str]) -> tuple[dict, list[dict]]:
    rows, latencies = [], []
    for q in qs:
        status, body, elapsed = ask(base, q)
        latencies.append(elapsed)
        rows.append({**judge(q, status, body, texts), "seconds": elapsed})
    return summarise(rows, latencies), rows
