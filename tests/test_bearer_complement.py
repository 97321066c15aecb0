"""Who bears a duty whose subject is an abstract noun equated with an att-clause (issue 12 item 2,
bearers.py's complement step; data/lexicon/bearers.json complement_copula, controller_prepositions).
Sentences from the development part of the annotated corpus; each entry of the two lists has a case
of its own."""
from __future__ import annotations

import pytest

from bearerutil import duties as _duties


@pytest.mark.parametrize("sentence, kind", [
    # complement_copula "är att" after a predicate (uppsala-0016 on the development part)
    ("En av utgångspunkterna i överenskommelsen är att huvudmännen ska beakta barnkonventionen och principen om att "
     "barnets bästa ska följas.", "kommun+region"),
    # controller_prepositions "för": an infinitival att-clause's controller (vastmanland-0141)
    ("En gemensam utgångspunkt för länets kommuner och Region Västmanland är att utveckla, sprida och använda bästa "
     "tillgängliga kunskap.", "kommun+region"),
    ("En viktig utgångspunkt är att kommunen informerar regionen.", "kommun"),
])
def test_the_subject_of_the_att_clause_an_abstract_subject_is_equated_with_bears_the_duty(sentence, kind):
    assert _duties(sentence) == [(kind, "agent", "complement")], sentence


@pytest.mark.parametrize("sentence", [
    # an actor subject of its own wins over the att-clause's ("the subject of the clause carrying the modal")
    "Kommunens uppgift är att regionen informeras.",
    "Regionen ska vara att räkna med.",
])
def test_an_actor_subject_of_the_duty_s_own_clause_wins(sentence):
    assert all(method != "complement" for _, _, method in _duties(sentence)), sentence


def test_an_att_clause_whose_subject_is_the_individual_names_no_bearer():
    """The individual is no bearer of the agreement's duties: 'Utgångspunkten är att den enskilde ska …'."""
    assert _duties("En viktig utgångspunkt är att den enskilde ska få stöd.") == [(None, "none", None)]


@pytest.mark.parametrize("sentence, kind", [
    # a passive's subject in the att-clause is what the duty is about (sormland-0050 on the development part)
    ("Av den anledningen är det viktigt att NSPH lyfts fram och får en särställning i sammanhang som rör "
     "samverkan.", None),
    # an active verb after the subject: the subject bears it; passive_gap "tillsammans" and deponent "möts"
    ("Det är viktigt att huvudmännen tillsammans tar fram rutiner.", "kommun+region"),
    ("Det krävs att huvudmännen möts regelbundet.", "kommun+region"),
])
def test_the_subject_of_a_passive_att_clause_is_no_bearer(sentence, kind):
    assert [k for k, _, _ in _duties(sentence)] == [kind], sentence


@pytest.mark.parametrize("sentence, kind", [
    # collaboration "mellan huvudmännen" in a clause under the duty's (vastmanland-0120, uppsala-0170)
    ("Arbetet med att öka målgruppens delaktighet och inflytande behöver vara långsiktigt för att en god samverkan "
     "mellan huvudmännen och intresseföreningarna ska bli verklighet.", None),
    # … in the duty's own clause, or in a relative clause that 'som' may open (sormland-0038)
    ("Vid behov ska samverkan ske mellan huvudmännen.", "kommun+region"),
    ("Brukar-och närståendeorganisationerna bör ses som naturliga parter i samverkansprocessen mellan landsting och "
     "kommun liksom i respektive organisationers interna arbete.", "kommun+region"),
])
def test_a_collaboration_between_the_principals_names_them_only_in_the_duty_s_own_clause(sentence, kind):
    assert [k for k, _, _ in _duties(sentence)] == [kind], sentence
