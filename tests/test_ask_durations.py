"""A question's duration with its comparison (issue 13): "mer än två veckor" is more than 14 days, read with the
extraction's own duration patterns (conditions.json), so a rule for needs that exceed 14 days holds for it — before,
the question read 14 days and the rule, which needs more than 14, was dropped before ranking (features.py
conditions_hold, and the same test in the answer query)."""
from __future__ import annotations

import pytest

from vemgorvad.serve.ask.features import conditions_hold
from vemgorvad.serve.ask.index import Entry


def _rule(more_than_days: int) -> Entry:
    rule = Entry.__new__(Entry)
    rule.min_age = rule.max_age = None
    rule.more_than_days = more_than_days
    return rule


@pytest.mark.parametrize("question, days, holds", [
    ("Vem ansvarar för hemsjukvården när det redan första dagen är klart att det blir mer än två veckor?", 15, True),
    ("Vem ansvarar när behovet av hemsjukvård är längre än 14 dagar?", 15, True),
    ("Vem ansvarar när hemsjukvården överstiger 14 dagar?", 15, True),
    ("Vem ansvarar för hemsjukvården när insatserna beräknas pågå i tre veckor?", 21, True),
    ("Vem ansvarar för hemsjukvården när insatserna pågår i två veckor?", 14, False),
    ("Vem ansvarar för hemsjukvården i tio dagar?", 10, False),
])
def test_a_duration_is_read_with_its_comparison(ask_engine, question, days, holds):
    interp = ask_engine.interpret(question)
    assert interp.days == days
    assert conditions_hold(_rule(14), interp) is holds


def test_a_question_without_a_duration_has_none(ask_engine):
    assert ask_engine.interpret("Vem ansvarar för hemsjukvården i Uppsala?").days is None
