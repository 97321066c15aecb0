"""What kind of agreement a text is (issue 14 item 4): an agreement under SoL 7 kap. 2 § / HSL 16
kap. 3 § on people with mental disability and people with harmful use or addiction (or on one of
the two groups), on children placed outside their home, on care for older people, on doctors'
participation in special housing …

The kinds, their subjects and target groups are data (data/requirements.json "kinds"); the words of
each subject are language (data/lexicon/kinds.json). A kind is recognised from what the agreement
regulates and what it speaks of:

- each subject scores the occurrences of its words in the text (an occurrence in the title counts
  `title_weight` times) plus `title_weight` for each of its target groups the agreement regulates
  (status `covered`, extract/coverage.py);
- the subject with the highest score wins; with no word and no group of any subject, the default
  kind (the service's own: mental disability and addiction) is assumed and said to be assumed;
- among the kinds of that subject, the one whose target groups are exactly those the agreement
  regulates ("missbruk" alone), else the first (broadest) one.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import paths
from ..language import compile_raw, load

BOUNDARY = (r"(?<![\wåäö])", r"(?![\wåäö])")


@dataclass(frozen=True)
class Kind:
    key: str
    subject: str
    target_groups: tuple[str, ...]
    name: dict[str, str]
    article: str                  # the Swedish indefinite article of the name's noun (en, ett)
    basis: tuple[str, ...]        # labels of the provisions that ask for an agreement of this kind

    def basis_text(self) -> str:
        return "; ".join(self.basis)


@dataclass(frozen=True)
class Recognised:
    kind: Kind
    scores: dict[str, int]        # subject → score
    groups: tuple[str, ...]       # the kind's target groups the agreement regulates
    words: tuple[str, ...]        # the subject's words found, most frequent first
    assumed: bool                 # nothing in the text said which kind: the default

    def as_dict(self, law: bool) -> dict[str, Any]:
        return {"key": self.kind.key, "label": self.kind.name["sv"], "label_en": self.kind.name["en"],
                "basis": self.kind.basis_text(), "target_groups": list(self.groups),
                "words": list(self.words), "assumed": self.assumed, "law": law}


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((paths.DATA / "requirements.json").read_text(encoding="utf-8"))
    return data


@cache
def kinds() -> tuple[Kind, ...]:
    return tuple(Kind(k["key"], k["subject"], tuple(k["target_groups"]), k["name"], k["article"],
                      tuple(b["label"] for b in k["basis"])) for k in _data()["kinds"])


def kind(key: str) -> Kind:
    return next(k for k in kinds() if k.key == key)


def default_kind() -> Kind:
    return kind(_data()["default_kind"])


@cache
def law_kinds() -> frozenset[str]:
    """The kinds SoL 7 kap. 2 § / HSL 16 kap. 3 § 1–2 require (requirements.json "law_kinds")."""
    return frozenset(_data()["law_kinds"]["kinds"])


def other_kind_message(recognised: Recognised) -> str:
    """The one finding an agreement of another kind gets instead of the law kinds' requirements."""
    kind_ = recognised.kind
    message: str = _data()["law_kinds"]["message"]["sv"]
    return message.format(kind=f"{kind_.article} {kind_.name['sv']}")


@cache
def _subjects() -> tuple[dict[str, re.Pattern[str]], int]:
    data = load("kinds.json")
    return ({s: compile_raw(patterns, *BOUNDARY) for s, patterns in data["subjects"].items()},
            int(data["title_weight"]))


def recognise(text: str, title: str, statuses: dict[str, str]) -> Recognised:
    """The kind of the agreement with this text and title whose topics have these statuses."""
    patterns, weight = _subjects()
    regulated = {t for t, s in statuses.items() if s == "covered"}
    scores: dict[str, int] = {}
    found: dict[str, dict[str, int]] = {}
    for subject, pattern in patterns.items():
        words: dict[str, int] = {}
        for match in pattern.finditer(text):
            word = match.group(0).lower()
            words[word] = words.get(word, 0) + 1
        found[subject] = words
        scores[subject] = sum(words.values()) + weight * len(pattern.findall(title or ""))
    for subject in scores:
        groups = {g for k in kinds() if k.subject == subject for g in k.target_groups}
        scores[subject] += weight * len(groups & regulated)
    best = max(scores.values(), default=0)
    if best == 0:
        chosen = default_kind()
        return Recognised(chosen, scores, tuple(g for g in chosen.target_groups if g in regulated), (), True)
    subject = next(s for s in (default_kind().subject, *scores) if scores.get(s) == best)
    candidates = [k for k in kinds() if k.subject == subject]
    wanted = {g for c in candidates for g in c.target_groups} & regulated
    exact = [k for k in candidates if set(k.target_groups) == wanted]
    chosen = exact[0] if exact else candidates[0]
    said = tuple(w for w, _ in sorted(found[subject].items(), key=lambda x: (-x[1], x[0])))[:5]
    return Recognised(chosen, scores, tuple(g for g in chosen.target_groups if g in regulated), said, False)
