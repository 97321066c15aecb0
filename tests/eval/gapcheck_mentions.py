"""Mentions written into ablated agreements (issue 14, second protocol: tests/data/gapcheck/PROTOCOL2.md
§2). Each case of passages.jsonl is ablated as gapcheck_variants ablates it — every passage that
regulates its topic cut out — and then one kind of mention of the topic is written in, as agreements
write them: a table of contents, a cross-reference, a list of other agreements, background, a
definition, a heading over a section that says nothing, a line of contents without dot leaders,
history in the past tense, a duty of a national authority, a bulleted list of other agreements, an
item on a meeting's agenda. Nothing of it regulates the topic, so the
gold is that the topic is **not** `covered` (any other status), and that no topic that was not
covered in the ablated text becomes covered.

    python -m tests.eval.gapcheck_mentions --out DIR [--split dev]   # every variant + DIR/manifest.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check

from .gapcheck_variants import DATA, TOPICS, ablate, agreement_text, blocks, read_jsonl, split_of
from .gapcheck_variants import load_cases as first_cases

NAMES = DATA / "mentions" / "names.json"
PASSAGES2 = DATA / "passages2.jsonl"


def load_cases() -> list[dict]:
    """The first protocol's cases and the careful reader's (PROTOCOL2.md §4; mentioned since session 13)."""
    return first_cases() + read_jsonl(PASSAGES2)

#: One template per kind of mention: {name} the topic as a reader names it, {Name} capitalised.
#: "before": written before the first heading after the title; the others before the second heading,
#: at the end of the agreement's opening section.
FORMS: dict[str, str] = {
    "contents": "Innehåll\n\n1. Inledning .................................... 2\n\n"
                "2. {Name} .................................... 4\n\n"
                "3. Underskrifter .................................... 9\n\n",
    "cross-reference": "Frågor om {name} hanteras i enlighet med punkterna 4.2 och 4.3.\n\n",
    "other-agreements": "Överenskommelsen ska läsas tillsammans med länets övriga överenskommelser, "
                        "bland annat om läkemedelsförsörjning, om hemsjukvård och om {name}.\n\n",
    "background": "Frågor om {name} har under flera år diskuterats i länets samverkansgrupper, "
                  "och erfarenheterna från det arbetet har varit en utgångspunkt för revideringen.\n\n",
    "definition": "Med {name} avses i denna överenskommelse detsamma som i socialtjänstlagen "
                  "och hälso- och sjukvårdslagen.\n\n",
    "heading": "{Name}\n\nAvsnittet har utgått i denna version av överenskommelsen.\n\n",
    "contents-plain": "Innehåll\n\n1 Inledning 2\n\n2 {Name} 4\n\n3 Giltighet 9\n\n",
    "history": "I den tidigare överenskommelsen från 2012 skulle huvudmännen gemensamt ansvara för {name}.\n\n",
    "other-body": "Socialstyrelsen ska under året ta fram nationella riktlinjer om {name}.\n\n",
    "agreement-items": "Följande överenskommelser gäller också i länet:\n\n• Överenskommelse om {name}\n\n"
                       "• Överenskommelse om läkemedelsförsörjning\n\n",
    "agenda": "Frågor som ska tas upp på nästa möte i styrgruppen:\n\n• {Name}\n\n• Budget för nästa år\n\n",
    # session 13: a pointer forward, numbered sub-sections in the contents, what the government has done
    "see-also": "{Name} behandlas närmare i avsnitt 9 nedan.\n\n",
    "contents-subsections": "Innehållsförteckning\n\n1. Inledning 3\n\n1.1 Bakgrund 3\n\n2. Samverkan 5\n\n"
                            "2.1 {Name} 6\n\n3. Underskrifter 9\n\n",
    "national-background": "Regeringen har under senare år uppmärksammat {name} i flera statliga utredningar.\n\n",
}
BEFORE_FIRST = {"contents", "contents-plain", "contents-subsections"}


def names() -> dict[str, str]:
    return {k: v for k, v in json.loads(NAMES.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def _heading_offsets(text: str) -> list[int]:
    """Where the text's headings start (the first 30 characters of each heading block found in it)."""
    out, at = [], 0
    for block in blocks(text):
        if block.kind != "heading":
            continue
        head = block.text[:30].split("  ")[0]
        found = text.find(head, at)
        if found < 0:
            first_word = head.split(" ")[0]
            found = text.find(first_word, at) if len(first_word) > 3 else -1
        if found >= 0:
            out.append(found)
            at = found + 1
    return out


def insert(text: str, form: str, topic: str) -> str:
    name = names()[topic]
    passage = FORMS[form].format(name=name, Name=name[0].upper() + name[1:])
    heads = _heading_offsets(text)
    index = 1 if form in BEFORE_FIRST else 2
    at = heads[min(index, len(heads) - 1)] if heads else len(text)
    at = text.rfind("\n", 0, at) + 1
    return text[:at] + passage + text[at:]


def variant_ids(split: str | None = None) -> list[str]:
    return [f"mention:{case['id']}:{form}" for case in load_cases() for form in FORMS
            if split is None or case["split"] == split]


def build(variant_id: str) -> tuple[str, bytes, dict]:
    _, agreement, topic, form = variant_id.split(":")
    case = next(c for c in load_cases() if c["id"] == f"{agreement}:{topic}")
    text = insert(ablate(agreement_text(agreement), case), form, topic)
    gold = {"id": variant_id, "source": agreement, "split": case["split"], "case_split": split_of(case["id"]),
            "not_covered": topic, "ablated_from": case["id"],
            "unchanged_except": sorted(set(case["collateral"]) | {topic})}
    return f"{agreement}.{topic}.{form}.txt", text.encode("utf-8"), gold


def score(forms: list[str], cases: list[str] | None = None) -> list[tuple[str, str, list[str]]]:
    """Every development variant of the named forms (of every case, or of `cases`), in process (the
    check's topic statuses, no peers): the variant, its topic's status, and the topics it newly covers
    against the ablated text (collateral apart). A held-out variant is never built."""
    peers = Peers({}, {t: t for t in TOPICS})
    statuses = lambda data: {t["topic"]: t["status"] for t in check(data, "utkast.txt", peers)["topics"]}
    by_id = {c["id"]: c for c in load_cases()}
    ablated: dict[str, dict[str, str]] = {}
    out = []
    for vid in variant_ids("dev"):
        case_id, form = vid.split(":", 1)[1].rsplit(":", 1)
        if form not in forms or (cases and case_id not in cases):
            continue
        case = by_id[case_id]
        if case_id not in ablated:
            ablated[case_id] = statuses(ablate(agreement_text(case["agreement"]), case).encode("utf-8"))
        _, data, gold = build(vid)
        got = statuses(data)
        new = [t for t, st in got.items() if st == "covered" and ablated[case_id].get(t) != "covered"
               and t not in gold["unchanged_except"]]
        out.append((vid, got[case["topic"]], new))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--split", choices=("dev", "heldout"))
    parser.add_argument("--score", nargs="+", metavar="FORM", choices=sorted(FORMS),
                        help="score the development variants of these forms")
    parser.add_argument("--case", action="append", help="only this case (repeatable; with --score)")
    args = parser.parse_args(argv)
    if args.score:
        rows = score(args.score, args.case)
        for vid, status, new in rows:
            print(f"{vid} {status}" + (f" newly covered: {', '.join(new)}" if new else ""))
        print(f"variants {len(rows)}  not covered {sum(s != 'covered' for _, s, _ in rows)}  "
              f"newly covered elsewhere {sum(len(n) for _, _, n in rows)}")
        return 0
    if args.out is None:
        parser.error("--out or --score is needed")
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for vid in variant_ids(args.split):
            name, data, gold = build(vid)
            (args.out / name).write_bytes(data)
            manifest.write(json.dumps({**gold, "file": name}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
