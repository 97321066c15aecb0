"""Escalation ladders: a question that asks where a matter ends up ("vart hamnar tvisten till slut?",
"vem har sista ordet?", "om varken cheferna eller arbetsgruppen löser den …") is answered by the last
step of the ladder its best provision starts, not by the first step, which shares most of the
question's words ("Tvister löses i första hand på lokal chefsnivå."). A ladder is read from the
agreement's order: the provisions of the same section that follow one another, each a later step of
the one before — an ordinal step ("I tredje hand tas frågan upp i länsstyrgruppen") or a condition on
the step before failing ("Om en lösning inte uppnås tas problemet upp i …"); both markers are language
data (question.json "later_steps"), as the question's cue is ("last_step_questions"). The reading
follows the discourse structure of the text (enumerations and their order, as in Rhetorical
Structure Theory's Sequence relation, Mann & Thompson 1988), not the words of any question."""
from __future__ import annotations

import re
from functools import cache

from ...extract.lexicon import compile_any
from ...language import load
from .features import Candidate
from .index import Entry, Index
from .understanding import Interpretation


@cache
def _later_step() -> re.Pattern[str]:
    return compile_any(load("question.json")["later_steps"])


def is_later_step(entry: Entry) -> bool:
    """The provision is a later step of the one before it: an ordinal step or a condition on that one failing."""
    return bool(_later_step().search(entry.quote))


def ladder(index: Index, entry: Entry) -> list[Entry]:
    """The provision and the later steps that follow it in its section, in the agreement's order (each
    the next sentence of the section; clauses of one sentence are one step)."""
    if not entry.section_iri:
        return [entry]
    section = sorted((index.entries[n] for n in index.by_section.get(entry.section_iri, ())), key=lambda e: e.start)
    steps = [entry]
    for e in section:
        if e.start <= steps[-1].start or e.start < steps[-1].end:
            continue                      # before the step reached, or a clause of its sentence
        if not is_later_step(e):
            break
        steps.append(e)
    return steps


def last_step_first(ranked: list[Candidate], index: Index, interp: Interpretation) -> list[Candidate]:
    """`ranked` (best first) with, for a question asking for the last step, the candidate of the latest step
    of the ladder the best answerable candidate starts moved to the front; otherwise as it is. The engine
    applies it after the answer's confidence is taken from the best candidate (engine._rank): the ladder is
    found by its first step, whose words the question shares, and the answer is as confident as that."""
    if not interp.asks_last_step:
        return ranked
    lead = next((c for c in ranked if c.entry.answerable), None)
    if lead is None:
        return ranked
    by_iri = {c.entry.iri: c for c in ranked if c.entry.answerable}
    chosen = next((by_iri[e.iri] for e in reversed(ladder(index, lead.entry)[1:]) if e.iri in by_iri), None)
    if chosen is None:
        return ranked
    return [chosen] + [c for c in ranked if c is not chosen]


__all__ = ["is_later_step", "ladder", "last_step_first"]
