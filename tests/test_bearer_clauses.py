"""Who bears a duty when other parties stand in subordinate clauses of the same sentence (issues 12
and 13, bearers.py): the clauses are found by the clause boundaries of general Swedish
(deontic.embedded_spans: att, om, när, som, …), so an impersonal predicate with an infinitive clause
takes no subject from a clause further down, but its controller: the subject of a fronted
subordinate clause. Sentences from the development part of the annotated corpus."""
from __future__ import annotations

import pytest

from bearerutil import duties as _duties


@pytest.mark.parametrize("sentence, kind", [
    # the controller of the infinitive clause is the fronted när-clause's subject (vastmanland-0500)
    ("När verksamheter möter unga vuxna är det särskilt viktigt att tänka på att individen kan vilja ha "
     "vårdnadshavare eller annan viktig vuxen fortsatt involverad i stöd, vård och behandling.", "kommun+region"),
    ("När regionen skriver ut en patient är det viktigt att informera om att kommunen har ansvar för boendet.",
     "region"),
])
def test_an_infinitive_clause_after_an_impersonal_takes_its_controller_not_a_later_subject(sentence, kind):
    assert [k for k, _, _ in _duties(sentence)] == [kind], sentence


@pytest.mark.parametrize("sentence, kind", [
    # no fronted clause: no controller, and the actor of the clause further down is no bearer
    ("Det är viktigt att tänka på att kommunen har ansvar för boendet.", None),
    # an actor right after 'att' is the att-clause's own subject, though it ends like an infinitive
    ("Det är viktigt att parterna samverkar kring den enskilde.", "kommun+region"),
    ("Det är viktigt att verksamheterna samverkar kring den enskilde.", "kommun+region"),
])
def test_an_att_clause_with_a_subject_of_its_own_keeps_it(sentence, kind):
    assert [k for k, _, _ in _duties(sentence)] == [kind], sentence


@pytest.mark.parametrize("sentence", [
    # a later clause about the person states an outcome for them, not who carries out the first duty
    # (vastmanland-0342, -0365)
    "Det ska finnas en sammanhållen plan för insatserna och patienten eller brukaren ska veta vem hen kan kontakta "
    "vid frågor och funderingar samt hur planeringen ser ut framåt.",
    "SIP-mötet ska prioriteras av alla och individen ska vara i fokus.",
])
def test_the_individual_of_a_later_clause_bears_no_earlier_duty(sentence):
    assert [k for k, _, _ in _duties(sentence)] == [None], sentence


def test_a_later_clause_names_the_bearer_of_an_agentless_duty():
    # the later clause's principal still bears it (_later_clause_agent's own case)
    sentence = ("Denna grupps behov måste därför uppmärksammas och huvudmännen har ett särskilt ansvar för att "
                "insatserna samordnas.")
    assert [k for k, _, _ in _duties(sentence)] == ["kommun+region"], sentence
