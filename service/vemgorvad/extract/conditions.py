"""Conditions that change an answer: age, duration, situation, default rule, deadline."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .lexicon import compile_any, lexicon


@dataclass
class Conditions:
    min_age: int | None = None
    max_age: int | None = None
    all_ages: bool = False
    more_than_days: int | None = None
    deadline_days: int | None = None
    immediate: bool = False
    default_rule: bool = False
    situations: list[str] = field(default_factory=list)
    cost_share: float | None = None     # the bearer's share of a cost, 0..1
    phrases: list[str] = field(default_factory=list)  # the words that stated them, for display

    def empty(self) -> bool:
        return not (self.min_age is not None or self.max_age is not None or self.more_than_days
                    or self.deadline_days is not None or self.immediate or self.default_rule or self.situations)

    def text_sv(self) -> str:
        """A short Swedish summary, e.g. "från 21 års ålder; om inget annat är överenskommet"."""
        return "; ".join(dict.fromkeys(self.phrases))


_Bounds = list[tuple[re.Pattern[str], str]]


@cache
def _compiled() -> tuple[_Bounds, _Bounds, list[tuple[re.Pattern[str], bool]], re.Pattern[str], re.Pattern[str]]:
    data = lexicon().conditions
    age = [(re.compile(c["pattern"], re.I), c["bound"]) for c in data["age"]]
    duration = [(re.compile(c["pattern"], re.I), c["bound"]) for c in data["duration"]]
    deadline = [(re.compile(c["pattern"], re.I), c.get("immediate", False)) for c in data["deadline"]]
    return age, duration, deadline, compile_any(data["all_ages"]), compile_any(data["default"])


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    number: int | None = lexicon().conditions["number_words"].get(token.lower())
    return number


def _days(n: int, unit: str) -> int:
    days: int = n * lexicon().conditions["units_in_days"].get(unit.lower(), 1)
    return days


def find_conditions(text: str) -> Conditions:
    age, duration, deadline, all_ages, default = _compiled()
    found = Conditions()
    lower = text.lower()
    match: re.Match[str] | None
    for pattern, bound in age:
        for match in pattern.finditer(lower):
            n = int(match.group("n"))
            if not 0 <= n <= 120:
                continue
            if bound == "min":
                found.min_age = n if found.min_age is None else max(found.min_age, n)
            elif bound == "max":
                found.max_age = n if found.max_age is None else min(found.max_age, n)
            else:
                found.max_age = n - 1 if found.max_age is None else min(found.max_age, n - 1)
            found.phrases.append(text[match.start():match.end()])
    if all_ages.search(lower):
        found.all_ages = True
    for pattern, _bound in duration:
        match = pattern.search(lower)
        if match and (number := _number(match.group("n"))) is not None:
            found.more_than_days = _days(number, match.group("unit"))
            found.phrases.append(text[match.start():match.end()])
            break
    for pattern, immediate in deadline:
        match = pattern.search(lower)
        if not match:
            continue
        if immediate:
            found.immediate = True
        elif (number := _number(match.group("n"))) is not None:
            found.deadline_days = _days(number, match.group("unit"))
        else:
            continue
        found.phrases.append(text[match.start():match.end()])
        break
    match = default.search(lower)
    if match:
        found.default_rule = True
        found.phrases.append(text[match.start():match.end()])
    for key, cues in lexicon().cues["situations"].items():
        for cue in cues:
            match = cue.search(lower)
            if match:
                found.situations.append(key)
                found.phrases.append(text[match.start():match.end()])
                break
    if found.min_age is not None and found.max_age is not None and found.min_age > found.max_age:
        found.min_age = found.max_age = None  # two separate rules in one sentence, not a range
    return found


def all_ages() -> re.Pattern[str]:
    """A phrase that says every age ("oavsett ålder", "i alla åldrar")."""
    return _compiled()[3]
